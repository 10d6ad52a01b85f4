// visit_stats_test: the counter's real day in the managers' figures (issue 22),
// through the API of a real server with an injected clock: one morning of
// visits across desks, a park and its return, chosen calls with reasons,
// outcomes, sign-in and out, breaks — and every figure of the visits, outcomes,
// out-of-order and staff reports checked to the second against times worked
// out by hand below, in JSON and CSV, with the tickets CSV's new columns, the
// library's numbers equal to the API's, and the routes refused to staff.
#include <catch2/catch.hpp>

#include <fstream>

#include "stats/stats.hpp"
#include "test_server.hpp"

using testing::TestServer;
using json = nlohmann::json;

namespace {

constexpr const char* kMarriage = "1.000894";  // Đăng ký kết hôn, in the sample catalog
constexpr const char* kBirth = "1.001193";     // Đăng ký khai sinh
constexpr const char* kDossier = "000.00.01.H29-261124-0001";
constexpr int32_t kDay = 20261124;

std::string sample_catalog() {
    std::ifstream in(SAMPLE_CATALOG, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The morning, local time (the clock starts at 08:00). A's visits go on to B,
// which asks for the outcome. Counter 1 serves A, counter 2 B then A, counter 3 C.
//   08:00 staff1, staff2, staff3 sign in at counters 1, 2, 3; A001–A004, C001, C002 issued
//   08:02 c1 calls A001 (idle 2 min)         08:03 starts      08:08 finishes: on to B
//   08:04 c3 calls C002 out of order (idle 4) 08:05 starts      08:09 finishes: marriage, advised only
//   08:10 c2 calls A001 at B (idle 10: A's line, its second tier, held people since 08:00)  08:11 starts  08:12 parks it for 15 min
//   08:13 c1 calls A002 (idle 5)             08:15 starts      08:20 finishes: on to B
//   08:14 c3 calls C001 (idle 5)             08:19 no-show
//   08:15–08:20 c2 on a break "Họp giao ban"; 08:19–08:29 c3 on a break "Nghỉ giải lao"
//   08:22 c2 takes A001 back (no idle: parked, it waited in no line)  08:30 finishes: birth, dossier, received
//   08:31 c2 calls A002 at B (idle 1)        08:32 starts      08:40 finishes: birth, returned for supplement
//   08:41 c1 calls A004 out of order (idle 21) 08:42 starts    08:44 finishes: on to B, where it waits
//   08:45 staff1 signs out; 08:50 staff3 signs out; 08:50–08:55 c2 on a break "Họp giao ban" again
//   A003 waits all morning; staff2 is still signed in at 09:00, when the reports are read.
struct Morning {
    TestServer s;
    std::string admin = s.login("admin", s.admin_password), manager = s.login("manager", "manager-password");
    std::string staff1 = s.staff(1), staff2 = s.staff(2), staff3 = s.staff(3);
    std::map<std::string, int64_t> id;  // number → ticket id

    void at(int hh, int mm) {
        const int64_t ms = TestServer::kStartMs + ((hh - 8) * 60 + mm) * 60'000LL;
        REQUIRE(ms >= s.clock_ms.load());
        s.clock_ms = ms;
    }
    json ok(const std::string& path, const json& body, const std::string& token) {
        auto r = s.post(path, body, token);
        INFO(path << ": " << r.raw);
        REQUIRE((r.status == 200 || r.status == 201));
        return r.body;
    }
    json act(const std::string& number, const std::string& verb, const std::string& token, const json& body = json::object()) {
        return ok("/api/tickets/" + std::to_string(id.at(number)) + "/" + verb, body, token);
    }
    void next(int counter, const std::string& token, const std::string& number) {
        CHECK(ok("/api/counters/" + std::to_string(counter) + "/next", json::object(), token)["ticket"]["number"] == number);
    }
    void choose(int counter, const std::string& token, const std::string& number, const std::string& reason) {
        ok("/api/counters/" + std::to_string(counter) + "/call", {{"ticket", id.at(number)}, {"reason", reason}}, token);
    }
    static json outcome(const char* procedure, const char* result, const char* dossier = "") {
        json o = {{"procedure", procedure}, {"result", result}};
        if (*dossier) o["dossier"] = dossier;
        return {{"outcome", o}};
    }

    Morning() {
        json center = s.call("GET", "/api/admin/center", "", admin).body;
        center["services"][0]["next_steps"] = {"B"};
        center["services"][1]["outcome"] = "required";
        REQUIRE(s.call("PUT", "/api/admin/center", center.dump(), admin).status == 200);
        REQUIRE(s.call("POST", "/api/admin/catalog", sample_catalog(), admin).status == 200);
        ok("/api/counters/1/sign-in", json::object(), staff1);
        ok("/api/counters/2/sign-in", json::object(), staff2);
        ok("/api/counters/3/sign-in", json::object(), staff3);
        for (const char* service : {"A", "A", "A", "A", "C", "C"}) {
            const json t = ok("/api/tickets", {{"service", service}}, s.kiosk);
            id[t["number"]] = t["id"].get<int64_t>();
        }
        at(8, 2); next(1, staff1, "A001");
        at(8, 3); act("A001", "start", staff1);
        at(8, 4); choose(3, staff3, "C002", "Người dùng máy trợ thính");
        at(8, 5); act("C002", "start", staff3);
        at(8, 8); act("A001", "finish", staff1);
        at(8, 9); act("C002", "finish", staff3, outcome(kMarriage, "advised_only"));
        at(8, 10); next(2, staff2, "A001");
        at(8, 11); act("A001", "start", staff2);
        at(8, 12); act("A001", "park", staff2, {{"minutes", 15}, {"reason", "Đi bổ sung giấy tờ"}});
        at(8, 13); next(1, staff1, "A002");
        at(8, 14); next(3, staff3, "C001");
        at(8, 15); act("A002", "start", staff1);
        ok("/api/counters/2/pause", {{"reason", "Họp giao ban"}}, staff2);
        at(8, 19); act("C001", "no-show", staff3);
        ok("/api/counters/3/pause", {{"reason", "Nghỉ giải lao"}}, staff3);
        at(8, 20); act("A002", "finish", staff1);
        ok("/api/counters/2/resume", json::object(), staff2);
        at(8, 22); act("A001", "return", staff2);
        at(8, 29); ok("/api/counters/3/resume", json::object(), staff3);
        at(8, 30); act("A001", "finish", staff2, outcome(kBirth, "received", kDossier));
        at(8, 31); next(2, staff2, "A002");
        at(8, 32); act("A002", "start", staff2);
        at(8, 40); act("A002", "finish", staff2, outcome(kBirth, "returned_for_supplement"));
        at(8, 41); choose(1, staff1, "A004", "Nhầm số, gọi lại đúng người");
        at(8, 42); act("A004", "start", staff1);
        at(8, 44); act("A004", "finish", staff1);
        at(8, 45); ok("/api/counters/1/sign-out", json::object(), staff1);
        at(8, 50); ok("/api/counters/3/sign-out", json::object(), staff3);
        ok("/api/counters/2/pause", {{"reason", "Họp giao ban"}}, staff2);
        at(8, 55); ok("/api/counters/2/resume", json::object(), staff2);
        at(9, 0);
    }

    testing::HttpReply get(const std::string& route, const std::string& extra = "", const std::string& token = "") {
        return s.call("GET", route + "?from=20261124&to=20261124" + extra, "", token.empty() ? manager : token);
    }
    json report(const std::string& route) {
        auto r = get(route);
        INFO(route << ": " << r.raw);
        REQUIRE(r.status == 200);
        CHECK(r.body["from"] == kDay);
        CHECK(r.body["to"] == kDay);
        return r.body;
    }
    std::string csv(const std::string& route, const std::string& extra = "") {
        auto r = get(route, "&format=csv" + extra);
        REQUIRE(r.status == 200);
        CHECK(r.content_type == "text/csv; charset=utf-8");
        return r.raw;
    }
};

double seconds(const json& v) { return v.get<double>(); }

}  // namespace

TEST_CASE("visits: each service as a step - waits - service - parks - and whole visits by their number of steps - JSON and CSV", "[visit-stats][api]") {
    Morning m;
    const json r = m.report("/api/stats/visits");
    const json& steps = r["steps"];
    REQUIRE(steps.size() == 4);
    // A: A001 waited 2 min, A002 13, A004 41 (A003 never called); served 5, 5 and 2 min.
    CHECK(steps[0] == json({{"service", "A"}, {"total", false}, {"steps", 4}, {"called", 3}, {"served", 3}, {"no_show", 0},
                            {"cancelled", 0}, {"wait_avg_s", 1120.0}, {"wait_median_s", 780.0}, {"wait_p90_s", 2460.0},
                            {"service_avg_s", 240.0}, {"parks", 0}, {"parked_steps", 0}, {"parked_s", 0.0}}));
    // B: A001 waited 2 min from its finish at A, A002 11; served 19 min (its 10 parked inside) and 8; one park of 10 min.
    CHECK(steps[1] == json({{"service", "B"}, {"total", false}, {"steps", 3}, {"called", 2}, {"served", 2}, {"no_show", 0},
                            {"cancelled", 0}, {"wait_avg_s", 390.0}, {"wait_median_s", 120.0}, {"wait_p90_s", 660.0},
                            {"service_avg_s", 810.0}, {"parks", 1}, {"parked_steps", 1}, {"parked_s", 600.0}}));
    // C: C002 waited 4 min, C001 14 (then a no-show); C002 served 4.
    CHECK(steps[2] == json({{"service", "C"}, {"total", false}, {"steps", 2}, {"called", 2}, {"served", 1}, {"no_show", 1},
                            {"cancelled", 0}, {"wait_avg_s", 540.0}, {"wait_median_s", 240.0}, {"wait_p90_s", 840.0},
                            {"service_avg_s", 240.0}, {"parks", 0}, {"parked_steps", 0}, {"parked_s", 0.0}}));
    const json& all = steps[3];
    CHECK(all["total"] == true);
    CHECK(all["service"] == "");
    CHECK(all["steps"] == 9);
    CHECK(all["called"] == 7);
    CHECK(all["served"] == 6);
    CHECK(all["no_show"] == 1);
    CHECK(seconds(all["wait_avg_s"]) == Approx(5220.0 / 7));
    CHECK(all["wait_median_s"] == 660.0);  // of 2, 2, 4, 11, 13, 14, 41 minutes
    CHECK(all["wait_p90_s"] == 2460.0);
    CHECK(all["service_avg_s"] == 430.0);  // (5 + 5 + 2 + 19 + 8 + 4) minutes / 6
    CHECK(all["parks"] == 1);
    CHECK(all["parked_s"] == 600.0);

    // Visits: C002 (one step, 9 min); A001 (08:00–08:30) and A002 (08:00–08:40) of two; A003, C001, A004 not done.
    const json& visits = r["visits"];
    REQUIRE(visits.size() == 3);
    CHECK(visits[0] == json({{"steps", 1}, {"total", false}, {"visits", 3}, {"completed", 1}, {"steps_avg", 1.0},
                             {"time_avg_s", 540.0}, {"time_median_s", 540.0}, {"time_p90_s", 540.0}}));
    CHECK(visits[1] == json({{"steps", 2}, {"total", false}, {"visits", 3}, {"completed", 2}, {"steps_avg", 2.0},
                             {"time_avg_s", 2100.0}, {"time_median_s", 1800.0}, {"time_p90_s", 2400.0}}));
    CHECK(visits[2] == json({{"steps", 0}, {"total", true}, {"visits", 6}, {"completed", 3}, {"steps_avg", 1.5},
                             {"time_avg_s", 1580.0}, {"time_median_s", 1800.0}, {"time_p90_s", 2400.0}}));

    CHECK(m.csv("/api/stats/visits") ==
          "service,steps,called,served,no_show,cancelled,wait_avg_s,wait_median_s,wait_p90_s,service_avg_s,parks,parked_steps,parked_s\r\n"
          "A,4,3,3,0,0,1120.0,780.0,2460.0,240.0,0,0,0.0\r\n"
          "B,3,2,2,0,0,390.0,120.0,660.0,810.0,1,1,600.0\r\n"
          "C,2,2,1,1,0,540.0,240.0,840.0,240.0,0,0,0.0\r\n"
          "total,9,7,6,1,0,745.7,660.0,2460.0,430.0,1,1,600.0\r\n");
    CHECK(m.csv("/api/stats/visits", "&table=visits") ==
          "steps,visits,completed,steps_avg,time_avg_s,time_median_s,time_p90_s\r\n"
          "1,3,1,1.00,540.0,540.0,540.0\r\n"
          "2,3,2,2.00,2100.0,1800.0,2400.0\r\n"
          "total,6,3,1.50,1580.0,1800.0,2400.0\r\n");
}

TEST_CASE("outcomes by procedure and result - dossiers received - JSON and CSV - and the tickets CSV carries each visit's steps and outcome", "[visit-stats][api]") {
    Morning m;
    const json rows = m.report("/api/stats/outcomes")["rows"];
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == json({{"procedure", kMarriage}, {"total", false}, {"outcomes", 1}, {"received", 0},
                           {"returned_for_supplement", 0}, {"advised_only", 1}, {"refused", 0}, {"result_returned", 0},
                           {"no_result", 0}, {"dossiers", 0}}));
    CHECK(rows[1] == json({{"procedure", kBirth}, {"total", false}, {"outcomes", 2}, {"received", 1},
                           {"returned_for_supplement", 1}, {"advised_only", 0}, {"refused", 0}, {"result_returned", 0},
                           {"no_result", 0}, {"dossiers", 1}}));
    CHECK(rows[2] == json({{"procedure", ""}, {"total", true}, {"outcomes", 3}, {"received", 1}, {"returned_for_supplement", 1},
                           {"advised_only", 1}, {"refused", 0}, {"result_returned", 0}, {"no_result", 0}, {"dossiers", 1}}));
    CHECK(m.csv("/api/stats/outcomes") ==
          "procedure,outcomes,received,returned_for_supplement,advised_only,refused,result_returned,no_result,dossiers\r\n"
          "1.000894,1,0,0,1,0,0,0,0\r\n"
          "1.001193,2,1,1,0,0,0,0,1\r\n"
          "total,3,1,1,1,0,0,0,1\r\n");

    // The tickets CSV: steps, procedure, dossier and result before the rating; `booking` still last.
    const std::string tickets = m.get("/api/stats/tickets").raw;
    CHECK(tickets.starts_with("day,number,issued_service,service,category,priority,source,state,counter,staff,issued_at,"
                              "first_called_at,started_at,finished_at,wait_s,service_s,est_wait_s,recalls,transfers,"
                              "steps,procedure,dossier,result,rating,rating_reason,booking\r\n"));
    CHECK(tickets.find("\r\n20261124,A001,A,B,normal,0,kiosk:Kiosk 1,done,2,staff2,2026-11-24 08:00:00,2026-11-24 08:02:00,") !=
          std::string::npos);
    CHECK(tickets.find(",0,0,2,1.001193,000.00.01.H29-261124-0001,received,0,,walk_in\r\n") != std::string::npos);  // A001
    CHECK(tickets.find(",0,0,2,1.001193,,returned_for_supplement,0,,walk_in\r\n") != std::string::npos);             // A002
    CHECK(tickets.find(",0,0,1,1.000894,,advised_only,0,,walk_in\r\n") != std::string::npos);                        // C002
    CHECK(tickets.find(",0,0,1,,,,0,,walk_in\r\n") != std::string::npos);                                            // A003
}

TEST_CASE("calls out of order: the audit list in local time with reasons - every caller's count - JSON and CSV", "[visit-stats][api]") {
    Morning m;
    const json r = m.report("/api/stats/out-of-order");
    const int64_t start = TestServer::kStartMs;
    REQUIRE(r["rows"].size() == 2);
    CHECK(r["rows"][0] == json({{"at", start + 4 * 60'000}, {"time", "2026-11-24 08:04:00"}, {"day", kDay}, {"number", "C002"},
                                {"service", "C"}, {"counter", 3}, {"staff", "staff3"}, {"reason", "Người dùng máy trợ thính"}}));
    CHECK(r["rows"][1] == json({{"at", start + 41 * 60'000}, {"time", "2026-11-24 08:41:00"}, {"day", kDay}, {"number", "A004"},
                                {"service", "A"}, {"counter", 1}, {"staff", "staff1"}, {"reason", "Nhầm số, gọi lại đúng người"}}));
    CHECK(r["by_staff"] == json::parse(R"([{"staff":"staff1","calls":3,"out_of_order":1},
                                           {"staff":"staff2","calls":3,"out_of_order":0},
                                           {"staff":"staff3","calls":2,"out_of_order":1}])"));
    CHECK(m.csv("/api/stats/out-of-order") ==
          "time,number,service,counter,staff,reason\r\n"
          "2026-11-24 08:04:00,C002,C,3,staff3,Người dùng máy trợ thính\r\n"
          "2026-11-24 08:41:00,A004,A,1,staff1,\"Nhầm số, gọi lại đúng người\"\r\n");
}

TEST_CASE("staff figures per staff and counter: served - service - walk - idle while people waited - out of order - signed in - breaks with reasons", "[visit-stats][api]") {
    Morning m;
    const json rows = m.report("/api/stats/staff")["rows"];
    REQUIRE(rows.size() == 4);
    // staff1: A001 (5 min, walk 1), A002 (5, walk 2), A004 (2, walk 1); idle 2 + 5 + 21 min; 08:00–08:45.
    CHECK(rows[0] == json({{"staff", "staff1"}, {"counter", 1}, {"total", false}, {"calls", 3}, {"served", 3},
                           {"service_avg_s", 240.0}, {"walk_avg_s", 80.0}, {"idle_s", 1680.0}, {"out_of_order", 1},
                           {"signed_in_s", 2700.0}, {"breaks", 0}, {"break_s", 0.0}, {"break_reasons", json::array()}}));
    // staff2: A001 at B (19 min, walk 1), A002 at B (8, walk 1); three calls (one a return), idle 10 + 0 (the return) + 1;
    // still signed in: 08:00 to now, 09:00; two breaks of 5 minutes.
    CHECK(rows[1] == json({{"staff", "staff2"}, {"counter", 2}, {"total", false}, {"calls", 3}, {"served", 2},
                           {"service_avg_s", 810.0}, {"walk_avg_s", 60.0}, {"idle_s", 660.0}, {"out_of_order", 0},
                           {"signed_in_s", 3600.0}, {"breaks", 2}, {"break_s", 600.0},
                           {"break_reasons", json::parse(R"([{"reason":"Họp giao ban","breaks":2,"seconds":600.0}])")}}));
    // staff3: C002 (4 min, walk 1); C001 a no-show, never started; idle 4 + 5; 08:00–08:50, a break of 10.
    CHECK(rows[2] == json({{"staff", "staff3"}, {"counter", 3}, {"total", false}, {"calls", 2}, {"served", 1},
                           {"service_avg_s", 240.0}, {"walk_avg_s", 60.0}, {"idle_s", 540.0}, {"out_of_order", 1},
                           {"signed_in_s", 3000.0}, {"breaks", 1}, {"break_s", 600.0},
                           {"break_reasons", json::parse(R"([{"reason":"Nghỉ giải lao","breaks":1,"seconds":600.0}])")}}));
    CHECK(rows[3] == json({{"staff", ""}, {"counter", 0}, {"total", true}, {"calls", 8}, {"served", 6}, {"service_avg_s", 430.0},
                           {"walk_avg_s", 70.0}, {"idle_s", 2880.0}, {"out_of_order", 2}, {"signed_in_s", 9300.0},
                           {"breaks", 3}, {"break_s", 1200.0},
                           {"break_reasons", json::parse(R"([{"reason":"Họp giao ban","breaks":2,"seconds":600.0},
                                                             {"reason":"Nghỉ giải lao","breaks":1,"seconds":600.0}])")}}));
    CHECK(m.csv("/api/stats/staff") ==
          "staff,counter,calls,served,service_avg_s,walk_avg_s,idle_s,out_of_order,signed_in_s,breaks,break_s,break_reasons\r\n"
          "staff1,1,3,3,240.0,80.0,1680.0,1,2700.0,0,0.0,\r\n"
          "staff2,2,3,2,810.0,60.0,660.0,0,3600.0,2,600.0,Họp giao ban (2): 600 s\r\n"
          "staff3,3,2,1,240.0,60.0,540.0,1,3000.0,1,600.0,Nghỉ giải lao (1): 600 s\r\n"
          "total,,8,6,430.0,70.0,2880.0,2,9300.0,3,1200.0,Họp giao ban (2): 600 s; Nghỉ giải lao (1): 600 s\r\n");

    // The next morning, the shift staff2 never signed out of ended with its day: 08:00 to midnight.
    m.s.clock_ms = TestServer::kStartMs + 24 * 3'600'000LL;
    m.manager = m.s.login("manager", "manager-password");  // yesterday's session has run out
    const json later = m.report("/api/stats/staff")["rows"];
    CHECK(later[1]["signed_in_s"] == 16 * 3600.0);
    CHECK(later[3]["signed_in_s"] == 2700.0 + 16 * 3600.0 + 3000.0);
}

TEST_CASE("the day's reports are the managers' - staff get 403 - bad ranges and fields 400 - a quiet day has its total rows - the library equals the API", "[visit-stats][api]") {
    Morning m;
    for (const char* route : {"/api/stats/visits", "/api/stats/outcomes", "/api/stats/out-of-order", "/api/stats/staff"}) {
        INFO(route);
        CHECK(m.get(route, "", m.staff1).status == 403);
        CHECK(m.s.call("GET", std::string(route) + "?from=20261124").status == 401);
        CHECK(m.get(route, "", m.admin).status == 200);
        auto reversed = m.s.call("GET", std::string(route) + "?from=20261125&to=20261124", "", m.manager);
        CHECK(reversed.status == 400);
        CHECK(reversed.body["error"]["code"] == "bad_range");
        CHECK(m.get(route, "&format=xml").body["error"]["code"] == "bad_field");
        // The day before: nothing but the total rows.
        auto quiet = m.s.call("GET", std::string(route) + "?from=20261123", "", m.manager);
        REQUIRE(quiet.status == 200);
        if (quiet.body.contains("steps")) {
            CHECK(quiet.body["steps"].size() == 1);
            CHECK(quiet.body["visits"] == json::parse(R"([{"steps":0,"total":true,"visits":0,"completed":0,"steps_avg":0.0,
                "time_avg_s":0.0,"time_median_s":0.0,"time_p90_s":0.0}])"));
        } else if (quiet.body.contains("by_staff")) {
            CHECK(quiet.body["rows"].empty());
            CHECK(quiet.body["by_staff"].empty());
        } else {
            REQUIRE(quiet.body["rows"].size() == 1);
            CHECK(quiet.body["rows"][0]["total"] == true);
        }
    }
    CHECK(m.get("/api/stats/visits", "&format=csv&table=days").body["error"]["code"] == "bad_field");

    // The library, read straight from the database, says what the API says.
    stats::Stats st(m.s.dir / "center.db", "UTC+07:00");
    const stats::Query q{kDay, kDay};
    const json api = m.report("/api/stats/visits");
    const auto steps = st.visits(q).steps;
    REQUIRE(steps.size() == api["steps"].size());
    for (size_t i = 0; i < steps.size(); ++i) {
        CHECK(api["steps"][i]["served"] == steps[i].served);
        CHECK(seconds(api["steps"][i]["wait_avg_s"]) == steps[i].wait_avg_s);
        CHECK(seconds(api["steps"][i]["service_avg_s"]) == steps[i].service_avg_s);
    }
    const auto staff = st.staff_figures(q, m.s.clock_ms.load());
    const json api_staff = m.report("/api/stats/staff")["rows"];
    REQUIRE(staff.size() == api_staff.size());
    for (size_t i = 0; i < staff.size(); ++i) {
        CHECK(api_staff[i]["staff"] == staff[i].staff);
        CHECK(seconds(api_staff[i]["idle_s"]) == staff[i].idle_s);
        CHECK(seconds(api_staff[i]["signed_in_s"]) == staff[i].signed_in_s);
    }
    CHECK(st.outcomes(q).back().outcomes == 3);
    CHECK(st.out_of_order(q).calls.size() == 2);
}
