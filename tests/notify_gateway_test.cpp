// notify_gateway_test: phone messages through a real HTTP gateway on loopback
// (tests/http_receiver.hpp), the hall driven by a real engine and store.
// N-ahead and called texts, masked logs, a gateway answering 500 then 200, one
// that refuses, one that hangs, a restart over the same files, and the day's
// phone numbers gone from messages.db when the day closes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http_receiver.hpp"
#include "notify/contact.hpp"
#include "notify_support.hpp"

using testing::Hall;
using testing::HttpReceiver;
using json = nlohmann::json;

namespace {

const std::string kPhone = "0912345678";
const std::string kCenter = testing::small_center().name;

json gateway(const HttpReceiver& r, const std::string& secret_file, double timeout_s = 5) {
    return {{"kind", "http"},
            {"name", "sms-gw"},
            {"url", r.url("/sms")},
            {"headers", {{"Content-Type", "application/json"}, {"Authorization", "Bearer {secret}"}}},
            {"body", R"({"to":"{phone}","text":"{text}","number":"{number}","counter":"{counter}","ref":"{id}"})"},
            {"secret_file", secret_file},
            {"timeout_seconds", timeout_s}};
}

json phone_table(std::vector<json> senders) { return {{"alert_ahead", 3}, {"sender", senders}}; }

json body_of(const HttpReceiver::Request& r) { return json::parse(r.body); }

std::string id_prefix(Hall& hall, int64_t ticket) { return std::to_string(hall.today.load()) + "-" + std::to_string(ticket) + "-"; }

}  // namespace

TEST_CASE("N-ahead and called messages reach the gateway in Vietnamese with masked logs") {
    testing::CapturedLog log;
    Hall hall;
    HttpReceiver gw;
    auto n = hall.notifier(phone_table({gateway(gw, testing::write_secret(hall.dir / "gw.secret", "s3cr3t"))}));
    std::vector<int64_t> t;
    for (int i = 0; i < 5; ++i) t.push_back(hall.issue("A"));
    CHECK(n->can_send(false));
    CHECK_FALSE(n->can_send(true));
    n->subscribe(hall.subscription(t[4], kPhone, 2));
    CHECK(n->masked_contact(t[4]) == "09*****678");

    hall.call(1);  // 3 ahead of A005: not yet
    hall.next(1);  // 2 ahead
    auto got = gw.wait_for_delivered(1);
    REQUIRE(got.size() == 1);
    json b = body_of(got[0]);
    CHECK(b["to"] == kPhone);
    CHECK(b["text"] == "Sắp đến lượt số A005 — còn 2 người phía trước. Mời quý khách quay lại " + kCenter + ".");
    CHECK(b["ref"] == id_prefix(hall, t[4]) + "ahead");
    CHECK(got[0].header("idempotency-key") == b["ref"]);
    CHECK(got[0].header("authorization") == "Bearer s3cr3t");
    CHECK(got[0].method == "POST");

    hall.next(1);
    hall.next(1);  // 0 ahead: the ahead message went once, no second one
    hall.next(1);  // A005 called at Quầy 1
    got = gw.wait_for_delivered(2);
    b = body_of(got[1]);
    CHECK(b["text"] == "Mời số A005 đến Quầy 1.");
    CHECK(b["counter"] == "Quầy 1");
    CHECK(b["number"] == "A005");

    hall.run(engine::TicketAction{engine::Action::recall, t[4], 1});
    got = gw.wait_for_delivered(3);
    CHECK(body_of(got[2])["text"] == "Mời số A005 đến Quầy 1.");
    CHECK(body_of(got[2])["ref"] != b["ref"]);  // a recall is a message of its own
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    CHECK(gw.seen().size() == 3);
    const json s = n->status();
    CHECK(s["sent"] == 3);
    CHECK(s["queued"] == 0);
    CHECK(s["alert"] == false);

    CHECK(log.sink->contains("09*****678"));
    for (const auto& line : log.sink->lines()) CHECK(line.find(kPhone) == std::string::npos);
}

TEST_CASE("a gateway answering 500 then 200 gets the message delivered once") {
    Hall hall;
    HttpReceiver gw;
    gw.script({500, 429});
    auto n = hall.notifier(phone_table({gateway(gw, testing::write_secret(hall.dir / "gw.secret", "k"))}));
    const int64_t a = hall.issue("A");
    n->subscribe(hall.subscription(a, kPhone, 0));
    hall.call(1);
    gw.wait_for_delivered(1);
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    const auto seen = gw.seen();
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].answered == 500);
    CHECK(seen[1].answered == 429);
    CHECK(seen[2].answered == 200);
    CHECK(seen[0].header("idempotency-key") == seen[2].header("idempotency-key"));
    CHECK(body_of(seen[2])["text"] == "Mời số A001 đến Quầy 1.");
    const json s = n->status();
    CHECK(s["sent"] == 1);
    CHECK(s["failed_attempts"] == 2);
    CHECK(s["last_error"] == "sms-gw: HTTP 429");
}

TEST_CASE("a gateway refusing with 400 is recorded and the next sender takes the message") {
    Hall hall;
    HttpReceiver gw;
    gw.set_default(400);
    const auto file = hall.dir / "messages.jsonl";
    auto n = hall.notifier(phone_table({gateway(gw, testing::write_secret(hall.dir / "gw.secret", "k")),
                                        {{"kind", "file"}, {"path", file.string()}}}));
    const int64_t a = hall.issue("A");
    n->subscribe(hall.subscription(a, kPhone, 0));
    hall.call(1);
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    CHECK(gw.seen().size() == 1);  // a 400 is not asked again
    const json line = json::parse(testing::read_bytes(file));
    CHECK(line["phone"] == "09*****678");  // the file is read by people: masked
    CHECK(line["text"] == "Mời số A001 đến Quầy 1.");
    CHECK(line["id"] == id_prefix(hall, a) + "called-" + std::to_string(hall.engine.state().seq));
    const json s = n->status();
    CHECK(s["sent"] == 1);
    CHECK(s["refused"] == 0);
    CHECK(s["last_error"] == "sms-gw: HTTP 400");
}

TEST_CASE("a gateway refusing with no other sender leaves the message refused, not retried") {
    Hall hall;
    HttpReceiver gw;
    gw.set_default(403);
    auto n = hall.notifier(phone_table({gateway(gw, testing::write_secret(hall.dir / "gw.secret", "k"))}));
    n->subscribe(hall.subscription(hall.issue("A"), kPhone, 0));
    hall.call(1);
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    CHECK(gw.seen().size() == 1);
    CHECK(n->status()["refused"] == 1);
    CHECK(n->status()["queued"] == 0);
}

TEST_CASE("a gateway that hangs times out and is retried while the queue goes on") {
    Hall hall;
    HttpReceiver gw;
    gw.script({HttpReceiver::kHold});
    auto n = hall.notifier(phone_table({gateway(gw, testing::write_secret(hall.dir / "gw.secret", "k"), 0.5)}));
    const int64_t a = hall.issue("A");
    n->subscribe(hall.subscription(a, kPhone, 0));
    hall.call(1);
    gw.wait_for_held();
    // The gateway holds the request: tickets, calls and their on_durable go on meanwhile.
    for (int i = 0; i < 40; ++i) hall.issue(i % 2 ? "A" : "B");
    for (int i = 0; i < 10; ++i) hall.next(2);
    CHECK(gw.holding() == 1);  // all the above ran while the send was still waiting
    CHECK(hall.engine.state().tickets.size() == 41);
    const auto got = gw.wait_for_delivered(1);
    CHECK(body_of(got[0])["text"] == "Mời số A001 đến Quầy 1.");
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    const json s = n->status();
    CHECK(s["failed_attempts"] == 1);
    CHECK(s["last_error"].get<std::string>().find("Timeout") != std::string::npos);
    CHECK(s["sent"] == 1);
}

TEST_CASE("a restart sends what was pending and nothing twice") {
    Hall hall;
    HttpReceiver gw;
    const json config = phone_table({gateway(gw, testing::write_secret(hall.dir / "gw.secret", "k"))});
    const int64_t a = hall.issue("A");
    hall.issue("A");
    auto n = hall.notifier(config);
    n->subscribe(hall.subscription(a, kPhone, 3));
    hall.issue("A");  // the next batch: A001 has 0 ahead, its ahead message goes
    gw.wait_for_delivered(1);

    gw.set_default(503);  // the gateway goes down
    hall.call(1);         // A001 called: its message waits
    gw.wait_until([](const auto& seen) { return seen.size() >= 3; }, std::chrono::seconds(30), "no retries");
    n.reset();  // the server stops (or restarts) with the message unsent
    hall.sink = nullptr;

    gw.set_default(200);
    n = hall.notifier(config);
    auto got = gw.wait_for_delivered(2);
    CHECK(body_of(got[1])["text"] == "Mời số A001 đến Quầy 1.");
    hall.run(engine::TicketAction{engine::Action::recall, a, 1});  // the contact of A001 came back from messages.db
    got = gw.wait_for_delivered(3);
    CHECK(body_of(got[2])["to"] == kPhone);
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));

    n.reset();
    hall.sink = nullptr;
    n = hall.notifier(config);  // a third start: everything was sent
    hall.issue("A");
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    std::map<std::string, int> times;
    for (const auto& r : gw.delivered()) ++times[r.header("idempotency-key")];
    CHECK(times.size() == gw.delivered().size());
    for (const auto& [id, count] : times) CHECK(count == 1);
    CHECK(times.count(id_prefix(hall, a) + "ahead") == 1);
    CHECK(n->status()["queued"] == 0);
}

TEST_CASE("the day's phone numbers are gone from messages.db after day close and on a later start") {
    Hall hall;
    HttpReceiver gw;
    const json config = phone_table({gateway(gw, testing::write_secret(hall.dir / "gw.secret", "k"))});
    auto n = hall.notifier(config);
    const int64_t a = hall.issue("A");
    n->subscribe(hall.subscription(a, "0987654321", 0));
    hall.call(1);
    gw.wait_for_delivered(1);
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    const auto db = n->file();
    auto file_text = [&] { return testing::read_bytes(db) + testing::read_bytes(db.string() + "-wal"); };
    REQUIRE(file_text().find("0987654321") != std::string::npos);  // kept for the day
    CHECK((std::filesystem::status(db).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    hall.next_day();
    const int64_t b = hall.issue("A");  // opens the next day
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    CHECK(file_text().find("0987654321") == std::string::npos);
    CHECK_FALSE(n->masked_contact(a).has_value());

    n->subscribe(hall.subscription(b, "0977000111", 0));
    hall.call(1);
    gw.wait_for_delivered(2);
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    REQUIRE(file_text().find("0977000111") != std::string::npos);
    n.reset();
    hall.sink = nullptr;
    hall.next_day();  // the server starts on a later day, before any event of it
    n = hall.notifier(config);
    CHECK(file_text().find("0977000111") == std::string::npos);
    CHECK_FALSE(n->masked_contact(b).has_value());
}

TEST_CASE("a call made durable while the notifier did not hear it is told after the restart") {
    Hall hall;
    HttpReceiver gw;
    const json config = phone_table({gateway(gw, testing::write_secret(hall.dir / "gw.secret", "k"))});
    const int64_t a = hall.issue("A"), b = hall.issue("B");
    auto n = hall.notifier(config);
    n->subscribe(hall.subscription(a, kPhone, 0));
    hall.call(2);  // B001 at Quầy 2, before B001 asked for messages: not B001's to hear
    n->subscribe(hall.subscription(b, "0351234567", 0));
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    n.reset();  // as if the server died between the durable batch and the message's own write
    hall.sink = nullptr;
    hall.call(1);  // A001 called: durable in the log, never handed to the notifier

    REQUIRE(gw.seen().size() == 1);  // A001 was told it is next, before the stop
    CHECK(body_of(gw.seen()[0])["ref"] == id_prefix(hall, a) + "ahead");
    n = hall.notifier(config);
    const auto got = gw.wait_for_delivered(2);
    CHECK(body_of(got[1])["to"] == kPhone);
    CHECK(body_of(got[1])["text"] == "Mời số A001 đến Quầy 1.");
    CHECK(body_of(got[1])["ref"] == id_prefix(hall, a) + "called-" + std::to_string(hall.engine.state().seq));
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    n.reset();
    hall.sink = nullptr;
    n = hall.notifier(config);  // and once only
    hall.issue("C");
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    CHECK(gw.seen().size() == 2);
}
