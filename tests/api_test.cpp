// api_test: the HTTP + WebSocket API of a real server on a loopback port.
#include <catch2/catch.hpp>

#include "test_server.hpp"

using testing::TestServer;
using testing::WsClient;
using json = nlohmann::json;

TEST_CASE("healthz answers without a token", "[api]") {
    TestServer s;
    auto r = s.call("GET", "/healthz");
    CHECK(r.status == 200);
    CHECK(r.body["status"] == "ok");
    CHECK(r.body["seq"] == r.body["durable_seq"]);
}

TEST_CASE("login gives a token for the user's role and counter", "[api][auth]") {
    TestServer s;
    auto r = s.post("/api/login", {{"user", "staff2"}, {"password", "staff-password"}}, "");
    REQUIRE(r.status == 200);
    CHECK(r.body["role"] == "staff");
    CHECK(r.body["counter"] == 2);
    CHECK(r.body["token"].get<std::string>().size() == 43);
    CHECK(s.post("/api/login", {{"user", "staff2"}, {"password", "wrong"}}, "").status == 401);
    auto unknown = s.post("/api/login", {{"user", "nobody"}, {"password", "staff-password"}}, "");
    CHECK(unknown.status == 401);
    CHECK(unknown.body["error"]["message"] == "wrong user name or password");  // same words: no user probing
}

TEST_CASE("failed logins from one address wait longer and longer", "[api][auth]") {
    TestServer s;
    for (int i = 0; i < 3; ++i) CHECK(s.post("/api/login", {{"user", "staff1"}, {"password", "nope"}}, "").status == 401);
    auto refused = s.call("POST", "/api/login", json{{"user", "staff1"}, {"password", "staff-password"}}.dump());
    CHECK(refused.status == 429);
    CHECK(refused.headers["retry-after"] == "1");
    s.clock_ms += 1'000;
    CHECK(s.post("/api/login", {{"user", "staff1"}, {"password", "nope"}}, "").status == 401);
    CHECK(s.post("/api/login", {{"user", "staff1"}, {"password", "staff-password"}}, "").status == 429);  // now 2 s
    s.clock_ms += 2'000;
    CHECK(s.post("/api/login", {{"user", "staff1"}, {"password", "staff-password"}}, "").status == 200);
    CHECK(s.post("/api/login", {{"user", "staff1"}, {"password", "nope"}}, "").status == 401);  // a success started it again
}

TEST_CASE("logout ends the session", "[api][auth]") {
    TestServer s;
    const auto t = s.staff(1);
    CHECK(s.call("GET", "/api/state", "", t).status == 200);
    CHECK(s.call("POST", "/api/logout", "", t).status == 200);
    CHECK(s.call("GET", "/api/state", "", t).status == 401);
}

TEST_CASE("a kiosk takes a number: 201 with number, people ahead and estimated wait", "[api][tickets]") {
    TestServer s;
    auto first = s.post("/api/tickets", {{"service", "A"}}, s.kiosk);
    REQUIRE(first.status == 201);
    CHECK(first.body["number"] == "A001");
    CHECK(first.body["category"] == "normal");
    CHECK(first.body["service_name_vi"] == "Hộ tịch");
    CHECK(first.body["source"] == "kiosk:Kiosk 1");
    auto second = s.post("/api/tickets", {{"service", "A"}, {"category", "elderly"}}, s.kiosk);
    REQUIRE(second.status == 201);
    CHECK(second.body["number"] == "A002");
    CHECK(second.body["people_ahead"] == 0);  // priority: nobody priority ahead
    auto third = s.post("/api/tickets", {{"service", "A"}}, s.kiosk);
    CHECK(third.body["people_ahead"] == 2);
    CHECK(third.body["est_wait_s"].get<int>() > 0);
    auto again = s.call("GET", "/api/tickets/" + std::to_string(first.body["id"].get<int64_t>()), "", s.display);
    CHECK(again.body["number"] == "A001");
}

TEST_CASE("roles: who may do what", "[api][auth]") {
    TestServer s;
    CHECK(s.post("/api/tickets", {{"service", "A"}}, "").status == 401);
    CHECK(s.post("/api/tickets", {{"service", "A"}}, "not-a-token").status == 401);
    CHECK(s.post("/api/tickets", {{"service", "A"}}, s.display).status == 403);
    CHECK(s.call("POST", "/api/counters/1/next", "", s.kiosk).status == 403);
    const auto staff1 = s.staff(1);
    CHECK(s.call("POST", "/api/counters/2/next", "", staff1).status == 403);
    CHECK(s.post("/api/admin/devices", {{"role", "kiosk"}, {"name", "x"}}, staff1).status == 403);
    const auto manager = s.login("manager", "manager-password");
    CHECK(s.call("POST", "/api/counters/2/next", "", manager).status == 200);
    CHECK(s.post("/api/tickets", {{"service", "B"}}, staff1).status == 201);  // staff may issue at the counter
}

TEST_CASE("a staff member cannot act on another counter's ticket", "[api][auth]") {
    TestServer s;
    auto t = s.post("/api/tickets", {{"service", "A"}}, s.kiosk);
    const auto id = std::to_string(t.body["id"].get<int64_t>());
    const auto staff1 = s.staff(1), staff3 = s.staff(3);
    REQUIRE(s.call("POST", "/api/counters/1/next", "", staff1).body["ticket"]["id"] == t.body["id"]);
    const auto before = s.seq();
    for (const char* action : {"recall", "start", "finish", "cancel"}) {
        auto r = s.call("POST", "/api/tickets/" + id + "/" + action, "", staff3);
        CHECK(r.status == 403);
        CHECK(r.body["error"]["code"] == "not_your_ticket");
    }
    CHECK(s.post("/api/tickets/" + id + "/transfer", {{"to_service", "C"}}, staff3).status == 403);
    CHECK(s.seq() == before);
}

TEST_CASE("the whole ticket life over HTTP", "[api][tickets]") {
    TestServer s;
    const auto staff1 = s.staff(1), staff2 = s.staff(2);
    auto t = s.post("/api/tickets", {{"service", "A"}}, s.kiosk).body;
    const auto id = std::to_string(t["id"].get<int64_t>());
    auto act = [&](const std::string& who, const std::string& action, const json& body = json()) {
        return s.call("POST", "/api/tickets/" + id + "/" + action, body.is_null() ? "" : body.dump(), who);
    };
    auto next = s.call("POST", "/api/counters/1/next", "", staff1);
    REQUIRE(next.status == 200);
    CHECK(next.body["ticket"]["state"] == "called");
    CHECK(act(staff1, "recall").body["recalls"] == 1);
    CHECK(act(staff1, "start").body["state"] == "serving");
    auto moved = act(staff1, "transfer", {{"to_service", "B"}, {"note", "cần trích lục bản đồ"}});
    REQUIRE(moved.status == 200);
    CHECK(moved.body["service"] == "B");
    CHECK(moved.body["state"] == "waiting");
    CHECK(s.call("POST", "/api/counters/2/next", "", staff2).body["ticket"]["id"] == t["id"]);
    CHECK(act(staff2, "no-show").body["error"]["code"] == "too_early");
    s.clock_ms += 6 * 60'000;
    CHECK(act(staff2, "no-show").body["state"] == "no_show");
    CHECK(act(staff2, "reactivate").body["state"] == "waiting");
    CHECK(s.call("POST", "/api/counters/2/next", "", staff2).body["ticket"]["id"] == t["id"]);
    CHECK(act(staff2, "finish").body["state"] == "done");
    CHECK(act(staff2, "finish").status == 409);
    CHECK(act(staff2, "dance").status == 404);
    auto paused = s.call("POST", "/api/counters/2/pause", "", staff2);
    CHECK(paused.body["paused"] == true);
    CHECK(s.call("POST", "/api/counters/2/next", "", staff2).body["error"]["code"] == "counter_paused");
    CHECK(s.call("POST", "/api/counters/2/resume", "", staff2).body["paused"] == false);
}

TEST_CASE("bad input of every kind gets a clear error and changes nothing", "[api][bad-input]") {
    TestServer s;
    const auto staff1 = s.staff(1);
    const auto before = s.seq();
    struct Case {
        std::string method, target, body;
        int status;
        std::string code;
    };
    const std::string deep = std::string(100, '[') + std::string(100, ']');
    const std::vector<Case> cases = {
        {"POST", "/api/tickets", "{\"service\":", 400, "bad_json"},
        {"POST", "/api/tickets", "[1,2]", 400, "bad_json"},
        {"POST", "/api/tickets", "{\"service\":\"A\"} trailing", 400, "bad_json"},
        {"POST", "/api/tickets", "{\"a\":" + deep + "}", 400, "bad_json"},
        {"POST", "/api/tickets", "{\"service\":\"\xC3\x28\"}", 400, "bad_json"},
        {"POST", "/api/tickets", "{\"service\":42}", 400, "bad_field"},
        {"POST", "/api/tickets", "{\"service\":\"A\",\"category\":[]}", 400, "bad_field"},
        {"POST", "/api/tickets", "{\"service\":\"A\",\"sevice\":\"B\"}", 400, "bad_field"},
        {"POST", "/api/tickets", "{}", 400, "bad_field"},
        {"POST", "/api/tickets", "{\"service\":\"ZZ\"}", 404, "unknown_service"},
        {"POST", "/api/tickets", "{\"service\":\"A\",\"category\":\"vip\"}", 400, "unknown_category"},
        {"POST", "/api/counters/99/next", "", 403, "forbidden"},
        {"POST", "/api/counters/abc/next", "", 404, "unknown_counter"},
        {"POST", "/api/counters/-1/next", "", 404, "unknown_counter"},
        {"POST", "/api/counters/1/explode", "", 404, "not_found"},
        {"POST", "/api/tickets/99999999999999999999/start", "", 404, "unknown_ticket"},
        {"POST", "/api/tickets/0/start", "", 404, "unknown_ticket"},
        {"POST", "/api/tickets/777/start", "", 404, "unknown_ticket"},
        {"POST", "/api/tickets/1/transfer", "{\"to_counter\":\"3\"}", 400, "bad_field"},
        {"POST", "/api/tickets/1/transfer", "{\"to_counter\":99999999999}", 400, "bad_field"},
        {"POST", "/api/tickets/1/start", "{\"unexpected\":1}", 400, "bad_field"},
        {"GET", "/api/nothing-here", "", 404, "not_found"},
        {"DELETE", "/api/tickets", "", 405, "method_not_allowed"},
        {"GET", "/api/login", "", 405, "method_not_allowed"},
        {"GET", "/", "", 404, "not_found"},
        {"GET", "/api/\xB8\xFF", "", 404, "not_found"},   // not UTF-8: echoed safely, found by the fuzzer
        {"GET", "/\xC3(", "", 404, "not_found"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.method, c.target, c.body);
        auto r = s.call(c.method, c.target, c.body, staff1);
        CHECK(r.status == c.status);
        CHECK(r.body["error"]["code"] == c.code);
        CHECK_FALSE(r.body["error"]["message"].get<std::string>().empty());
    }
    // Too large: the server says so and closes.
    auto big = s.call("POST", "/api/tickets", "{\"service\":\"" + std::string(70'000, 'A') + "\"}", staff1);
    CHECK(big.status == 413);
    // A transfer note that is not valid UTF-8 inside otherwise valid JSON escapes.
    auto t = s.post("/api/tickets", {{"service", "A"}}, s.kiosk);
    REQUIRE(s.call("POST", "/api/counters/1/next", "", staff1).status == 200);
    auto note = s.call("POST", "/api/tickets/" + std::to_string(t.body["id"].get<int64_t>()) + "/transfer",
                       "{\"to_service\":\"B\",\"note\":\"" + std::string(600, 'x') + "\"}", staff1);
    CHECK(note.status == 400);
    CHECK(s.seq() == before + 2);  // only the good ticket and its call
    CHECK(s.call("GET", "/healthz").body["status"] == "ok");
}

TEST_CASE("malformed HTTP is answered 400 and the server goes on", "[api][bad-input]") {
    TestServer s;
    boost::asio::io_context io;
    testing::tcp::socket sock(io);
    sock.connect({boost::asio::ip::make_address("127.0.0.1"), s.port});
    boost::asio::write(sock, boost::asio::buffer(std::string("GARBAGE \x01\x02 nonsense\r\n\r\n")));
    std::string reply;
    boost::system::error_code ec;
    char buf[4096];
    for (;;) {
        const size_t n = sock.read_some(boost::asio::buffer(buf), ec);
        reply.append(buf, n);
        if (ec) break;
    }
    CHECK(reply.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(s.call("GET", "/healthz").status == 200);
}

TEST_CASE("a slow or half-open client is cut off and does not block others", "[api][bad-input]") {
    TestServer s;
    s.limits.request_seconds = 1;
    s.restart();
    boost::asio::io_context io;
    testing::tcp::socket slow(io);
    slow.connect({boost::asio::ip::make_address("127.0.0.1"), s.port});
    boost::asio::write(slow, boost::asio::buffer(std::string("POST /api/tickets HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")));
    // Others are served meanwhile.
    CHECK(s.call("GET", "/healthz").status == 200);
    CHECK(s.post("/api/tickets", {{"service", "A"}}, s.kiosk).status == 201);
    // The slow one is closed by the server: the read ends (this waits on that event).
    char buf[256];
    boost::system::error_code ec;
    while (!ec) slow.read_some(boost::asio::buffer(buf), ec);
    CHECK((ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset));
}

TEST_CASE("two counters pressing next at the same moment get two different tickets", "[api][tickets]") {
    TestServer s;
    s.center.counters[1].tiers = {{"A"}};
    for (int i = 0; i < 20; ++i) REQUIRE(s.post("/api/tickets", {{"service", "A"}}, s.kiosk).status == 201);
    const auto staff1 = s.staff(1), staff2 = s.staff(2);
    std::set<int64_t> called;
    for (int round = 0; round < 10; ++round) {
        json a, b;
        std::thread t1([&] { a = s.call("POST", "/api/counters/1/next", "", staff1).body; });
        std::thread t2([&] { b = s.call("POST", "/api/counters/2/next", "", staff2).body; });
        t1.join();
        t2.join();
        REQUIRE(a["ticket"].is_object());
        REQUIRE(b["ticket"].is_object());
        CHECK(a["ticket"]["id"] != b["ticket"]["id"]);
        CHECK(called.insert(a["ticket"]["id"].get<int64_t>()).second);
        CHECK(called.insert(b["ticket"]["id"].get<int64_t>()).second);
        s.call("POST", "/api/tickets/" + std::to_string(a["ticket"]["id"].get<int64_t>()) + "/finish", "", staff1);
        s.call("POST", "/api/tickets/" + std::to_string(b["ticket"]["id"].get<int64_t>()) + "/finish", "", staff2);
    }
    CHECK(called.size() == 20);
}

TEST_CASE("events stream: snapshot first, then every change, resumable by seq", "[api][ws]") {
    TestServer s;
    const auto staff1 = s.staff(1);
    int64_t last = 0;
    {
        WsClient ws(s.port, s.display, 0);
        auto snap = ws.next();
        REQUIRE(snap["type"] == "snapshot");
        last = snap["seq"].get<int64_t>();
        s.post("/api/tickets", {{"service", "A"}}, s.kiosk);
        auto issued = ws.next();
        CHECK(issued["type"] == "ticket_issued");
        CHECK(issued["seq"] == last + 1);
        s.call("POST", "/api/counters/1/next", "", staff1);
        auto called = ws.next();
        CHECK(called["type"] == "ticket_called");
        CHECK(called["number"] == "A001");
        CHECK(called["counter"] == 1);
        last = called["seq"].get<int64_t>();
    }
    // Missed while away: exactly those, in order.
    s.post("/api/tickets", {{"service", "B"}}, s.kiosk);
    s.post("/api/tickets", {{"service", "C"}}, s.kiosk);
    WsClient again(s.port, s.display, last);
    auto m1 = again.next();
    auto m2 = again.next();
    CHECK(m1["seq"] == last + 1);
    CHECK(m1["ticket"]["number"] == "B001");
    CHECK(m2["seq"] == last + 2);
    CHECK(m2["ticket"]["number"] == "C001");
}

TEST_CASE("a client too far behind gets a fresh snapshot", "[api][ws]") {
    TestServer s;
    s.replay_window = 5;
    s.restart();
    for (int i = 0; i < 10; ++i) s.post("/api/tickets", {{"service", "A"}}, s.kiosk);
    WsClient ws(s.port, s.display, 1);
    auto first = ws.next();
    CHECK(first["type"] == "snapshot");
    CHECK(first["state"]["services"][0]["waiting"] == 10);
}

TEST_CASE("events need a token, and /api/events is only a WebSocket", "[api][ws]") {
    TestServer s;
    CHECK_THROWS(WsClient(s.port, "wrong", 0));
    CHECK(s.call("GET", "/api/events", "", s.display).status == 426);
}

TEST_CASE("a restart keeps tickets, numbering and sessions", "[api][store]") {
    TestServer s;
    const auto staff1 = s.staff(1);
    s.post("/api/tickets", {{"service", "A"}}, s.kiosk);
    s.post("/api/tickets", {{"service", "A"}}, s.kiosk);
    REQUIRE(s.call("POST", "/api/counters/1/next", "", staff1).status == 200);
    const auto state = s.call("GET", "/api/state", "", staff1).body;
    s.restart();
    CHECK(s.call("GET", "/api/state", "", staff1).body == state);  // same token still valid, same state
    CHECK(s.post("/api/tickets", {{"service", "A"}}, s.kiosk).body["number"] == "A003");
}

TEST_CASE("admin: devices, users and the center config", "[api][admin]") {
    TestServer s;
    const auto admin = s.login("admin", s.admin_password);
    auto dev = s.post("/api/admin/devices", {{"role", "kiosk"}, {"name", "Kiosk tầng 2"}}, admin);
    REQUIRE(dev.status == 201);
    CHECK(s.post("/api/tickets", {{"service", "A"}}, dev.body["token"].get<std::string>()).status == 201);
    CHECK(s.post("/api/admin/devices", {{"role", "god"}, {"name", "x"}}, admin).status == 400);
    auto user = s.post("/api/admin/users", {{"user", "hoa"}, {"password", "mật-khẩu-dài"}, {"role", "staff"}, {"counter", 3}}, admin);
    REQUIRE(user.status == 201);
    CHECK(s.login("hoa", "mật-khẩu-dài").size() == 43);
    CHECK(s.post("/api/admin/users", {{"user", "x"}, {"password", "short"}, {"role", "staff"}, {"counter", 3}}, admin).status == 400);
    CHECK(s.post("/api/admin/users", {{"user", "x"}, {"password", "long-enough"}, {"role", "staff"}, {"counter", 42}}, admin).status == 400);

    auto center = s.call("GET", "/api/admin/center", "", admin).body;
    center["services"][0]["name_vi"] = "Hộ tịch - Chứng thực";
    CHECK(s.call("PUT", "/api/admin/center", center.dump(), admin).status == 200);
    CHECK(s.call("GET", "/api/state", "", admin).body["services"][0]["name_vi"] == "Hộ tịch - Chứng thực");
    center["counters"][0]["tiers"] = {{"NOPE"}};
    auto bad = s.call("PUT", "/api/admin/center", center.dump(), admin);
    CHECK(bad.status == 400);
    CHECK(bad.body["error"]["message"].get<std::string>().find("NOPE") != std::string::npos);
}

TEST_CASE("a display that stops reading holds nobody up and catches up in order when it reads again", "[api][ws]") {
    TestServer s;
    s.limits.ws_backlog = 4;
    s.restart();
    const int64_t from = s.seq();
    WsClient stuck(s.port, s.display, from);  // resumes at `from`, then reads nothing until the end
    std::vector<std::thread> kiosks;
    for (int k = 0; k < 8; ++k)
        kiosks.emplace_back([&] {
            for (int i = 0; i < 10; ++i) testing::http_call(s.port, "POST", "/api/tickets", R"({"service":"A"})", s.kiosk);
        });
    for (auto& k : kiosks) k.join();
    CHECK(s.call("GET", "/healthz").body["status"] == "ok");
    CHECK(s.call("GET", "/api/state", "", s.display).body["services"][0]["waiting"] == 80);
    // Flow control: what it missed comes in order as it reads, on the same connection.
    const int64_t last = s.seq();
    int64_t expect = from + 1;
    while (expect <= last) {
        const json m = stuck.next();
        if (!m.contains("seq")) continue;  // a notice (the catalog's version)
        REQUIRE(m["seq"] == expect);
        ++expect;
    }
}
