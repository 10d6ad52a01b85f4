// booking_routes: numbers booked ahead (issue 21) — the phone's booking pages
// (services, free slots, proving a phone number, booking, the booking by its
// key), the kiosk's check-in, and the staff's list of a day's bookings. The
// engine decides slots, capacity and limits (engine/booking.cpp); identity is
// checked here (identity.hpp) before anything reaches it.
//
// A booking is named on the phone by a key like a ticket's follow key (22
// random characters, only its hash in the log) and at the kiosk by its 8-letter
// code. No route answers a phone number, an ID number or a full name.
#include <sodium.h>

#include <charconv>
#include <spdlog/spdlog.h>

#include "api/calendar_file.hpp"
#include "api/core.hpp"
#include "api/handlers.hpp"
#include "api/identity.hpp"
#include "common/booking_code.hpp"
#include "common/json_reader.hpp"
#include "common/local_time.hpp"
#include "common/qr.hpp"
#include "common/text.hpp"
#include "dossier/dossier.hpp"
#include "engine/booking_codec.hpp"
#include "notify/contact.hpp"

namespace api::handlers {

using common::JsonReader;

namespace {

// Random characters of the kiosk keypad's alphabet (common/booking_code.hpp).
std::string new_booking_code() {
    std::string code(common::kBookingCodeLength, 'A');
    for (char& c : code)
        c = common::kBookingCodeAlphabet[randombytes_uniform(static_cast<uint32_t>(common::kBookingCodeAlphabet.size()))];
    return code;
}

std::optional<int32_t> day_of(const std::string& text) {
    int32_t v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.size() != 8 || ec != std::errc() || p != text.data() + text.size() || !common::is_date(v)) return std::nullopt;
    return v;
}

Reply bad_day() { return error_reply(400, "bad_day", "day is a date written YYYYMMDD"); }

Reply unknown_booking() {
    return error_reply(404, "unknown_booking", "no booking has this key (a wrong link, or its day is over)");
}

json booking_view(const Core& core, const engine::Booking& b) {
    json j = engine::booking_to_json(b, false);
    j["code"] = b.code;  // the citizen's own, to type at the kiosk
    const engine::Service* s = core.engine().state().center.service(b.service);
    j["service_name_vi"] = s ? s->name_vi : "";
    j["service_name_en"] = s ? s->name_en : "";
    const engine::Ticket* t = b.ticket ? core.engine().ticket(b.ticket) : nullptr;
    j["number"] = t ? t->number : "";
    return j;
}

// The booking a presented key names; anything that is not a key is refused before it is hashed.
const engine::Booking* booking_by_key_text(const Core& core, const std::string& key) {
    return is_follow_key(key) ? core.engine().booking_by_key(follow_hash(key)) : nullptr;
}

const engine::Booking* booking_of(Core& core, const Call& call, Respond& respond) {
    const std::string& key = call.params.at(0);
    const engine::Booking* b = booking_by_key_text(core, key);
    if (!b) respond(unknown_booking());
    return b;
}

std::string booking_url(const PhoneSettings& phone, const std::string& key) { return phone.public_url + "/b/" + key; }

// The phone number of a body, normalised; the refusal otherwise.
std::variant<std::string, Reply> phone_of(const json& body) {
    const auto phone = body.contains("phone") && body["phone"].is_string() ? notify::normalise_phone(body["phone"].get<std::string>())
                                                                           : std::nullopt;
    if (!phone) return error_reply(400, "bad_phone", "a Vietnamese mobile number: 0 and 9 digits, or +84 and 9 digits");
    return *phone;
}

// The person the limits count: the chip ID card number when given (with a birth
// date that is a real date), else the proven phone number.
std::variant<std::string, Reply> person_of(const IdentityDesk& desk, const JsonReader& r, const std::string& phone) {
    if (!r.has("id_number")) return desk.person_of_phone(phone);
    const std::string id = r.get<std::string>("id_number");
    if (!is_id_number(id)) return error_reply(400, "bad_id_number", "a chip ID card number has 12 digits");
    const std::string birth = r.get<std::string>("birth_date", std::string());
    const auto ymd = birth.size() == 8 ? day_of(birth.substr(4, 4) + birth.substr(2, 2) + birth.substr(0, 2)) : std::nullopt;
    if (!ymd) return error_reply(400, "bad_birth_date", "the birth date is written DDMMYYYY");
    return desk.person_of_id_number(id);
}

// A body's {"day": YYYYMMDD, "start": "HH:MM"}; the refusal otherwise.
struct SlotAsked {
    int32_t day = 0;
    int start = 0;
};
std::variant<SlotAsked, Reply> slot_asked(const JsonReader& r) {
    const auto day = day_of(std::to_string(r.get<int64_t>("day")));
    if (!day) return bad_day();
    try {
        return SlotAsked{*day, engine::minute_from_text(r.get<std::string>("start"))};
    } catch (const engine::CodecError&) {
        return error_reply(400, "no_such_slot", "start is a slot's start, HH:MM");
    }
}

// Text for an HTML page: the service names come from the center's config.
std::string html_text(const std::string& s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string day_text(int32_t d) {
    const std::string s = std::to_string(d);
    return s.substr(6, 2) + "/" + s.substr(4, 2) + "/" + s.substr(0, 4);
}

// The booking's page, plain and in both languages: what to bring to the kiosk.
std::string page_html(const Core& core, const engine::Booking* b) {
    std::string body = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Lịch hẹn / Booking</title>"
                       "</head><body><main>";
    if (!b) {
        return body + "<h1>Không tìm thấy lịch hẹn này</h1><p>Đường dẫn sai hoặc lịch hẹn đã qua.</p>"
                      "<p lang=\"en\">This booking was not found: the link is wrong or its day is over.</p></main></body></html>";
    }
    const engine::Service* s = core.engine().state().center.service(b->service);
    const std::string when = engine::minute_to_text(b->start_minute) + "–" + engine::minute_to_text(b->end_minute) + ", " + day_text(b->day);
    body += "<h1>Mã lịch hẹn: " + b->code + "</h1>";
    body += "<p>" + html_text(s ? s->name_vi : b->service) + " — " + when + "</p>";
    body += "<p>Trạng thái: " + std::string(engine::to_string(b->state)) + "</p>";
    body += "<p>Khi đến, quét mã hoặc nhập mã lịch hẹn tại máy lấy số.</p>";
    body += "<p lang=\"en\">Booking code " + b->code + ": " + html_text(s ? s->name_en : b->service) + ", " + when +
            ". On arrival, type this code at the kiosk.</p>";
    return body + "</main></body></html>";
}

// The day-before and hour-before texts, when the center sends text messages.
bool remind(Core& core, const engine::Booking& b, const std::string& phone, const std::string& url) {
    MessageSink* sink = core.options().messages;
    if (!sink || !sink->can_send(false)) return false;
    const engine::Service* s = core.engine().state().center.service(b.service);
    sink->remind(Reminder{b.id, b.day, b.start_minute, b.end_minute, phone, b.code, s ? s->name_vi : b.service,
                          s ? s->name_en : b.service, url});
    return true;
}

}  // namespace

// The page a booking's link opens: the phone app when the server has it (--web),
// else a plain page; 404 for a key that names nothing. Never cached.
void booking_page(Core& core, const Call& call, Respond respond) {
    const engine::Booking* b = booking_by_key_text(core, call.params.at(0));
    const WebFile* app = core.options().web ? core.options().web->find("/m/index.html") : nullptr;
    respond(Reply{b ? 200 : 404, app ? app->body : page_html(core, b), "text/html; charset=utf-8", "no-store"});
}

// The QR the kiosk's scanner reads from the phone's screen: the booking's link.
void booking_qr(Core& core, const Call& call, Respond respond) {
    if (!booking_of(core, call, respond)) return;
    const auto code = common::encode_qr(booking_url(core.options().phone, call.params.at(0)));
    if (!code) return respond(error_reply(500, "no_qr", "the booking's link does not fit a QR code"));
    respond(Reply{200, common::qr_svg(*code), "image/svg+xml", "no-store"});
}

// "Add to calendar": the booking's slot as an .ics file, the same UID at each download.
void booking_calendar(Core& core, const Call& call, Respond respond) {
    const engine::Booking* b = booking_of(core, call, respond);
    if (!b) return;
    const engine::Center& center = core.engine().state().center;
    const engine::Service* s = center.service(b->service);
    CalendarEntry e;
    e.uid = "booking-" + std::to_string(b->id) + "-" + b->code + "@queue-server";
    e.start_ms = core.calendar().utc_of(b->day, b->start_minute);
    e.end_ms = core.calendar().utc_of(b->day, b->end_minute);
    e.stamp_ms = core.now().ms;
    e.summary = "Lịch hẹn: " + (s ? s->name_vi : b->service) + " (" + b->code + ")";
    e.description = "Mã lịch hẹn " + b->code + ": nhập tại máy lấy số khi đến.\nBooking code " + b->code +
                    ": type it at the kiosk when you arrive.";
    e.location = center.name;
    const std::string url = booking_url(core.options().phone, call.params.at(0));
    if (url.rfind("http", 0) == 0) e.url = url;  // a calendar needs a whole address, not a path
    respond(Reply{200, ics_text(e), "text/calendar; charset=utf-8", "no-store"});
}

// The bookable services, with the days they may be booked for.
void public_services(Core& core, const Call&, Respond respond) {
    const common::Instant now = core.now();
    json services = json::array();
    for (const auto& s : core.engine().state().center.services) {
        if (!s.booking.bookable) continue;
        json days = json::array();
        for (int i = 0; i <= s.booking.days_ahead; ++i)
            if (const int32_t d = common::add_days(now.day, i); !core.engine().bookable_day(s.code, d, now)) days.push_back(d);
        services.push_back({{"code", s.code}, {"name_vi", s.name_vi}, {"name_en", s.name_en},
                            {"days_ahead", s.booking.days_ahead}, {"slot_minutes", s.booking.slot_minutes}, {"days", days}});
    }
    respond(ok_json({{"services", services}}));
}

void public_slots(Core& core, const Call& call, Respond respond) {
    const auto service = call.query.find("service"), day_text = call.query.find("day");
    if (service == call.query.end()) return respond(error_reply(400, "bad_service", "say which service: ?service=A"));
    const auto day = day_text == call.query.end() ? std::nullopt : day_of(day_text->second);
    if (!day) return respond(bad_day());
    if (auto e = core.engine().bookable_day(service->second, *day, core.now()))
        return respond(error_reply(e->status, e->code, e->message));
    json slots = json::array();
    for (const auto& s : core.engine().slots(service->second, *day, core.now()))
        slots.push_back({{"start", engine::minute_to_text(s.start_minute)}, {"end", engine::minute_to_text(s.end_minute)},
                         {"free", s.free}});
    respond(ok_json({{"service", service->second}, {"day", *day}, {"slots", slots}}));
}

// A one-time code to the phone number, through the center's text-message sender.
void public_verify(Core& core, const Call& call, Respond respond) {
    JsonReader(call.body, "body", {"phone"});
    auto phone = phone_of(call.body);
    if (auto* refused = std::get_if<Reply>(&phone)) return respond(*refused);
    MessageSink* sink = core.options().messages;
    if (!sink || !sink->can_send(false)) return respond(error_reply(409, "no_sender", "this center sends no text messages"));
    auto code = core.identity().new_code(std::get<std::string>(phone), core.now().ms);
    if (auto* e = std::get_if<engine::Error>(&code)) return respond(error_reply(e->status, e->code, e->message));
    const int ttl_min = core.options().identity.code_ttl_s / 60;
    const std::string& c = std::get<std::string>(code);
    sink->send_text(std::get<std::string>(phone), core.now().day,
                    "Mã xác nhận đặt lịch của quý khách là " + c + " (hiệu lực " + std::to_string(ttl_min) + " phút).",
                    "Your booking code is " + c + " (valid for " + std::to_string(ttl_min) + " minutes).");
    respond(ok_json({{"sent_to", notify::mask_phone(std::get<std::string>(phone))},
                     {"expires_in_s", core.options().identity.code_ttl_s}}, 202));
}

// A booking for a proven phone number (and an ID card, when given).
void public_book(Core& core, const Call& call, Respond respond) {
    JsonReader r(call.body, "body", {"service", "day", "start", "phone", "code", "id_number", "birth_date", "name", "reminders"});
    auto phone = phone_of(call.body);
    if (auto* refused = std::get_if<Reply>(&phone)) return respond(*refused);
    const auto slot = slot_asked(r);
    if (auto* refused = std::get_if<Reply>(&slot)) return respond(*refused);
    if (auto e = core.identity().use_code(std::get<std::string>(phone), r.get<std::string>("code", std::string()), core.now().ms))
        return respond(error_reply(e->status, e->code, e->message));
    auto person = person_of(core.identity(), r, std::get<std::string>(phone));
    if (auto* refused = std::get_if<Reply>(&person)) return respond(*refused);
    const std::string name = common::to_nfc(r.get<std::string>("name", std::string())).value_or("");
    const std::string key = new_follow_key();
    const SlotAsked& asked = std::get<SlotAsked>(slot);
    engine::MakeBooking c{r.get<std::string>("service"), asked.day, asked.start, std::get<std::string>(person),
                          dossier::mask_name(common::utf8_prefix(name, 100)), follow_hash(key), new_booking_code(), "public"};
    const bool reminders = r.get<bool>("reminders", true);
    core.execute(c, [&core, key, reminders, phone = std::get<std::string>(phone)](const engine::Outcome& out) {
        core.identity().spend(phone);
        const engine::Booking& b = *core.engine().booking(std::get<engine::BookingMade>(out.events.back().body).booking.id);
        json j = booking_view(core, b);
        j["key"] = key;
        j["url"] = booking_url(core.options().phone, key);
        j["reminders"] = reminders && remind(core, b, phone, j["url"]);
        return ok_json(j, 201);
    }, std::move(respond), "citizen");
}

void public_booking(Core& core, const Call& call, Respond respond) {
    if (const engine::Booking* b = booking_of(core, call, respond)) core.reply_when_durable(ok_json(booking_view(core, *b)), std::move(respond));
}

void public_unbook(Core& core, const Call& call, Respond respond) {
    const engine::Booking* b = booking_of(core, call, respond);
    if (!b) return;
    const int64_t id = b->id;
    core.execute(engine::CancelBooking{id}, [&core, id](const engine::Outcome&) { return ok_json(booking_view(core, *core.engine().booking(id))); },
                 std::move(respond), "citizen");
}

void public_move(Core& core, const Call& call, Respond respond) {
    const engine::Booking* b = booking_of(core, call, respond);
    if (!b) return;
    const auto slot = slot_asked(JsonReader(call.body, "body", {"day", "start"}));
    if (auto* refused = std::get_if<Reply>(&slot)) return respond(*refused);
    const int64_t id = b->id;
    core.execute(engine::MoveBooking{id, std::get<SlotAsked>(slot).day, std::get<SlotAsked>(slot).start},
                 [&core, id](const engine::Outcome&) { return ok_json(booking_view(core, *core.engine().booking(id))); },
                 std::move(respond), "citizen");
}

// Today's booking of the person a chip ID card names, the earliest still to check in.
const engine::Booking* booking_of_card(Core& core, const std::string& id_number) {
    const engine::Booking* first = nullptr;
    for (const engine::Booking* b : core.engine().bookings_of(core.identity().person_of_id_number(id_number), core.now().day))
        if (b->state == engine::BookingState::booked && (!first || b->start_minute < first->start_minute)) first = b;
    return first;
}

// At the kiosk: the booking by its code (typed), its key (its QR scanned from the
// phone) or the chip ID card it was booked with (the card's QR, read by the kiosk)
// becomes today's ticket, answered like a number taken (follow key and all).
void check_in(Core& core, const Call& call, Respond respond) {
    JsonReader r(call.body, "body", {"code", "key", "id_number", "category"});
    const engine::Booking* b = nullptr;
    if (r.has("id_number")) {
        const std::string id = r.get<std::string>("id_number");
        if (!is_id_number(id)) return respond(error_reply(400, "bad_id_number", "a chip ID card number has 12 digits"));
        b = booking_of_card(core, id);
        if (!b) return respond(error_reply(404, "no_booking_today", "this ID card has no booking left to check in today"));
    } else if (r.has("key")) {
        const std::string key = r.get<std::string>("key");
        b = booking_by_key_text(core, key);
    } else {
        std::string code = r.get<std::string>("code");
        for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        b = core.engine().booking_by_code(code);
    }
    if (!b) return respond(error_reply(404, "unknown_booking", "no booking has this code"));
    const std::string key = new_follow_key();
    engine::CheckIn c{b->id, r.get<std::string>("category", std::string("normal")),
                      std::string(role_name(call.who->role)) + ":" + call.who->name, follow_hash(key)};
    core.execute(c, [&core, key](const engine::Outcome& out) {
        int64_t ticket = 0;
        for (const auto& e : out.events)
            if (const auto* issued = std::get_if<engine::TicketIssued>(&e.body)) ticket = issued->ticket.id;
        json j = core.ticket_json(*core.engine().ticket(ticket));
        j["follow_key"] = key;
        j["follow_url"] = follow_url(core.options().phone, key);
        return ok_json(j, 201);
    }, std::move(respond));
}

// At the counter: the chip ID card (or the phone) the citizen shows is the one
// the ticket was booked or taken with. Only its keyed hash is compared, to the
// ticket held at the staff's own counter (managers: any of today's), so the
// route tells no one whose a number is, and guesses cost a login each.
void confirm_identity(Core& core, const Call& call, Respond respond) {
    const std::string& text = call.params.at(0);
    int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    const engine::Ticket* t = ec == std::errc() && end == text.data() + text.size() ? core.engine().ticket(id) : nullptr;
    if (!t) return respond(error_reply(404, "unknown_ticket", "no such ticket today"));
    if (call.who->role == Role::staff && (t->counter != call.who->counter || (t->state != engine::TicketState::called &&
                                                                               t->state != engine::TicketState::serving)))
        return respond(error_reply(409, "not_held_here", "the ticket is not held at counter " + std::to_string(call.who->counter)));
    const engine::Booking* b = t->booking ? core.engine().booking(t->booking) : nullptr;
    const std::string person = b ? b->person : t->person;
    if (person.empty()) return respond(error_reply(409, "no_identity", "this number was taken without an ID card or a phone"));
    JsonReader r(call.body, "body", {"id_number", "phone"});
    std::string shown;
    if (r.has("id_number")) {
        if (!is_id_number(r.get<std::string>("id_number")))
            return respond(error_reply(400, "bad_id_number", "a chip ID card number has 12 digits"));
        shown = core.identity().person_of_id_number(r.get<std::string>("id_number"));
    } else {
        auto phone = phone_of(call.body);
        if (auto* refused = std::get_if<Reply>(&phone)) return respond(*refused);
        shown = core.identity().person_of_phone(std::get<std::string>(phone));
    }
    const bool matches = sodium_memcmp(shown.data(), person.data(), std::min(shown.size(), person.size())) == 0 &&
                         shown.size() == person.size();
    spdlog::info("identity of ticket {} at counter {}: {}", t->number, t->counter, matches ? "confirmed" : "not matching");
    if (!matches) return respond(error_reply(409, "identity_mismatch", "the card or phone shown is not the one of this number"));
    respond(ok_json({{"ticket", t->id}, {"number", t->number}, {"confirmed", true}, {"masked_name", t->masked_name}}));
}

// A day's bookings (today's by default), for the counters and managers.
void list_bookings(Core& core, const Call& call, Respond respond) {
    const auto day_text = call.query.find("day");
    const auto day = day_text == call.query.end() ? std::optional<int32_t>(core.now().day) : day_of(day_text->second);
    if (!day) return respond(bad_day());
    json list = json::array();
    for (const auto& [id, b] : core.engine().state().bookings)
        if (b.day == *day) list.push_back(booking_view(core, b));
    respond(ok_json({{"day", *day}, {"bookings", list}}));
}

}  // namespace api::handlers
