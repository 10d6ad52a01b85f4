// calendar_file: one booking as text/calendar (see calendar_file.hpp).
#include "api/calendar_file.hpp"

#include <ctime>

namespace api {
namespace {

std::string utc_stamp(int64_t ms) {
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm t{};
    gmtime_r(&secs, &t);
    char out[20];
    std::strftime(out, sizeof out, "%Y%m%dT%H%M%SZ", &t);
    return out;
}

// TEXT values escape backslash, comma, semicolon and newlines (RFC 5545 3.3.11).
std::string escaped(const std::string& s) {
    std::string out;
    for (const char c : s) {
        if (c == '\\' || c == ',' || c == ';') out += '\\', out += c;
        else if (c == '\n') out += "\\n";
        else if (c != '\r') out += c;
    }
    return out;
}

// A content line, folded: at most 75 octets a line, a continuation starts with a space.
void line(std::string& out, const std::string& text) {
    size_t at = 0, room = 75;
    while (text.size() - at > room) {
        size_t cut = at + room;
        while (cut > at && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
        out.append(text, at, cut - at).append("\r\n ");
        at = cut;
        room = 74;
    }
    out.append(text, at).append("\r\n");
}

}  // namespace

std::string ics_text(const CalendarEntry& e) {
    std::string out;
    line(out, "BEGIN:VCALENDAR");
    line(out, "VERSION:2.0");
    line(out, "PRODID:-//service-center//booking//VI");
    line(out, "CALSCALE:GREGORIAN");
    line(out, "METHOD:PUBLISH");
    line(out, "BEGIN:VEVENT");
    line(out, "UID:" + e.uid);
    line(out, "DTSTAMP:" + utc_stamp(e.stamp_ms));
    line(out, "DTSTART:" + utc_stamp(e.start_ms));
    line(out, "DTEND:" + utc_stamp(e.end_ms));
    line(out, "SUMMARY:" + escaped(e.summary));
    line(out, "DESCRIPTION:" + escaped(e.description));
    if (!e.location.empty()) line(out, "LOCATION:" + escaped(e.location));
    if (!e.url.empty()) line(out, "URL:" + e.url);
    line(out, "BEGIN:VALARM");
    line(out, "ACTION:DISPLAY");
    line(out, "DESCRIPTION:" + escaped(e.summary));
    line(out, "TRIGGER:-PT1H");
    line(out, "END:VALARM");
    line(out, "END:VEVENT");
    line(out, "END:VCALENDAR");
    return out;
}

}  // namespace api
