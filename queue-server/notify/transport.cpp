// transport: libcurl requests for gateways, SMTP and webhooks (see transport.hpp).
#include "notify/transport.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "notify/contact.hpp"

namespace notify {
namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
    });
}

struct Easy {
    CURL* h;
    curl_slist* list = nullptr;
    Easy() : h((global_init(), curl_easy_init())) {
        if (!h) throw std::runtime_error("curl_easy_init failed");
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for timeouts
    }
    ~Easy() {
        curl_slist_free_all(list);
        curl_easy_cleanup(h);
    }
    void add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

long timeout_ms(double s) { return static_cast<long>(s * 1000); }

Delivery classify_http(CURLcode code, long status, const std::string& who) {
    Delivery d;
    d.status = static_cast<int>(status);
    if (code != CURLE_OK) {
        d.outcome = Delivery::retry;
        d.error = who + ": " + curl_easy_strerror(code);
    } else if (status >= 200 && status < 300) {
        d.outcome = Delivery::sent;
    } else {
        d.outcome = status >= 500 || status == 408 || status == 429 ? Delivery::retry : Delivery::refused;
        d.error = who + ": HTTP " + std::to_string(status);
    }
    return d;
}

Delivery perform_http(const std::string& who, const std::string& url, const std::string& method,
                      const std::vector<std::string>& headers, const std::string& body, double timeout_s) {
    Easy e;
    curl_easy_setopt(e.h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e.h, CURLOPT_TIMEOUT_MS, timeout_ms(timeout_s));
    curl_easy_setopt(e.h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms(timeout_s));
    curl_easy_setopt(e.h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(e.h, CURLOPT_PROTOCOLS_STR, "http,https");
    for (const auto& h : headers) e.add(h);
    e.add("Expect:");  // no 100-continue round trip
    curl_easy_setopt(e.h, CURLOPT_HTTPHEADER, e.list);
    if (method == "GET") {
        curl_easy_setopt(e.h, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(e.h, CURLOPT_CUSTOMREQUEST, method.c_str());
        curl_easy_setopt(e.h, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(e.h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    const CURLcode code = curl_easy_perform(e.h);
    long status = 0;
    curl_easy_getinfo(e.h, CURLINFO_RESPONSE_CODE, &status);
    return classify_http(code, status, who);
}

std::map<std::string, std::string> values_of(const Message& m) {
    return {{"phone", m.phone}, {"email", m.email}, {"text", m.text}, {"number", m.number}, {"counter", m.counter},
            {"ahead", std::to_string(m.ahead)}, {"kind", m.kind}, {"id", m.id}};
}

std::string base64(const std::string& bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::string rfc5322_date(int64_t now_ms) {
    const std::time_t t = static_cast<std::time_t>(now_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                  tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

struct Reader {
    const std::string& text;
    size_t at = 0;
};
size_t read_message(char* out, size_t size, size_t n, void* p) {
    auto* r = static_cast<Reader*>(p);
    const size_t k = std::min(size * n, r->text.size() - r->at);
    std::memcpy(out, r->text.data() + r->at, k);
    r->at += k;
    return k;
}

}  // namespace

std::string json_escape(const std::string& s) {
    const std::string quoted = nlohmann::json(s).dump();  // UTF-8 kept as is, controls and quotes escaped
    return quoted.substr(1, quoted.size() - 2);
}

std::string url_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else out += {'%', hex[c >> 4], hex[c & 15]};
    }
    return out;
}

std::string fill_template(const std::string& text, const std::map<std::string, std::string>& values, Escape escape) {
    std::string out;
    for (size_t i = 0; i < text.size();) {
        const size_t close = text[i] == '{' ? text.find('}', i) : std::string::npos;
        auto it = close == std::string::npos ? values.end() : values.find(text.substr(i + 1, close - i - 1));
        if (it == values.end()) {
            out += text[i++];
            continue;
        }
        out += escape == Escape::json ? json_escape(it->second) : escape == Escape::form ? url_encode(it->second) : it->second;
        i = close + 1;
    }
    return out;
}

Delivery send_http(const HttpSender& s, const Message& m) {
    auto values = values_of(m);
    const std::string url = fill_template(s.url, values, Escape::form);
    std::vector<std::string> headers;
    values["secret"] = s.secret;
    for (const auto& [name, value] : s.headers) headers.push_back(name + ": " + fill_template(value, values, Escape::none));
    headers.push_back("Idempotency-Key: " + m.id);
    const std::string body = fill_template(s.body, values, s.escape);
    return perform_http(s.name, url, s.method, headers, body, s.timeout_s);
}

std::string encoded_words(const std::string& utf8) {
    std::string out;
    for (size_t at = 0; at < utf8.size();) {
        size_t end = std::min(utf8.size(), at + 45);  // 45 bytes -> 60 base64 chars: a word of 72
        while (end < utf8.size() && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) --end;  // whole characters
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(utf8.substr(at, end - at)) + "?=";
        at = end;
    }
    return out;
}

std::string email_text(const SmtpSender& s, const Message& m, int64_t now_ms) {
    const std::string domain = s.from.substr(s.from.find('@') + 1);
    std::string t;
    t += "Date: " + rfc5322_date(now_ms) + "\r\n";
    t += "From: " + (s.from_name.empty() ? "" : encoded_words(s.from_name) + " ") + "<" + s.from + ">\r\n";
    t += "To: <" + m.email + ">\r\n";
    t += "Subject: " + encoded_words(m.subject) + "\r\n";
    t += "Message-ID: <" + m.id + "@" + domain + ">\r\n";  // a receiver that saw this id drops a repeat
    t += "MIME-Version: 1.0\r\n";
    t += "Content-Type: text/plain; charset=UTF-8\r\n";
    t += "Content-Transfer-Encoding: base64\r\n\r\n";
    const std::string body = base64(m.text + "\r\n\r\n" + m.text_en + "\r\n");
    for (size_t at = 0; at < body.size(); at += 76) t += body.substr(at, 76) + "\r\n";
    return t;
}

Delivery send_smtp(const SmtpSender& s, const Message& m, int64_t now_ms) {
    const std::string text = email_text(s, m, now_ms);
    Reader reader{text};
    Easy e;
    curl_easy_setopt(e.h, CURLOPT_URL, s.url.c_str());
    curl_easy_setopt(e.h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(e.h, CURLOPT_TIMEOUT_MS, timeout_ms(s.timeout_s));
    curl_easy_setopt(e.h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms(s.timeout_s));
    if (s.starttls) curl_easy_setopt(e.h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!s.username.empty()) {
        curl_easy_setopt(e.h, CURLOPT_USERNAME, s.username.c_str());
        curl_easy_setopt(e.h, CURLOPT_PASSWORD, s.password.c_str());
    }
    const std::string from = "<" + s.from + ">";
    curl_easy_setopt(e.h, CURLOPT_MAIL_FROM, from.c_str());
    e.add("<" + m.email + ">");
    curl_easy_setopt(e.h, CURLOPT_MAIL_RCPT, e.list);
    curl_easy_setopt(e.h, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(e.h, CURLOPT_READDATA, &reader);
    curl_easy_setopt(e.h, CURLOPT_UPLOAD, 1L);
    const CURLcode code = curl_easy_perform(e.h);
    long reply = 0;
    curl_easy_getinfo(e.h, CURLINFO_RESPONSE_CODE, &reply);
    Delivery d;
    d.status = static_cast<int>(reply);
    if (code == CURLE_OK) {
        d.outcome = Delivery::sent;
        return d;
    }
    // 5xx: the server refuses this message for good (an unknown mailbox); the rest may pass later.
    d.outcome = reply >= 500 && reply < 600 ? Delivery::refused : Delivery::retry;
    d.error = s.name + ": " + curl_easy_strerror(code) + (reply ? " (SMTP " + std::to_string(reply) + ")" : "");
    return d;
}

Delivery append_to_file(const FileSender& s, const Message& m, int64_t now_ms) {
    nlohmann::json line = {{"id", m.id}, {"kind", m.kind}, {"number", m.number}, {"counter", m.counter},
                           {"ahead", m.ahead}, {"text", m.text}, {"at", now_ms}};
    // A file is read by people and kept past the day: the contact masked, as in the logs.
    if (!m.phone.empty()) line["phone"] = mask_phone(m.phone);
    else line["email"] = mask_email(m.email);
    const std::string text = line.dump() + "\n";
    const int fd = ::open(s.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    Delivery d;
    if (fd < 0) {
        d.error = s.name + ": cannot open " + s.path.string() + ": " + std::strerror(errno);
        return d;
    }
    const bool whole = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (whole) d.outcome = Delivery::sent;
    else d.error = s.name + ": cannot write " + s.path.string();
    return d;
}

Delivery send(const MessageSender& s, const Message& m, int64_t now_ms) {
    if (const auto* h = std::get_if<HttpSender>(&s)) return send_http(*h, m);
    if (const auto* smtp = std::get_if<SmtpSender>(&s)) return send_smtp(*smtp, m, now_ms);
    return append_to_file(std::get<FileSender>(s), m, now_ms);
}

std::string webhook_signature(const std::string& secret, const std::string& timestamp, const std::string& body) {
    global_init();
    // The key is the secret's bytes, of any length (HMAC hashes a long one first).
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    const std::string signed_text = timestamp + "." + body;
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[2 * sizeof mac + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return hex;
}

Delivery post_webhook(const WebhookSender& s, const std::string& body, int64_t now_ms, const std::string& key) {
    const std::string timestamp = std::to_string(now_ms / 1000);
    return perform_http(s.name, s.url, "POST",
                        {"Content-Type: application/json", "X-Timestamp: " + timestamp,
                         "X-Signature: " + webhook_signature(s.secret, timestamp, body), "Idempotency-Key: " + key},
                        body, s.timeout_s);
}

}  // namespace notify
