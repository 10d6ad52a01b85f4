// notify_contact_test: the notifier's pure parts — phone numbers and e-mail
// addresses checked and masked (the contract's rules), templates filled with
// escaped values, the e-mail subject's encoded words, the people-ahead count
// from a real engine, and the [[phone.sender]] config with its secret files.
#include <catch2/catch.hpp>
#include <sodium.h>

#include "common/toml_file.hpp"
#include "notify/contact.hpp"
#include "notify/decide.hpp"
#include "notify/senders_config.hpp"
#include "notify/transport.hpp"
#include "notify_support.hpp"

using notify::normalise_phone;

TEST_CASE("normalise_phone takes Vietnamese mobiles as people type them") {
    CHECK(normalise_phone("0912345678") == "0912345678");
    CHECK(normalise_phone("0912 345 678") == "0912345678");
    CHECK(normalise_phone("091.234.5678") == "0912345678");
    CHECK(normalise_phone("091-234-5678") == "0912345678");
    CHECK(normalise_phone("+84912345678") == "0912345678");
    CHECK(normalise_phone("+84 912 345 678") == "0912345678");
    CHECK(normalise_phone("84912345678") == "0912345678");
    CHECK(normalise_phone("0351234567") == "0351234567");
    CHECK(normalise_phone("0861234567") == "0861234567");
}

TEST_CASE("normalise_phone refuses malformed huge and odd numbers") {
    for (const char* bad : {"", "0", "091234567", "09123456789", "1912345678", "0212345678", "0012345678", "+0912345678",
                            "+8491234567", "+849123456789", "8412345678", "++84912345678", "84+912345678", "0912345678a",
                            "O912345678", "(091) 2345678", "0912\n345678", "0912\t345678", "091234567８", "０912345678",
                            "0912345678;DROP", "+1 415 555 0100", "0912_345_678"})
        CHECK_FALSE(normalise_phone(bad).has_value());
    CHECK_FALSE(normalise_phone(std::string(33, ' ') + "0912345678").has_value());  // long, whatever it holds
    CHECK_FALSE(normalise_phone(std::string(10'000, '9')).has_value());
    CHECK_FALSE(normalise_phone(std::string("0912\0345678", 11)).has_value());
}

TEST_CASE("masks show the first 2 and last 3 digits and the first letter of an address") {
    CHECK(notify::mask_phone("0912345678") == "09*****678");
    CHECK(notify::mask_email("an.nguyen@example.vn") == "a***@example.vn");
    CHECK(notify::mask_contact("0912345678") == "09*****678");
    CHECK(notify::mask_contact("b@x.vn") == "b***@x.vn");
}

TEST_CASE("normalise_email takes plain addresses and refuses header tricks") {
    CHECK(notify::normalise_email(" An.Nguyen@Example.VN ") == "An.Nguyen@example.vn");
    CHECK(notify::normalise_email("a+tag@mail.example.vn") == "a+tag@mail.example.vn");
    for (const char* bad : {"", "a", "a@", "@b.vn", "a@b", "a@@b.vn", "a b@c.vn", "a@b.vn\r\nBcc: x@y.vn", "a@b..vn",
                            ".a@b.vn", "a.@b.vn", "a@-b.vn", "a@b-.vn", "a@b.vn>", "<a@b.vn>", "a@b_c.vn", "á@b.vn"})
        CHECK_FALSE(notify::normalise_email(bad).has_value());
    CHECK_FALSE(notify::normalise_email(std::string(65, 'a') + "@b.vn").has_value());
}

TEST_CASE("templates get their values escaped for JSON or forms") {
    const std::map<std::string, std::string> v = {{"text", "Mời số \"A1\"\nđến"}, {"phone", "0912345678"}};
    CHECK(notify::fill_template(R"({"to":"{phone}","text":"{text}","x":"{unknown}"})", v, notify::Escape::json) ==
          R"({"to":"0912345678","text":"Mời số \"A1\"\nđến","x":"{unknown}"})");
    CHECK(notify::fill_template("to={phone}&text={text}", v, notify::Escape::form) ==
          "to=0912345678&text=M%E1%BB%9Di%20s%E1%BB%91%20%22A1%22%0A%C4%91%E1%BA%BFn");
    CHECK(notify::fill_template("{text}", v, notify::Escape::none) == "Mời số \"A1\"\nđến");
}

TEST_CASE("encoded words split a long Vietnamese subject on whole characters") {
    REQUIRE(sodium_init() >= 0);
    const std::string subject = "Sắp đến lượt số A105 — mời quý khách quay lại Trung tâm Phục vụ hành chính công";
    const std::string words = notify::encoded_words(subject);
    std::string decoded;
    size_t at = 0;
    while ((at = words.find("=?UTF-8?B?", at)) != std::string::npos) {
        const size_t end = words.find("?=", at + 10);
        const std::string b64 = words.substr(at + 10, end - at - 10);
        CHECK(end + 2 - at <= 75);
        std::string bin(b64.size(), '\0');
        size_t len = 0;
        REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), b64.c_str(), b64.size(), nullptr,
                                  &len, nullptr, sodium_base64_VARIANT_ORIGINAL) == 0);
        decoded += bin.substr(0, len);
        at = end;
    }
    CHECK(decoded == subject);
    CHECK(words.find("\r\n ") != std::string::npos);
}

TEST_CASE("people ahead come from the engine's queues priority first") {
    testing::Hall hall;
    const int64_t a1 = hall.issue("A"), a2 = hall.issue("A"), a3 = hall.issue("A");
    const int64_t p1 = hall.issue("A", "elderly");
    const auto& state = hall.engine.state();
    CHECK(notify::people_ahead(state, a1) == 1);  // the priority ticket goes first
    CHECK(notify::people_ahead(state, a3) == 3);
    CHECK(notify::people_ahead(state, p1) == 0);
    hall.call(1);  // takes the priority ticket
    CHECK(notify::people_ahead(state, a2) == 1);
    CHECK_FALSE(notify::people_ahead(state, p1).has_value());
    CHECK(notify::ahead_text("A105", 3, "UBND phường") ==
          "Sắp đến lượt số A105 — còn 3 người phía trước. Mời quý khách quay lại UBND phường.");
    CHECK(notify::called_text("A105", notify::counter_name(state, 3)) == "Mời số A105 đến Quầy 3.");
}

TEST_CASE("senders come from the TOML phone table with their secrets in private files") {
    testing::TempDir dir;
    const std::string secret = testing::write_secret(dir / "gw.secret", "s3cr3t");
    const std::string toml = R"(
[phone]
alert_ahead = 3
[[phone.sender]]
kind = "http"
url = "https://sms.example.vn/send"
headers = { Authorization = "Bearer {secret}", Content-Type = "application/json" }
body = '{"to":"{phone}","text":"{text}"}'
secret_file = ")" + secret + R"("
timeout_seconds = 2.5
[[phone.sender]]
kind = "smtp"
url = "smtp://127.0.0.1:2525"
from = "hcc@example.vn"
from_name = "Trung tâm Hành chính công"
starttls = false
[[phone.sender]]
kind = "webhook"
url = "https://other.example.vn/hook"
secret_file = ")" + secret + R"("
[[phone.sender]]
kind = "file"
path = "/tmp/messages.jsonl"
)";
    const auto doc = common::parse_toml(toml, "center.toml");
    const notify::Senders s = notify::parse_senders(doc.value["phone"]);
    REQUIRE(s.phone.size() == 2);  // http, then the file
    REQUIRE(s.email.size() == 2);  // smtp, then the file
    REQUIRE(s.webhooks.size() == 1);
    const auto& http = std::get<notify::HttpSender>(s.phone[0]);
    CHECK(http.secret == "s3cr3t");
    CHECK(http.timeout_s == 2.5);
    CHECK(http.escape == notify::Escape::json);
    CHECK(std::get<notify::SmtpSender>(s.email[0]).starttls == false);
    CHECK(s.webhooks[0].secret == "s3cr3t");
}

TEST_CASE("a sender config is refused with the key at fault") {
    testing::TempDir dir;
    const std::string open_secret = testing::write_secret(dir / "open.secret", "x", 0644);
    const std::string empty = testing::write_secret(dir / "empty.secret", "", 0600);
    auto refused = [](const nlohmann::json& sender) {
        try {
            notify::parse_senders({{"sender", {sender}}});
        } catch (const notify::ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refused({{"kind", "http"}, {"url", "https://x.vn"}, {"secret", "inline"}}) ==
          "phone.sender[0].secret: secrets go in a file (secret_file, mode 0600), never in the TOML");
    CHECK(refused({{"kind", "smtp"}, {"url", "smtp://x"}, {"from", "a@b.vn"}, {"password", "p"}}).find("password_file") !=
          std::string::npos);
    CHECK(refused({{"kind", "http"}, {"url", "https://x.vn"}, {"secret_file", open_secret}}) ==
          "phone.sender[0].secret_file: " + open_secret + ": readable by group or others (chmod 600 " + open_secret + ")");
    CHECK(refused({{"kind", "http"}, {"url", "https://x.vn"}, {"secret_file", empty}}).find("is empty") != std::string::npos);
    CHECK(refused({{"kind", "http"}, {"url", "https://x.vn"}, {"secret_file", (dir / "none").string()}}).find("no such file") !=
          std::string::npos);
    CHECK(refused({{"kind", "http"}, {"url", "ftp://x.vn"}}) == "phone.sender[0].url: expected http:// or https://...");
    CHECK(refused({{"kind", "http"}, {"url", "https://x.vn"}, {"colour", "red"}}) == "phone.sender[0]: unknown key 'colour'");
    CHECK(refused({{"kind", "pigeon"}}).find("http, smtp, webhook or file") != std::string::npos);
    CHECK(refused({{"kind", "webhook"}, {"url", "https://x.vn"}}).find("secret_file: missing") != std::string::npos);
    CHECK(refused({{"kind", "http"}, {"url", "https://x.vn"}, {"timeout_seconds", 0}}) == "phone.sender[0].timeout_seconds: 0.05-300");
}
