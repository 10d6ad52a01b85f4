// stats: one pass over the range's tickets, folded per group (see stats.hpp).
#include "stats/stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "common/csv.hpp"
#include "sqlite/sqlite.hpp"

namespace stats {

using common::csv_cell;

namespace {

struct Fold {
    Row row;
    std::vector<int64_t> waits_ms;
    double service_ms = 0, estimate_error_ms = 0;
    int started_served = 0, within = 0;
};

// One ticket of the range, as read once from its row.
struct Ticket {
    std::string state;
    std::optional<int64_t> wait_ms;     // first call − issue, when called
    std::optional<int64_t> service_ms;  // finish − start, when both happened
    int64_t estimate_s;
    int rating;                         // 0: not rated
};

void add(Fold& f, const Ticket& t, int target_wait_s) {
    Row& r = f.row;
    ++r.issued;
    r.served += t.state == "done";
    r.no_show += t.state == "no_show";
    r.cancelled += t.state == "cancelled";
    if (t.wait_ms) {
        ++r.called;
        f.waits_ms.push_back(*t.wait_ms);
        f.within += *t.wait_ms <= int64_t{target_wait_s} * 1000;
        f.estimate_error_ms += std::abs(static_cast<double>(t.estimate_s) * 1000.0 - static_cast<double>(*t.wait_ms));
    }
    if (t.rating) {
        ++r.rated;
        r.rated_good += t.rating == 3;
        r.rated_neutral += t.rating == 2;
        r.rated_bad += t.rating == 1;
    }
    if (t.state == "done" && t.service_ms) {
        ++f.started_served;
        f.service_ms += static_cast<double>(*t.service_ms);
    }
}

Row finish(Fold& f) {
    Row r = f.row;
    if (r.called > 0) {
        const Spread wait = spread_s(f.waits_ms);  // a wait for each call
        r.wait_avg_s = wait.avg_s;
        r.wait_median_s = wait.median_s;
        r.wait_p90_s = wait.p90_s;
        r.within_target = static_cast<double>(f.within) / r.called;
        r.estimate_error_avg_s = f.estimate_error_ms / r.called / 1000.0;
    }
    if (f.started_served > 0) r.service_avg_s = f.service_ms / f.started_served / 1000.0;
    if (r.rated > 0) r.satisfied = static_cast<double>(r.rated_good) / r.rated;
    return r;
}

}  // namespace

// Nearest rank: the smallest span that at least a share p of the spans do not exceed.
double percentile_s(std::vector<int64_t>& v, double p) {
    if (v.empty()) return 0;
    const auto k = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()))) - (p > 0 ? 1 : 0);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return static_cast<double>(v[k]) / 1000.0;
}

Spread spread_s(std::vector<int64_t>& ms) {
    if (ms.empty()) return {};
    double sum = 0;
    for (int64_t m : ms) sum += static_cast<double>(m);
    const double n = static_cast<double>(ms.size());
    return {sum / n / 1000.0, percentile_s(ms, 0.5), percentile_s(ms, 0.9)};
}

std::string local_text(const common::LocalCalendar& calendar, int64_t ms) {
    const auto at = calendar.at(ms);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", at.day / 10000, at.day / 100 % 100, at.day % 100,
                  at.minute / 60, at.minute % 60, static_cast<int>((ms / 1000) % 60));
    return text;
}

void check(const Query& q) {
    auto date = [](int32_t day) { return day >= 19700101 && day <= 99991231 && common::is_date(day); };
    if (!date(q.from_day) || !date(q.to_day)) throw QueryError("from and to are days as YYYYMMDD, e.g. 20261124");
    if (q.from_day > q.to_day) throw QueryError("the range is reversed: 'from' is after 'to'");
    auto days = [](int32_t day) {
        return common::days_from_civil(day / 10000, static_cast<unsigned>(day / 100 % 100), static_cast<unsigned>(day % 100));
    };
    if (days(q.to_day) - days(q.from_day) + 1 > kMostDays)
        throw QueryError("the range is longer than " + std::to_string(kMostDays) + " days; ask for at most three years");
    if (q.target_wait_s <= 0) throw QueryError("the target wait is a number of seconds above 0");
}

Stats::Stats(const std::filesystem::path& center_db, const std::string& zone)
    : db_(std::make_unique<sqlite::Database>(center_db.string(), SQLITE_OPEN_READONLY)), calendar_(zone) {
    db_->exec("PRAGMA busy_timeout = 5000");
}

Stats::~Stats() = default;

namespace {

const char* booking_kind(int64_t booking) { return booking == 1 ? "booked" : booking == 2 ? "booked_late" : "walk_in"; }

// Columns 0..11 of the range query below.
std::string group_key(GroupBy by, sqlite::Statement& row, const common::LocalCalendar& calendar) {
    char key[24];
    const auto day = static_cast<int32_t>(row.int_at(0));
    auto hour = [&] { return calendar.at(row.int_at(4)).minute / 60; };  // only where needed: it is the dearest part
    switch (by) {
        case GroupBy::service: return row.text_at(1);
        case GroupBy::counter: return std::to_string(row.int_at(2));
        case GroupBy::staff: return row.null_at(9) ? "" : row.text_at(9);
        case GroupBy::hour: std::snprintf(key, sizeof key, "%02d", hour()); break;
        case GroupBy::call_hour:
            if (row.null_at(5)) return "-";
            std::snprintf(key, sizeof key, "%02d", calendar.at(row.int_at(5)).minute / 60);
            break;
        case GroupBy::weekday: return std::to_string(common::weekday_of(day));
        case GroupBy::weekday_hour: std::snprintf(key, sizeof key, "%d-%02d", common::weekday_of(day), hour()); break;
        case GroupBy::day: return std::to_string(day);
        case GroupBy::booking: return booking_kind(row.int_at(11));
        case GroupBy::wait: {
            if (row.null_at(5)) return "-";
            const int64_t minutes = (row.int_at(5) - row.int_at(4)) / 60'000;
            const int64_t bucket = std::min<int64_t>(minutes / kWaitBucketMinutes * kWaitBucketMinutes, kWaitBucketsLast);
            std::snprintf(key, sizeof key, "%03lld", static_cast<long long>(std::max<int64_t>(bucket, 0)));
            break;
        }
    }
    return key;
}

}  // namespace

std::vector<Row> Stats::summary(const Query& q) { return summaries(q, {q.by}).front(); }

std::vector<std::vector<Row>> Stats::summaries(const Query& q, const std::vector<GroupBy>& groupings) {
    check(q);
    sqlite::Transaction snapshot(*db_, "BEGIN");  // one consistent state of the view
    sqlite::Statement rows(*db_,
                           "SELECT day, service, IFNULL(counter, 0), state, issued_at, first_called_at, started_at, "
                           "finished_at, est_wait_s, staff, IFNULL(rating, 0), booking FROM tickets WHERE day BETWEEN ?1 AND ?2");
    rows.bind(1, int64_t{q.from_day}).bind(2, int64_t{q.to_day});
    std::vector<std::map<std::string, Fold>> groups(groupings.size());
    Fold total;
    total.row.key = "total";
    while (rows.step()) {
        const int64_t issued_at = rows.int_at(4);
        const Ticket t{rows.text_at(3),
                       rows.null_at(5) ? std::nullopt : std::optional<int64_t>(rows.int_at(5) - issued_at),
                       rows.null_at(6) || rows.null_at(7) ? std::nullopt : std::optional<int64_t>(rows.int_at(7) - rows.int_at(6)),
                       rows.int_at(8), static_cast<int>(rows.int_at(10))};
        for (size_t i = 0; i < groupings.size(); ++i) {
            const std::string key = group_key(groupings[i], rows, calendar_);
            Fold& g = groups[i][key];
            g.row.key = key;
            add(g, t, q.target_wait_s);
        }
        add(total, t, q.target_wait_s);
    }
    const Row whole = finish(total);  // the same last row for every grouping
    std::vector<std::vector<Row>> out;
    for (auto& by_key : groups) {
        auto& list = out.emplace_back();
        for (auto& [k, f] : by_key) list.push_back(finish(f));
        list.push_back(whole);
    }
    return out;
}

namespace {

std::string local_time(const common::LocalCalendar& calendar, sqlite::Statement& row, int column) {
    return row.null_at(column) ? "" : local_text(calendar, row.int_at(column));
}

std::string seconds_between(sqlite::Statement& row, int from, int to) {
    if (row.null_at(from) || row.null_at(to)) return "";
    return std::to_string((row.int_at(to) - row.int_at(from)) / 1000);
}

}  // namespace

std::string Stats::tickets_csv(const Query& q) {
    check(q);
    sqlite::Transaction snapshot(*db_, "BEGIN");
    sqlite::Statement rows(*db_,
                           "SELECT day, number, issued_service, service, category, priority, source, state, "
                           "IFNULL(counter, 0), IFNULL(staff, ''), issued_at, first_called_at, started_at, finished_at, "
                           "est_wait_s, recalls, transfers, IFNULL(rating, 0), IFNULL(rating_reason, ''), booking, "
                           "steps, IFNULL(procedure, ''), IFNULL(dossier, ''), IFNULL(result, '') "
                           "FROM tickets WHERE day BETWEEN ?1 AND ?2 ORDER BY day, id");
    rows.bind(1, int64_t{q.from_day}).bind(2, int64_t{q.to_day});
    std::string out =
        "day,number,issued_service,service,category,priority,source,state,counter,staff,issued_at,first_called_at,"
        "started_at,finished_at,wait_s,service_s,est_wait_s,recalls,transfers,steps,procedure,dossier,result,rating,"
        "rating_reason,booking\r\n";
    while (rows.step()) {
        const std::string cells[] = {
            std::to_string(rows.int_at(0)), csv_cell(rows.text_at(1)), csv_cell(rows.text_at(2)), csv_cell(rows.text_at(3)),
            csv_cell(rows.text_at(4)), std::to_string(rows.int_at(5)), csv_cell(rows.text_at(6)), rows.text_at(7),
            std::to_string(rows.int_at(8)), csv_cell(rows.text_at(9)), local_time(calendar_, rows, 10),
            local_time(calendar_, rows, 11), local_time(calendar_, rows, 12), local_time(calendar_, rows, 13),
            seconds_between(rows, 10, 11), seconds_between(rows, 12, 13), std::to_string(rows.int_at(14)),
            std::to_string(rows.int_at(15)), std::to_string(rows.int_at(16)),
            // the visit (issue 22): its steps and the last outcome said; `booking` stays last, as before
            std::to_string(rows.int_at(20)), csv_cell(rows.text_at(21)), csv_cell(rows.text_at(22)), rows.text_at(23),
            std::to_string(rows.int_at(17)), csv_cell(rows.text_at(18)), booking_kind(rows.int_at(19))};
        for (size_t i = 0; i < std::size(cells); ++i) {
            if (i) out += ',';
            out += cells[i];
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace stats
