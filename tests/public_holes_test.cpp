// public_holes_test: the holes an audit found before the server faced the
// public (issue 19), each reproduced against a real server on loopback: they
// all failed on the server before the route table, and must stay closed.
#include <catch2/catch.hpp>
#include <latch>
#include <thread>

#include "test_server.hpp"

using testing::TestServer;
using json = nlohmann::json;

namespace {

testing::HttpReply login_from(TestServer& s, const std::string& source, const std::string& user, const std::string& password) {
    return testing::http_call_to("127.0.0.1", s.port, "POST", "/api/login", json{{"user", user}, {"password", password}}.dump(), "",
                                 {}, 10'000, source);
}

}  // namespace

TEST_CASE("30 parallel wrong logins: only the free failures reach Argon2id, the rest wait, and the right person elsewhere is not locked out",
          "[holes][auth]") {
    TestServer s;
    for (const std::string user : {"staff1", "nobody-at-all"}) {  // an unknown name is treated the same
        std::latch go(30);
        std::vector<int> statuses(30);
        std::vector<std::thread> guesses;
        for (int i = 0; i < 30; ++i)
            guesses.emplace_back([&, i] {
                go.arrive_and_wait();
                statuses[static_cast<size_t>(i)] = login_from(s, "127.0.0.1", user, "wrong-guess").status;
            });
        for (auto& g : guesses) g.join();
        CHECK(std::count(statuses.begin(), statuses.end(), 401) == 3);
        CHECK(std::count(statuses.begin(), statuses.end(), 429) == 27);
    }
    // The stranger at 127.0.0.1 does not lock staff1 out at their own address.
    CHECK(login_from(s, "127.0.0.2", "staff1", "staff-password").status == 200);
    CHECK(login_from(s, "127.0.0.1", "staff1", "staff-password").status == 429);
}

TEST_CASE("the route table: a rating tablet cannot take numbers, displays cannot read dossiers, ?token= only opens the stream",
          "[holes][roles]") {
    TestServer s;
    const std::string admin = s.login("admin", s.admin_password);
    const std::string rating = s.post("/api/admin/devices", {{"role", "rating"}, {"name", "Tablet 1"}, {"counter", 1}}, admin).body["token"];
    const int64_t before = s.seq();
    for (int i = 0; i < 20; ++i) CHECK(s.post("/api/tickets", {{"service", "A"}}, rating).status == 403);
    CHECK(s.seq() == before);
    CHECK(s.call("GET", "/api/dossiers/H1?check=1234", "", s.display).status == 403);
    CHECK(s.call("GET", "/api/dossiers/H1?check=1234", "", rating).status == 403);
    CHECK(s.post("/api/devices/status", {{"printer", "ok"}}, s.display).status == 403);
    CHECK(s.post("/api/devices/status", {{"printer", "ok"}}, s.kiosk).status == 200);
    const std::string staff = s.staff(1);
    CHECK(s.call("GET", "/api/state?token=" + staff).status == 401);
    CHECK(s.call("GET", "/api/state", "", staff).status == 200);
    testing::WsClient stream(s.port, staff, 0);  // the event stream takes it (browsers cannot set headers there)
    CHECK(stream.next()["type"] == "snapshot");
}

TEST_CASE("staff cancel only tickets of the services their counter serves", "[holes][roles]") {
    TestServer s;
    const auto t = s.post("/api/tickets", {{"service", "A"}}, s.kiosk).body;
    const std::string path = "/api/tickets/" + std::to_string(t["id"].get<int64_t>()) + "/cancel";
    const int64_t before = s.seq();
    const auto refused = s.call("POST", path, "", s.staff(3));  // counter 3 serves C only
    CHECK(refused.status == 403);
    CHECK(refused.body["error"]["code"] == "not_your_service");
    CHECK(s.seq() == before);
    CHECK(s.call("POST", path, "", s.staff(1)).status == 200);  // counter 1 serves A
}

TEST_CASE("no body is read or parsed before its sender is known, and a forged feed does not overwrite the admins' last error",
          "[holes][feed]") {
    TestServer s;
    const std::string array(1'000'000, '[');
    // A path that only looks like the feed's: refused by the table, its body never parsed.
    CHECK(s.call("POST", "/api/feed/dossiersX", array, "", {{"X-Signature", "sha256=00"}, {"X-Timestamp", "1"}}).status == 404);
    // The real feed path with a forged signature: 401, counted apart.
    const std::string ts = std::to_string(s.clock_ms.load() / 1000);
    const std::string body = R"({"updates": []})";
    CHECK(s.call("POST", "/api/feed/dossiers", body, "", {{"X-Signature", "sha256=" + std::string(64, '0')}, {"X-Timestamp", ts}}).status == 401);
    const json feed = s.call("GET", "/api/admin/feed", "", s.login("manager", "manager-password")).body;
    CHECK(feed["push"]["last_error"] == "");
    CHECK(feed["push"]["bad_signatures"] == 1);
    // A body over a route's own limit is refused without reading it.
    CHECK(s.call("POST", "/api/tickets", std::string(20'000, ' '), s.kiosk).status == 413);
    CHECK(s.call("GET", "/healthz").status == 200);
}

TEST_CASE("a logout, a revoked device and a deleted user end their open event streams", "[holes][ws]") {
    TestServer s;
    const std::string staff = s.staff(1), admin = s.login("admin", s.admin_password);
    auto closed = [](testing::WsClient& ws) {
        boost::beast::flat_buffer b;
        boost::system::error_code ec;
        for (int i = 0; i < 100 && !ec; ++i) ws.ws.read(b, ec);  // what was queued, then the close
        return static_cast<bool>(ec);
    };
    testing::WsClient by_staff(s.port, staff, 0), by_display(s.port, s.display, 0), other(s.port, admin, 0);
    for (auto* ws : {&by_staff, &by_display, &other}) REQUIRE(ws->next()["type"] == "snapshot");
    CHECK(s.call("POST", "/api/logout", "", staff).status == 200);
    CHECK(closed(by_staff));
    const json devices = s.call("GET", "/api/admin/devices", "", admin).body["devices"];
    for (const auto& d : devices)
        if (d["role"] == "display") CHECK(s.call("DELETE", "/api/admin/devices/" + d["id"].get<std::string>(), "", admin).status == 200);
    CHECK(closed(by_display));
    // Another caller's stream is still live: it hears the next ticket.
    REQUIRE(s.post("/api/tickets", {{"service", "A"}}, s.kiosk).status == 201);
    CHECK(other.next()["type"] == "ticket_issued");
}

TEST_CASE("adding a user whose name exists is refused, and the account is unchanged", "[holes][admin]") {
    TestServer s;
    const std::string admin = s.login("admin", s.admin_password);
    const auto r = s.post("/api/admin/users", {{"user", "staff1"}, {"password", "another-password"}, {"role", "admin"}}, admin);
    CHECK(r.status == 409);
    CHECK(r.body["error"]["code"] == "user_exists");
    CHECK(s.post("/api/login", {{"user", "staff1"}, {"password", "staff-password"}}, "").body["role"] == "staff");
}

namespace {

// Adds about `count` events to the stopped server's log: tickets issued, called,
// started and finished at the three counters, a second apart.
void add_events(TestServer& s, int64_t count) {
    store::Store st(s.dir / "center.db");
    engine::Engine e;
    st.for_each_event(0, [&](const engine::Event& ev) { e.apply(ev); });
    testing::Clock clock;
    clock.ms = s.clock_ms.load();
    std::vector<engine::Event> batch;
    auto run = [&](const engine::Command& c) {
        auto out = e.handle(c, clock.now(), "staff");
        batch.insert(batch.end(), out.events.begin(), out.events.end());
        return out;
    };
    const int64_t goal = st.last_seq() + count;
    for (int i = 0; e.state().seq < goal; ++i) {
        const int counter = i % 3 + 1;
        clock.advance_seconds(1);
        run(engine::IssueTicket{std::string(1, static_cast<char>('A' + i % 3)), "normal", "kiosk:bench"});
        const auto called = run(engine::CallNext{counter});
        for (const auto& ev : called.events)
            if (const auto* c = std::get_if<engine::TicketCalled>(&ev.body)) {
                run(engine::TicketAction{engine::Action::start, c->ticket, counter});
                run(engine::TicketAction{engine::Action::finish, c->ticket, counter});
            }
    }
    st.append(batch);
    s.clock_ms = clock.ms;
}

}  // namespace

TEST_CASE("a display 9999 events behind catches up on one connection", "[holes][ws]") {
    TestServer s;
    s.limits.ws_backlog = 64;  // far fewer than it missed: only flow control gets it there
    s.stop();
    add_events(s, 10'100);
    s.start(false);
    const int64_t last = s.seq();
    testing::WsClient display(s.port, s.display, last - 9'999);
    int64_t expect = last - 9'998;
    while (expect <= last) {
        const json m = display.next();
        REQUIRE(m["type"] != "snapshot");
        if (!m.contains("seq")) continue;  // the catalog's version
        REQUIRE(m["seq"] == expect);
        ++expect;
    }
    CHECK(expect == last + 1);
}
