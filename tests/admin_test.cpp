// admin_test: what the browser UI needs of the server beyond the queue — who
// served a ticket (events carry `by`, tickets keep `staff`), the citizens'
// ratings from a counter's tablet, accounts and device tokens managed live,
// printer states reported by kiosks, statistics per staff member, wait
// histogram and weekday × hour, and the raw tickets as CSV. All against the
// real server on a loopback port with a real SQLite file.
#include <catch2/catch.hpp>

#include "test_server.hpp"

using testing::TestServer;
using testing::WsClient;
using json = nlohmann::json;

namespace {

std::string path_of(const json& ticket, const std::string& action) {
    return "/api/tickets/" + std::to_string(ticket["id"].get<int64_t>()) + "/" + action;
}

// staff1 serves A001 at counter 1 (7 min wait), staff2 serves A002 at counter 2 (17 min wait).
struct ServedMorning {
    TestServer s;
    std::string staff1 = s.staff(1), staff2 = s.staff(2);
    json a1, a2;
    ServedMorning() {
        REQUIRE(s.post("/api/tickets", {{"service", "A"}}, s.kiosk).status == 201);
        REQUIRE(s.post("/api/tickets", {{"service", "A"}}, s.kiosk).status == 201);
        s.clock_ms += 7 * 60'000;
        a1 = s.post("/api/counters/1/next", json::object(), staff1).body["ticket"];
        REQUIRE(s.call("POST", path_of(a1, "start"), "", staff1).status == 200);
        s.clock_ms += 10 * 60'000;
        a2 = s.post("/api/counters/2/next", json::object(), staff2).body["ticket"];
        REQUIRE(s.call("POST", path_of(a1, "finish"), "", staff1).status == 200);
        REQUIRE(s.call("POST", path_of(a2, "finish"), "", staff2).status == 200);
    }
    std::string admin() { return s.login("admin", s.admin_password); }
    std::string rating_tablet(int counter) {
        auto r = s.post("/api/admin/devices", {{"role", "rating"}, {"name", "Tablet " + std::to_string(counter)}, {"counter", counter}}, admin());
        REQUIRE(r.status == 201);
        return r.body["token"].get<std::string>();
    }
};

}  // namespace

TEST_CASE("events say who acted, the snapshot says who works at each counter, stats group by staff member") {
    ServedMorning m;
    WsClient ws(m.s.port, m.s.display, 1);
    bool called_by_staff1 = false;
    for (int i = 0; i < 20 && !called_by_staff1; ++i) {
        const json e = ws.next();
        called_by_staff1 = e["type"] == "ticket_called" && e["counter"] == 1 && e["by"] == "staff1";
    }
    CHECK(called_by_staff1);
    const json state = m.s.call("GET", "/api/state", "", m.s.display).body;
    CHECK(state["counters"][0]["staff"] == "staff1");
    CHECK(state["counters"][1]["staff"] == "staff2");
    CHECK(state["counters"][2]["staff"] == "");

    const std::string manager = m.s.login("manager", "manager-password");
    auto rows = m.s.call("GET", "/api/stats?from=20261124&by=staff", "", manager).body["rows"];
    REQUIRE(rows.size() == 3);
    CHECK(rows[0]["key"] == "staff1");
    CHECK(rows[0]["served"] == 1);
    CHECK(rows[0]["wait_avg_s"].get<double>() == Approx(420));
    CHECK(rows[1]["key"] == "staff2");
    CHECK(rows[1]["wait_avg_s"].get<double>() == Approx(1020));

    m.s.restart();  // who served what survives: it is in the log and the view
    const json again = m.s.call("GET", "/api/state", "", m.s.display).body;
    CHECK(again["counters"][1]["staff"] == "staff2");
}

TEST_CASE("a counter's tablet rates each finished ticket of its counter once, and ratings reach the statistics") {
    ServedMorning m;
    const std::string tablet1 = m.rating_tablet(1), tablet2 = m.rating_tablet(2);
    auto rate = [&](const json& t, const std::string& token, const json& body) {
        return m.s.call("POST", path_of(t, "rating"), body.dump(), token);
    };
    auto r = rate(m.a1, tablet1, {{"rating", "good"}, {"reason", "nhanh, tận tình"}});
    REQUIRE(r.status == 200);
    CHECK(r.body["rating"] == 3);
    CHECK(rate(m.a1, tablet1, {{"rating", "bad"}}).body["error"]["code"] == "already_rated");
    CHECK(rate(m.a2, tablet1, {{"rating", "bad"}}).status == 403);  // served at counter 2
    CHECK(rate(m.a2, tablet2, {{"rating", "superb"}}).body["error"]["code"] == "bad_field");
    CHECK(rate(m.a2, tablet2, {{"rating", "neutral"}}).status == 200);
    CHECK(m.s.call("POST", path_of(m.a2, "rating"), R"({"rating":"good"})", m.s.kiosk).status == 403);
    CHECK(m.s.call("POST", "/api/admin/devices", R"({"role":"rating","name":"T9","counter":9})", m.admin()).status == 400);

    auto waiting = m.s.post("/api/tickets", {{"service", "A"}}, m.s.kiosk).body;
    CHECK(rate(waiting, tablet1, {{"rating", "good"}}).body["error"]["code"] == "wrong_state");

    m.s.restart();
    const std::string manager = m.s.login("manager", "manager-password");
    const json total = m.s.call("GET", "/api/stats?from=20261124", "", manager).body["rows"].back();
    CHECK(total["rated"] == 2);
    CHECK(total["rated_good"] == 1);
    CHECK(total["rated_neutral"] == 1);
    CHECK(total["satisfied"].get<double>() == Approx(0.5));
}

TEST_CASE("admins list, change and delete users and end their sessions, and staff may not") {
    ServedMorning m;
    const std::string admin = m.admin();
    auto users = m.s.call("GET", "/api/admin/users", "", admin).body["users"];
    CHECK(users.size() == 5);
    CHECK(users[0]["user"] == "admin");
    CHECK(users[0].dump().find("hash") == std::string::npos);
    CHECK(m.s.call("GET", "/api/admin/users", "", m.staff1).status == 403);

    // A new counter for staff3: their sessions stay (same password, same role).
    const std::string staff3 = m.s.staff(3);
    REQUIRE(m.s.call("PUT", "/api/admin/users/staff3", R"({"counter":1})", admin).status == 200);
    CHECK(m.s.post("/api/counters/1/pause", json::object(), staff3).status == 200);
    CHECK(m.s.post("/api/counters/3/pause", json::object(), staff3).status == 403);
    // A new password ends them.
    REQUIRE(m.s.call("PUT", "/api/admin/users/staff3", R"({"password":"new-password-3"})", admin).status == 200);
    CHECK(m.s.call("GET", "/api/state", "", staff3).status == 401);
    CHECK(m.s.login("staff3", "new-password-3").size() > 20);
    CHECK(m.s.call("PUT", "/api/admin/users/staff3", R"({"password":"short"})", admin).status == 400);
    CHECK(m.s.call("PUT", "/api/admin/users/nobody", R"({"counter":1})", admin).status == 404);

    REQUIRE(m.s.call("POST", "/api/admin/users/staff2/logout", "", admin).status == 200);
    CHECK(m.s.call("GET", "/api/state", "", m.staff2).status == 401);
    REQUIRE(m.s.call("DELETE", "/api/admin/users/staff1", "", admin).status == 200);
    CHECK(m.s.call("GET", "/api/state", "", m.staff1).status == 401);
    CHECK(m.s.post("/api/login", {{"user", "staff1"}, {"password", "staff-password"}}, "").status == 401);
    m.s.restart();
    CHECK(m.s.call("GET", "/api/admin/users", "", admin).body["users"].size() == 4);
}

TEST_CASE("device tokens are listed and revoked live, and kiosks report their printers to managers") {
    ServedMorning m;
    const std::string admin = m.admin();
    WsClient ws(m.s.port, m.s.display, m.s.seq());
    auto r = m.s.post("/api/devices/status", {{"printer", "paper_out"}, {"detail", "hết giấy"}}, m.s.kiosk);
    REQUIRE(r.status == 200);
    json notice;
    for (int i = 0; i < 5 && notice.is_null(); ++i)
        if (json e = ws.next(); e["type"] == "device_status") notice = e;
    CHECK(notice["device"] == "Kiosk 1");
    CHECK(notice["printer"] == "paper_out");
    CHECK(m.s.call("GET", "/api/state", "", m.s.display).body["devices"][0]["printer"] == "paper_out");
    CHECK(m.s.post("/api/devices/status", {{"printer", "on fire"}}, m.s.kiosk).status == 400);
    CHECK(m.s.post("/api/devices/status", {{"printer", "ok"}}, m.staff1).status == 403);

    const json devices = m.s.call("GET", "/api/admin/devices", "", admin).body["devices"];
    REQUIRE(devices.size() == 2);
    json kiosk;
    for (const auto& d : devices)
        if (d["role"] == "kiosk") kiosk = d;
    CHECK(kiosk["printer"]["state"] == "paper_out");
    CHECK(kiosk.dump().find(m.s.kiosk) == std::string::npos);  // tokens are never shown again
    REQUIRE(m.s.call("DELETE", "/api/admin/devices/" + kiosk["id"].get<std::string>(), "", admin).status == 200);
    CHECK(m.s.post("/api/tickets", {{"service", "A"}}, m.s.kiosk).status == 401);
    CHECK(m.s.call("DELETE", "/api/admin/devices/0123456789abcdef", "", admin).status == 404);
    m.s.restart();
    CHECK(m.s.post("/api/tickets", {{"service", "A"}}, m.s.kiosk).status == 401);
}

TEST_CASE("stats by wait bucket and weekday-hour, and every ticket of a range as CSV") {
    ServedMorning m;
    REQUIRE(m.s.post("/api/tickets", {{"service", "B"}}, m.s.kiosk).status == 201);  // never called
    const std::string manager = m.s.login("manager", "manager-password");
    auto wait = m.s.call("GET", "/api/stats?from=20261124&by=wait", "", manager).body["rows"];
    REQUIRE(wait.size() == 4);
    CHECK(wait[0]["key"] == "-");
    CHECK(wait[0]["issued"] == 1);
    CHECK(wait[1]["key"] == "005");  // 7 minutes
    CHECK(wait[2]["key"] == "015");  // 17 minutes
    auto heat = m.s.call("GET", "/api/stats?from=20261124&by=weekday_hour", "", manager).body["rows"];
    CHECK(heat[0]["key"] == "2-08");  // Tuesday, 08:xx local
    auto calls = m.s.call("GET", "/api/stats?from=20261124&by=call_hour", "", manager).body["rows"];
    REQUIRE(calls.size() == 3);
    CHECK(calls[0]["key"] == "-");
    CHECK(calls[1]["key"] == "08");
    CHECK(calls[1]["called"] == 2);

    auto csv = m.s.call("GET", "/api/stats/tickets?from=20261124&to=20261124", "", manager);
    REQUIRE(csv.status == 200);
    CHECK(csv.raw.rfind("day,number,issued_service,service,category,priority,source,state,counter,staff,", 0) == 0);
    CHECK(csv.raw.find("\r\n20261124,A001,A,A,normal,0,kiosk:Kiosk 1,done,1,staff1,2026-11-24 08:00:00,"
                       "2026-11-24 08:07:00,2026-11-24 08:07:00,2026-11-24 08:17:00,420,600,") != std::string::npos);
    CHECK(std::count(csv.raw.begin(), csv.raw.end(), '\n') == 4);
    CHECK(m.s.call("GET", "/api/stats/tickets?from=20261124", "", m.staff1).status == 403);
    CHECK(m.s.call("GET", "/api/stats/tickets?from=20261130&to=20261101", "", manager).body["error"]["code"] == "bad_range");
}

TEST_CASE("GET /api/me says who a token belongs to, for a page opened again") {
    TestServer s;
    const json me = s.call("GET", "/api/me", "", s.staff(2)).body;
    CHECK(me["role"] == "staff");
    CHECK(me["name"] == "staff2");
    CHECK(me["counter"] == 2);
    CHECK(s.call("GET", "/api/me", "", s.display).body["role"] == "display");
    CHECK(s.call("GET", "/api/me", "", "expired-or-made-up").status == 401);
}

TEST_CASE("a session ends after its working day, also across a restart") {
    TestServer s;
    const std::string staff = s.staff(1);
    s.clock_ms += api::Auth::kSessionMs - 1000;
    CHECK(s.call("GET", "/api/me", "", staff).status == 200);
    s.restart();
    CHECK(s.call("GET", "/api/me", "", staff).status == 200);
    s.clock_ms += 1000;
    const auto expired = s.call("GET", "/api/me", "", staff);
    CHECK(expired.status == 401);
    CHECK(expired.body["error"]["code"] == "unauthorized");
    CHECK(s.call("GET", "/api/me", "", s.kiosk).status == 200);  // device tokens do not expire
}

TEST_CASE("several groupings in one request give the same rows as one request each") {
    ServedMorning m;
    const std::string manager = m.s.login("manager", "manager-password");
    const json both = m.s.call("GET", "/api/stats?from=20261124&by=staff,wait,service", "", manager).body;
    REQUIRE(both["by"] == json({"staff", "wait", "service"}));
    for (const char* by : {"staff", "wait", "service"})
        CHECK(both["groups"][by] == m.s.call("GET", std::string("/api/stats?from=20261124&by=") + by, "", manager).body["rows"]);
    CHECK(m.s.call("GET", "/api/stats?from=20261124&by=staff,colour", "", manager).status == 400);
    CHECK(m.s.call("GET", "/api/stats?from=20261124&by=staff,wait&format=csv", "", manager).status == 400);
}
