// senders_config: the message senders of a center, read from its [phone] table
// ([[phone.sender]] entries), with their secrets read from files.
//
//   kind = "http"     an SMS brandname or Zalo ZNS gateway: one request per message
//   kind = "smtp"     e-mail through an SMTP server
//   kind = "webhook"  every queue event, signed, to another system
//   kind = "file"     each message appended as a JSON line, its contact masked (the demo's gateway)
//
// Secrets only from files that no one but the owner may read (0600): a TOML
// file is copied, mailed and checked in; a secret in it is a secret no more.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace notify {

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// How values are written into a body template: JSON string escapes (the
// template holds the quotes), form/URL encoding, or as they are.
enum class Escape { json, form, none };

struct HttpSender {
    std::string name;     // for status and logs (default: the URL's host)
    std::string url;      // may hold placeholders too (URL-encoded)
    std::string method = "POST";
    std::vector<std::pair<std::string, std::string>> headers;  // values may hold {secret}
    std::string body;     // template: {phone} {text} {number} {counter} {ahead} {kind} {id} {secret}
    Escape escape = Escape::json;
    std::string secret;   // from secret_file
    double timeout_s = 10;
};

struct SmtpSender {
    std::string name;
    std::string url;       // smtp://host:port or smtps://host:port
    std::string from;      // the address
    std::string from_name; // shown name (UTF-8), optional
    std::string username;
    std::string password;  // from password_file
    bool starttls = true;
    double timeout_s = 20;
};

struct FileSender {
    std::string name;
    std::filesystem::path path;
};

struct WebhookSender {
    std::string name;     // its cursor's key in messages.db (default: the URL)
    std::string url;
    std::string secret;   // HMAC-SHA256 key, from secret_file
    double timeout_s = 10;
};

using MessageSender = std::variant<HttpSender, SmtpSender, FileSender>;

struct Senders {
    std::vector<MessageSender> phone;  // http and file, in config order: the first that takes a message wins
    std::vector<MessageSender> email;  // smtp and file, in config order
    std::vector<WebhookSender> webhooks;
    bool empty() const { return phone.empty() && email.empty() && webhooks.empty(); }
};

// Reads phone_table["sender"] (the other keys of [phone] belong to the server's
// config reader). Throws ConfigError "phone.sender[1].url: reason".
Senders parse_senders(const nlohmann::json& phone_table);

// The first line of a secret file; throws ConfigError "KEY: FILE: ..." when it
// cannot be read, is empty, or is readable by its group or others.
std::string read_secret_file(const std::filesystem::path& file, const std::string& key);

const std::string& sender_name(const MessageSender& s);

}  // namespace notify
