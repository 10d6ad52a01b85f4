// reply: the shared replies (see reply.hpp).
#include "api/reply.hpp"

#include "common/text.hpp"

namespace api {

using common::FieldError;

std::string text_field(const common::JsonReader& r, const char* key, size_t max_chars, const std::string& fallback) {
    const std::string raw = r.get<std::string>(key, fallback);
    auto nfc = common::to_nfc(raw);
    if (!nfc) throw FieldError(r.path(key) + ": not valid UTF-8");
    if (common::utf8_length(*nfc) > max_chars) throw FieldError(r.path(key) + ": longer than " + std::to_string(max_chars) + " characters");
    return *nfc;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Reply ok_json(const json& j, int status) { return {status, dump(j), "application/json"}; }

Reply error_reply(int status, const std::string& code, const std::string& message) {
    return {status, dump(json{{"error", {{"code", code}, {"message", message}}}}), "application/json"};
}

Reply unauthorized_reply() {
    return error_reply(401, "unauthorized", "a valid token is needed (Authorization: Bearer ...)");
}

Reply busy_reply(const std::string& what) {
    Reply r = error_reply(503, "busy", "the server is busy with " + what + "; try again in a few seconds");
    r.retry_after_s = 5;
    return r;
}

}  // namespace api
