// calendar_file: a booking as an iCalendar file (RFC 5545), for "add to
// calendar" on the booking's page — one VEVENT with the slot in UTC, so no
// time-zone table is needed, and an alarm an hour before.
#pragma once
#include <cstdint>
#include <string>

namespace api {

struct CalendarEntry {
    std::string uid;          // stable per booking: a second download replaces the first in the calendar
    int64_t start_ms = 0, end_ms = 0, stamp_ms = 0;  // UTC
    std::string summary, description, location, url;
};

// The file's text, lines ended by CRLF and folded at 75 octets (never inside a UTF-8 character).
std::string ics_text(const CalendarEntry& e);

}  // namespace api
