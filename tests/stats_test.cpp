// stats_test: the managers' figures (queue-server/stats) from a real center
// database written by the real server: a morning of tickets with known times,
// then every grouping checked to the second, and the ranges that are refused.
#include <catch2/catch.hpp>

#include "stats.hpp"
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
