// reminders: a booking's day-before and hour-before texts (see reminders.hpp).
#include "notify/reminders.hpp"

#include "engine/codec.hpp"

namespace notify {
namespace {

constexpr int kDay = 1440, kHour = 60;
constexpr int kDayBeforeMargin = 2 * kHour;  // booked within 26 hours of the slot: no day-before text
constexpr int kHourBeforeMargin = kHour;     // booked within 2 hours of it: no hour-before text

int64_t slot_start(const api::Reminder& r) { return common::local_minutes(r.day, r.start_minute); }
int64_t minutes_of(const common::Instant& now) { return common::local_minutes(now.day, now.minute); }

std::string date_text(int32_t d) {
    const std::string s = std::to_string(d);
    return s.substr(6, 2) + "/" + s.substr(4, 2) + "/" + s.substr(0, 4);
}

std::string slot_text(const api::Reminder& r) {
    return engine::minute_to_text(r.start_minute) + "–" + engine::minute_to_text(r.end_minute);
}

Message reminder(const api::Reminder& r, const std::string& kind, std::string vi, std::string en, int64_t now_ms) {
    Message m;
    m.id = std::to_string(r.day) + "-b" + std::to_string(r.booking) + "-" + std::to_string(r.start_minute) + "-" + kind;
    m.day = r.day;  // kept, like the phone, until the booking's day ends
    m.kind = "reminder";
    m.phone = r.phone;
    m.number = r.code;
    m.subject = vi;
    m.text = std::move(vi);
    m.text_en = std::move(en);
    m.created_at = now_ms;
    return m;
}

}  // namespace

void skip_near(ReminderRow& row, const common::Instant& now) {
    const int64_t start = slot_start(row.r), n = minutes_of(now);
    row.day_before_done = n >= start - kDay - kDayBeforeMargin;
    row.hour_before_done = n >= start - kHour - kHourBeforeMargin;
}

std::vector<Message> due_reminders(ReminderRow& row, const common::Instant& now, const std::string& center) {
    const int64_t start = slot_start(row.r), n = minutes_of(now);
    std::vector<Message> out;
    if (n >= start) {
        row.day_before_done = row.hour_before_done = true;
    } else if (n >= start - kHour) {
        if (!row.hour_before_done)
            out.push_back(reminder(row.r, "hour", hour_before_text(row.r, center, false), hour_before_text(row.r, center, true), now.ms));
        row.day_before_done = row.hour_before_done = true;
    } else if (n >= start - kDay && !row.day_before_done) {
        out.push_back(reminder(row.r, "day", day_before_text(row.r, center, false), day_before_text(row.r, center, true), now.ms));
        row.day_before_done = true;
    }
    return out;
}

std::string day_before_text(const api::Reminder& r, const std::string& center, bool english) {
    if (english)
        return "Reminder: your booking on " + date_text(r.day) + " at " + slot_text(r) + ", " + r.service_en + " at " + center +
               ". Booking code " + r.code + ": type it at the kiosk when you arrive. Move or cancel: " + r.url;
    return "Nhắc lịch hẹn ngày " + date_text(r.day) + " lúc " + slot_text(r) + ": " + r.service_vi + " tại " + center +
           ". Mã lịch hẹn " + r.code + ", nhập tại máy lấy số khi đến. Đổi hoặc huỷ: " + r.url;
}

std::string hour_before_text(const api::Reminder& r, const std::string& center, bool english) {
    if (english)
        return "Your booking is in about an hour, at " + engine::minute_to_text(r.start_minute) + ": " + r.service_en + " at " + center +
               ". Booking code " + r.code + ".";
    return "Còn khoảng 1 giờ đến lịch hẹn lúc " + engine::minute_to_text(r.start_minute) + ": " + r.service_vi + " tại " + center +
           ". Mã lịch hẹn " + r.code + ", nhập tại máy lấy số khi đến.";
}

}  // namespace notify
