// notify_reminder_test: a booking's reminders (issue 21) — when the day-before
// and hour-before texts are due (pure), and the real notifier sending them
// through its file sender as the hall's clock moves: a cancelled booking is
// not reminded, a moved one is reminded of its new slot, the reminders outlive
// a restart, and the phone is gone from messages.db once the booking's day ends.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "notify/reminders.hpp"
#include "notify_support.hpp"

using json = nlohmann::json;
using notify::ReminderRow;

namespace {

constexpr int32_t kToday = 20261124, kTomorrow = 20261125, kAfter = 20261126, kLast = 20261127;

api::Reminder slot(int32_t day, int start) {
    return {7, day, start, start + 15, "0911111111", "ABCD2345", "Hộ tịch", "Civil status", "https://q.example.vn/b/k"};
}
common::Instant at(int32_t day, int minute) { return {0, day, minute}; }

}  // namespace

TEST_CASE("the day-before text comes 24 hours before the slot and the hour-before one an hour before - once each") {
    ReminderRow row{slot(kTomorrow, 9 * 60)};
    notify::skip_near(row, at(kToday - 1, 8 * 60));
    CHECK_FALSE(row.day_before_done);
    CHECK_FALSE(row.hour_before_done);
    CHECK(notify::due_reminders(row, at(kToday, 8 * 60 + 59), "Trung tâm").empty());
    auto m = notify::due_reminders(row, at(kToday, 9 * 60), "Trung tâm");
    REQUIRE(m.size() == 1);
    CHECK(m[0].id == "20261125-b7-540-day");
    CHECK(m[0].day == kTomorrow);  // kept until the booking's day ends
    CHECK(m[0].text == "Nhắc lịch hẹn ngày 25/11/2026 lúc 09:00–09:15: Hộ tịch tại Trung tâm. Mã lịch hẹn ABCD2345, nhập tại "
                       "máy lấy số khi đến. Đổi hoặc huỷ: https://q.example.vn/b/k");
    CHECK(m[0].text_en.find("Booking code ABCD2345") != std::string::npos);
    CHECK(notify::due_reminders(row, at(kToday, 20 * 60), "Trung tâm").empty());
    CHECK(notify::due_reminders(row, at(kTomorrow, 7 * 60 + 59), "Trung tâm").empty());
    m = notify::due_reminders(row, at(kTomorrow, 8 * 60), "Trung tâm");
    REQUIRE(m.size() == 1);
    CHECK(m[0].id == "20261125-b7-540-hour");
    CHECK(m[0].text.rfind("Còn khoảng 1 giờ đến lịch hẹn lúc 09:00: Hộ tịch", 0) == 0);
    CHECK(notify::due_reminders(row, at(kTomorrow, 8 * 60 + 30), "Trung tâm").empty());
}

TEST_CASE("a booking made close to its slot skips the reminders it does not need") {
    ReminderRow late{slot(kTomorrow, 9 * 60)};
    notify::skip_near(late, at(kToday, 8 * 60));  // 25 hours ahead: no day-before text
    CHECK(late.day_before_done);
    CHECK_FALSE(late.hour_before_done);
    CHECK(notify::due_reminders(late, at(kToday, 9 * 60), "C").empty());
    CHECK(notify::due_reminders(late, at(kTomorrow, 8 * 60), "C").size() == 1);

    ReminderRow today{slot(kToday, 9 * 60)};
    notify::skip_near(today, at(kToday, 7 * 60 + 30));  // 90 minutes ahead: none at all
    CHECK(today.day_before_done);
    CHECK(today.hour_before_done);
    CHECK(notify::due_reminders(today, at(kToday, 8 * 60), "C").empty());
}

TEST_CASE("a reminder missed while the server was off is sent late only while it helps") {
    ReminderRow off{slot(kTomorrow, 9 * 60)};
    auto m = notify::due_reminders(off, at(kTomorrow, 8 * 30), "C");  // woke at 04:00 of the day: the day-before one, late
    REQUIRE(m.size() == 1);
    CHECK(m[0].id.ends_with("-day"));
    ReminderRow later{slot(kTomorrow, 9 * 60)};
    m = notify::due_reminders(later, at(kTomorrow, 8 * 60 + 10), "C");  // within the hour: only the hour-before one
    REQUIRE(m.size() == 1);
    CHECK(m[0].id.ends_with("-hour"));
    CHECK(later.day_before_done);
    ReminderRow gone{slot(kTomorrow, 9 * 60)};
    CHECK(notify::due_reminders(gone, at(kTomorrow, 9 * 60), "C").empty());  // the slot began: nothing
    CHECK(gone.hour_before_done);
}

TEST_CASE("a local day and minute back to UTC: fixed offsets and daylight saving") {
    CHECK(common::LocalCalendar("UTC+07:00").utc_of(kToday, 8 * 60) == testing::kClockStartMs);
    CHECK(common::LocalCalendar("UTC-03:30").utc_of(kToday, 0) == testing::kClockStartMs - 1 * 3600'000 + (3 * 60 + 30) * 60'000);
    CHECK(common::local_minutes(kTomorrow, 0) - common::local_minutes(kToday, 0) == 1440);
    CHECK(common::local_minutes(20270101, 0) - common::local_minutes(20261231, 1439) == 1);
    if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin")) return;
    const common::LocalCalendar berlin("Europe/Berlin");
    const int64_t summer = berlin.utc_of(20260701, 10 * 60), winter = berlin.utc_of(20260101, 10 * 60);
    CHECK(berlin.at(summer).minute == 10 * 60);
    CHECK(berlin.at(winter).minute == 10 * 60);
    CHECK((summer / 60'000) % 1440 == 8 * 60);  // UTC+2
    CHECK((winter / 60'000) % 1440 == 9 * 60);  // UTC+1
}

namespace {

// A hall whose service A takes bookings, its notifier sending texts to a file,
// its clock the notifier's too.
struct BookingHall : testing::Hall {
    std::atomic<int64_t> now_ms{clock.ms};
    std::filesystem::path sent = dir / "sms.jsonl";

    BookingHall() {
        engine::Center c = testing::small_center();
        c.services[0].booking = engine::BookingRules{.bookable = true, .days_ahead = 6, .slot_minutes = 15, .slot_capacity = 2,
                                                     .early_minutes = 30, .grace_minutes = 15, .late_as_walk_in = true};
        run(engine::Configure{c});
    }
    std::unique_ptr<notify::Notifier> notifier() {
        notify::Senders senders;
        senders.phone.push_back(notify::FileSender{"file", sent});
        notify::Options o = options();
        o.now_ms = [this] { return now_ms.load(); };
        o.today = [this] { return clock.calendar.at(now_ms.load()).day; };
        auto n = std::make_unique<notify::Notifier>(dir.path, dir / "center.db", senders, "Trung tâm", o);
        sink = n.get();
        n->start();
        return n;
    }
    int64_t book(int32_t day, int start, const std::string& code) {
        const auto out = run(engine::MakeBooking{"A", day, start, std::string(64, code == "KEPT2345" ? 'a' : 'b'), "N** A**",
                                                 std::string(64, code == "KEPT2345" ? 'c' : 'd'), code, "public"});
        INFO((out.error ? out.error->code : std::string("booked")));
        REQUIRE(!out.events.empty());
        return std::get<engine::BookingMade>(out.events.back().body).booking.id;
    }
    void set(int32_t day, int hh, int mm) {
        while (clock.now().day < day) clock.next_day();
        clock.set_time(hh, mm);
        now_ms = clock.ms;
    }
    // The texts written so far, after the worker looked at the clock.
    std::vector<json> texts(notify::Notifier& n) {
        n.look_now();
        REQUIRE(n.wait_idle(std::chrono::seconds(10)));
        std::vector<json> out;
        std::ifstream in(sent);
        for (std::string l; std::getline(in, l);) out.push_back(json::parse(l));
        return out;
    }
    std::string file_text(const notify::Notifier& n) {
        return testing::read_bytes(n.file()) + testing::read_bytes(n.file().string() + "-wal");
    }
};

}  // namespace

TEST_CASE("the notifier reminds a booking - not a cancelled one - a moved one of its new slot - across a restart - then forgets the phone") {
    BookingHall h;
    auto n = h.notifier();
    const int64_t kept = h.book(kAfter, 9 * 60, "KEPT2345"), dropped = h.book(kAfter, 10 * 60, "DRPS2345");
    n->remind({kept, kAfter, 9 * 60, 9 * 60 + 15, "0911111111", "KEPT2345", "Hộ tịch", "Civil status", "/b/k1"});
    n->remind({dropped, kAfter, 10 * 60, 10 * 60 + 15, "0922222222", "DRPS2345", "Hộ tịch", "Civil status", "/b/k2"});
    CHECK(h.texts(*n).empty());  // 08:00: nothing yet
    h.run(engine::CancelBooking{dropped});

    h.set(kTomorrow, 9, 0);
    auto texts = h.texts(*n);
    REQUIRE(texts.size() == 1);
    CHECK(texts[0]["kind"] == "reminder");
    CHECK(texts[0]["number"] == "KEPT2345");
    CHECK(texts[0]["phone"] == "09*****111");
    CHECK(texts[0]["text"].get<std::string>().rfind("Nhắc lịch hẹn ngày 26/11/2026 lúc 09:00–09:15", 0) == 0);

    h.run(engine::MoveBooking{kept, kAfter, 14 * 60});
    h.set(kTomorrow, 10, 0);  // the cancelled booking's moment: nothing
    CHECK(h.texts(*n).size() == 1);
    h.set(kTomorrow, 14, 0);
    texts = h.texts(*n);
    REQUIRE(texts.size() == 2);
    CHECK(texts[1]["id"] == "20261126-b" + std::to_string(kept) + "-840-day");
    CHECK(texts[1]["text"].get<std::string>().find("lúc 14:00–14:15") != std::string::npos);

    n.reset();
    h.sink = nullptr;
    h.set(kAfter, 13, 0);
    n = h.notifier();
    texts = h.texts(*n);
    REQUIRE(texts.size() == 3);
    CHECK(texts[2]["text"].get<std::string>().rfind("Còn khoảng 1 giờ đến lịch hẹn lúc 14:00", 0) == 0);
    CHECK(h.file_text(*n).find("0911111111") != std::string::npos);  // kept for the booking's day
    CHECK(h.file_text(*n).find("0922222222") == std::string::npos);  // the cancelled booking's went with it

    h.set(kLast, 8, 0);
    h.texts(*n);
    CHECK(h.file_text(*n).find("0911111111") == std::string::npos);
}
