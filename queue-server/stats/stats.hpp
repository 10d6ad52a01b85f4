// stats: the managers' figures over any range of days — tickets issued, served,
// no-shows, cancelled; waiting time (first call − issue) average, median and
// p90; service time (finish − start); the share called within a target wait;
// the error of the wait estimate given on the ticket; the citizens' ratings —
// grouped by service, counter, staff member, hour of day, weekday, hour of
// each weekday (a heat map), day, waiting time (a histogram), or booked against
// walked in (issue 21). The raw tickets of a range as CSV. The counter's real
// day (issue 22): visits across desks, outcomes, calls out of order, staff.
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

// The counter's real day (issue 22; visit_report.cpp), from the store's steps,
// calls and staff_time views. Every table ends with a row whose `total` is set.
// Seconds are the spans as the views hold them: a park's minutes stay inside the
// span it fell in (wait, walk or service) and are also counted in parked_s.
struct StepRow {  // one service as a step of visits
    std::string service;  // "" on the total row
    bool total = false;
    int steps = 0, called = 0, served = 0, no_show = 0, cancelled = 0;
    double wait_avg_s = 0, wait_median_s = 0, wait_p90_s = 0;  // called − queued (into this step's line), called steps
    double service_avg_s = 0;                                  // finished − started, served steps that were started
    int parks = 0, parked_steps = 0;                           // parks in all; steps parked at least once
    double parked_s = 0;                                       // time parked and back, in all
};
struct VisitRow {  // the visits of one number of steps (1, 2...); steps 0 on the total row
    int steps = 0;
    bool total = false;
    int visits = 0, completed = 0;                             // completed: its last step done
    double steps_avg = 0;                                      // steps per visit
    double time_avg_s = 0, time_median_s = 0, time_p90_s = 0;  // first queued → last finished, completed visits
};
struct VisitReport {
    std::vector<StepRow> steps;   // by service code
    std::vector<VisitRow> visits;  // by number of steps
};
// What the steps came to, per procedure ("" when only a result was said).
struct OutcomeRow {
    std::string procedure;
    bool total = false;
    int outcomes = 0;  // steps finished with an outcome
    int received = 0, returned_for_supplement = 0, advised_only = 0, refused = 0, result_returned = 0, no_result = 0;
    int dossiers = 0;  // of them, with a dossier code received
};
// The audit list of calls out of order, oldest first, and every caller's calls.
struct OutOfOrderCall {
    int64_t at = 0;
    int32_t day = 0;
    std::string time, number, service, staff, reason;  // time: local "2026-11-24 08:04:00"
    int counter = 0;
};
struct CallerCount {
    std::string staff;
    int calls = 0, out_of_order = 0;
};
struct OutOfOrderReport {
    std::vector<OutOfOrderCall> calls;
    std::vector<CallerCount> by_staff;  // by name
};
struct BreakReason {
    std::string reason;
    int breaks = 0;
    double seconds = 0;
};
// One staff member at one counter (the total row: staff "", counter 0).
struct StaffRow {
    std::string staff;
    int counter = 0;
    bool total = false;
    int calls = 0, served = 0, out_of_order = 0;
    double service_avg_s = 0;  // finished − started, steps served that were started
    double walk_avg_s = 0;     // started − called, steps started
    double idle_s = 0;         // the calls' idle time: free, not on a break, while the ticket called waited
    double signed_in_s = 0;    // shifts; one still open runs to now, or to its day's end for a past day
    int breaks = 0;
    double break_s = 0;
    std::vector<BreakReason> break_reasons;  // by reason
};

struct QueryError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// Throws QueryError for a day that is not a date, a reversed range, or more than
// `kMostDays` days (a question about ten years is a mistake, not a report).
void check(const Query& q);
constexpr int kMostDays = 3 * 366;

// Shared by the reports: the nearest-rank percentile of spans in ms, in seconds
// (reorders `ms`; 0 when empty), and a UTC instant as local "yyyy-mm-dd hh:mm:ss".
double percentile_s(std::vector<int64_t>& ms, double p);
// The average, median and p90 of spans in ms, in seconds (0 when there are none):
// a wait, a service, a visit's time. Reorders `ms`.
struct Spread {
    double avg_s = 0, median_s = 0, p90_s = 0;
};
Spread spread_s(std::vector<int64_t>& ms);
std::string local_text(const common::LocalCalendar& calendar, int64_t utc_ms);

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
    // The counter's real day (visit_report.cpp): visits and their steps, outcomes by
    // procedure, the calls out of order, the figures per staff member and counter
    // (`now_ms`: where a shift still open ends today).
    VisitReport visits(const Query& q);
    std::vector<OutcomeRow> outcomes(const Query& q);
    OutOfOrderReport out_of_order(const Query& q);
    std::vector<StaffRow> staff_figures(const Query& q, int64_t now_ms);

private:
    std::unique_ptr<sqlite::Database> db_;
    common::LocalCalendar calendar_;
};

}  // namespace stats
