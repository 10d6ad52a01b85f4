// booking_hall: a test server whose service A takes bookings (15-minute slots
// of 2, a holiday on 26/11/2026) with the real notifier sending text messages
// to a file — and the phone's side of booking: a code asked for and read from
// the message, a slot booked with it. Shared by the booking tests of the
// server (public_booking_test) and of the kiosk's check-in (kiosk_phone_test).
#pragma once
#include <regex>

#include "engine/codec.hpp"
#include "file_notifier.hpp"
#include "test_server.hpp"

namespace testing {

using json = nlohmann::json;

// A hall whose service A takes bookings (15-minute slots of 2), with the real
// notifier sending text messages to a file.
struct BookingHall {
    TestServer s;
    FileNotifier messages{s};
    std::string admin;

    BookingHall() {
        engine::Center c = s.center;
        c.services[0].booking = engine::BookingRules{.bookable = true, .days_ahead = 6, .slot_minutes = 15, .slot_capacity = 2,
                                                     .early_minutes = 30, .grace_minutes = 15, .late_as_walk_in = true};
        c.booking.closed_days = {20261126};
        admin = s.login("admin", s.admin_password);
        REQUIRE(s.call("PUT", "/api/admin/center", engine::center_to_json(c).dump(), admin).status == 200);
    }
    HttpReply post(const std::string& target, const json& body) { return s.call("POST", target, body.dump()); }
    // Asks for a code for the phone and reads it from the message the notifier wrote.
    std::string code_for(const std::string& phone) {
        const auto r = post("/api/public/verify", {{"phone", phone}});
        REQUIRE(r.status == 202);
        const auto lines = messages.lines();
        REQUIRE(!lines.empty());
        std::smatch m;
        const std::string text = lines.back()["text"].get<std::string>();
        REQUIRE(std::regex_search(text, m, std::regex("([0-9]{6})")));
        return m[1];
    }
    HttpReply book(const std::string& phone, const std::string& code, int32_t day, const std::string& start,
                   const std::string& service = "A") {
        return post("/api/public/bookings", {{"service", service}, {"day", day}, {"start", start}, {"phone", phone},
                                             {"code", code}, {"name", "Nguyễn Văn An"}});
    }
    std::string refusal(const HttpReply& r) { return std::to_string(r.status) + " " + r.body["error"]["code"].get<std::string>(); }
};

}  // namespace testing
