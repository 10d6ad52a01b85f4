// http_client: one blocking HTTP request on its own connection, for tests and benchmarks.
#pragma once
#include <sys/socket.h>
#include <sys/time.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using json = nlohmann::json;

struct HttpReply {
    int status = 0;
    json body;
    std::string raw;
    std::string content_type;
    std::map<std::string, std::string> headers;  // names in lower case
};

// One request per connection: simple, and every test sees the server's real framing.
// To another host (a test's network namespace), `timeout_ms` bounds the connect
// and each read (a pulled cable answers nothing); it throws system_error then.
inline HttpReply http_call_to(const std::string& host, uint16_t port, const std::string& method, const std::string& target,
                              const std::string& body = "", const std::string& token = "",
                              const std::map<std::string, std::string>& headers = {}, int timeout_ms = 0,
                              const std::string& source = "") {
    asio::io_context io;
    tcp::socket socket(io);
    socket.open(tcp::v4());
    if (!source.empty()) socket.bind({asio::ip::make_address(source), 0});  // another client address (127.0.0.2, ...)
    if (timeout_ms > 0) {
        const timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // connect() honours it
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    socket.connect({asio::ip::make_address(host), port});
    http::request<http::string_body> req(http::string_to_verb(method), target, 11);
    req.set(http::field::host, host);
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::write(socket, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(socket, buffer, parser);
    HttpReply r;
    r.status = static_cast<int>(parser.get().result_int());
    r.raw = parser.get().body();
    r.content_type = std::string(parser.get()[http::field::content_type]);
    for (const auto& f : parser.get()) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = std::string(f.value());
    }
    r.body = json::parse(r.raw, nullptr, false);
    return r;
}

inline HttpReply http_call(uint16_t port, const std::string& method, const std::string& target, const std::string& body = "",
                           const std::string& token = "", const std::map<std::string, std::string>& headers = {}) {
    return http_call_to("127.0.0.1", port, method, target, body, token, headers);
}

}  // namespace testing
