// booking_report: how the bookings of a range of days went (see stats.hpp) —
// read from the store's `bookings` view, one pass, folded per day and service.
#include <algorithm>
#include <map>

#include "sqlite/sqlite.hpp"
#include "stats/stats.hpp"

namespace stats {

namespace {

struct BookingFold {
    BookingRow row;
    std::vector<int64_t> lateness_s;  // of the checked in: check-in − slot start (negative: early)
};

void add(BookingFold& f, const std::string& state, bool on_time, int64_t lateness_s) {
    BookingRow& r = f.row;
    ++r.made;
    r.cancelled += state == "cancelled";
    r.no_show += state == "no_show";
    r.waiting += state == "booked";
    if (state == "checked_in") {
        ++r.checked_in;
        on_time ? ++r.on_time : ++r.late;
        f.lateness_s.push_back(lateness_s);
    }
}

BookingRow finish(BookingFold& f) {
    BookingRow r = f.row;
    if (r.checked_in + r.no_show > 0) r.show_up = static_cast<double>(r.checked_in) / (r.checked_in + r.no_show);
    if (r.checked_in > 0) {
        r.punctual = static_cast<double>(r.on_time) / r.checked_in;
        auto& v = f.lateness_s;
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>((v.size() - 1) / 2), v.end());
        r.lateness_median_s = static_cast<double>(v[(v.size() - 1) / 2]);
    }
    if (r.offered > 0) r.slot_use = static_cast<double>(r.made - r.cancelled) / r.offered;
    return r;
}

}  // namespace

std::vector<BookingRow> Stats::bookings(const Query& q, const PlacesOffered& offered) {
    check(q);
    sqlite::Transaction snapshot(*db_, "BEGIN");
    sqlite::Statement rows(*db_, "SELECT day, service, state, on_time, lateness_s FROM bookings WHERE day BETWEEN ?1 AND ?2");
    rows.bind(1, int64_t{q.from_day}).bind(2, int64_t{q.to_day});
    std::map<std::pair<int32_t, std::string>, BookingFold> groups;
    BookingFold total;
    while (rows.step()) {
        const std::string state = rows.text_at(2);
        add(groups[{static_cast<int32_t>(rows.int_at(0)), rows.text_at(1)}], state, rows.int_at(3) != 0, rows.int_at(4));
        add(total, state, rows.int_at(3) != 0, rows.int_at(4));
    }
    // The places each day offered, booked or not: a day nobody booked is slot use 0, not absent.
    for (const auto& [key, places] : offered)
        if (key.first >= q.from_day && key.first <= q.to_day) {
            groups[key].row.offered = places;
            total.row.offered += places;
        }
    std::vector<BookingRow> out;
    for (auto& [key, f] : groups) {
        f.row.day = key.first;
        f.row.service = key.second;
        out.push_back(finish(f));
    }
    out.push_back(finish(total));
    return out;
}

}  // namespace stats
