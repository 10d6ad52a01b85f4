// server_api: the kiosk's requests to the queue server — issue a ticket, look up
// a dossier, fetch the catalog, report the printer — one blocking HTTP request
// each, with a deadline, run on a worker thread (never on the screen's).
//
// Why a deadline on every request: a citizen stands in front of the screen; a
// server that does not answer within a few seconds is treated as unreachable
// and the kiosk says so, rather than spinning. A reply says whether the request
// may have reached the server (`maybe_applied`), because a ticket issued while
// its answer was lost must still be shown (app.cpp finds it in the event stream).
#pragma once
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace kiosk {

struct Reply {
    int status = 0;             // 0: no answer
    nlohmann::json body;        // null when the answer was not JSON
    std::string error;          // why there was no answer
    bool maybe_applied = false;  // no answer, but the request was sent whole
    bool answered() const { return status != 0; }
    bool ok() const { return status >= 200 && status < 300; }
    std::string code() const;   // the server's error code ("service_closed"), or ""
};

class ServerApi {
public:
    // `address`: http://HOST:PORT (client::parse_server_address); throws common::UrlError.
    ServerApi(const std::string& address, std::string token, std::chrono::milliseconds timeout);

    Reply get(const std::string& target) const;
    Reply post(const std::string& target, const nlohmann::json& body) const;

    const std::string& host() const { return host_; }
    const std::string& port() const { return port_; }

private:
    Reply request(const std::string& method, const std::string& target, const std::string& body) const;

    std::string host_, port_, token_;
    std::chrono::milliseconds timeout_;
};


}  // namespace kiosk
