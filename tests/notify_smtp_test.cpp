// notify_smtp_test: e-mail messages through a real SMTP server (aiosmtpd, in
// tests/smtp_server.hpp). Python's own e-mail parser reads what arrived, so the
// RFC 5322 shape, the UTF-8 subject's encoded words and the base64 body are
// checked by a reader that is not ours.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "notify_support.hpp"
#include "process.hpp"
#include "smtp_server.hpp"

using testing::Hall;
using json = nlohmann::json;

namespace {

// {"subject", "from", "to", "message_id", "content_type", "body"} as Python's email package reads the file.
json read_email(const std::filesystem::path& file) {
    const std::string script =
        "import email, email.policy, json, sys\n"
        "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n"
        "print(json.dumps({'subject': str(m['subject']), 'from': str(m['from']), 'to': str(m['to']),\n"
        "  'message_id': str(m['message-id']), 'date': str(m['date']), 'content_type': m.get_content_type(),\n"
        "  'charset': m.get_content_charset(), 'body': m.get_content(), 'defects': len(m.defects)}))\n";
    const auto [code, out] = testing::run_command("/usr/bin/python3 -c \"$(cat <<'PY'\n" + script + "PY\n)\" " + file.string());
    REQUIRE(code == 0);
    return json::parse(out);
}

// A text body's lines end in CRLF inside its base64 (RFC 2045's canonical form); compare them as LF.
std::string lf(const json& text) {
    std::string s = text.get<std::string>(), out;
    for (size_t i = 0; i < s.size(); ++i)
        if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
    return out;
}

}  // namespace

TEST_CASE("e-mail arrives at aiosmtpd with a correct UTF-8 subject and body") {
    testing::CapturedLog log;
    Hall hall;
    testing::SmtpServer smtp(hall.dir / "maildir");
    auto n = hall.notifier({{"sender",
                             {{{"kind", "smtp"},
                               {"url", smtp.url()},
                               {"from", "hcc@example.vn"},
                               {"from_name", "Trung tâm Hành chính công"},
                               {"starttls", false},
                               {"timeout_seconds", 10}}}}});
    CHECK(n->can_send(true));
    CHECK_FALSE(n->can_send(false));
    const int64_t a = hall.issue("A");
    const int64_t b = hall.issue("A");
    n->subscribe(hall.subscription(b, "", 1, "an.nguyen@example.vn"));
    CHECK(n->masked_contact(b) == "a***@example.vn");
    hall.issue("A");  // a batch: B has 1 ahead
    auto files = smtp.wait_for_messages(1);
    json m = read_email(files[0]);
    CHECK(m["subject"] == "Sắp đến lượt số A002");
    CHECK(m["to"] == "an.nguyen@example.vn");
    CHECK(m["from"] == "Trung tâm Hành chính công <hcc@example.vn>");
    CHECK(m["message_id"] == "<" + std::to_string(hall.today.load()) + "-" + std::to_string(b) + "-ahead@example.vn>");
    CHECK(m["content_type"] == "text/plain");
    CHECK(m["charset"] == "utf-8");
    CHECK(m["defects"] == 0);
    CHECK(m["date"].get<std::string>().ends_with("+0000"));
    const std::string body = lf(m["body"]);
    CHECK(body.starts_with("Sắp đến lượt số A002 — còn 1 người phía trước. Mời quý khách quay lại " + testing::small_center().name +
                           ".\n\nYour turn is near, number A002: 1 person ahead."));

    hall.call(1);  // A001
    hall.next(1);  // A002 at Quầy 1
    files = smtp.wait_for_messages(2);
    m = read_email(files[1]);
    CHECK(m["subject"] == "Mời số A002 đến Quầy 1.");
    CHECK(lf(m["body"]).starts_with("Mời số A002 đến Quầy 1.\n\nNumber A002, please go to Quầy 1."));
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    CHECK(smtp.messages().size() == 2);
    CHECK(n->status()["sent"] == 2);
    for (const auto& line : log.sink->lines()) CHECK(line.find("an.nguyen@") == std::string::npos);
    (void)a;
}

TEST_CASE("e-mail waits while the SMTP server is down and goes when it is up") {
    Hall hall;
    const uint16_t port = testing::free_loopback_port();  // nothing listens there yet
    auto n = hall.notifier({{"sender",
                             {{{"kind", "smtp"},
                               {"url", "smtp://127.0.0.1:" + std::to_string(port)},
                               {"from", "hcc@example.vn"},
                               {"starttls", false}}}}});
    const int64_t a = hall.issue("A");
    n->subscribe(hall.subscription(a, "", 0, "binh@example.vn"));
    hall.call(1);
    // A few refused connections, counted (the wait wakes at each change of the status),
    // then the server comes up on that port.
    INFO("waiting up to 30 s for 2 failed attempts to be counted");
    REQUIRE(n->wait_status([](const json& s) { return s["failed_attempts"].get<int>() >= 2; }, std::chrono::seconds(30)));
    const json s = n->status();
    CHECK(s["queued"] == 1);
    CHECK(s["sent"] == 0);
    CHECK(s["last_error"].get<std::string>().find("connect") != std::string::npos);
    testing::SmtpServer smtp(hall.dir / "maildir", port);
    const auto files = smtp.wait_for_messages(1);
    CHECK(read_email(files[0])["subject"] == "Mời số A001 đến Quầy 1.");
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    CHECK(smtp.messages().size() == 1);
    CHECK(n->status()["sent"] == 1);
    CHECK(n->status()["queued"] == 0);
}
