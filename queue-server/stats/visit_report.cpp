// visit_report: the counter's real day in figures (issue 22; see stats.hpp) —
// visits across desks and each step's wait and service, what the steps came to
// per procedure, the calls out of order, and each staff member's figures at
// each counter. Read from the store's steps, calls and staff_time views, one
// snapshot and one pass each, folded here as stats.cpp folds the tickets:
// medians are not SQL aggregates, and the rows never leave the server.
#include <algorithm>
#include <map>
#include <optional>

#include "sqlite/sqlite.hpp"
#include "stats/stats.hpp"

namespace stats {

namespace {

double average_s(double sum_ms, int n) { return n > 0 ? sum_ms / n / 1000.0 : 0; }

std::optional<int64_t> time_at(const sqlite::Statement& row, int column) {
    return row.null_at(column) ? std::nullopt : std::optional<int64_t>(row.int_at(column));
}

// ---------------------------------------------------------------- steps and visits

// One row of the steps view.
struct Step {
    int64_t ticket = 0;
    std::string service, state;
    int64_t queued_at = 0;
    std::optional<int64_t> called_at, started_at, finished_at;
    int parks = 0;
    int64_t parked_ms = 0;
};

struct StepFold {
    StepRow row;
    std::vector<int64_t> waits_ms;
    double service_ms = 0;
    int started_served = 0;
    int64_t parked_ms = 0;
};

void add(StepFold& f, const Step& s) {
    StepRow& r = f.row;
    ++r.steps;
    r.served += s.state == "done";
    r.no_show += s.state == "no_show";
    r.cancelled += s.state == "cancelled";
    if (s.called_at) {
        ++r.called;
        f.waits_ms.push_back(*s.called_at - s.queued_at);
    }
    if (s.state == "done" && s.started_at && s.finished_at) {
        ++f.started_served;
        f.service_ms += static_cast<double>(*s.finished_at - *s.started_at);
    }
    r.parks += s.parks;
    r.parked_steps += s.parks > 0;
    f.parked_ms += s.parked_ms;
}

StepRow finish(StepFold& f) {
    StepRow r = f.row;
    const Spread wait = spread_s(f.waits_ms);  // a wait for each call
    r.wait_avg_s = wait.avg_s;
    r.wait_median_s = wait.median_s;
    r.wait_p90_s = wait.p90_s;
    r.service_avg_s = average_s(f.service_ms, f.started_served);
    r.parked_s = static_cast<double>(f.parked_ms) / 1000.0;
    return r;
}

// One visit as its steps, read in order, leave it.
struct Visit {
    int steps = 0;
    int64_t first_queued = 0;
    std::optional<int64_t> last_finished;
    bool done = false;  // its last step was done, no step to come
};

struct VisitFold {
    VisitRow row;
    std::vector<int64_t> times_ms;
    int steps = 0;
};

void add(VisitFold& f, const Visit& v) {
    ++f.row.visits;
    f.steps += v.steps;
    if (v.done && v.last_finished) {
        ++f.row.completed;
        f.times_ms.push_back(*v.last_finished - v.first_queued);
    }
}

VisitRow finish(VisitFold& f) {
    VisitRow r = f.row;
    r.steps_avg = r.visits > 0 ? static_cast<double>(f.steps) / r.visits : 0;
    const Spread time = spread_s(f.times_ms);  // a time for each completed visit
    r.time_avg_s = time.avg_s;
    r.time_median_s = time.median_s;
    r.time_p90_s = time.p90_s;
    return r;
}

Step step_of(const sqlite::Statement& row) {
    return {row.int_at(0), row.text_at(1), row.text_at(2), row.int_at(3), time_at(row, 4), time_at(row, 5), time_at(row, 6),
            static_cast<int>(row.int_at(7)), row.int_at(8)};
}

}  // namespace

VisitReport Stats::visits(const Query& q) {
    check(q);
    sqlite::Transaction snapshot(*db_, "BEGIN");
    sqlite::Statement rows(*db_,
                           "SELECT ticket, service, state, queued_at, called_at, started_at, finished_at, parks, parked_ms "
                           "FROM steps WHERE day BETWEEN ?1 AND ?2 ORDER BY ticket, step");
    rows.bind(1, int64_t{q.from_day}).bind(2, int64_t{q.to_day});
    std::map<std::string, StepFold> by_service;
    std::map<int, VisitFold> by_steps;
    StepFold all_steps;
    VisitFold all_visits;
    std::optional<int64_t> ticket;
    Visit visit;
    auto end_visit = [&] {
        if (!ticket) return;
        add(by_steps[visit.steps], visit);
        add(all_visits, visit);
    };
    while (rows.step()) {
        const Step s = step_of(rows);
        add(by_service[s.service], s);
        add(all_steps, s);
        if (ticket != s.ticket) {
            end_visit();
            ticket = s.ticket;
            visit = {0, s.queued_at, std::nullopt, false};
        }
        ++visit.steps;
        visit.last_finished = s.finished_at;
        visit.done = s.state == "done";
    }
    end_visit();
    VisitReport out;
    for (auto& [service, f] : by_service) {
        f.row.service = service;
        out.steps.push_back(finish(f));
    }
    all_steps.row.total = true;
    out.steps.push_back(finish(all_steps));
    for (auto& [steps, f] : by_steps) {
        f.row.steps = steps;
        out.visits.push_back(finish(f));
    }
    all_visits.row.total = true;
    out.visits.push_back(finish(all_visits));
    return out;
}

// ---------------------------------------------------------------- outcomes

namespace {

void add(OutcomeRow& r, const std::string& result, bool dossier) {
    ++r.outcomes;
    r.received += result == "received";
    r.returned_for_supplement += result == "returned_for_supplement";
    r.advised_only += result == "advised_only";
    r.refused += result == "refused";
    r.result_returned += result == "result_returned";
    r.no_result += result.empty();
    r.dossiers += dossier;
}

}  // namespace

std::vector<OutcomeRow> Stats::outcomes(const Query& q) {
    check(q);
    sqlite::Transaction snapshot(*db_, "BEGIN");
    sqlite::Statement rows(*db_,
                           "SELECT IFNULL(procedure, ''), IFNULL(result, ''), dossier IS NOT NULL FROM steps "
                           "WHERE day BETWEEN ?1 AND ?2 AND (procedure IS NOT NULL OR result IS NOT NULL OR dossier IS NOT NULL)");
    rows.bind(1, int64_t{q.from_day}).bind(2, int64_t{q.to_day});
    std::map<std::string, OutcomeRow> by_procedure;
    OutcomeRow total;
    total.total = true;
    while (rows.step()) {
        const std::string procedure = rows.text_at(0), result = rows.text_at(1);
        const bool dossier = rows.int_at(2) != 0;
        OutcomeRow& r = by_procedure[procedure];
        r.procedure = procedure;
        add(r, result, dossier);
        add(total, result, dossier);
    }
    std::vector<OutcomeRow> out;
    for (auto& [procedure, r] : by_procedure) out.push_back(r);
    out.push_back(total);
    return out;
}

// ---------------------------------------------------------------- calls out of order

OutOfOrderReport Stats::out_of_order(const Query& q) {
    check(q);
    sqlite::Transaction snapshot(*db_, "BEGIN");
    OutOfOrderReport out;
    sqlite::Statement list(*db_,
                           "SELECT at, day, number, service, counter, IFNULL(staff, ''), IFNULL(reason, '') FROM calls "
                           "WHERE day BETWEEN ?1 AND ?2 AND out_of_order = 1 ORDER BY at, seq");
    list.bind(1, int64_t{q.from_day}).bind(2, int64_t{q.to_day});
    while (list.step())
        out.calls.push_back({list.int_at(0), static_cast<int32_t>(list.int_at(1)), local_text(calendar_, list.int_at(0)),
                             list.text_at(2), list.text_at(3), list.text_at(5), list.text_at(6), static_cast<int>(list.int_at(4))});
    sqlite::Statement callers(*db_,
                              "SELECT IFNULL(staff, ''), COUNT(*), SUM(out_of_order) FROM calls WHERE day BETWEEN ?1 AND ?2 "
                              "GROUP BY IFNULL(staff, '') ORDER BY 1");
    callers.bind(1, int64_t{q.from_day}).bind(2, int64_t{q.to_day});
    while (callers.step())
        out.by_staff.push_back({callers.text_at(0), static_cast<int>(callers.int_at(1)), static_cast<int>(callers.int_at(2))});
    return out;
}

// ---------------------------------------------------------------- staff and counters

namespace {

struct StaffFold {
    StaffRow row;
    double service_ms = 0, walk_ms = 0, idle_ms = 0, signed_in_ms = 0, break_ms = 0;
    int started_served = 0, walked = 0;
    std::map<std::string, BreakReason> reasons;
};

// A step served or walked to by this staff member at this counter.
void add_step(StaffFold& f, const std::string& state, std::optional<int64_t> called, std::optional<int64_t> started,
              std::optional<int64_t> finished) {
    f.row.served += state == "done";
    if (state == "done" && started && finished) {
        ++f.started_served;
        f.service_ms += static_cast<double>(*finished - *started);
    }
    if (called && started) {
        ++f.walked;
        f.walk_ms += static_cast<double>(*started - *called);
    }
}

void add_calls(StaffFold& f, int calls, int out_of_order, int64_t idle_ms) {
    f.row.calls += calls;
    f.row.out_of_order += out_of_order;
    f.idle_ms += static_cast<double>(idle_ms);
}

void add_time(StaffFold& f, bool shift, int64_t ms, const std::string& reason) {
    if (shift) {
        f.signed_in_ms += static_cast<double>(ms);
        return;
    }
    ++f.row.breaks;
    f.break_ms += static_cast<double>(ms);
    BreakReason& r = f.reasons[reason];
    r.reason = reason;
    ++r.breaks;
    r.seconds += static_cast<double>(ms) / 1000.0;
}

StaffRow finish(StaffFold& f) {
    StaffRow r = f.row;
    r.service_avg_s = average_s(f.service_ms, f.started_served);
    r.walk_avg_s = average_s(f.walk_ms, f.walked);
    r.idle_s = f.idle_ms / 1000.0;
    r.signed_in_s = f.signed_in_ms / 1000.0;
    r.break_s = f.break_ms / 1000.0;
    for (auto& [reason, b] : f.reasons) r.break_reasons.push_back(b);
    return r;
}

}  // namespace

std::vector<StaffRow> Stats::staff_figures(const Query& q, int64_t now_ms) {
    check(q);
    sqlite::Transaction snapshot(*db_, "BEGIN");
    std::map<std::pair<std::string, int>, StaffFold> groups;
    StaffFold total;
    auto group = [&](const std::string& staff, int counter) -> StaffFold& { return groups[{staff, counter}]; };
    const int64_t from = q.from_day, to = q.to_day;

    sqlite::Statement steps(*db_,
                            "SELECT IFNULL(staff, ''), counter, state, called_at, started_at, finished_at FROM steps "
                            "WHERE day BETWEEN ?1 AND ?2 AND counter IS NOT NULL");
    steps.bind(1, from).bind(2, to);
    while (steps.step()) {
        const std::string state = steps.text_at(2);
        const auto called = time_at(steps, 3), started = time_at(steps, 4), finished = time_at(steps, 5);
        add_step(group(steps.text_at(0), static_cast<int>(steps.int_at(1))), state, called, started, finished);
        add_step(total, state, called, started, finished);
    }

    sqlite::Statement calls(*db_,
                            "SELECT IFNULL(staff, ''), counter, COUNT(*), SUM(out_of_order), SUM(idle_ms) FROM calls "
                            "WHERE day BETWEEN ?1 AND ?2 GROUP BY IFNULL(staff, ''), counter");
    calls.bind(1, from).bind(2, to);
    while (calls.step()) {
        const int n = static_cast<int>(calls.int_at(2)), ooo = static_cast<int>(calls.int_at(3));
        add_calls(group(calls.text_at(0), static_cast<int>(calls.int_at(1))), n, ooo, calls.int_at(4));
        add_calls(total, n, ooo, calls.int_at(4));
    }

    // A shift or break still open: today it runs to now; an earlier day's ended
    // with that day (the engine signs everyone out when a new day opens).
    sqlite::Statement times(*db_, "SELECT staff, counter, kind, from_at, to_at, IFNULL(reason, ''), day FROM staff_time "
                                  "WHERE day BETWEEN ?1 AND ?2");
    times.bind(1, from).bind(2, to);
    while (times.step()) {
        const int64_t start = times.int_at(3);
        const auto day = static_cast<int32_t>(times.int_at(6));
        const int64_t end = times.null_at(4) ? std::min(now_ms, calendar_.utc_of(common::add_days(day, 1), 0)) : times.int_at(4);
        const int64_t ms = std::max<int64_t>(0, end - start);
        const bool shift = times.text_at(2) == "shift";
        add_time(group(times.text_at(0), static_cast<int>(times.int_at(1))), shift, ms, times.text_at(5));
        add_time(total, shift, ms, times.text_at(5));
    }

    std::vector<StaffRow> out;
    for (auto& [key, f] : groups) {
        f.row.staff = key.first;
        f.row.counter = key.second;
        out.push_back(finish(f));
    }
    total.row.total = true;
    out.push_back(finish(total));
    return out;
}

}  // namespace stats
