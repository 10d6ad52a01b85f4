// booking: numbers booked ahead (issue 21) — the decisions and folds of
// bookings, in the same engine and log as the walk-in tickets.
//
// A booking holds one place of a slot of a service's day. The engine checks the
// slot, its capacity, the day and the person's limits in the step that takes the
// place, so two people never both get its last one. At the kiosk a booking is
// checked in and becomes a ticket: on time (from `early_minutes` before its slot
// until `grace_minutes` after its start) it waits in its service's booked line,
// ordered by slot start, which counters call before walk-ins, but at most
// max_booked_streak times in a row while walk-ins wait (pick_next in engine.cpp).
// Not checked in by its slot's end plus the grace, it is a no-show and its place
// is free again: every command first folds the no-shows its time has reached.
#include "engine/engine.hpp"

#include <algorithm>
#include <cmath>

#include "common/booking_code.hpp"
#include "common/local_time.hpp"
#include "engine/codec.hpp"

namespace engine {
namespace {

Error refused(std::string code, std::string message, int status = 409) { return {std::move(code), std::move(message), status}; }

bool is_live(BookingState s) { return s == BookingState::booked || s == BookingState::checked_in; }

bool is_hex64(const std::string& h) { return h.size() == 64 && h.find_first_not_of("0123456789abcdef") == std::string::npos; }

std::string day_text(int32_t d) {
    const std::string s = std::to_string(d);
    return s.size() == 8 ? s.substr(6, 2) + "/" + s.substr(4, 2) + "/" + s.substr(0, 4) : s;
}

}  // namespace

const char* to_string(BookingState s) {
    switch (s) {
        case BookingState::booked: return "booked";
        case BookingState::checked_in: return "checked_in";
        case BookingState::cancelled: return "cancelled";
        case BookingState::no_show: return "no_show";
    }
    return "?";
}

// ---------------------------------------------------------------- queries

const Booking* Engine::booking(int64_t id) const {
    auto it = state_.bookings.find(id);
    return it == state_.bookings.end() ? nullptr : &it->second;
}

const Booking* Engine::booking_by_key(const std::string& key_hash) const {
    auto it = state_.booking_keys.find(key_hash);
    return it == state_.booking_keys.end() ? nullptr : booking(it->second);
}

const Booking* Engine::booking_by_code(const std::string& code) const {
    auto it = state_.booking_codes.find(code);
    return it == state_.booking_codes.end() ? nullptr : booking(it->second);
}

std::vector<const Booking*> Engine::bookings_of(const std::string& person, int32_t day) const {
    std::vector<const Booking*> out;
    auto it = state_.person_bookings.find({person, day});
    if (it == state_.person_bookings.end()) return out;
    for (const int64_t id : it->second)
        if (const Booking* b = booking(id)) out.push_back(b);
    return out;
}

std::optional<Error> Engine::bookable_day(const std::string& service, int32_t day, const common::Instant& now) const {
    const Service* s = state_.center.service(service);
    if (!s) return refused("unknown_service", "no service with code '" + service + "'", 404);
    if (!s->booking.bookable) return refused("not_bookable", "service " + s->code + " takes no bookings");
    if (!common::is_date(day)) return refused("bad_day", "a day is written yyyymmdd", 400);
    if (day < now.day) return refused("past_slot", day_text(day) + " is over");
    if (common::days_between(now.day, day) > s->booking.days_ahead)
        return refused("too_far_ahead", "service " + s->code + " is booked at most " + std::to_string(s->booking.days_ahead) +
                                            " days ahead");
    if (closed_on(day)) return refused("closed_day", "the center is closed on " + day_text(day));
    return std::nullopt;
}

bool Engine::closed_on(int32_t day) const {
    const BookingPolicy& p = state_.center.booking;
    const bool open_weekday = std::ranges::find(p.open_weekdays, common::weekday_of(day)) != p.open_weekdays.end();
    return !open_weekday || std::ranges::find(p.closed_days, day) != p.closed_days.end();
}

// A number in the config, or (capacity "auto") the booked share of what the
// service's own counters handle in a slot at its recent handling time: the
// rest of their time is kept for walk-ins. Derived now, for every day booked:
// a slot whose capacity fell under its bookings keeps them and takes no more.
int Engine::slot_capacity(const Service& s) const {
    const BookingRules& b = s.booking;
    if (b.slot_capacity > 0) return b.slot_capacity;
    int counters = 0;
    for (const auto& k : state_.center.counters)
        if (!k.tiers.empty() && std::ranges::find(k.tiers.front(), s.code) != k.tiers.front().end()) ++counters;
    const auto recent = state_.handle_avg_s.find(s.code);
    const double handle_s = std::max(1.0, recent == state_.handle_avg_s.end() ? s.avg_handle_s : recent->second);
    const double places = (100 - b.walk_in_percent) / 100.0 * counters * b.slot_minutes * 60 / handle_s;
    return counters == 0 ? 0 : std::max(1, static_cast<int>(std::lround(places)));
}

int Engine::places_offered(const std::string& service, int32_t day) const {
    const Service* s = state_.center.service(service);
    if (!s || !s->booking.bookable || !common::is_date(day) || closed_on(day)) return 0;
    return (s->close_minute - s->open_minute) / s->booking.slot_minutes * slot_capacity(*s);
}

int Engine::slot_free(const Service& s, int32_t day, int start) const {
    auto it = state_.slot_taken.find({s.code, day, start});
    return slot_capacity(s) - (it == state_.slot_taken.end() ? 0 : it->second);
}

std::vector<Slot> Engine::slots(const std::string& service, int32_t day, const common::Instant& now) const {
    std::vector<Slot> out;
    if (bookable_day(service, day, now)) return out;
    const Service& s = *state_.center.service(service);
    const int length = s.booking.slot_minutes;
    for (int start = s.open_minute; start + length <= s.close_minute; start += length)
        if (day > now.day || start > now.minute) out.push_back({start, start + length, std::max(0, slot_free(s, day, start))});
    return out;
}

// ---------------------------------------------------------------- decisions

std::optional<Error> Engine::check_slot(const Service& s, int32_t day, int start, const common::Instant& now) const {
    if (auto e = bookable_day(s.code, day, now)) return e;
    const int length = s.booking.slot_minutes;
    if (start < s.open_minute || start + length > s.close_minute || (start - s.open_minute) % length != 0)
        return refused("no_such_slot", "service " + s.code + " has no slot at " + minute_to_text(start), 400);
    if (day == now.day && start <= now.minute) return refused("past_slot", "the slot at " + minute_to_text(start) + " has begun");
    if (slot_free(s, day, start) <= 0)
        return refused("slot_full", "the slot at " + minute_to_text(start) + " on " + day_text(day) + " is full");
    return std::nullopt;
}

// The person's live bookings of the day, but `except` (the one being moved),
// and, for today, the walk-in numbers taken with their chip ID card (all but
// those staff cancelled): one count, however the number was got.
std::optional<Error> Engine::check_limits(const std::string& person, const std::string& service, int32_t day,
                                          int64_t except) const {
    int all = 0, same = 0;
    for (const Booking* b : bookings_of(person, day))
        if (b->id != except && is_live(b->state)) ++all, same += b->service == service;
    if (auto walk_ins = state_.person_tickets.find(person); day == state_.day && walk_ins != state_.person_tickets.end())
        for (const int64_t id : walk_ins->second)
            if (const Ticket* t = ticket(id); t && t->state != TicketState::cancelled) ++all, same += t->service == service;
    const BookingPolicy& p = state_.center.booking;
    if (same >= p.per_service_per_day)
        return refused("limit_reached", "one person gets at most " + std::to_string(p.per_service_per_day) +
                                            " number(s) of a service a day");
    if (all >= p.per_day)
        return refused("limit_reached", "one person gets at most " + std::to_string(p.per_day) + " numbers a day");
    return std::nullopt;
}

std::optional<Error> Engine::decide_booking(const MakeBooking& c, const common::Instant& now, std::vector<EventBody>& out) {
    const Service* s = state_.center.service(c.service);
    if (!s) return refused("unknown_service", "no service with code '" + c.service + "'", 404);
    if (!is_hex64(c.person)) return refused("bad_person", "a person is a 64-digit hex keyed hash", 400);
    if (!is_hex64(c.key_hash)) return refused("bad_key_hash", "a key hash is 64 lower-case hex digits", 400);
    if (!common::is_booking_code(c.code)) return refused("bad_booking_code", "a booking code is 8 letters and digits", 400);
    if (c.masked_name.size() > 200) return refused("bad_name", "the masked name is longer than 200 bytes", 400);
    if (state_.booking_keys.contains(c.key_hash)) return refused("key_taken", "another booking has this key hash");
    if (state_.booking_codes.contains(c.code)) return refused("code_taken", "another booking has this code");
    if (auto e = check_slot(*s, c.day, c.start_minute, now)) return e;
    if (auto e = check_limits(c.person, s->code, c.day, 0)) return e;
    Booking b;
    b.id = state_.next_booking_id;
    b.code = c.code;
    b.service = s->code;
    b.day = c.day;
    b.start_minute = c.start_minute;
    b.end_minute = c.start_minute + s->booking.slot_minutes;
    b.person = c.person;
    b.masked_name = c.masked_name;
    b.key_hash = c.key_hash;
    b.source = c.source;
    b.made_at = now.ms;
    out.push_back(BookingMade{std::move(b)});
    return std::nullopt;
}

// A booking that can still be moved, cancelled or checked in; else the refusal in `error`.
const Booking* Engine::live_booking(int64_t id, std::optional<Error>& error) const {
    const Booking* b = booking(id);
    if (!b) error = refused("unknown_booking", "no booking " + std::to_string(id), 404);
    else if (b->state == BookingState::cancelled) error = refused("booking_cancelled", "booking " + b->code + " was cancelled");
    else if (b->state == BookingState::no_show) error = refused("booking_no_show", "booking " + b->code + " was not checked in in time");
    else if (b->state == BookingState::checked_in) error = refused("already_checked_in", "booking " + b->code + " is checked in");
    return error ? nullptr : b;
}

std::optional<Error> Engine::decide_move(const MoveBooking& c, const common::Instant& now, std::vector<EventBody>& out) {
    std::optional<Error> error;
    const Booking* b = live_booking(c.booking, error);
    if (!b) return error;
    if (b->day == c.day && b->start_minute == c.start_minute)
        return refused("same_slot", "booking " + b->code + " is already for that slot");
    const Service* service = state_.center.service(b->service);
    if (!service) return refused("unknown_service", "service " + b->service + " is no longer offered", 404);
    const Service& s = *service;
    if (auto e = check_slot(s, c.day, c.start_minute, now)) return e;
    if (auto e = check_limits(b->person, b->service, c.day, b->id)) return e;
    out.push_back(BookingMoved{b->id, b->service, c.day, c.start_minute, c.start_minute + s.booking.slot_minutes});
    return std::nullopt;
}

std::optional<Error> Engine::decide_cancel_booking(const CancelBooking& c, std::vector<EventBody>& out) {
    std::optional<Error> error;
    const Booking* b = live_booking(c.booking, error);
    if (!b) return error;
    out.push_back(BookingCancelled{b->id, b->service});
    return std::nullopt;
}

// On time: within [start − early, start + grace], a place in the booked line at
// the slot's start. Later: a walk-in's place, or refused, as the service says.
std::optional<Error> Engine::decide_check_in(const CheckIn& c, const common::Instant& now, std::vector<EventBody>& out) {
    std::optional<Error> error;
    const Booking* b = live_booking(c.booking, error);
    if (!b) return error;
    const Service* s = state_.center.service(b->service);
    if (!s) return refused("unknown_service", "service " + b->service + " is no longer offered", 404);
    if (b->day != now.day) return refused("not_today", "booking " + b->code + " is for " + day_text(b->day));
    const BookingRules& rules = s->booking;
    if (now.minute < b->start_minute - rules.early_minutes)
        return refused("too_early", "booking " + b->code + " can be checked in from " +
                                        minute_to_text(std::max(0, b->start_minute - rules.early_minutes)));
    const bool on_time = now.minute <= b->start_minute + rules.grace_minutes;
    if (!on_time && !rules.late_as_walk_in)
        return refused("too_late", "booking " + b->code + " could be checked in until " +
                                       minute_to_text(b->start_minute + rules.grace_minutes));
    const Category* cat = state_.center.category(c.category);
    if (!cat) return refused("unknown_category", "no ticket category '" + c.category + "'", 400);
    if (auto e = check_follow_hash(c.follow_hash)) return e;
    const auto serial = next_free_number(*s);
    if (!serial) return refused("range_exhausted", "service " + s->code + " has no free number left today");

    Ticket t = new_ticket(*s, *cat, *serial, c.source, c.follow_hash, now);
    const int64_t slot_at = now.ms - now.ms % 60'000 - int64_t{now.minute - b->start_minute} * 60'000;
    t.booking = b->id;
    t.booked = on_time;
    t.slot_at = slot_at;
    t.masked_name = b->masked_name;
    if (on_time) {
        auto q = state_.booked_queue.find(s->code);
        t.people_ahead = q == state_.booked_queue.end() ? 0
                                                        : static_cast<int>(std::distance(q->second.begin(), q->second.lower_bound(place_of(t))));
        t.est_wait_s = estimate_wait_s(s->code, t.people_ahead);
    }
    const int64_t ticket_id = t.id;
    out.push_back(TicketIssued{std::move(t)});
    out.push_back(BookingCheckedIn{b->id, b->service, ticket_id, on_time, (now.ms - slot_at) / 1000});
    return std::nullopt;
}

bool Engine::booking_overdue(const common::Instant& now) const {
    const auto& d = state_.booking_deadlines;
    return !d.empty() && std::pair{std::get<0>(*d.begin()), std::get<1>(*d.begin())} <= std::pair{now.day, now.minute};
}

// Every booking whose deadline `now` has reached, in deadline order.
std::vector<EventBody> Engine::overdue_bookings(const common::Instant& now) const {
    std::vector<EventBody> out;
    for (const auto& [day, minute, id] : state_.booking_deadlines) {
        if (std::pair{day, minute} > std::pair{now.day, now.minute}) break;
        out.push_back(BookingNoShow{id, state_.bookings.at(id).service});
    }
    return out;
}

// ---------------------------------------------------------------- folds

void Engine::index_deadline(const Booking& b, bool add) {
    const Service* s = state_.center.service(b.service);
    const BookingDeadline d{b.day, b.end_minute + (s ? s->booking.grace_minutes : 0), b.id};
    if (add) state_.booking_deadlines.insert(d);
    else state_.booking_deadlines.erase(d);
}

// A new setup may change the graces: every pending booking's deadline again.
void Engine::rebuild_deadlines() {
    state_.booking_deadlines.clear();
    for (const auto& [id, b] : state_.bookings)
        if (b.state == BookingState::booked) index_deadline(b, true);
}

void Engine::fold_booking(const BookingMade& e) {
    const Booking& b = state_.bookings[e.booking.id] = e.booking;
    state_.next_booking_id = std::max(state_.next_booking_id, b.id + 1);
    state_.booking_keys[b.key_hash] = b.id;
    state_.booking_codes[b.code] = b.id;
    ++state_.slot_taken[{b.service, b.day, b.start_minute}];
    state_.person_bookings[{b.person, b.day}].push_back(b.id);
    index_deadline(b, true);
}

void Engine::fold_booking(const BookingMoved& e) {
    Booking& b = state_.bookings.at(e.booking);
    index_deadline(b, false);
    --state_.slot_taken[{b.service, b.day, b.start_minute}];
    if (b.day != e.day) {
        std::erase(state_.person_bookings[{b.person, b.day}], b.id);
        state_.person_bookings[{b.person, e.day}].push_back(b.id);
    }
    b.day = e.day;
    b.start_minute = e.start_minute;
    b.end_minute = e.end_minute;
    ++state_.slot_taken[{b.service, b.day, b.start_minute}];
    index_deadline(b, true);
}

// Cancelled or a no-show: its place is free again, its code no longer works.
void Engine::fold_booking_end(int64_t id, BookingState state) {
    Booking& b = state_.bookings.at(id);
    index_deadline(b, false);
    --state_.slot_taken[{b.service, b.day, b.start_minute}];
    state_.booking_codes.erase(b.code);
    b.state = state;
}

void Engine::fold_booking(const BookingCheckedIn& e, int64_t at) {
    Booking& b = state_.bookings.at(e.booking);
    index_deadline(b, false);
    b.state = BookingState::checked_in;
    b.ticket = e.ticket;
    b.checked_in_at = at;
}

// As a day opens, the bookings of the days before it are history (the log keeps them).
void Engine::forget_bookings_before(int32_t day) {
    for (auto it = state_.bookings.begin(); it != state_.bookings.end();) {
        const Booking& b = it->second;
        if (b.day >= day) {
            ++it;
            continue;
        }
        index_deadline(b, false);
        state_.booking_keys.erase(b.key_hash);
        if (auto c = state_.booking_codes.find(b.code); c != state_.booking_codes.end() && c->second == b.id)
            state_.booking_codes.erase(c);
        state_.slot_taken.erase({b.service, b.day, b.start_minute});
        state_.person_bookings.erase({b.person, b.day});
        it = state_.bookings.erase(it);
    }
}

}  // namespace engine
