// mirror_test: the client's copy of the queue (client/mirror) — every event type,
// and what a newer or broken server might send: unknown fields and types, an
// event for a counter it never listed, a gap in the sequence, a repeated event.
#include <catch2/catch.hpp>

#include "client/event_stream.hpp"
#include "client/mirror.hpp"

using client::Mirror;
using json = nlohmann::json;

namespace {

// A snapshot message as the server sends it: the state, and the catalog's version beside it.
json snapshot() {
    return json::parse(R"({"type": "snapshot", "seq": 10, "catalog_version": 3, "state": {
      "seq": 10, "day": 20261125, "center": {"name": "Trung tâm thử"},
      "services": [{"code": "A", "name_vi": "Hộ tịch", "name_en": "Civil status", "prefix": "A", "waiting": 2, "est_wait_s": 300},
                   {"code": "B", "name_vi": "Đất đai", "prefix": "B"}],
      "counters": [{"id": 1, "name": "Quầy 1", "paused": false,
                    "ticket": {"id": 1, "number": "A001", "service": "A", "state": "serving"}},
                   {"id": 2, "name": "Quầy 2", "paused": true, "ticket": null}],
      "recent_calls": [{"ticket": 1, "number": "A001", "service": "A", "counter": 1, "at": 5, "recall": false}],
      "tickets": [{"id": 2, "service": "A", "state": "waiting"}, {"id": 3, "service": "A", "state": "waiting"},
                  {"id": 4, "service": "B", "state": "no_show"}]}})");
}

json event(int64_t seq, const std::string& type, json body = json::object()) {
    body["seq"] = seq;
    body["type"] = type;
    body["at"] = 1000 + seq;
    body["day"] = 20261125;
    return body;
}

}  // namespace

TEST_CASE("mirror: a snapshot, then every event type, folded as the server does") {
    Mirror m;
    m.apply_snapshot(snapshot());
    CHECK(m.seq() == 10);
    CHECK(m.center_name() == "Trung tâm thử");
    CHECK(m.catalog_version() == 3);
    CHECK(m.service("A")->waiting == 2);
    CHECK(m.service("B")->waiting == 0);  // a no-show is not waiting
    CHECK(m.counter(1)->number == "A001");
    CHECK(m.counter(1)->serving);
    CHECK(m.counter(2)->paused);

    using A = Mirror::Applied;
    CHECK(m.apply_event(event(11, "ticket_issued", {{"ticket", {{"id", 5}, {"number", "B001"}, {"service", "B"}, {"state", "waiting"}}}})) == A::changed);
    CHECK(m.service("B")->waiting == 1);
    CHECK(m.apply_event(event(12, "ticket_called", {{"ticket", 2}, {"number", "A002"}, {"service", "A"}, {"counter", 1}})) == A::changed);
    REQUIRE(m.last_call());
    CHECK(m.last_call()->number == "A002");
    CHECK(m.counter(1)->number == "A002");
    CHECK_FALSE(m.counter(1)->serving);
    CHECK(m.service("A")->waiting == 1);
    CHECK(m.recent_calls().front().number == "A002");
    m.apply_event(event(13, "ticket_recalled", {{"ticket", 2}, {"number", "A002"}, {"service", "A"}, {"counter", 1}, {"recalls", 1}}));
    CHECK(m.last_call()->recall);
    m.apply_event(event(14, "ticket_started", {{"ticket", 2}, {"number", "A002"}, {"service", "A"}, {"counter", 1}}));
    CHECK(m.counter(1)->serving);
    CHECK_FALSE(m.last_call());
    m.apply_event(event(15, "ticket_transferred", {{"ticket", 2}, {"number", "A002"}, {"service", "A"}, {"from_counter", 1},
                                                 {"to_service", "B"}, {"to_counter", 0}}));
    CHECK(m.counter(1)->ticket == 0);
    CHECK(m.service("B")->waiting == 2);
    m.apply_event(event(16, "ticket_cancelled", {{"ticket", 5}, {"number", "B001"}, {"service", "B"}, {"counter", 0}}));
    CHECK(m.service("B")->waiting == 1);
    m.apply_event(event(17, "ticket_reactivated", {{"ticket", 4}, {"number", "B004"}, {"service", "B"}}));
    CHECK(m.service("B")->waiting == 2);
    m.apply_event(event(18, "counter_resumed", {{"counter", 2}}));
    CHECK_FALSE(m.counter(2)->paused);
    m.apply_event(event(19, "center_configured",
                        {{"center", {{"name", "Trung tâm mới"}, {"services", {{{"code", "A"}, {"name_vi", "Hộ tịch"}}}},
                                     {"counters", {{{"id", 1}, {"name", "Quầy Một"}}}}}}}));
    CHECK(m.center_name() == "Trung tâm mới");
    CHECK(m.services().size() == 1);
    CHECK(m.counter(1)->name == "Quầy Một");
    CHECK_FALSE(m.counter(2));
    m.apply_event(event(20, "day_opened"));
    CHECK(m.recent_calls().empty());
    CHECK(m.service("A")->waiting == 0);
    CHECK(m.seq() == 20);
}

TEST_CASE("mirror: unknown fields and types are skipped, an unknown counter is shown, a gap or a repeat is refused") {
    Mirror m;
    m.apply_snapshot(snapshot());
    using A = Mirror::Applied;
    // A newer server's extra field, and a type this client does not know: its seq is taken.
    CHECK(m.apply_event(event(11, "ticket_called", {{"ticket", 2}, {"number", "A002"}, {"service", "A"}, {"counter", 1},
                                                   {"voice_hint", {{"lang", "vi"}}}})) == A::changed);
    CHECK(m.apply_event(event(12, "hologram_projected", {{"colour", "blue"}})) == A::changed);
    CHECK(m.seq() == 12);
    // Counter 9 was never listed: it appears under its number.
    CHECK(m.apply_event(event(13, "ticket_called", {{"ticket", 3}, {"number", "A003"}, {"service", "A"}, {"counter", 9}})) == A::changed);
    REQUIRE(m.counter(9));
    CHECK(m.counter(9)->name == "Quầy 9");
    CHECK(m.counter(9)->number == "A003");
    // Wrong types take defaults, never throw.
    CHECK(m.apply_event(event(14, "ticket_called", {{"ticket", "x"}, {"number", 7}, {"counter", "two"}})) == A::changed);
    CHECK(m.apply_event(json::array()) == A::ignored);
    CHECK(m.apply_event(event(14, "ticket_issued")) == A::ignored);  // already applied
    CHECK(m.apply_event(event(16, "ticket_issued")) == A::gap);      // 15 is missing: resume from 14
    CHECK(m.seq() == 14);
    CHECK(m.apply_event({{"type", "catalog_updated"}, {"version", 9}}) == A::ignored);
    CHECK(m.catalog_version() == 9);
    // A snapshot of nonsense leaves an empty, usable mirror.
    m.apply_snapshot(json::parse(R"({"state": {"services": 3, "counters": [1, "x"], "recent_calls": {}}})"));
    CHECK(m.seq() == 0);
    CHECK(m.services().empty());
}

TEST_CASE("a server address: http://HOST:PORT, HOST:PORT or HOST (port 8080), and https, a path or no host refused") {
    client::StreamOptions o;
    client::parse_server_address("http://10.0.0.5:9000/", o);
    CHECK(o.host == "10.0.0.5");
    CHECK(o.port == "9000");
    client::parse_server_address("queue.local", o);
    CHECK(o.host == "queue.local");
    CHECK(o.port == "8080");
    client::parse_server_address("[::1]:8081", o);
    CHECK(o.host == "::1");
    CHECK(o.port == "8081");
    CHECK_THROWS_WITH(client::parse_server_address("https://queue.local", o), Catch::Contains("https is not supported"));
    CHECK_THROWS_WITH(client::parse_server_address("queue.local:8080/api", o), Catch::Contains("expected http://HOST:PORT"));
    CHECK_THROWS_AS(client::parse_server_address("", o), std::invalid_argument);
    CHECK_THROWS_AS(client::parse_server_address("queue.local:99999", o), std::invalid_argument);
}
