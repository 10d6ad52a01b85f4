// transport: one message (or one webhook event) handed to a gateway, an SMTP
// server or a file, through libcurl's easy interface on the calling thread.
//
// Every call has a time limit (the sender's timeout_seconds), so a gateway that
// hangs costs one timeout, then a retry. The answer is classed for the outbox:
// sent (2xx, SMTP 250), retry (timeouts, refused connections, 5xx, 408, 429,
// SMTP 4xx) or refused (any other 4xx, SMTP 5xx: asking again cannot help).
// Error texts never carry the recipient: only the sender's name and a reason.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "notify/decide.hpp"
#include "notify/senders_config.hpp"

namespace notify {

struct Delivery {
    enum Outcome { sent, retry, refused } outcome = retry;
    int status = 0;     // HTTP status or SMTP reply code, 0 when none came
    std::string error;  // empty when sent
};

// Values put in place of {name} in a template; unknown names are left as written.
std::string fill_template(const std::string& text, const std::map<std::string, std::string>& values, Escape escape);
std::string json_escape(const std::string& s);  // the inside of a JSON string
std::string url_encode(const std::string& s);

Delivery send_http(const HttpSender& s, const Message& m);
Delivery send_smtp(const SmtpSender& s, const Message& m, int64_t now_ms);
Delivery append_to_file(const FileSender& s, const Message& m, int64_t now_ms);
Delivery send(const MessageSender& s, const Message& m, int64_t now_ms);

// The RFC 5322 e-mail (CRLF lines, UTF-8 subject as encoded words, base64 body).
std::string email_text(const SmtpSender& s, const Message& m, int64_t now_ms);
// "=?UTF-8?B?...?=" words of at most 75 characters, folded with CRLF SP.
std::string encoded_words(const std::string& utf8);

// Hex HMAC-SHA256 of timestamp + "." + body with the webhook's secret.
std::string webhook_signature(const std::string& secret, const std::string& timestamp, const std::string& body);
// POSTs one signed event: X-Timestamp (Unix seconds), X-Signature, Idempotency-Key.
Delivery post_webhook(const WebhookSender& s, const std::string& body, int64_t now_ms, const std::string& key);

}  // namespace notify
