// seeded_year: one year of a busy center written straight into the tickets
// view of a real center database (the schema the store creates), with
// plausible times — for the benches that read a year (stats, backup, shipping):
// what they measure is the reading, not how the rows got there.
#pragma once
#include <algorithm>
#include <filesystem>
#include <random>
#include <string>

#include "sqlite/sqlite.hpp"
#include "store/store.hpp"

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

}  // namespace
