// report_routes: the managers' statistics over the HTTP API — GET /api/stats
// (figures per group, JSON or CSV), GET /api/stats/tickets (every ticket of a
// range, CSV), GET /api/stats/bookings (how the bookings went) and
// GET /api/province (the province's centers side by side). The counter's real
// day (issue 22) is visit_report_routes.cpp, reading through the same two helpers.
// Each reads through its own connection on the reports queue (a year of a busy
// center takes a while; the province is a network round trip) and answers on
// the loop, so calling numbers never waits for a report, and a flood of
// reports is refused with 503 instead of piling up.
#include "api/core.hpp"
#include "api/handlers.hpp"
#include "central/province.hpp"
#include "common/csv.hpp"
#include "stats/stats.hpp"

namespace api {

namespace {

json stats_json(const std::vector<stats::Row>& rows) {
    json out = json::array();
    for (const auto& r : rows)
        out.push_back({{"key", r.key}, {"issued", r.issued}, {"called", r.called}, {"served", r.served},
                       {"no_show", r.no_show}, {"cancelled", r.cancelled}, {"wait_avg_s", r.wait_avg_s},
                       {"wait_median_s", r.wait_median_s}, {"wait_p90_s", r.wait_p90_s},
                       {"service_avg_s", r.service_avg_s}, {"within_target", r.within_target},
                       {"estimate_error_avg_s", r.estimate_error_avg_s}, {"rated", r.rated},
                       {"rated_good", r.rated_good}, {"rated_neutral", r.rated_neutral}, {"rated_bad", r.rated_bad},
                       {"satisfied", r.satisfied}});
    return out;
}

// The same numbers as the JSON, one row a line, for a spreadsheet.
std::string stats_csv(const std::vector<stats::Row>& rows) {
    std::string out = "key,issued,called,served,no_show,cancelled,wait_avg_s,wait_median_s,wait_p90_s,service_avg_s,"
                      "within_target,estimate_error_avg_s,rated,rated_good,rated_neutral,rated_bad,satisfied\r\n";
    char line[512];
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, ",%d,%d,%d,%d,%d,%.1f,%.1f,%.1f,%.1f,%.4f,%.1f,%d,%d,%d,%d,%.4f\r\n", r.issued,
                      r.called, r.served, r.no_show, r.cancelled, r.wait_avg_s, r.wait_median_s, r.wait_p90_s,
                      r.service_avg_s, r.within_target, r.estimate_error_avg_s, r.rated, r.rated_good, r.rated_neutral,
                      r.rated_bad, r.satisfied);
        out += common::csv_cell(r.key) + line;
    }
    return out;
}

json booking_stats_json(const std::vector<stats::BookingRow>& rows) {
    json out = json::array();
    for (const auto& r : rows)
        out.push_back({{"day", r.day}, {"service", r.service}, {"made", r.made}, {"cancelled", r.cancelled},
                       {"checked_in", r.checked_in}, {"on_time", r.on_time}, {"late", r.late}, {"no_show", r.no_show},
                       {"waiting", r.waiting}, {"offered", r.offered}, {"show_up", r.show_up}, {"punctual", r.punctual},
                       {"lateness_median_s", r.lateness_median_s}, {"slot_use", r.slot_use}});
    return out;
}

std::string booking_stats_csv(const std::vector<stats::BookingRow>& rows) {
    std::string out = "day,service,made,cancelled,checked_in,on_time,late,no_show,waiting,offered,show_up,punctual,"
                      "lateness_median_s,slot_use\r\n";
    char line[256];
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, ",%d,%d,%d,%d,%d,%d,%d,%d,%.4f,%.4f,%.0f,%.4f\r\n", r.made, r.cancelled,
                      r.checked_in, r.on_time, r.late, r.no_show, r.waiting, r.offered, r.show_up, r.punctual,
                      r.lateness_median_s, r.slot_use);
        out += (r.day ? std::to_string(r.day) : std::string("total")) + "," + common::csv_cell(r.service) + line;
    }
    return out;
}

const std::map<std::string, stats::GroupBy>& groupings() {
    static const std::map<std::string, stats::GroupBy> by = {
        {"service", stats::GroupBy::service}, {"counter", stats::GroupBy::counter}, {"staff", stats::GroupBy::staff},
        {"hour", stats::GroupBy::hour},       {"call_hour", stats::GroupBy::call_hour}, {"weekday", stats::GroupBy::weekday},
        {"weekday_hour", stats::GroupBy::weekday_hour}, {"day", stats::GroupBy::day}, {"wait", stats::GroupBy::wait},
        {"booking", stats::GroupBy::booking}};
    return by;
}

// from, to and target from the query; throws stats::QueryError with words for a person.
stats::Query range_of(const std::map<std::string, std::string>& query) {
    auto value = [&](const char* key, const std::string& fallback) { return query.contains(key) ? query.at(key) : fallback; };
    stats::Query q;
    try {
        q.from_day = std::stoi(value("from", ""));
        q.to_day = std::stoi(value("to", value("from", "")));
        q.target_wait_s = std::stoi(value("target", "900"));
    } catch (const std::logic_error&) {
        throw stats::QueryError("from, to (days as YYYYMMDD) and target (seconds) are numbers");
    }
    stats::check(q);
    return q;
}

}  // namespace

namespace {

// "service,wait,day" → the groupings, or nothing when one is not known.
std::optional<std::vector<std::pair<std::string, stats::GroupBy>>> groupings_of(const std::string& text) {
    std::vector<std::pair<std::string, stats::GroupBy>> out;
    size_t at = 0;
    while (at <= text.size()) {
        const size_t comma = std::min(text.find(',', at), text.size());
        const std::string name = text.substr(at, comma - at);
        if (!groupings().contains(name) || out.size() == groupings().size()) return std::nullopt;
        out.emplace_back(name, groupings().at(name));
        at = comma + 1;
    }
    return out;
}

}  // namespace

// Shared with visit_report_routes.cpp (declared in handlers.hpp).
namespace reports {

// The range asked for, or nullopt after answering 400.
std::optional<stats::Query> range_or_answer(const std::map<std::string, std::string>& query, Respond& respond) {
    try {
        return range_of(query);
    } catch (const stats::QueryError& e) {
        respond(error_reply(400, "bad_range", e.what()));
        return std::nullopt;
    }
}

// Runs `read` on the reports queue with its own read-only connection; a failure to read is a 500 naming `what`.
void read_stats(Core& core, const std::string& what, std::function<Reply(stats::Stats&)> read, Respond respond) {
    if (core.options().stats_db.empty()) return respond(error_reply(404, "not_found", "this server keeps no statistics"));
    core.offload(Work::reports, [&core, what, read = std::move(read)] {
        try {
            stats::Stats st(core.options().stats_db, core.options().timezone);
            return read(st);
        } catch (const std::exception& e) {
            return error_reply(500, "stats_failed", what + " could not be read: " + e.what());
        }
    }, std::move(respond));
}

std::optional<bool> csv_or_answer(const Call& call, Respond& respond) {
    const std::string format = call.query.contains("format") ? call.query.at("format") : "json";
    if (format == "json" || format == "csv") return format == "csv";
    respond(error_reply(400, "bad_field", "format: json or csv"));
    return std::nullopt;
}

Reply csv_reply(std::string text) { return Reply{200, std::move(text), "text/csv; charset=utf-8"}; }

}  // namespace reports

using reports::csv_or_answer;
using reports::csv_reply;
using reports::range_or_answer;
using reports::read_stats;

namespace {

json province_json(const central::ProvinceView& view, const stats::Query& q) {
    json centers = json::array(), days = json::array();
    for (const auto& c : view.centers)
        centers.push_back({{"code", c.code}, {"name", c.name}, {"level", c.level}, {"issued", c.issued},
                           {"called", c.called}, {"served", c.served}, {"no_show", c.no_show},
                           {"wait_avg_s", c.wait_avg_s}, {"wait_p90_s", c.wait_p90_s},
                           {"service_avg_s", c.service_avg_s}, {"within_target", c.within_target},
                           {"shipped_at", c.shipped_at_ms}});
    for (const auto& d : view.days)
        days.push_back({{"center", d.code}, {"day", d.day}, {"issued", d.issued}, {"wait_avg_s", d.wait_avg_s}});
    return {{"from", q.from_day}, {"to", q.to_day}, {"target_s", q.target_wait_s}, {"centers", centers}, {"days", days}};
}

}  // namespace

namespace handlers {

// One grouping: its rows (JSON or CSV). Several (by=service,wait,day): one pass
// over the range and {"groups": {name: rows}}, JSON only — a dashboard page's
// four charts cost one read of the range instead of four.
void stats(Core& core, const Call& call, Respond respond) {
    const auto& query = call.query;
    const std::string by = query.contains("by") ? query.at("by") : "service";
    const auto wanted = groupings_of(by);
    if (!wanted)
        return respond(error_reply(400, "bad_field", "by: service, counter, staff, hour, call_hour, weekday, weekday_hour, day, "
                                                     "wait or booking, or several of them separated by commas"));
    const auto csv = csv_or_answer(call, respond);
    if (!csv) return;
    if (*csv && wanted->size() > 1) return respond(error_reply(400, "bad_field", "format=csv takes one grouping"));
    const auto q = range_or_answer(query, respond);
    if (!q) return;
    read_stats(core, "the statistics", [q = *q, by, wanted = *wanted, csv = *csv](::stats::Stats& st) {
        std::vector<::stats::GroupBy> list;
        for (const auto& [name, g] : wanted) list.push_back(g);
        const auto results = st.summaries(q, list);
        if (csv) return csv_reply(stats_csv(results.front()));
        json head = {{"from", q.from_day}, {"to", q.to_day}, {"target_s", q.target_wait_s}};
        if (wanted.size() == 1) {
            head["by"] = by;
            head["rows"] = stats_json(results.front());
            return ok_json(head);
        }
        head["by"] = json::array();
        head["groups"] = json::object();
        for (size_t i = 0; i < wanted.size(); ++i) {
            head["by"].push_back(wanted[i].first);
            head["groups"][wanted[i].first] = stats_json(results[i]);
        }
        return ok_json(head);
    }, std::move(respond));
}

// How the bookings of a range went, per day and service (JSON or CSV). The
// places each day offers come from the engine's rules, read here on the loop.
void booking_stats(Core& core, const Call& call, Respond respond) {
    const auto csv = csv_or_answer(call, respond);
    if (!csv) return;
    const auto q = range_or_answer(call.query, respond);
    if (!q) return;
    ::stats::PlacesOffered places;
    for (const auto& s : core.engine().state().center.services)
        for (int32_t day = q->from_day; s.booking.bookable && day <= q->to_day; day = common::add_days(day, 1))
            if (const int n = core.engine().places_offered(s.code, day)) places[{day, s.code}] = n;
    read_stats(core, "the bookings", [q = *q, csv = *csv, places = std::move(places)](::stats::Stats& st) {
        const auto rows = st.bookings(q, places);
        if (csv) return csv_reply(booking_stats_csv(rows));
        return ok_json({{"from", q.from_day}, {"to", q.to_day}, {"rows", booking_stats_json(rows)}});
    }, std::move(respond));
}

void tickets_csv(Core& core, const Call& call, Respond respond) {
    const auto q = range_or_answer(call.query, respond);
    if (!q) return;
    read_stats(core, "the tickets", [q = *q](::stats::Stats& st) { return csv_reply(st.tickets_csv(q)); }, std::move(respond));
}

void province(Core& core, const Call& call, Respond respond) {
    const auto& reader = core.options().province;
    if (!reader)
        return respond(error_reply(404, "not_found", "this center ships to no central database ([central] in its config)"));
    const auto q = range_or_answer(call.query, respond);
    if (!q) return;
    // One pool of connections for the process, with connect and statement timeouts (central/province.hpp).
    core.offload(Work::reports, [config = *reader, q = *q] {
        try {
            return ok_json(province_json(central::province_view(config, q.from_day, q.to_day, q.target_wait_s), q));
        } catch (const std::exception& e) {
            return error_reply(502, "central_unreachable", e.what());
        }
    }, std::move(respond));
}

}  // namespace handlers
}  // namespace api
