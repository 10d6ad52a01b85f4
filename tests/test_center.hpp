// test_center: a small center and a hand-turned clock shared by the engine tests.
#pragma once
#include "common/local_time.hpp"
#include "engine/engine.hpp"

namespace testing {

inline engine::Center small_center() {
    engine::Center c;
    c.name = "Trung tâm Phục vụ hành chính công (thử nghiệm)";
    c.level = "province";
    c.services = {
        {"A", "Hộ tịch", "Civil status", "A", 1, 999, 7 * 60 + 30, 17 * 60, 0, false, 300, {}},
        {"B", "Đất đai", "Land", "B", 1, 999, 7 * 60 + 30, 17 * 60, 0, false, 600, {}},
        {"C", "Tư pháp", "Justice", "C", 1, 999, 7 * 60 + 30, 17 * 60, 0, false, 240, {}},
    };
    c.counters = {
        {1, "Quầy 1", {{"A"}}},
        {2, "Quầy 2", {{"B"}, {"A"}}},
        {3, "Quầy 3", {{"C"}}},
    };
    c.categories = engine::default_categories();
    return c;
}

// A clock the test turns by hand, read in Hà Nội time (UTC+7): starts 2026-11-24 08:00.
constexpr int64_t kClockStartMs = 1'795'482'000'000;  // 2026-11-24 01:00:00 UTC
struct Clock {
    int64_t ms = kClockStartMs;
    common::LocalCalendar calendar{"UTC+07:00"};
    common::Instant now() const { return calendar.at(ms); }
    void advance_minutes(int m) { ms += int64_t{m} * 60'000; }
    void advance_seconds(int s) { ms += int64_t{s} * 1000; }
    // 08:00 on the next day.
    void next_day() {
        const auto n = now();
        ms += (24 * 60 - n.minute + 8 * 60) * 60'000LL - ms % 60'000;
    }
    // Put the local time of day to hh:mm, same day.
    void set_time(int hh, int mm) { ms += (hh * 60 + mm - now().minute) * 60'000LL; }
};

}  // namespace testing
