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
#include "sqlite/sqlite.hpp"
#include "stats/stats.hpp"
#include "store/store.hpp"
#include "seeded_year.hpp"
#include "temp_dir.hpp"

using Steady = std::chrono::steady_clock;

namespace {

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
