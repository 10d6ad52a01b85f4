// stats_test: the managers' figures (queue-server/stats) from a real center
// database written by the real server: a morning of tickets with known times,
// then every grouping checked to the second, and the ranges that are refused.
#include <catch2/catch.hpp>

#include "stats/stats.hpp"
#include "test_server.hpp"

using testing::TestServer;
using json = nlohmann::json;

namespace {

struct Morning {
    TestServer s;
    std::map<std::string, int> estimate_s;  // number → est_wait_s given on the ticket

    json issue(const std::string& service) {
        auto r = s.post("/api/tickets", {{"service", service}}, s.kiosk);
        REQUIRE(r.status == 201);
        estimate_s[r.body["number"]] = r.body["est_wait_s"].get<int>();
        return r.body;
    }
    json act(const std::string& target) {
        auto r = s.call("POST", target, "", s.login("admin", s.admin_password));
        REQUIRE(r.status == 200);
        return r.body;
    }
    void minutes(int m) { s.clock_ms += int64_t{m} * 60'000; }

    // 08:00 A001 A002 B001; 08:05 A001 called and started; 08:15 A001 done (10 min),
    // A002 and B001 called; A002 started, done 08:20 (5 min); B001 cancelled; A003 never called.
    Morning() {
        issue("A");
        issue("A");
        const json b1 = issue("B");
        minutes(5);
        const json a1 = act("/api/counters/1/next")["ticket"];
        act("/api/tickets/" + std::to_string(a1["id"].get<int64_t>()) + "/start");
        minutes(10);
        const json a2 = act("/api/counters/1/next")["ticket"];
        REQUIRE(a2["number"] == "A002");
        REQUIRE(act("/api/counters/2/next")["ticket"]["number"] == "B001");
        act("/api/tickets/" + std::to_string(a2["id"].get<int64_t>()) + "/start");
        minutes(5);
        act("/api/tickets/" + std::to_string(a2["id"].get<int64_t>()) + "/finish");
        act("/api/tickets/" + std::to_string(b1["id"].get<int64_t>()) + "/cancel");
        issue("A");
    }
    std::vector<stats::Row> summary(stats::GroupBy by, int target_s = 900) {
        stats::Stats st(s.dir / "center.db", "UTC+07:00");
        return st.summary({20261124, 20261124, by, target_s});
    }
};

}  // namespace

TEST_CASE("stats by service: counts, waits, service times, target and estimate error to the second") {
    Morning m;
    const auto rows = m.summary(stats::GroupBy::service);
    REQUIRE(rows.size() == 3);
    const stats::Row &a = rows[0], &b = rows[1], &total = rows[2];
    CHECK(a.key == "A");
    CHECK(a.issued == 3);
    CHECK(a.called == 2);
    CHECK(a.served == 2);
    CHECK(a.cancelled == 0);
    CHECK(a.wait_avg_s == Approx(600));   // 5 and 15 minutes
    CHECK(a.wait_median_s == Approx(300));  // nearest rank
    CHECK(a.wait_p90_s == Approx(900));
    CHECK(a.service_avg_s == Approx(450));  // 10 and 5 minutes
    CHECK(a.within_target == Approx(1.0));
    CHECK(a.estimate_error_avg_s == Approx((std::abs(m.estimate_s["A001"] - 300) + std::abs(m.estimate_s["A002"] - 900)) / 2.0));
    CHECK(b.key == "B");
    CHECK(b.issued == 1);
    CHECK(b.called == 1);
    CHECK(b.served == 0);
    CHECK(b.cancelled == 1);
    CHECK(b.wait_avg_s == Approx(900));
    CHECK(b.service_avg_s == 0);
    CHECK(total.key == "total");
    CHECK(total.issued == 4);
    CHECK(total.called == 3);
    CHECK(total.served == 2);
    CHECK(total.wait_avg_s == Approx(700));
    CHECK(total.wait_median_s == Approx(900));
    // A tighter target: only the 5-minute wait is within 10 minutes.
    CHECK(m.summary(stats::GroupBy::service, 600)[2].within_target == Approx(1.0 / 3));
}

TEST_CASE("stats by counter, hour, weekday and day") {
    Morning m;
    const auto by_counter = m.summary(stats::GroupBy::counter);
    REQUIRE(by_counter.size() == 4);
    CHECK(by_counter[0].key == "0");  // A003, never called
    CHECK(by_counter[0].issued == 1);
    CHECK(by_counter[1].key == "1");
    CHECK(by_counter[1].served == 2);
    CHECK(by_counter[2].key == "2");
    CHECK(by_counter[2].cancelled == 1);
    const auto by_hour = m.summary(stats::GroupBy::hour);
    REQUIRE(by_hour.size() == 2);
    CHECK(by_hour[0].key == "08");  // local time, not UTC
    CHECK(by_hour[0].issued == 4);
    const auto by_weekday = m.summary(stats::GroupBy::weekday);
    CHECK(by_weekday[0].key == "2");  // 2026-11-24 is a Tuesday
    const auto by_day = m.summary(stats::GroupBy::day);
    CHECK(by_day[0].key == "20261124");
    stats::Stats st(m.s.dir / "center.db", "UTC+07:00");
    const auto other_day = st.summary({20261125, 20261130, stats::GroupBy::day});
    REQUIRE(other_day.size() == 1);  // only the total, empty
    CHECK(other_day[0].issued == 0);
}

TEST_CASE("stats refuse a reversed range, ten years and days that are not dates, with clear words") {
    using stats::Query;
    CHECK_THROWS_WITH(stats::check({20261130, 20261101}), Catch::Contains("reversed"));
    CHECK_THROWS_WITH(stats::check({20160101, 20261231}), Catch::Contains("at most three years"));
    CHECK_THROWS_WITH(stats::check({20261301, 20261302}), Catch::Contains("YYYYMMDD"));
    CHECK_THROWS_WITH(stats::check({2026, 20261130}), Catch::Contains("YYYYMMDD"));
    CHECK_NOTHROW(stats::check({20240101, 20261231}));
}

TEST_CASE("GET /api/stats: managers get the same numbers as JSON or CSV, staff are refused, bad ranges are explained") {
    Morning m;
    const std::string manager = m.s.login("manager", "manager-password");
    auto r = m.s.call("GET", "/api/stats?from=20261124&to=20261124&by=service", "", manager);
    REQUIRE(r.status == 200);
    CHECK(r.body["by"] == "service");
    REQUIRE(r.body["rows"].size() == 3);
    CHECK(r.body["rows"][0]["key"] == "A");
    CHECK(r.body["rows"][0]["issued"] == 3);
    CHECK(r.body["rows"][0]["wait_avg_s"].get<double>() == Approx(600));
    CHECK(r.body["rows"][2]["key"] == "total");

    auto csv = m.s.call("GET", "/api/stats?from=20261124&by=hour&format=csv", "", manager);
    REQUIRE(csv.status == 200);
    CHECK(csv.raw.rfind("key,issued,called,served,no_show,cancelled,", 0) == 0);
    CHECK(csv.raw.find("\r\n08,4,3,2,0,1,700.0,900.0,900.0,450.0,1.0000,") != std::string::npos);
    CHECK(csv.raw.find("\r\ntotal,4,3,2,0,1,") != std::string::npos);

    CHECK(m.s.call("GET", "/api/stats?from=20261124", "", m.s.staff(1)).status == 403);
    CHECK(m.s.call("GET", "/api/stats?from=20261124").status == 401);
    auto reversed = m.s.call("GET", "/api/stats?from=20261130&to=20261101", "", manager);
    CHECK(reversed.status == 400);
    CHECK(reversed.body["error"]["message"].get<std::string>().find("reversed") != std::string::npos);
    auto decade = m.s.call("GET", "/api/stats?from=20160101&to=20261231", "", manager);
    CHECK(decade.status == 400);
    CHECK(decade.body["error"]["message"].get<std::string>().find("three years") != std::string::npos);
    CHECK(m.s.call("GET", "/api/stats?from=yesterday", "", manager).status == 400);
    CHECK(m.s.call("GET", "/api/stats?from=20261124&by=colour", "", manager).body["error"]["code"] == "bad_field");
}
