// stats: the managers' figures over any range of days — tickets issued, served,
// no-shows, cancelled; waiting time (first call − issue) average, median and
// p90; service time (finish − start); the share called within a target wait;
// the error of the wait estimate given on the ticket; the citizens' ratings —
// grouped by service, counter, staff member, hour of day, weekday, hour of
// each weekday (a heat map), day, waiting time (a histogram), or booked against
// walked in (issue 21). And the raw
// tickets of a range as CSV.
//
// Why here and like this: the figures come from the `tickets` view the store
// keeps in the same transaction as the event log, read through its own
// read-only connection (WAL: never blocks the writer), with the day index doing
// the range. Medians and percentiles are not SQL aggregates in SQLite, so the
// rows of the range are folded here, one pass, in the server — never shipped to
// the page. Pure reading: it may run on any thread.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/local_time.hpp"

namespace sqlite {
class Database;
}

namespace stats {

enum class GroupBy { service, counter, staff, hour, call_hour, weekday, weekday_hour, day, wait, booking };
constexpr int kWaitBucketMinutes = 5;    // by wait: "000" is 0–5 min, ... "120" is 2 hours or more
constexpr int kWaitBucketsLast = 120;

struct Query {
    int32_t from_day = 0, to_day = 0;  // local days yyyymmdd, both included
    GroupBy by = GroupBy::service;
    int target_wait_s = 900;           // "served within target" means called within this
};

struct Row {
    // booking: "walk_in", "booked" (on time: ahead of walk-ins) or "booked_late" (past the grace: a walk-in's place).
    // "A"; "3" (0: never called); "lan" ("" never called by a person); "09"; "1" (Monday; 0 Sunday);
    // "10" (call_hour: the local hour of the first call; "-" never called); "1-09" (weekday-hour); "20261124"; "015" (waited 15–20 minutes; "-" never called)
    std::string key;
    int issued = 0, called = 0, served = 0, no_show = 0, cancelled = 0;
    double wait_avg_s = 0, wait_median_s = 0, wait_p90_s = 0;  // over the called tickets
    double service_avg_s = 0;                                  // over the served tickets that were started
    double within_target = 0;                                  // share of called tickets, 0..1
    double estimate_error_avg_s = 0;                           // mean |estimate − actual wait|, called tickets
    int rated = 0, rated_good = 0, rated_neutral = 0, rated_bad = 0;
    double satisfied = 0;                                      // share of rated tickets rated good, 0..1
};

// How the bookings of one day and service went (a last row, day 0 and service "", the whole range).
struct BookingRow {
    int32_t day = 0;
    std::string service;
    int made = 0, cancelled = 0, checked_in = 0, on_time = 0, late = 0, no_show = 0, waiting = 0;  // waiting: not yet due
    int offered = 0;               // places the day's slots offer by today's rules (0: unknown or closed)
    double show_up = 0;            // checked in / (checked in + no-shows), 0..1
    double punctual = 0;           // on time / checked in, 0..1
    double lateness_median_s = 0;  // check-in − slot start, median of the checked in (negative: early)
    double slot_use = 0;           // (made − cancelled) / offered, 0..1 (above 1 when capacity fell)
};
// The places each (day, service) offers, those above 0 (the engine's rules, read on the loop before the report runs).
using PlacesOffered = std::map<std::pair<int32_t, std::string>, int>;

struct QueryError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// Throws QueryError for a day that is not a date, a reversed range, or more than
// `kMostDays` days (a question about ten years is a mistake, not a report).
void check(const Query& q);
constexpr int kMostDays = 3 * 366;

class Stats {
public:
    // A read-only connection to the center's database; `zone` (the center's time zone) places hours.
    Stats(const std::filesystem::path& center_db, const std::string& zone);
    ~Stats();
    Stats(const Stats&) = delete;
    Stats& operator=(const Stats&) = delete;

    // Rows ordered by key, plus a last row "total" over the whole range.
    std::vector<Row> summary(const Query& q);
    // The same for several groupings in one pass over the range (q.by is ignored):
    // a dashboard page asks for four at once, and the pass is the cost.
    std::vector<std::vector<Row>> summaries(const Query& q, const std::vector<GroupBy>& groupings);
    // Every ticket of the range, one CSV line each, times in the center's local time.
    std::string tickets_csv(const Query& q);
    // Bookings per day and service with slots (booking_report.cpp): a row for each
    // (day, service) that had bookings or offered places, ordered, plus the total.
    std::vector<BookingRow> bookings(const Query& q, const PlacesOffered& offered);

private:
    std::unique_ptr<sqlite::Database> db_;
    common::LocalCalendar calendar_;
};

}  // namespace stats
