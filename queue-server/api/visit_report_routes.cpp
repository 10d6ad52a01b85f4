// visit_report_routes: the counter's real day in figures over the HTTP API
// (issue 22) — GET /api/stats/visits (each service as a step: wait, service,
// parks; and whole visits by their number of steps), /api/stats/outcomes (per
// procedure, what the steps came to), /api/stats/out-of-order (the audit list of
// chosen calls and every caller's count) and /api/stats/staff (per staff member
// and counter: served, service, walk and idle time, sign-in and breaks). JSON,
// or the same numbers as CSV for a spreadsheet; read on the reports queue like
// the other statistics (report_routes.cpp), so calling numbers never waits.
#include <cstdio>

#include "api/core.hpp"
#include "api/handlers.hpp"
#include "common/csv.hpp"
#include "stats/stats.hpp"

namespace api {

namespace {

using common::csv_cell;
using reports::csv_or_answer;
using reports::csv_reply;

// ---------------------------------------------------------------- JSON

json steps_json(const std::vector<stats::StepRow>& rows) {
    json out = json::array();
    for (const auto& r : rows)
        out.push_back({{"service", r.service}, {"total", r.total}, {"steps", r.steps}, {"called", r.called},
                       {"served", r.served}, {"no_show", r.no_show}, {"cancelled", r.cancelled},
                       {"wait_avg_s", r.wait_avg_s}, {"wait_median_s", r.wait_median_s}, {"wait_p90_s", r.wait_p90_s},
                       {"service_avg_s", r.service_avg_s}, {"parks", r.parks}, {"parked_steps", r.parked_steps},
                       {"parked_s", r.parked_s}});
    return out;
}

json visits_json(const std::vector<stats::VisitRow>& rows) {
    json out = json::array();
    for (const auto& r : rows)
        out.push_back({{"steps", r.steps}, {"total", r.total}, {"visits", r.visits}, {"completed", r.completed},
                       {"steps_avg", r.steps_avg}, {"time_avg_s", r.time_avg_s}, {"time_median_s", r.time_median_s},
                       {"time_p90_s", r.time_p90_s}});
    return out;
}

json outcomes_json(const std::vector<stats::OutcomeRow>& rows) {
    json out = json::array();
    for (const auto& r : rows)
        out.push_back({{"procedure", r.procedure}, {"total", r.total}, {"outcomes", r.outcomes}, {"received", r.received},
                       {"returned_for_supplement", r.returned_for_supplement}, {"advised_only", r.advised_only},
                       {"refused", r.refused}, {"result_returned", r.result_returned}, {"no_result", r.no_result},
                       {"dossiers", r.dossiers}});
    return out;
}

json out_of_order_json(const stats::OutOfOrderReport& report) {
    json calls = json::array(), callers = json::array();
    for (const auto& c : report.calls)
        calls.push_back({{"at", c.at}, {"time", c.time}, {"day", c.day}, {"number", c.number}, {"service", c.service},
                         {"counter", c.counter}, {"staff", c.staff}, {"reason", c.reason}});
    for (const auto& c : report.by_staff)
        callers.push_back({{"staff", c.staff}, {"calls", c.calls}, {"out_of_order", c.out_of_order}});
    return {{"rows", calls}, {"by_staff", callers}};
}

json staff_json(const std::vector<stats::StaffRow>& rows) {
    json out = json::array();
    for (const auto& r : rows) {
        json reasons = json::array();
        for (const auto& b : r.break_reasons) reasons.push_back({{"reason", b.reason}, {"breaks", b.breaks}, {"seconds", b.seconds}});
        out.push_back({{"staff", r.staff}, {"counter", r.counter}, {"total", r.total}, {"calls", r.calls},
                       {"served", r.served}, {"service_avg_s", r.service_avg_s}, {"walk_avg_s", r.walk_avg_s},
                       {"idle_s", r.idle_s}, {"out_of_order", r.out_of_order}, {"signed_in_s", r.signed_in_s},
                       {"breaks", r.breaks}, {"break_s", r.break_s}, {"break_reasons", reasons}});
    }
    return out;
}

// ---------------------------------------------------------------- CSV: the same numbers, a header line, the total row named

std::string steps_csv(const std::vector<stats::StepRow>& rows) {
    std::string out = "service,steps,called,served,no_show,cancelled,wait_avg_s,wait_median_s,wait_p90_s,service_avg_s,parks,"
                      "parked_steps,parked_s\r\n";
    char line[256];
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, ",%d,%d,%d,%d,%d,%.1f,%.1f,%.1f,%.1f,%d,%d,%.1f\r\n", r.steps, r.called, r.served,
                      r.no_show, r.cancelled, r.wait_avg_s, r.wait_median_s, r.wait_p90_s, r.service_avg_s, r.parks,
                      r.parked_steps, r.parked_s);
        out += (r.total ? std::string("total") : csv_cell(r.service)) + line;
    }
    return out;
}

std::string visits_csv(const std::vector<stats::VisitRow>& rows) {
    std::string out = "steps,visits,completed,steps_avg,time_avg_s,time_median_s,time_p90_s\r\n";
    char line[192];
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, ",%d,%d,%.2f,%.1f,%.1f,%.1f\r\n", r.visits, r.completed, r.steps_avg, r.time_avg_s,
                      r.time_median_s, r.time_p90_s);
        out += (r.total ? std::string("total") : std::to_string(r.steps)) + line;
    }
    return out;
}

std::string outcomes_csv(const std::vector<stats::OutcomeRow>& rows) {
    std::string out = "procedure,outcomes,received,returned_for_supplement,advised_only,refused,result_returned,no_result,"
                      "dossiers\r\n";
    char line[160];
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, ",%d,%d,%d,%d,%d,%d,%d,%d\r\n", r.outcomes, r.received, r.returned_for_supplement,
                      r.advised_only, r.refused, r.result_returned, r.no_result, r.dossiers);
        out += (r.total ? std::string("total") : csv_cell(r.procedure)) + line;
    }
    return out;
}

std::string out_of_order_csv(const stats::OutOfOrderReport& report) {
    std::string out = "time,number,service,counter,staff,reason\r\n";
    for (const auto& c : report.calls)
        out += c.time + "," + csv_cell(c.number) + "," + csv_cell(c.service) + "," + std::to_string(c.counter) + "," +
               csv_cell(c.staff) + "," + csv_cell(c.reason) + "\r\n";
    return out;
}

// "Họp giao ban (2): 600 s; Nghỉ trưa (1): 1800 s" — one cell, the reasons with their breaks and time.
std::string reasons_cell(const std::vector<stats::BreakReason>& reasons) {
    std::string text;
    char part[48];
    for (const auto& b : reasons) {
        std::snprintf(part, sizeof part, " (%d): %.0f s", b.breaks, b.seconds);
        text += (text.empty() ? "" : "; ") + (b.reason.empty() ? std::string("không lý do") : b.reason) + part;
    }
    return csv_cell(text);
}

std::string staff_csv(const std::vector<stats::StaffRow>& rows) {
    std::string out = "staff,counter,calls,served,service_avg_s,walk_avg_s,idle_s,out_of_order,signed_in_s,breaks,break_s,"
                      "break_reasons\r\n";
    char line[192];
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, ",%d,%d,%.1f,%.1f,%.1f,%d,%.1f,%d,%.1f,", r.calls, r.served, r.service_avg_s,
                      r.walk_avg_s, r.idle_s, r.out_of_order, r.signed_in_s, r.breaks, r.break_s);
        // The total row: "total" and no counter (a real row always has one).
        out += (r.total ? std::string("total,") : csv_cell(r.staff) + "," + std::to_string(r.counter)) + line +
               reasons_cell(r.break_reasons) + "\r\n";
    }
    return out;
}

// ---------------------------------------------------------------- the routes' common part

json range_json(const stats::Query& q) { return {{"from", q.from_day}, {"to", q.to_day}}; }

}  // namespace

namespace handlers {

// Both tables in JSON; CSV is one table at a time: table=steps (the default) or visits.
void visit_stats(Core& core, const Call& call, Respond respond) {
    const auto csv = csv_or_answer(call, respond);
    if (!csv) return;
    const std::string table = call.query.contains("table") ? call.query.at("table") : "steps";
    if (table != "steps" && table != "visits") return respond(error_reply(400, "bad_field", "table: steps or visits"));
    const auto q = reports::range_or_answer(call.query, respond);
    if (!q) return;
    reports::read_stats(core, "the visits", [q = *q, csv = *csv, table](::stats::Stats& st) {
        const auto report = st.visits(q);
        if (csv) return csv_reply(table == "steps" ? steps_csv(report.steps) : visits_csv(report.visits));
        json out = range_json(q);
        out["steps"] = steps_json(report.steps);
        out["visits"] = visits_json(report.visits);
        return ok_json(out);
    }, std::move(respond));
}

void outcome_stats(Core& core, const Call& call, Respond respond) {
    const auto csv = csv_or_answer(call, respond);
    if (!csv) return;
    const auto q = reports::range_or_answer(call.query, respond);
    if (!q) return;
    reports::read_stats(core, "the outcomes", [q = *q, csv = *csv](::stats::Stats& st) {
        const auto rows = st.outcomes(q);
        if (csv) return csv_reply(outcomes_csv(rows));
        json out = range_json(q);
        out["rows"] = outcomes_json(rows);
        return ok_json(out);
    }, std::move(respond));
}

void out_of_order_stats(Core& core, const Call& call, Respond respond) {
    const auto csv = csv_or_answer(call, respond);
    if (!csv) return;
    const auto q = reports::range_or_answer(call.query, respond);
    if (!q) return;
    reports::read_stats(core, "the calls out of order", [q = *q, csv = *csv](::stats::Stats& st) {
        const auto report = st.out_of_order(q);
        if (csv) return csv_reply(out_of_order_csv(report));
        json out = range_json(q);
        out.update(out_of_order_json(report));
        return ok_json(out);
    }, std::move(respond));
}

// A shift still open today runs to the server's now, read here on the loop.
void staff_stats(Core& core, const Call& call, Respond respond) {
    const auto csv = csv_or_answer(call, respond);
    if (!csv) return;
    const auto q = reports::range_or_answer(call.query, respond);
    if (!q) return;
    reports::read_stats(core, "the staff figures", [q = *q, csv = *csv, now = core.now().ms](::stats::Stats& st) {
        const auto rows = st.staff_figures(q, now);
        if (csv) return csv_reply(staff_csv(rows));
        json out = range_json(q);
        out["rows"] = staff_json(rows);
        return ok_json(out);
    }, std::move(respond));
}

}  // namespace handlers
}  // namespace api
