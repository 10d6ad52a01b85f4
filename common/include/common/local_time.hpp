// local_time: turns a UTC instant into the center's local calendar day and minute.
//
// Why: ticket numbers reset at local midnight and services open by local hours,
// but the engine must not read clocks or time-zone files (it is a pure function).
// So the edge reads the clock, asks LocalCalendar for the local day, and hands the
// engine an Instant. The same Instant always gives the same engine result.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace common {

// A moment as the engine sees it: UTC milliseconds plus its local reading.
struct Instant {
    int64_t ms = 0;      // milliseconds since the Unix epoch, UTC
    int32_t day = 0;     // local calendar day as yyyymmdd, e.g. 20261124
    int32_t minute = 0;  // local minute of the day, 0..1439
};

// Reads local time in one IANA zone ("Asia/Ho_Chi_Minh") or a fixed offset
// ("UTC+07:00"). One zone per process: the server serves one center.
class LocalCalendar {
public:
    // Throws std::invalid_argument when the zone is unknown.
    explicit LocalCalendar(const std::string& zone);
    Instant at(int64_t utc_ms) const;
    // The UTC ms of a local day and minute (a booking's slot in a calendar file):
    // the inverse of at(), by the offset in force at that moment.
    int64_t utc_of(int32_t day, int minute) const;
    const std::string& zone() const { return zone_; }

private:
    std::string zone_;
    std::optional<int32_t> fixed_offset_s_;  // set for "UTC+hh:mm" zones
};

// Calendar arithmetic on days written yyyymmdd, through std::chrono's civil calendar.
// Days since 1970-01-01 of a civil date; a day past the month's end runs into the
// next month (February 31 is March 3), as the arithmetic of the calendar does.
int64_t days_from_civil(int year, unsigned month, unsigned day);
// Whether yyyymmdd names a real date (20261131 does not).
bool is_date(int32_t yyyymmdd);
// Day of the week of a local day yyyymmdd: 0 = Sunday … 6 = Saturday.
int weekday_of(int32_t yyyymmdd);
// The day `days` after (or before, when negative) a real date yyyymmdd.
int32_t add_days(int32_t yyyymmdd, int days);
// Minutes since 1970-01-01 00:00 of a local day and minute: local moments compared without a zone.
int64_t local_minutes(int32_t day, int minute);
// Days from `from` to `to`, both real dates yyyymmdd: negative when `to` is earlier.
int days_between(int32_t from, int32_t to);

// A local moment as people read it in Việt Nam: "08:15", "24/11/2026", and both:
// "08:15 24/11/2026" (the kiosk's screens and tickets, a dossier's visits).
std::string clock_text(const Instant& t);
std::string date_text(const Instant& t);
std::string local_time_text(int64_t utc_ms, const LocalCalendar& calendar);

// Milliseconds since the epoch from the system clock (the edge's clock).
int64_t system_now_ms();

// Fixed offset in seconds from "UTC", "UTC+7", "UTC+07:00", "UTC-03:30"; nullopt otherwise.
std::optional<int32_t> parse_fixed_offset(const std::string& zone);

}  // namespace common
