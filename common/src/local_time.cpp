// local_time: local calendar reading for the center's time zone (see local_time.hpp).
#include "common/local_time.hpp"

#include <cstdio>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <stdexcept>

namespace common {
namespace {

Instant from_tm(int64_t utc_ms, const std::tm& t) {
    Instant i;
    i.ms = utc_ms;
    i.day = (t.tm_year + 1900) * 10000 + (t.tm_mon + 1) * 100 + t.tm_mday;
    i.minute = t.tm_hour * 60 + t.tm_min;
    return i;
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool zone_file_exists(const std::string& zone) {
    if (zone.empty() || zone.find("..") != std::string::npos || zone.front() == '/') return false;
    std::error_code ec;
    return std::filesystem::is_regular_file("/usr/share/zoneinfo/" + zone, ec);
}

}  // namespace

std::optional<int32_t> parse_fixed_offset(const std::string& zone) {
    if (zone.rfind("UTC", 0) != 0) return std::nullopt;
    if (zone.size() == 3) return 0;
    const char sign = zone[3];
    if (sign != '+' && sign != '-') return std::nullopt;
    int hours = 0, minutes = 0;
    size_t i = 4;
    auto digits = [&](int& out, size_t max) {
        size_t n = 0;
        while (i < zone.size() && n < max && zone[i] >= '0' && zone[i] <= '9') out = out * 10 + (zone[i++] - '0'), ++n;
        return n > 0;
    };
    if (!digits(hours, 2)) return std::nullopt;
    if (i < zone.size() && zone[i] == ':') {
        ++i;
        if (!digits(minutes, 2)) return std::nullopt;
    }
    if (i != zone.size() || hours > 14 || minutes > 59) return std::nullopt;
    const int32_t off = hours * 3600 + minutes * 60;
    return sign == '+' ? off : -off;
}

LocalCalendar::LocalCalendar(const std::string& zone) : zone_(zone), fixed_offset_s_(parse_fixed_offset(zone)) {
    if (fixed_offset_s_) return;
    if (!zone_file_exists(zone)) {
        // Vietnam has kept UTC+7 without daylight saving since 1975: safe without tzdata.
        if (zone == "Asia/Ho_Chi_Minh" || zone == "Asia/Saigon") {
            fixed_offset_s_ = 7 * 3600;
            return;
        }
        throw std::invalid_argument("unknown time zone: " + zone);
    }
    ::setenv("TZ", zone.c_str(), 1);
    ::tzset();
}

Instant LocalCalendar::at(int64_t utc_ms) const {
    std::tm t{};
    if (fixed_offset_s_) {
        const std::time_t local = static_cast<std::time_t>(floor_div(utc_ms, 1000) + *fixed_offset_s_);
        gmtime_r(&local, &t);
    } else {
        const std::time_t secs = static_cast<std::time_t>(floor_div(utc_ms, 1000));
        localtime_r(&secs, &t);
    }
    return from_tm(utc_ms, t);
}

int64_t local_minutes(int32_t day, int minute) {
    return days_from_civil(day / 10000, static_cast<unsigned>(day / 100 % 100), static_cast<unsigned>(day % 100)) * 1440 + minute;
}

// Guess with no offset, correct by the offset found there, and once more for a
// guess that fell on the other side of a daylight-saving change.
int64_t LocalCalendar::utc_of(int32_t day, int minute) const {
    const int64_t wanted = local_minutes(day, minute);
    int64_t utc = wanted * 60000;
    for (int i = 0; i < 2; ++i) {
        const Instant seen = at(utc);
        utc += (wanted - local_minutes(seen.day, seen.minute)) * 60000;
    }
    return utc;
}

int64_t system_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

std::chrono::year_month_day civil(int32_t yyyymmdd) {
    using namespace std::chrono;
    return year{yyyymmdd / 10000} / month{static_cast<unsigned>(yyyymmdd / 100 % 100)} /
           day{static_cast<unsigned>(yyyymmdd % 100)};
}

}  // namespace

int64_t days_from_civil(int year, unsigned month, unsigned day) {
    using namespace std::chrono;
    const year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{1}};
    return (sys_days{date} + days{day} - days{1}).time_since_epoch().count();
}

bool is_date(int32_t yyyymmdd) { return yyyymmdd > 0 && civil(yyyymmdd).ok(); }

int weekday_of(int32_t yyyymmdd) {
    return static_cast<int>(std::chrono::weekday{std::chrono::sys_days{civil(yyyymmdd)}}.c_encoding());
}

}  // namespace common

namespace common {

int32_t add_days(int32_t yyyymmdd, int days) {
    using namespace std::chrono;
    const year_month_day d{sys_days{civil(yyyymmdd)} + std::chrono::days{days}};
    return static_cast<int32_t>(int{d.year()} * 10000 + static_cast<int>(unsigned{d.month()}) * 100 + static_cast<int>(unsigned{d.day()}));
}

int days_between(int32_t from, int32_t to) {
    using namespace std::chrono;
    return static_cast<int>((sys_days{civil(to)} - sys_days{civil(from)}).count());
}

std::string clock_text(const Instant& t) {
    char out[16];
    std::snprintf(out, sizeof out, "%02d:%02d", t.minute / 60, t.minute % 60);
    return out;
}

std::string date_text(const Instant& t) {
    char out[32];
    std::snprintf(out, sizeof out, "%02d/%02d/%04d", t.day % 100, t.day / 100 % 100, t.day / 10000);
    return out;
}

std::string local_time_text(int64_t utc_ms, const LocalCalendar& calendar) {
    const auto t = calendar.at(utc_ms);
    return clock_text(t) + " " + date_text(t);
}

}  // namespace common
