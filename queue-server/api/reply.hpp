// reply: what a request is and what an answer is, as the handlers see them,
// without sockets — and the few replies every handler family shares.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "common/json_reader.hpp"

namespace api {

using json = nlohmann::json;

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // "/api/tickets/12/finish?x=1"
    std::string body;    // read only after the route admitted the sender (Core::admit)
    std::string token;   // from "Authorization: Bearer ..."
    std::string query_token;           // ?token=: taken only on the event stream (browsers cannot set headers there)
    std::string signature, timestamp;  // X-Signature, X-Timestamp: the dossier backend's feed
    std::string peer;                  // the client's address, for limits per address
    std::string forwarded_for;         // X-Forwarded-For: believed only from a trusted proxy (client_address)
    bool upgrade = false;              // a WebSocket upgrade
};

struct Reply {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::string cache_control = "no-store";  // answers are live state; only built UI assets are cached
    int retry_after_s = 0;                   // 429 and 503: when to come back
};

using Respond = std::function<void(Reply)>;
using Task = std::function<void()>;

Reply error_reply(int status, const std::string& code, const std::string& message);
Reply ok_json(const json& j, int status = 200);
Reply unauthorized_reply();
// A queue of slow work is full: come back in a moment; nothing was done.
Reply busy_reply(const std::string& what);
std::string dump(const json& j);  // never throws: bytes that are not UTF-8 become U+FFFD
// A text field a person typed: valid UTF-8, stored NFC, at most `max_chars` characters.
std::string text_field(const common::JsonReader& r, const char* key, size_t max_chars, const std::string& fallback = "");

}  // namespace api
