// senders_config: [[phone.sender]] entries read strictly (see senders_config.hpp).
#include "notify/senders_config.hpp"

#include <sys/stat.h>

#include "common/json_reader.hpp"
#include "common/toml_file.hpp"

namespace notify {
namespace {

using common::JsonReader;
using nlohmann::json;

std::string host_of(const std::string& url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    const auto end = url.find_first_of(":/?", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string require_url(const JsonReader& r, std::initializer_list<const char*> schemes) {
    const std::string url = r.get<std::string>("url");
    for (const char* s : schemes)
        if (url.starts_with(std::string(s) + "://") && url.size() > std::string(s).size() + 3) return url;
    std::string list;
    for (const char* s : schemes) list += (list.empty() ? "" : " or ") + std::string(s) + "://";
    throw ConfigError(r.path("url") + ": expected " + list + "...");
}

double timeout_of(const JsonReader& r, double fallback) {
    if (!r.has("timeout_seconds")) return fallback;
    const json& v = r.raw("timeout_seconds");
    if (!v.is_number()) throw ConfigError(r.path("timeout_seconds") + ": expected a number of seconds");
    const double t = v.get<double>();
    if (!(t >= 0.05 && t <= 300)) throw ConfigError(r.path("timeout_seconds") + ": 0.05-300");
    return t;
}

// A secret written in the TOML itself is refused by name, with where it must go.
void refuse_inline_secrets(const json& j, const std::string& where) {
    for (const char* k : {"secret", "password", "token", "api_key"})
        if (j.contains(k))
            throw ConfigError(where + "." + k + ": secrets go in a file (" +
                              (std::string(k) == "password" ? "password_file" : "secret_file") +
                              ", mode 0600), never in the TOML");
}

HttpSender read_http(const json& j, const std::string& where) {
    JsonReader r(j, where, {"kind", "name", "url", "method", "headers", "body", "escape", "secret_file", "timeout_seconds"});
    HttpSender s;
    s.url = require_url(r, {"http", "https"});
    s.name = r.get<std::string>("name", host_of(s.url));
    s.method = r.get<std::string>("method", "POST");
    if (s.method != "POST" && s.method != "PUT" && s.method != "GET")
        throw ConfigError(r.path("method") + ": POST, PUT or GET");
    if (r.has("headers")) {
        const json& h = r.raw("headers");
        if (!h.is_object()) throw ConfigError(r.path("headers") + ": expected a table of name = \"value\"");
        for (const auto& [name, value] : h.items()) {
            if (!value.is_string()) throw ConfigError(r.path("headers") + "." + name + ": expected a string");
            s.headers.emplace_back(name, value.get<std::string>());
        }
    }
    s.body = r.get<std::string>("body", "");
    const std::string escape = r.get<std::string>("escape", "");
    bool form = false;
    for (const auto& [name, value] : s.headers)
        if ((name == "Content-Type" || name == "content-type") && value.find("x-www-form-urlencoded") != std::string::npos)
            form = true;
    if (escape == "json" || (escape.empty() && !form)) s.escape = Escape::json;
    else if (escape == "form" || (escape.empty() && form)) s.escape = Escape::form;
    else if (escape == "none") s.escape = Escape::none;
    else throw ConfigError(r.path("escape") + ": json, form or none");
    if (r.has("secret_file")) s.secret = read_secret_file(r.get<std::string>("secret_file"), r.path("secret_file"));
    s.timeout_s = timeout_of(r, 10);
    return s;
}

SmtpSender read_smtp(const json& j, const std::string& where) {
    JsonReader r(j, where, {"kind", "name", "url", "from", "from_name", "username", "password_file", "starttls", "timeout_seconds"});
    SmtpSender s;
    s.url = require_url(r, {"smtp", "smtps"});
    s.name = r.get<std::string>("name", host_of(s.url));
    s.from = r.get<std::string>("from");
    if (s.from.find('@') == std::string::npos || s.from.find_first_of("<>\r\n ") != std::string::npos)
        throw ConfigError(r.path("from") + ": a plain address (the shown name goes in from_name)");
    s.from_name = r.get<std::string>("from_name", "");
    if (s.from_name.find_first_of("\r\n") != std::string::npos) throw ConfigError(r.path("from_name") + ": one line");
    s.username = r.get<std::string>("username", "");
    if (r.has("password_file")) s.password = read_secret_file(r.get<std::string>("password_file"), r.path("password_file"));
    if (!s.username.empty() && s.password.empty()) throw ConfigError(r.path("password_file") + ": needed with a username");
    s.starttls = r.get<bool>("starttls", true);
    s.timeout_s = timeout_of(r, 20);
    return s;
}

WebhookSender read_webhook(const json& j, const std::string& where) {
    JsonReader r(j, where, {"kind", "name", "url", "secret_file", "timeout_seconds"});
    WebhookSender s;
    s.url = require_url(r, {"http", "https"});
    s.name = r.get<std::string>("name", s.url);
    if (!r.has("secret_file")) throw ConfigError(r.path("secret_file") + ": missing (the key the receiver checks signatures with)");
    s.secret = read_secret_file(r.get<std::string>("secret_file"), r.path("secret_file"));
    s.timeout_s = timeout_of(r, 10);
    return s;
}

FileSender read_file(const json& j, const std::string& where) {
    JsonReader r(j, where, {"kind", "name", "path"});
    FileSender s;
    s.path = r.get<std::string>("path");
    if (s.path.empty()) throw ConfigError(r.path("path") + ": empty");
    s.name = r.get<std::string>("name", "file:" + s.path.filename().string());
    return s;
}

}  // namespace

std::string read_secret_file(const std::filesystem::path& file, const std::string& key) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) throw ConfigError(key + ": " + file.string() + ": no such file");
    if (!S_ISREG(st.st_mode)) throw ConfigError(key + ": " + file.string() + ": not a file");
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        throw ConfigError(key + ": " + file.string() + ": readable by group or others (chmod 600 " + file.string() + ")");
    try {
        return common::first_line_of(file);
    } catch (const std::exception& e) {
        throw ConfigError(key + ": " + e.what());
    }
}

Senders parse_senders(const json& phone_table) {
    Senders out;
    if (!phone_table.is_object() || !phone_table.contains("sender")) return out;
    const json& list = phone_table.at("sender");
    if (!list.is_array()) throw ConfigError("phone.sender: expected [[phone.sender]] tables");
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string where = "phone.sender[" + std::to_string(i) + "]";
        const json& j = list[i];
        if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string())
            throw ConfigError(where + ".kind: missing (http, smtp, webhook or file)");
        refuse_inline_secrets(j, where);
        const std::string kind = j["kind"].get<std::string>();
        try {
            if (kind == "http") out.phone.push_back(read_http(j, where));
            else if (kind == "smtp") out.email.push_back(read_smtp(j, where));
            else if (kind == "webhook") out.webhooks.push_back(read_webhook(j, where));
            else if (kind == "file") {
                const FileSender f = read_file(j, where);
                out.phone.push_back(f);
                out.email.push_back(f);
            } else throw ConfigError(where + ".kind: http, smtp, webhook or file, not '" + kind + "'");
        } catch (const common::FieldError& e) {
            throw ConfigError(e.what());
        }
    }
    for (size_t a = 0; a < out.webhooks.size(); ++a)
        for (size_t b = a + 1; b < out.webhooks.size(); ++b)
            if (out.webhooks[a].name == out.webhooks[b].name)
                throw ConfigError("phone.sender: two webhooks named '" + out.webhooks[a].name + "' (give each a name)");
    return out;
}

const std::string& sender_name(const MessageSender& s) {
    return std::visit([](const auto& x) -> const std::string& { return x.name; }, s);
}

}  // namespace notify
