// stats_bench: the managers' statistics over one year of a busy center — about
// 300,000 tickets, 30 counters, 10 services — each grouping the dashboard asks
// for timed (p50/p99 over repeated runs) over the whole year, a month and a day,
// and the raw tickets CSV export of a month and of the year.
// Prints figures; passes or fails on nothing.
//
// The year is written straight into the tickets view of a real center database
// (the schema the store creates), with plausible times: the query is what is
// measured, not how the rows got there.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "common/local_time.hpp"
#include "sqlite.hpp"
#include "stats.hpp"
#include "store.hpp"
#include "temp_dir.hpp"

using Steady = std::chrono::steady_clock;

namespace {

// 2026-01-01 00:00 local (UTC+7) in UTC ms, and local days of 2026 as yyyymmdd.
constexpr int64_t kYearStart = 1'767'200'400'000;
int32_t day_of(int d) {
    static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m = 0;
    while (d >= lengths[m]) d -= lengths[m++];
    return 20260000 + (m + 1) * 100 + d + 1;
}

void seed(const std::filesystem::path& db, int tickets, int counters) {
    { store::Store create(db); }
    sqlite::Database d(db.string());
    sqlite::Transaction t(d);
    sqlite::Statement insert(d,
                             "INSERT INTO tickets(id, day, number, service, issued_service, category, priority, source, state, "
                             "counter, issued_at, first_called_at, called_at, started_at, finished_at, people_ahead, "
                             "est_wait_s, updated_seq, staff, rating) VALUES (?1, ?2, ?3, ?4, ?4, 'normal', 0, 'kiosk:1', ?5, ?6, "
                             "?7, ?8, ?8, ?9, ?10, 0, ?11, ?1, ?12, ?13)");
    std::mt19937 rng(42);
    const char* services[] = {"A", "B", "C", "D", "E", "F", "G", "H", "K", "L"};
    const int per_day = tickets / 365;
    for (int i = 0; i < tickets; ++i) {
        const int nth_day = std::min(364, i / per_day);
        const int64_t issued = kYearStart + int64_t{nth_day} * 86'400'000 + (7 * 3600 + 30 * 60 + static_cast<int64_t>(rng() % (9 * 3600))) * 1000;
        const int64_t wait = 60'000 + rng() % 1'800'000, serve = 120'000 + rng() % 900'000;
        const unsigned fate = rng() % 100;
        const char* state = fate < 90 ? "done" : fate < 96 ? "no_show" : "cancelled";
        insert.bind(1, int64_t{i + 1}).bind(2, int64_t{day_of(nth_day)}).bind(3, "A" + std::to_string(i % 999 + 1));
        insert.bind(4, services[rng() % 10]).bind(5, state);
        if (fate < 96) {
            const int counter = 1 + static_cast<int>(rng() % counters);
            insert.bind(6, int64_t{counter}).bind(7, issued).bind(8, issued + wait).bind(12, "staff" + std::to_string(counter));
            if (fate < 90) insert.bind(9, issued + wait + 30'000).bind(10, issued + wait + serve);
            else insert.bind_null(9).bind_null(10);
        } else {
            insert.bind_null(6).bind(7, issued).bind_null(8).bind_null(9).bind_null(10).bind_null(12);
        }
        if (fate < 30) insert.bind(13, int64_t{1 + static_cast<int>(rng() % 3)});  // a third of the served rate it
        else insert.bind_null(13);
        insert.bind(11, int64_t{static_cast<int>(wait / 1000 + rng() % 600) - 300});
        insert.run();
    }
    t.commit();
}

double ms_since(Steady::time_point t) { return std::chrono::duration<double, std::milli>(Steady::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"stats_bench: dashboard statistics over a year of tickets"};
    int tickets = 300'000, counters = 30, runs = 9;
    cli.add_option("--tickets", tickets);
    cli.add_option("--counters", counters);
    cli.add_option("--runs", runs);
    CLI11_PARSE(cli, argc, argv);

    testing::TempDir dir;
    const auto db = dir / "center.db";
    const auto t0 = Steady::now();
    seed(db, tickets, counters);
    std::printf("stats_bench: %d tickets over 2026, %d counters, 10 services (seeded in %.1f s)\n", tickets, counters,
                ms_since(t0) / 1000);
    stats::Stats st(db, "UTC+07:00");
    const std::pair<const char*, stats::GroupBy> groupings[] = {{"service", stats::GroupBy::service},
                                                                {"counter", stats::GroupBy::counter},
                                                                {"staff", stats::GroupBy::staff},
                                                                {"hour", stats::GroupBy::hour},
                                                                {"call_hour", stats::GroupBy::call_hour},
                                                                {"weekday", stats::GroupBy::weekday},
                                                                {"weekday_hour", stats::GroupBy::weekday_hour},
                                                                {"day", stats::GroupBy::day},
                                                                {"wait", stats::GroupBy::wait}};
    const std::tuple<const char*, int32_t, int32_t> ranges[] = {
        {"year", 20260101, 20261231}, {"month", 20261101, 20261130}, {"day", 20261124, 20261124}};
    for (const auto& [range, from, to] : ranges) {
        for (const auto& [name, by] : groupings) {
            std::vector<double> times;
            size_t rows = 0;
            for (int i = 0; i < runs; ++i) {
                const auto q0 = Steady::now();
                rows = st.summary({from, to, by, 900}).size();
                times.push_back(ms_since(q0));
            }
            std::sort(times.begin(), times.end());
            std::printf("  %-5s by %-12s p50 %7.1f ms   p99 (max of %d) %7.1f ms   %zu rows\n", range, name,
                        times[times.size() / 2], runs, times.back(), rows);
        }
    }
    // The statistics page: its table and three charts in one pass.
    for (const auto& [range, from, to] : ranges) {
        std::vector<double> times;
        for (int i = 0; i < runs; ++i) {
            const auto q0 = Steady::now();
            st.summaries({from, to}, {stats::GroupBy::service, stats::GroupBy::wait, stats::GroupBy::weekday_hour,
                                      stats::GroupBy::day});
            times.push_back(ms_since(q0));
        }
        std::sort(times.begin(), times.end());
        std::printf("  %-5s page (4 groupings, 1 pass) p50 %7.1f ms   p99 (max of %d) %7.1f ms\n", range,
                    times[times.size() / 2], runs, times.back());
    }
    for (const auto& [range, from, to] : {ranges[1], ranges[0]}) {
        std::vector<double> times;
        size_t bytes = 0;
        for (int i = 0; i < std::max(3, runs / 3); ++i) {
            const auto q0 = Steady::now();
            bytes = st.tickets_csv({from, to}).size();
            times.push_back(ms_since(q0));
        }
        std::sort(times.begin(), times.end());
        std::printf("  %-5s tickets CSV      p50 %7.1f ms   max of %zu %7.1f ms   %.1f MB\n", range, times[times.size() / 2],
                    times.size(), times.back(), static_cast<double>(bytes) / 1e6);
    }
    return 0;
}
