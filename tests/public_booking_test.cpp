// public_booking_test: booking a number from a phone against a real server
// (issue 21) — the bookable services and their slots, a one-time code sent
// through the real notifier (its file sender), the booking by its key, moving
// and cancelling it, the refusals, the kiosk's check-in by code and by key, the
// staff's list, and that no answer and no log line holds a phone or ID number.
#include <catch2/catch.hpp>

#include <regex>

#include "booking_hall.hpp"
#include "engine/codec.hpp"
#include "sqlite/sqlite.hpp"
#include "test_server.hpp"

using testing::BookingHall;
using testing::TestServer;
using json = nlohmann::json;

namespace {

constexpr int32_t kToday = 20261124;     // the test clock's day (a Tuesday), 08:00
constexpr int32_t kTomorrow = 20261125;

}  // namespace

TEST_CASE("a phone books a slot: the services and slots - a code through the real notifier - the booking by its key - moved and cancelled", "[public][booking]") {
    BookingHall h;
    auto services = h.s.call("GET", "/api/public/services");
    REQUIRE(services.status == 200);
    REQUIRE(services.body["services"].size() == 1);
    CHECK(services.body["services"][0]["code"] == "A");
    // Today and the next 6 days but the holiday (Thursday) and the weekend.
    CHECK(services.body["services"][0]["days"] == json::array({kToday, kTomorrow, 20261127, 20261130}));
    auto slots = h.s.call("GET", "/api/public/slots?service=A&day=20261125");
    REQUIRE(slots.status == 200);
    CHECK(slots.body["slots"].size() == 38);
    CHECK(slots.body["slots"][2] == json{{"start", "08:00"}, {"end", "08:15"}, {"free", 2}});

    const std::string code = h.code_for("0912 345 678");
    CHECK(h.messages.lines().back()["phone"] == "09*****678");  // the file holds it masked, as the logs do
    auto r = h.book("+84912345678", code, kTomorrow, "08:00");
    REQUIRE(r.status == 201);
    const std::string key = r.body["key"].get<std::string>();
    CHECK(r.body["url"] == "/b/" + key);
    CHECK(r.body["code"].get<std::string>().size() == 8);
    CHECK(r.body["start"] == "08:00");
    CHECK(r.body["end"] == "08:15");
    CHECK(r.body["masked_name"] == "Nguyễn V** A**");
    CHECK(r.raw.find("912345678") == std::string::npos);
    CHECK(r.raw.find("Văn An") == std::string::npos);
    CHECK(h.s.call("GET", "/api/public/slots?service=A&day=20261125").body["slots"][2]["free"] == 1);

    const auto html = h.s.call("GET", "/b/" + key);  // the link the booking answered
    CHECK(html.status == 200);
    CHECK(html.raw.find("Mã lịch hẹn: " + r.body["code"].get<std::string>()) != std::string::npos);
    CHECK(html.raw.find("08:00–08:15, 25/11/2026") != std::string::npos);
    CHECK(h.s.call("GET", "/b/AAAAAAAAAAAAAAAAAAAAAA").status == 404);
    auto page = h.s.call("GET", "/api/public/bookings/" + key);
    REQUIRE(page.status == 200);
    CHECK(page.body["state"] == "booked");
    CHECK(page.body["service_name_vi"] == "Hộ tịch");
    auto moved = h.post("/api/public/bookings/" + key + "/move", {{"day", 20261127}, {"start", "09:30"}});
    REQUIRE(moved.status == 200);
    CHECK(moved.body["day"] == 20261127);
    CHECK(h.s.call("GET", "/api/public/slots?service=A&day=20261125").body["slots"][2]["free"] == 2);
    auto gone = h.s.call("DELETE", "/api/public/bookings/" + key, "{}");
    REQUIRE(gone.status == 200);
    CHECK(gone.body["state"] == "cancelled");
    CHECK(h.refusal(h.s.call("DELETE", "/api/public/bookings/" + key, "{}")) == "409 booking_cancelled");
    CHECK(h.refusal(h.s.call("GET", "/api/public/bookings/AAAAAAAAAAAAAAAAAAAAAA")) == "404 unknown_booking");
    CHECK(h.refusal(h.s.call("GET", "/api/public/bookings/not-a-key")) == "404 unknown_booking");
}

TEST_CASE("a booking's calendar file and its reminders: the day before through the real notifier", "[public][booking]") {
    BookingHall h;
    auto r = h.book("0912345678", h.code_for("0912345678"), kTomorrow, "14:00");
    REQUIRE(r.status == 201);
    CHECK(r.body["reminders"] == true);
    const std::string key = r.body["key"].get<std::string>(), code = r.body["code"].get<std::string>();

    const auto ics = h.s.call("GET", "/api/public/bookings/" + key + "/calendar.ics");
    REQUIRE(ics.status == 200);
    CHECK(ics.content_type.rfind("text/calendar", 0) == 0);
    CHECK(ics.raw.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0) == 0);
    CHECK(ics.raw.find("DTSTART:20261125T070000Z\r\n") != std::string::npos);  // 14:00 in Hà Nội
    CHECK(ics.raw.find("DTEND:20261125T071500Z\r\n") != std::string::npos);
    CHECK(ics.raw.find("TRIGGER:-PT1H") != std::string::npos);
    const std::string unfolded = std::regex_replace(ics.raw, std::regex("\r\n "), "");
    CHECK(unfolded.find("SUMMARY:Lịch hẹn: Hộ tịch (" + code + ")") != std::string::npos);
    CHECK(ics.raw.find("912345678") == std::string::npos);
    for (size_t at = 0, end; (end = ics.raw.find("\r\n", at)) != std::string::npos; at = end + 2) CHECK(end - at <= 75);
    CHECK(h.refusal(h.s.call("GET", "/api/public/bookings/AAAAAAAAAAAAAAAAAAAAAA/calendar.ics")) == "404 unknown_booking");

    const size_t before = h.messages.lines().size();
    h.s.clock_ms += 6 * 3600'000;  // 14:00 today: a day before the slot
    h.messages.notifier->look_now();
    const auto lines = h.messages.lines();
    REQUIRE(lines.size() == before + 1);
    CHECK(lines.back()["kind"] == "reminder");
    CHECK(lines.back()["number"] == code);
    CHECK(lines.back()["text"].get<std::string>().find("lúc 14:00–14:15: Hộ tịch") != std::string::npos);

    auto quiet = h.post("/api/public/bookings", {{"service", "A"}, {"day", kTomorrow}, {"start", "15:00"}, {"phone", "0987654321"},
                                                 {"code", h.code_for("0987654321")}, {"reminders", false}});
    REQUIRE(quiet.status == 201);
    CHECK(quiet.body["reminders"] == false);
}

TEST_CASE("booking refusals: no code - a wrong code - too many tries or codes - a full slot - the limits - closed or far days - bad input", "[public][booking]") {
    BookingHall h;
    CHECK(h.refusal(h.book("0912345678", "123456", kTomorrow, "08:00")) == "401 not_verified");
    std::string code = h.code_for("0912345678");
    const std::string wrong = code == "000000" ? "000001" : "000000";
    CHECK(h.refusal(h.book("0912345678", wrong, kTomorrow, "08:00")) == "401 bad_code");
    CHECK(h.refusal(h.book("0987654321", code, kTomorrow, "08:00")) == "401 not_verified");  // another phone's code
    REQUIRE(h.book("0912345678", code, kTomorrow, "08:00").status == 201);
    CHECK(h.refusal(h.book("0912345678", code, kTomorrow, "09:00")) == "401 not_verified");  // one code, one booking
    code = h.code_for("0912345678");
    CHECK(h.refusal(h.book("0912345678", code, kTomorrow, "09:00")) == "409 limit_reached");
    CHECK(h.refusal(h.book("0912345678", code, 20261126, "09:00")) == "409 closed_day");
    CHECK(h.refusal(h.book("0912345678", code, 20261201, "09:00")) == "409 too_far_ahead");
    CHECK(h.refusal(h.book("0912345678", code, kToday, "07:45")) == "409 past_slot");
    CHECK(h.refusal(h.book("0912345678", code, 20261127, "09:05")) == "400 no_such_slot");
    CHECK(h.refusal(h.book("0912345678", code, 20261127, "9h")) == "400 no_such_slot");
    CHECK(h.refusal(h.book("0912345678", code, 20261131, "09:00")) == "400 bad_day");
    CHECK(h.refusal(h.book("0912345678", code, 20261127, "09:00", "B")) == "409 not_bookable");
    CHECK(h.refusal(h.book("12345", code, 20261127, "09:00")) == "400 bad_phone");
    CHECK(h.refusal(h.post("/api/public/verify", {{"phone", "0241234567"}})) == "400 bad_phone");
    CHECK(h.refusal(h.post("/api/public/bookings", {{"service", "A"}, {"day", kTomorrow}})) == "400 bad_phone");
    // The slot's last place: one of two gets it.
    const std::string other = h.code_for("0987654321");
    REQUIRE(h.book("0987654321", other, kTomorrow, "08:00").status == 201);
    const std::string third = h.code_for("0911111111");
    CHECK(h.refusal(h.book("0911111111", third, kTomorrow, "08:00")) == "409 slot_full");
    // Five wrong tries end a code; three codes an hour to a number.
    for (int i = 0; i < 5; ++i) h.book("0911111111", wrong == third ? "999999" : wrong, kTomorrow, "08:15");
    CHECK(h.refusal(h.book("0911111111", third, kTomorrow, "08:15")) == "429 too_many_attempts");
    h.code_for("0911111111");
    h.code_for("0911111111");
    CHECK(h.refusal(h.post("/api/public/verify", {{"phone", "0911111111"}})) == "429 too_many_codes");
    CHECK(h.refusal(h.s.call("GET", "/api/public/slots?service=A&day=2026-11-25")) == "400 bad_day");
    CHECK(h.refusal(h.s.call("GET", "/api/public/slots?day=20261125")) == "400 bad_service");
}

TEST_CASE("the kiosk checks a booking in by its code or its key: a ticket before the walk-ins - the staff's list shows it masked", "[public][booking]") {
    BookingHall h;
    const std::string code = h.code_for("0912345678");
    auto first = h.book("0912345678", code, kToday, "08:15");
    REQUIRE(first.status == 201);
    const std::string other = h.code_for("0987654321");
    auto second = h.book("0987654321", other, kToday, "08:30");
    REQUIRE(second.status == 201);
    auto walk_in = h.s.post("/api/tickets", {{"service", "A"}}, h.s.kiosk);
    REQUIRE(walk_in.status == 201);

    CHECK(h.refusal(h.s.post("/api/checkins", {{"code", "ZZZZZZZZ"}}, h.s.kiosk)) == "404 unknown_booking");
    CHECK(h.s.post("/api/checkins", {{"code", first.body["code"]}}, "").status == 401);
    std::string lower = first.body["code"].get<std::string>();
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto t1 = h.s.post("/api/checkins", {{"code", lower}}, h.s.kiosk);  // typed in small letters
    REQUIRE(t1.status == 201);
    CHECK(t1.body["booked"] == true);
    CHECK(t1.body["masked_name"] == "Nguyễn V** A**");
    CHECK(t1.body["follow_url"].get<std::string>().starts_with("/t/"));
    CHECK(h.refusal(h.s.post("/api/checkins", {{"code", first.body["code"]}}, h.s.kiosk)) == "409 already_checked_in");
    auto t2 = h.s.post("/api/checkins", {{"key", second.body["key"]}}, h.s.kiosk);  // the phone's QR
    REQUIRE(t2.status == 201);

    h.s.clock_ms += 30 * 60'000;  // 08:30: both slots have begun
    const std::string staff = h.s.staff(1);
    auto call = [&] { return h.s.call("POST", "/api/counters/1/next", "{}", staff).body["ticket"]["id"]; };
    CHECK(call() == t1.body["id"]);
    // The staff check the phone the citizen shows against the booking's: keyed hashes compared.
    const std::string t1_identity = "/api/tickets/" + std::to_string(t1.body["id"].get<int64_t>()) + "/identity";
    CHECK(h.refusal(h.s.call("POST", t1_identity, R"({"phone":"0987654321"})", staff)) == "409 identity_mismatch");
    auto confirmed = h.s.call("POST", t1_identity, R"({"phone":"0912345678"})", staff);
    REQUIRE(confirmed.status == 200);
    CHECK(confirmed.body["confirmed"] == true);
    CHECK(confirmed.raw.find("912345678") == std::string::npos);
    CHECK(h.refusal(h.s.call("POST", t1_identity, R"({"id_number":"123"})", staff)) == "400 bad_id_number");
    CHECK(h.s.call("POST", t1_identity, R"({"phone":"0912345678"})", h.s.kiosk).status == 403);
    const std::string t2_identity = "/api/tickets/" + std::to_string(t2.body["id"].get<int64_t>()) + "/identity";
    CHECK(h.refusal(h.s.call("POST", t2_identity, R"({"phone":"0987654321"})", staff)) == "409 not_held_here");  // still waiting
    CHECK(h.s.call("POST", t2_identity, R"({"phone":"0987654321"})", h.admin).status == 200);  // managers: any of today's
    const std::string walk_in_identity = "/api/tickets/" + std::to_string(walk_in.body["id"].get<int64_t>()) + "/identity";
    CHECK(h.refusal(h.s.call("POST", walk_in_identity, R"({"phone":"0987654321"})", h.admin)) == "409 no_identity");
    h.s.call("POST", "/api/tickets/" + std::to_string(t1.body["id"].get<int64_t>()) + "/start", "{}", staff);
    CHECK(call() == t2.body["id"]);
    h.s.call("POST", "/api/tickets/" + std::to_string(t2.body["id"].get<int64_t>()) + "/start", "{}", staff);
    CHECK(call() == walk_in.body["id"]);

    auto list = h.s.call("GET", "/api/bookings", "", staff);
    REQUIRE(list.status == 200);
    REQUIRE(list.body["bookings"].size() == 2);
    CHECK(list.body["bookings"][0]["state"] == "checked_in");
    CHECK(list.body["bookings"][0]["number"] == t1.body["number"]);
    CHECK(list.raw.find("912345678") == std::string::npos);
    CHECK(h.s.call("GET", "/api/bookings").status == 401);
    CHECK(h.s.call("GET", "/api/bookings", "", h.s.kiosk).status == 403);

    // The managers' statistics and the tickets' CSV set the booked citizens beside the walk-ins.
    const std::string manager = h.s.login("manager", "manager-password");
    auto by_kind = h.s.call("GET", "/api/stats?from=20261124&by=booking", "", manager);
    REQUIRE(by_kind.status == 200);
    std::map<std::string, json> rows;
    for (const auto& r : by_kind.body["rows"]) rows[r["key"].get<std::string>()] = r;
    CHECK(rows["booked"]["issued"] == 2);
    CHECK(rows["booked"]["called"] == 2);
    CHECK(rows["walk_in"]["issued"] == 1);
    CHECK(rows["walk_in"]["called"] == 1);
    CHECK(rows["total"]["issued"] == 3);
    auto csv = h.s.call("GET", "/api/stats/tickets?from=20261124", "", manager);
    REQUIRE(csv.status == 200);
    CHECK(csv.raw.find(",rating_reason,booking\r\n") != std::string::npos);
    size_t booked_lines = 0;
    for (size_t at = 0; (at = csv.raw.find(",booked\r\n", at)) != std::string::npos; ++at) ++booked_lines;
    CHECK(booked_lines == 2);
    CHECK(csv.raw.find(",walk_in\r\n") != std::string::npos);
}

TEST_CASE("an ID card number books too: the log holds keyed hashes of it and of the phone and neither in the clear", "[public][booking][privacy]") {
    BookingHall h;
    const std::string code = h.code_for("0912345678");
    auto with_id = [&](const json& extra) {
        json body = {{"service", "A"}, {"day", kTomorrow}, {"start", "10:00"}, {"phone", "0912345678"}, {"code", code}};
        body.update(extra);
        return h.post("/api/public/bookings", body);
    };
    CHECK(h.refusal(with_id({{"id_number", "123456789"}, {"birth_date", "01011950"}})) == "400 bad_id_number");
    CHECK(h.refusal(with_id({{"id_number", "001150012345"}, {"birth_date", "31021950"}})) == "400 bad_birth_date");
    REQUIRE(with_id({{"id_number", "001150012345"}, {"birth_date", "01011950"}}).status == 201);
    // The same card with another phone is the same person: its limit holds.
    const std::string other = h.code_for("0987654321");
    auto again = h.post("/api/public/bookings", {{"service", "A"}, {"day", kTomorrow}, {"start", "11:00"}, {"phone", "0987654321"},
                                                 {"code", other}, {"id_number", "001150012345"}, {"birth_date", "01011950"}});
    CHECK(h.refusal(again) == "409 limit_reached");
    sqlite::Database db((h.s.dir / "center.db").string(), SQLITE_OPEN_READONLY);
    sqlite::Statement q(db, "SELECT json FROM events WHERE type = 'booking_made'");
    int rows = 0;
    while (q.step()) {
        const std::string text = q.text_at(0);
        CHECK(text.find("001150012345") == std::string::npos);
        CHECK(text.find("912345678") == std::string::npos);
        CHECK(text.find("Văn An") == std::string::npos);
        CHECK(json::parse(text)["booking"]["person"].get<std::string>().size() == 64);
        ++rows;
    }
    CHECK(rows == 1);
    // On the day, the card's QR read at the kiosk finds it.
    CHECK(h.refusal(h.s.post("/api/checkins", {{"id_number", "001150012345"}}, h.s.kiosk)) == "404 no_booking_today");
    h.s.clock_ms += 24 * 3'600'000 + 90 * 60'000;  // tomorrow 09:30, the 10:00 slot's check-in is open
    CHECK(h.refusal(h.s.post("/api/checkins", {{"id_number", "12345"}}, h.s.kiosk)) == "400 bad_id_number");
    auto t = h.s.post("/api/checkins", {{"id_number", "001150012345"}}, h.s.kiosk);
    REQUIRE(t.status == 201);
    CHECK(t.body["booked"] == true);
    CHECK(h.refusal(h.s.post("/api/checkins", {{"id_number", "001150012345"}}, h.s.kiosk)) == "404 no_booking_today");
}

TEST_CASE("a booking not checked in becomes a no-show in a quiet hall too and its place is free again", "[public][booking]") {
    BookingHall h;
    h.s.hold_later = true;  // the server's minute look is run by the test
    h.s.restart();
    const std::string code = h.code_for("0912345678");
    auto r = h.book("0912345678", code, kToday, "08:15");
    REQUIRE(r.status == 201);
    const std::string page = "/api/public/bookings/" + r.body["key"].get<std::string>();
    h.s.clock_ms += 44 * 60'000;  // 08:44: the slot ended at 08:30, the grace ends at 08:45
    h.s.run_held();
    CHECK(h.s.call("GET", page).body["state"] == "booked");
    h.s.clock_ms += 60'000;
    h.s.run_held();
    CHECK(h.s.call("GET", page).body["state"] == "no_show");
    sqlite::Database db((h.s.dir / "center.db").string(), SQLITE_OPEN_READONLY);
    sqlite::Statement q(db, "SELECT count(*) FROM events WHERE type = 'booking_no_show'");
    REQUIRE(q.step());
    CHECK(q.int_at(0) == 1);  // stored, so the slot is free on replay too
}

TEST_CASE("the bookings' statistics: made - cancelled - on time or late - no-shows - places offered - JSON and CSV - nothing of the person - an older file reads its bookings back", "[public][booking][stats]") {
    BookingHall h;  // A: 38 slots of 2 a day, 20261126 a holiday
    auto book = [&](const std::string& phone, int32_t day, const std::string& start) {
        auto r = h.book(phone, h.code_for(phone), day, start);
        INFO(phone << " " << start << ": " << r.raw);
        REQUIRE(r.status == 201);
        return r.body;
    };
    const json early = book("0912345678", kToday, "08:15");
    const json late = book("0912345679", kToday, "08:15");
    const json cancelled = book("0912345680", kToday, "09:00");
    book("0912345681", kToday, "08:30");  // never comes
    book("0912345682", kTomorrow, "10:00");
    REQUIRE(h.s.post("/api/checkins", {{"code", early["code"]}}, h.s.kiosk).status == 201);  // 08:00: 15 minutes early
    h.s.clock_ms += 31 * 60'000;
    REQUIRE(h.s.post("/api/checkins", {{"code", late["code"]}}, h.s.kiosk).status == 201);  // 08:31: past the grace
    REQUIRE(h.s.call("DELETE", "/api/public/bookings/" + cancelled["key"].get<std::string>()).status == 200);
    h.s.clock_ms += 30 * 60'000;  // 09:01: the 08:30 slot's end and grace are over
    REQUIRE(h.s.post("/api/tickets", {{"service", "B"}}, h.s.kiosk).status == 201);

    std::string manager = h.s.login("manager", "manager-password");
    auto report = [&] {
        auto r = h.s.call("GET", "/api/stats/bookings?from=20261124&to=20261126", "", manager);
        REQUIRE(r.status == 200);
        return r.body["rows"];
    };
    const json rows = report();
    REQUIRE(rows.size() == 3);  // today, tomorrow (the holiday offers nothing), the total
    const json& today = rows[0];
    CHECK(today["day"] == kToday);
    CHECK(today["service"] == "A");
    CHECK(today["made"] == 4);
    CHECK(today["cancelled"] == 1);
    CHECK(today["checked_in"] == 2);
    CHECK(today["on_time"] == 1);
    CHECK(today["late"] == 1);
    CHECK(today["no_show"] == 1);
    CHECK(today["waiting"] == 0);
    CHECK(today["offered"] == 76);
    CHECK(today["show_up"].get<double>() == Approx(2.0 / 3));
    CHECK(today["punctual"].get<double>() == Approx(0.5));
    CHECK(today["lateness_median_s"].get<double>() == -900);  // of -15 and +16 minutes, the lower middle
    CHECK(today["slot_use"].get<double>() == Approx(3.0 / 76));
    CHECK(rows[1]["day"] == kTomorrow);
    CHECK(rows[1]["waiting"] == 1);
    CHECK(rows[2]["day"] == 0);
    CHECK(rows[2]["made"] == 5);
    CHECK(rows[2]["offered"] == 152);

    auto csv = h.s.call("GET", "/api/stats/bookings?from=20261124&to=20261126&format=csv", "", manager);
    REQUIRE(csv.status == 200);
    CHECK(csv.raw.starts_with("day,service,made,cancelled,checked_in,on_time,late,no_show,waiting,offered,show_up,punctual,"
                              "lateness_median_s,slot_use\r\n"));
    CHECK(csv.raw.find("\r\n20261124,A,4,1,2,1,1,1,0,76,0.6667,0.5000,-900,0.0395\r\n") != std::string::npos);
    CHECK(csv.raw.find("\r\ntotal,,5,") != std::string::npos);
    CHECK(h.s.call("GET", "/api/stats/bookings?from=20261124", "", h.s.staff(1)).status == 403);
    CHECK(h.refusal(h.s.call("GET", "/api/stats/bookings?from=20261125&to=20261124", "", manager)) == "400 bad_range");

    // The view holds the slot and how it went, nothing of the person.
    {
        sqlite::Database db((h.s.dir / "center.db").string(), SQLITE_OPEN_READONLY);
        sqlite::Statement q(db, "SELECT id, day, service, start, state, made_at, checked_in_at, on_time, lateness_s, ticket, "
                                "updated_seq FROM bookings");
        while (q.step())
            for (int c = 0; c < 11; ++c) {
                const std::string cell = q.null_at(c) ? "" : q.text_at(c);
                CHECK(cell.find("345678") == std::string::npos);
                CHECK(cell.size() < 20);  // no 64-digit hash
            }
    }
    // A file from before the view (schema 5): the restart reads its bookings back from the log.
    h.s.stop();
    {
        sqlite::Database db((h.s.dir / "center.db").string());
        db.exec("DROP TABLE bookings");
        // and what schema 7 added after it (the counter's real day)
        db.exec("DROP TABLE steps; DROP TABLE calls; DROP TABLE staff_time; ALTER TABLE tickets DROP COLUMN steps; "
                "ALTER TABLE tickets DROP COLUMN procedure; ALTER TABLE tickets DROP COLUMN dossier; "
                "ALTER TABLE tickets DROP COLUMN result");
        db.set_user_version(5);
    }
    h.s.start(false);
    manager = h.s.login("manager", "manager-password");
    CHECK(report() == rows);
}
