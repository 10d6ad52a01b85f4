// notify_webhook_test: every queue event to a signed webhook, from the real
// log (center.db) with a durable cursor. The receiver is a real HTTP server on
// loopback that is down at first, then holds one request without answering,
// then takes the rest; the notifier is stopped and started again in between,
// with events made while it was stopped. The receiver must see every event
// once, in order, each signature checked with an HMAC-SHA256 built here by hand
// from SHA-256 (not the library's HMAC the sender uses).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <functional>

#include "http_receiver.hpp"
#include "loopback.hpp"
#include "notify/webhook.hpp"
#include "notify_support.hpp"

using testing::Hall;
using testing::HttpReceiver;
using json = nlohmann::json;

namespace {

std::string sha256(const std::string& bytes) {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    return {reinterpret_cast<char*>(out), sizeof out};
}

// RFC 2104: H((K ^ opad) || H((K ^ ipad) || m)), a 64-byte block.
std::string hmac_sha256_hex(std::string key, const std::string& message) {
    if (key.size() > 64) key = sha256(key);
    key.resize(64, '\0');
    std::string ipad = key, opad = key;
    for (auto& c : ipad) c = static_cast<char>(c ^ 0x36);
    for (auto& c : opad) c = static_cast<char>(c ^ 0x5c);
    const std::string mac = sha256(opad + sha256(ipad + message));
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
    return hex;
}

// Until the notifier's status says `done`, woken by each change of it; fails at 30 s.
void wait_for(const notify::Notifier& n, const std::function<bool(const json&)>& done, const char* what) {
    if (!n.wait_status(done, std::chrono::seconds(30))) FAIL(what << " (not within 30 s)");
}

// Some of everything: tickets, calls, a recall, a transfer, a pause.
void traffic(Hall& hall, int round) {
    const int64_t a = hall.issue("A");
    hall.issue("B");
    hall.issue("C", "elderly");
    hall.next(1);
    hall.next(3);
    hall.run(engine::TicketAction{engine::Action::recall, hall.engine.state().counters.at(1).ticket, 1});
    if (round == 0) hall.run(engine::Transfer{a, 0, "B", 0, "sang đất đai"});
    hall.run(engine::SetCounterPaused{2, round % 2 == 0});
}

}  // namespace

TEST_CASE("webhook receiver down for a while then up sees every event once in order with valid signatures") {
    REQUIRE(sodium_init() >= 0);
    Hall hall;
    const uint16_t port = testing::free_loopback_port();  // nobody listens there yet
    const std::string secret = "whsec-0123456789abcdef-a-long-secret-of-more-than-sixty-four-bytes-to-be-hashed-first";
    const json config = {{"sender",
                          {{{"kind", "webhook"},
                            {"name", "other-system"},
                            {"url", "http://127.0.0.1:" + std::to_string(port) + "/hook"},
                            {"secret_file", testing::write_secret(hall.dir / "hook.secret", secret)},
                            {"timeout_seconds", 0.5}}}}};
    const int64_t before = hall.engine.state().seq;  // a first start sends from here on
    auto n = hall.notifier(config);
    traffic(hall, 0);
    wait_for(*n, [](const json& s) { return s["webhooks"][0]["failures"].get<int>() >= 3; }, "no failed attempts counted");
    CHECK(n->status()["webhooks"][0]["cursor"] == before);
    CHECK(n->status()["webhooks"][0]["behind"].get<int>() > 0);
    CHECK(n->status()["alert"] == true);

    auto receiver = std::make_unique<HttpReceiver>(port);
    receiver->script({HttpReceiver::kHold});  // the first request it gets is never answered
    receiver->wait_for_held();
    const int64_t first_round = hall.engine.state().seq;
    receiver->wait_for_delivered(static_cast<size_t>(first_round - before));

    n.reset();  // the server stops; events are made before the notifier is back
    hall.sink = nullptr;
    traffic(hall, 1);
    n = hall.notifier(config);
    traffic(hall, 2);
    hall.next_day();
    traffic(hall, 3);  // a new day too
    const int64_t last = hall.engine.state().seq;
    const auto got = receiver->wait_for_delivered(static_cast<size_t>(last - before));
    REQUIRE(n->wait_idle(std::chrono::seconds(10)));
    wait_for(*n, [&](const json& s) { return s["webhooks"][0]["cursor"] == last; }, "the cursor did not reach the log's end");

    std::map<int64_t, std::string> types;
    hall.store.for_each_event(before, [&](const engine::Event& e) { types[e.seq] = engine::type_name(e.body); });
    REQUIRE(got.size() == static_cast<size_t>(last - before));
    int64_t expect = before + 1;
    for (const auto& r : got) {
        const json body = json::parse(r.body);
        CHECK(r.method == "POST");
        CHECK(r.target == "/hook");
        CHECK(r.header("content-type") == "application/json");
        CHECK(body["center"] == testing::small_center().name);
        CHECK(body["event"]["seq"] == expect);
        CHECK(r.header("idempotency-key") == "event-" + std::to_string(expect));
        CHECK(body["event"]["type"] == types[expect]);
        CHECK(r.header("x-signature") == hmac_sha256_hex(secret, r.header("x-timestamp") + "." + r.body));
        const int64_t ts = std::stoll(r.header("x-timestamp"));
        CHECK(std::llabs(ts - common::system_now_ms() / 1000) < 600);
        CHECK(r.body.find("follow_hash") == std::string::npos);
        ++expect;
    }
    CHECK(expect == last + 1);
    CHECK(n->status()["webhooks"][0]["behind"] == 0);

    // A forged or altered body does not pass the check the receiver makes.
    const auto& one = got.front();
    CHECK(hmac_sha256_hex(secret, one.header("x-timestamp") + "." + one.body + " ") != one.header("x-signature"));
}

TEST_CASE("a webhook body is the stored event without follow_hash") {
    const std::string body = notify::webhook_body(
        "UBND phường", 7, 1000, 20261202, "TicketIssued",
        R"({"ticket":{"id":3,"number":"A003","follow_hash":"ab12"},"by":"kiosk"})");
    const json j = json::parse(body);
    CHECK(j["center"] == "UBND phường");
    CHECK(j["event"]["seq"] == 7);
    CHECK(j["event"]["type"] == "TicketIssued");
    CHECK(j["event"]["ticket"]["number"] == "A003");
    CHECK_FALSE(j["event"]["ticket"].contains("follow_hash"));
}
