// booking_engine_test: numbers booked ahead in the engine (issue 21) — slots,
// capacity, the days, the per-person limits, check-in and the one ordering rule
// with walk-ins, no-shows, replay, and random runs that check the invariants.
#include <catch2/catch.hpp>
#include <random>

#include "engine/booking_codec.hpp"
#include "engine/codec.hpp"
#include "engine/engine.hpp"
#include "test_center.hpp"

using namespace engine;
using testing::Clock;

namespace {

constexpr int32_t kToday = 20261124;  // a Tuesday; the clock starts at 08:00
constexpr int kSlot0800 = 8 * 60;

std::string hex64(int n) {
    char buf[65];
    std::snprintf(buf, sizeof buf, "%064x", n);
    return buf;
}
// Eight characters of the kiosk's alphabet, one for each n.
std::string code_of(int n) {
    static const std::string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string c(8, 'A');
    for (int i = 7; i >= 0 && n > 0; --i, n /= 32) c[i] = alphabet[n % 32];
    return c;
}

// A bookable "A" (15-minute slots of 2 from 07:30, today + 6 days, check-in from
// 30 minutes early to 15 minutes late) beside the walk-in-only B and C.
Center booking_center() {
    Center c = testing::small_center();
    c.services[0].booking = BookingRules{.bookable = true, .days_ahead = 6, .slot_minutes = 15, .slot_capacity = 2,
                                         .early_minutes = 30, .grace_minutes = 15, .late_as_walk_in = true};
    c.services[1].booking = c.services[0].booking;
    c.booking.max_booked_streak = 2;
    c.booking.closed_days = {20261126};  // a holiday, Thursday
    return c;
}

struct Fixture {
    Engine e;
    Clock clock;
    int made = 0;
    explicit Fixture(Center c = booking_center()) { REQUIRE(e.handle(Configure{std::move(c)}, clock.now()).ok()); }

    Outcome book(const std::string& service, int32_t day, int start, int person) {
        ++made;
        return e.handle(MakeBooking{service, day, start, hex64(person), "Nguyễn V. A.", hex64(100000 + made), code_of(made), "public"},
                        clock.now());
    }
    int64_t booked(const std::string& service, int32_t day, int start, int person) {
        auto out = book(service, day, start, person);
        INFO((out.error ? out.error->code + ": " + out.error->message : ""));
        REQUIRE(out.ok());
        return std::get<BookingMade>(out.events.back().body).booking.id;
    }
    std::string refusal(const Outcome& out) { return out.error ? out.error->code : "ok"; }
    Outcome check_in(int64_t booking, const std::string& category = "normal") {
        return e.handle(CheckIn{booking, category, "kiosk:1", ""}, clock.now());
    }
    // The ticket a check-in gave.
    Ticket checked_in(int64_t booking) {
        auto out = check_in(booking);
        INFO((out.error ? out.error->code + ": " + out.error->message : ""));
        REQUIRE(out.ok());
        for (const auto& ev : out.events)
            if (auto* t = std::get_if<TicketIssued>(&ev.body)) return t->ticket;
        FAIL("no ticket");
        return {};
    }
    int64_t walk_in(const std::string& service) {
        auto out = e.handle(IssueTicket{service, "normal", "kiosk:1"}, clock.now());
        REQUIRE(out.ok());
        return std::get<TicketIssued>(out.events.back().body).ticket.id;
    }
    // The ticket the counter got, or 0 (the one it held is started, so that calling the next finishes it).
    int64_t next(int counter) {
        if (const int64_t held = e.state().counters.at(counter).ticket; held && e.ticket(held)->state == TicketState::called)
            REQUIRE(e.handle(TicketAction{Action::start, held, counter}, clock.now()).ok());
        auto out = e.handle(CallNext{counter}, clock.now());
        REQUIRE(out.ok());
        for (const auto& ev : out.events)
            if (auto* c = std::get_if<TicketCalled>(&ev.body)) return c->ticket;
        return 0;
    }
    int free_at(const std::string& service, int32_t day, int start) {
        for (const auto& s : e.slots(service, day, clock.now()))
            if (s.start_minute == start) return s.free;
        return -1;
    }
};

}  // namespace

TEST_CASE("a booking takes a place of its slot and the slot's last place goes to one person only", "[booking]") {
    Fixture f;
    const auto slots = f.e.slots("A", 20261125, f.clock.now());
    REQUIRE(slots.size() == 38);  // 07:30 to 17:00 in 15 minutes
    CHECK(slots.front().start_minute == 7 * 60 + 30);
    CHECK(slots.back().end_minute == 17 * 60);
    CHECK(f.free_at("A", 20261125, kSlot0800) == 2);
    f.booked("A", 20261125, kSlot0800, 1);
    CHECK(f.free_at("A", 20261125, kSlot0800) == 1);
    f.booked("A", 20261125, kSlot0800, 2);
    CHECK(f.free_at("A", 20261125, kSlot0800) == 0);
    const int64_t seq = f.e.state().seq;
    CHECK(f.refusal(f.book("A", 20261125, kSlot0800, 3)) == "slot_full");
    CHECK(f.e.state().seq == seq);
    // Today's slots that have begun are not offered, nor booked.
    const auto today = f.e.slots("A", kToday, f.clock.now());
    REQUIRE(!today.empty());
    CHECK(today.front().start_minute == 8 * 60 + 15);
    CHECK(f.refusal(f.book("A", kToday, kSlot0800, 4)) == "past_slot");
}

TEST_CASE("bookings refused: unknown or walk-in-only services - past far closed or unknown days - slots off the grid - bad hashes and codes", "[booking]") {
    Fixture f;
    const int64_t seq = f.e.state().seq;
    CHECK(f.refusal(f.book("Z", 20261125, kSlot0800, 1)) == "unknown_service");
    CHECK(f.refusal(f.book("C", 20261125, kSlot0800, 1)) == "not_bookable");
    CHECK(f.refusal(f.book("A", 20261123, kSlot0800, 1)) == "past_slot");
    CHECK(f.refusal(f.book("A", 20261201, kSlot0800, 1)) == "too_far_ahead");  // today + 7
    CHECK(f.refusal(f.book("A", 20261126, kSlot0800, 1)) == "closed_day");     // the holiday
    CHECK(f.refusal(f.book("A", 20261129, kSlot0800, 1)) == "closed_day");     // a Sunday
    CHECK(f.refusal(f.book("A", 20261131, kSlot0800, 1)) == "bad_day");
    CHECK(f.refusal(f.book("A", 20261125, kSlot0800 + 5, 1)) == "no_such_slot");
    CHECK(f.refusal(f.book("A", 20261125, 7 * 60, 1)) == "no_such_slot");      // before opening
    CHECK(f.refusal(f.book("A", 20261125, 17 * 60, 1)) == "no_such_slot");     // would end after closing
    CHECK(f.e.slots("A", 20261126, f.clock.now()).empty());
    CHECK(f.e.slots("C", 20261125, f.clock.now()).empty());
    auto bad = MakeBooking{"A", 20261125, kSlot0800, "not-a-hash", "", hex64(7), code_of(7), "public"};
    CHECK(f.refusal(f.e.handle(bad, f.clock.now())) == "bad_person");
    bad.person = hex64(1);
    bad.key_hash = "ABC";
    CHECK(f.refusal(f.e.handle(bad, f.clock.now())) == "bad_key_hash");
    bad.key_hash = hex64(7);
    bad.code = "0OI1ABCD";  // letters read as digits are not in the alphabet
    CHECK(f.refusal(f.e.handle(bad, f.clock.now())) == "bad_booking_code");
    CHECK(f.e.state().seq == seq);
    CHECK(f.e.state().bookings.empty());

    f.booked("A", 20261125, kSlot0800, 1);
    const Booking& first = f.e.state().bookings.begin()->second;
    auto again = MakeBooking{"A", 20261127, kSlot0800, hex64(2), "", first.key_hash, code_of(99), "public"};
    CHECK(f.refusal(f.e.handle(again, f.clock.now())) == "key_taken");
    again.key_hash = hex64(5555);
    again.code = first.code;
    CHECK(f.refusal(f.e.handle(again, f.clock.now())) == "code_taken");
}

TEST_CASE("one person books one number of a service and two in all a day and a cancelled one gives its place back", "[booking]") {
    Fixture f;
    const int64_t a = f.booked("A", 20261125, kSlot0800, 1);
    CHECK(f.refusal(f.book("A", 20261125, 9 * 60, 1)) == "limit_reached");  // the same service, another slot
    f.booked("B", 20261125, 9 * 60, 1);
    f.booked("A", 20261127, 9 * 60, 1);  // another day is another day
    Center c = booking_center();
    c.services.push_back(c.services[1]);
    c.services.back().code = "D";
    c.services.back().prefix = "D";
    c.counters[2].tiers = {{"C", "D"}};
    REQUIRE(f.e.handle(Configure{c}, f.clock.now()).ok());
    CHECK(f.refusal(f.book("D", 20261125, 10 * 60, 1)) == "limit_reached");  // the third of the day
    REQUIRE(f.e.handle(CancelBooking{a}, f.clock.now()).ok());
    CHECK(f.e.booking(a)->state == BookingState::cancelled);
    CHECK(f.free_at("A", 20261125, kSlot0800) == 2);
    f.booked("D", 20261125, 10 * 60, 1);
    CHECK(f.refusal(f.e.handle(CancelBooking{a}, f.clock.now())) == "booking_cancelled");
    CHECK(f.refusal(f.e.handle(CancelBooking{999}, f.clock.now())) == "unknown_booking");
    // A cancelled booking's code finds it no more.
    CHECK(f.e.booking_by_code(code_of(1)) == nullptr);
}

TEST_CASE("a booking moves to a free slot and frees its old one but a full or closed slot or its own is refused", "[booking]") {
    Fixture f;
    const int64_t a = f.booked("A", 20261125, kSlot0800, 1);
    f.booked("A", 20261125, 9 * 60, 2);
    f.booked("A", 20261125, 9 * 60, 3);
    CHECK(f.refusal(f.e.handle(MoveBooking{a, 20261125, 9 * 60}, f.clock.now())) == "slot_full");
    CHECK(f.refusal(f.e.handle(MoveBooking{a, 20261125, kSlot0800}, f.clock.now())) == "same_slot");
    CHECK(f.refusal(f.e.handle(MoveBooking{a, 20261126, kSlot0800}, f.clock.now())) == "closed_day");
    auto out = f.e.handle(MoveBooking{a, 20261127, 10 * 60}, f.clock.now());
    REQUIRE(out.ok());
    const auto& moved = std::get<BookingMoved>(out.events.back().body);
    CHECK(moved.end_minute == 10 * 60 + 15);
    CHECK(f.free_at("A", 20261125, kSlot0800) == 2);
    CHECK(f.free_at("A", 20261127, 10 * 60) == 1);
    CHECK(f.e.bookings_of(hex64(1), 20261125).empty());
    CHECK(f.e.bookings_of(hex64(1), 20261127).size() == 1);
    // Moving into a day where the person already has that service is the limit.
    f.booked("A", 20261130, kSlot0800, 1);
    CHECK(f.refusal(f.e.handle(MoveBooking{a, 20261130, 9 * 60}, f.clock.now())) == "limit_reached");
}

TEST_CASE("checked in on time a booked citizen goes before walk-ins once the slot has begun - by slot - at most two in a row while walk-ins wait", "[booking]") {
    Fixture f;
    const int64_t late_slot = f.booked("A", kToday, 8 * 60 + 30, 1);
    const int64_t early_slot = f.booked("A", kToday, 8 * 60 + 15, 2);
    const int64_t third = f.booked("A", kToday, 8 * 60 + 15, 3);
    const int64_t w1 = f.walk_in("A");
    const int64_t w2 = f.walk_in("A");
    f.clock.advance_minutes(1);
    const Ticket t_late = f.checked_in(late_slot);  // 08:01 for 08:30: on time (30 minutes early at most)
    CHECK(t_late.booked);
    CHECK(t_late.booking == late_slot);
    CHECK(t_late.masked_name == "Nguyễn V. A.");
    CHECK(t_late.people_ahead == 0);
    const Ticket t_early = f.checked_in(early_slot);
    CHECK(t_early.people_ahead == 0);  // its slot is earlier: before the 08:30 one
    const Ticket t_third = f.checked_in(third);
    CHECK(t_third.people_ahead == 1);
    CHECK(f.e.people_ahead_of(*f.e.ticket(w1)) == 3);  // the booked ones on time are before a walk-in
    CHECK(f.e.booking(early_slot)->state == BookingState::checked_in);
    // Before its slot a booked citizen is not ahead of those who came earlier.
    f.clock.set_time(8, 14);
    CHECK(f.next(1) == w1);
    // Counter 1 serves A, from 08:30: two booked, a walk-in, the last booked.
    f.clock.set_time(8, 30);
    const int64_t w3 = f.walk_in("A");
    CHECK(f.next(1) == t_early.id);
    CHECK(f.next(1) == t_third.id);
    CHECK(f.next(1) == w2);
    CHECK(f.next(1) == t_late.id);
    CHECK(f.next(1) == w3);
    CHECK(f.next(1) == 0);
}

TEST_CASE("with no walk-in waiting booked citizens are called one after another and the streak starts again", "[booking]") {
    Fixture f;
    std::vector<int64_t> tickets;  // two in the 08:15 slot, two in the 08:30 one
    for (int i = 0; i < 4; ++i) tickets.push_back(f.checked_in(f.booked("A", kToday, 8 * 60 + 15 + i / 2 * 15, 10 + i)).id);
    f.clock.set_time(8, 30);  // every slot has begun
    CHECK(f.next(1) == tickets[0]);
    CHECK(f.next(1) == tickets[1]);
    CHECK(f.next(1) == tickets[2]);
    const int64_t w = f.walk_in("A");
    CHECK(f.next(1) == tickets[3]);  // the streak had started again while nobody walked in
    CHECK(f.next(1) == w);
}

TEST_CASE("check-in too early or not today or twice or after a cancel is refused and late is a walk-in's place or refused", "[booking]") {
    Fixture f;
    const int64_t at_nine = f.booked("A", kToday, 9 * 60, 1);
    const int64_t tomorrow = f.booked("A", 20261125, 9 * 60, 2);
    CHECK(f.refusal(f.check_in(at_nine)) == "too_early");  // 08:00 for 09:00: an hour early
    CHECK(f.refusal(f.check_in(tomorrow)) == "not_today");
    CHECK(f.refusal(f.check_in(at_nine, "nobody")) == "too_early");
    f.clock.set_time(9, 16);  // one minute past the grace
    const int64_t w = f.walk_in("A");
    const Ticket late = f.checked_in(at_nine);
    CHECK_FALSE(late.booked);  // a walk-in's place, behind w
    CHECK(late.booking == at_nine);
    CHECK(f.next(1) == w);
    CHECK(f.next(1) == late.id);
    CHECK(f.refusal(f.check_in(at_nine)) == "already_checked_in");

    Center strict = booking_center();
    strict.services[0].booking.late_as_walk_in = false;
    Fixture g(strict);
    const int64_t b = g.booked("A", kToday, 9 * 60, 1);
    g.clock.set_time(9, 16);
    CHECK(g.refusal(g.check_in(b)) == "too_late");
    const int64_t c = g.booked("A", kToday, 10 * 60, 2);
    REQUIRE(g.e.handle(CancelBooking{c}, g.clock.now()).ok());
    CHECK(g.refusal(g.check_in(c)) == "booking_cancelled");
}

TEST_CASE("not checked in by the slot's end and the grace a booking is a no-show and its place is free", "[booking]") {
    Fixture f;
    const int64_t b = f.booked("A", kToday, 8 * 60 + 15, 1);
    f.booked("A", kToday, 8 * 60 + 15, 2);
    f.clock.set_time(8, 44);  // 08:30 + 15 minutes of grace is 08:45
    auto out = f.e.handle(Tick{}, f.clock.now());
    CHECK(out.events.empty());
    f.clock.set_time(8, 45);
    out = f.e.handle(Tick{}, f.clock.now());
    REQUIRE(out.events.size() == 2);
    CHECK(std::get<BookingNoShow>(out.events[0].body).booking == b);
    CHECK(f.e.booking(b)->state == BookingState::no_show);
    CHECK(f.refusal(f.check_in(b)) == "booking_no_show");
    CHECK(f.e.state().slot_taken.at({"A", kToday, 8 * 60 + 15}) == 0);
    // A refused command carries the no-shows its time reached all the same.
    const int64_t c = f.booked("A", kToday, 9 * 60, 3);
    f.clock.set_time(9, 30);
    out = f.check_in(c);
    CHECK_FALSE(out.ok());  // 09:30: 15 minutes past the grace, the slot has ended: a no-show first
    CHECK(out.error->code == "booking_no_show");
    REQUIRE(out.events.size() == 1);
    CHECK(std::holds_alternative<BookingNoShow>(out.events[0].body));
}

TEST_CASE("bookings outlive the night: tomorrow's are kept and yesterday's end as no-shows before the new day opens", "[booking]") {
    Fixture f;
    f.booked("A", kToday, 16 * 60, 1);
    const int64_t tomorrow = f.booked("A", 20261125, 9 * 60, 2);
    f.clock.next_day();
    auto out = f.e.handle(Tick{}, f.clock.now());
    REQUIRE(out.events.size() == 2);
    CHECK(std::holds_alternative<BookingNoShow>(out.events[0].body));
    CHECK(out.events[0].day == 20261125);
    CHECK(std::holds_alternative<DayOpened>(out.events[1].body));
    CHECK(f.e.state().bookings.size() == 1);  // yesterday's is forgotten (the log keeps it)
    CHECK(f.e.booking(tomorrow) != nullptr);
    CHECK(f.e.state().slot_taken.size() == 1);
    f.clock.set_time(8, 45);
    CHECK(f.checked_in(tomorrow).booked);
}

TEST_CASE("booking events go through the codec and replay to the same state and clients never see the person or the key or the code", "[booking]") {
    std::vector<Event> log;
    auto keep = [&](const Outcome& out) { log.insert(log.end(), out.events.begin(), out.events.end()); };
    Fixture g;  // its configure event is the first of `log`
    keep(g.e.handle(Configure{booking_center()}, g.clock.now()));
    keep(g.book("A", kToday, 8 * 60 + 15, 1));
    keep(g.book("A", 20261125, 8 * 60 + 15, 2));
    keep(g.e.handle(MoveBooking{2, 20261127, 9 * 60}, g.clock.now()));
    keep(g.book("B", kToday, 9 * 60, 3));
    keep(g.e.handle(CancelBooking{3}, g.clock.now()));
    g.clock.set_time(8, 20);
    keep(g.check_in(1));
    keep(g.e.handle(CallNext{1}, g.clock.now()));
    g.clock.next_day();
    keep(g.e.handle(Tick{}, g.clock.now()));

    Engine replayed;
    for (const auto& e : log) {
        const json client = event_to_json(e);
        if (client["type"] == "booking_made") {
            for (const char* secret : {"person", "key_hash", "code"}) CHECK_FALSE(client["booking"].contains(secret));
            CHECK(stored_json(e)["booking"]["person"] == hex64(client["booking"]["id"].get<int>()));
        }
        Event back;
        back.seq = e.seq, back.at = e.at, back.day = e.day;
        read_stored_json(back, type_name(e.body), stored_json(e));
        CHECK(stored_json(back) == stored_json(e));
        replayed.apply(back);
    }
    const State &a = g.e.state(), &b = replayed.state();
    CHECK(a.seq == b.seq);
    CHECK(a.bookings.size() == b.bookings.size());
    CHECK(a.slot_taken == b.slot_taken);
    CHECK(a.booking_codes == b.booking_codes);
    CHECK(a.booking_deadlines == b.booking_deadlines);
    CHECK(a.person_bookings == b.person_bookings);
    for (const auto& [id, x] : a.bookings) CHECK(booking_to_json(x, true) == booking_to_json(b.bookings.at(id), true));
}

namespace {

// Recounts what the state's indexes say, from the bookings themselves.
void check_invariants(const Engine& e) {
    const State& s = e.state();
    std::map<SlotRef, int> live;
    std::map<std::tuple<std::string, int32_t, std::string>, int> per_service;
    std::map<std::pair<std::string, int32_t>, int> per_day;
    for (const auto& [id, b] : s.bookings) {
        if (b.state != BookingState::booked && b.state != BookingState::checked_in) continue;
        ++live[{b.service, b.day, b.start_minute}];
        ++per_service[{b.person, b.day, b.service}];
        ++per_day[{b.person, b.day}];
    }
    for (const auto& [slot, n] : live) {
        CHECK(n <= s.center.service(std::get<0>(slot))->booking.slot_capacity);
        CHECK(s.slot_taken.at(slot) == n);
    }
    for (const auto& [slot, n] : s.slot_taken) CHECK(n == (live.contains(slot) ? live.at(slot) : 0));
    for (const auto& [k, n] : per_service) CHECK(n <= s.center.booking.per_service_per_day);
    for (const auto& [k, n] : per_day) CHECK(n <= s.center.booking.per_day);
}

}  // namespace

TEST_CASE("random runs: slots never overfilled - limits hold - walk-ins wait at most two booked calls - checked-in bookings are all called - replay is exact", "[booking][random]") {
    int reached_bound = 0, checked_in = 0, full = 0;  // the runs did what they are meant to test
    for (unsigned seed = 1; seed <= 20; ++seed) {
        INFO("seed " << seed);
        Fixture f;
        std::mt19937 rng(seed);
        auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
        std::vector<Event> log;
        auto run = [&](const Command& c) {
            auto out = f.e.handle(c, f.clock.now());
            log.insert(log.end(), out.events.begin(), out.events.end());
            return out;
        };
        int streak = 0, longest = 0;  // counter 1's booked calls in a row while an A walk-in waited
        auto call = [&](int counter) {
            const int64_t held = f.e.state().counters.at(counter).ticket;
            if (held && f.e.ticket(held)->state == TicketState::called) run(TicketAction{Action::start, held, counter});
            const bool walk_ins_waited = f.e.waiting_count("A") > static_cast<size_t>(f.e.booked_waiting("A"));
            auto out = run(CallNext{counter});
            for (const auto& ev : out.events)
                if (auto* c = std::get_if<TicketCalled>(&ev.body); c && counter == 1) {
                    const bool booked = f.e.ticket(c->ticket)->booked;
                    streak = booked && walk_ins_waited ? streak + 1 : 0;
                    longest = std::max(longest, streak);
                }
        };
        for (int day = 0; day < 3; ++day) {
            f.clock.set_time(7, 30);
            for (int step = 0; step < 800; ++step) {
                const int32_t today = f.clock.now().day;
                switch (pick(8)) {
                    case 0: case 1: {
                        const int n = ++f.made;
                        const int32_t d = common::add_days(today, pick(2) ? 0 : pick(8));  // half of them for today
                        full += run(MakeBooking{pick(2) ? "A" : "B", d, 7 * 60 + 30 + 15 * pick(38),
                                        hex64(1 + pick(25)), "", hex64(100000 + n), code_of(n), "public"})
                                    .error.value_or(Error{}).code == "slot_full";
                        break;
                    }
                    case 2: {
                        if (f.e.state().bookings.empty()) break;
                        auto it = std::next(f.e.state().bookings.begin(), pick(static_cast<int>(f.e.state().bookings.size())));
                        if (pick(2)) run(CancelBooking{it->first});
                        else run(MoveBooking{it->first, common::add_days(today, pick(7)), 7 * 60 + 30 + 15 * pick(38)});
                        break;
                    }
                    case 3: case 4:
                        for (const auto& [id, b] : f.e.state().bookings)
                            if (b.day == today && b.state == BookingState::booked && pick(2)) {
                                run(CheckIn{id, pick(5) ? "normal" : "elderly", "kiosk:1", ""});
                                break;
                            }
                        break;
                    case 5: run(IssueTicket{pick(2) ? "A" : "B", "normal", "kiosk:1"}); break;
                    case 6: call(1 + pick(2)); break;
                    case 7: f.clock.advance_seconds(pick(600)); run(Tick{}); break;
                }
                check_invariants(f.e);
                if (f.clock.now().minute >= 16 * 60 + 45) break;
            }
            // The day's end: everyone waiting is called, the booked ones among them.
            for (int guard = 0; guard < 5000 && (f.e.waiting_count("A") + f.e.waiting_count("B")) > 0; ++guard) call(1 + guard % 2);
            for (const auto& [id, t] : f.e.state().tickets) CHECK(t.state != TicketState::waiting);
            for (const auto& [id, b] : f.e.state().bookings)
                if (b.state == BookingState::checked_in) CHECK(f.e.ticket(b.ticket)->state != TicketState::waiting);
            f.clock.next_day();
            run(Tick{});
        }
        CHECK(longest <= 2);
        reached_bound += longest == 2;
        for (const auto& ev : log) checked_in += std::holds_alternative<BookingCheckedIn>(ev.body);
        // The log alone gives the same state (the setup was the first event, before `log`).
        Engine replayed;
        Clock start;
        REQUIRE(replayed.handle(Configure{booking_center()}, start.now()).ok());
        for (const auto& ev : log) {
            Event back{ev.seq, ev.at, ev.day, {}, {}};
            read_stored_json(back, type_name(ev.body), stored_json(ev));
            replayed.apply(back);
        }
        const State &a = f.e.state(), &b = replayed.state();
        CHECK(snapshot_json(f.e) == snapshot_json(replayed));
        CHECK(a.slot_taken == b.slot_taken);
        CHECK(a.booking_deadlines == b.booking_deadlines);
        CHECK(a.booked_queue == b.booked_queue);
        CHECK(a.bookings.size() == b.bookings.size());
    }
    CHECK(reached_bound >= 10);
    CHECK(checked_in >= 200);
    CHECK(full >= 20);
}

TEST_CASE("a setup that drops a service or stops its bookings leaves its bookings whole - refused with a reason - and the log keeps its rules", "[booking]") {
    Fixture f;
    const int64_t b = f.booked("A", 20261125, kSlot0800, 1);
    Center stopped = booking_center();
    stopped.services[0].booking.bookable = false;
    stopped.services[0].booking.grace_minutes = 60;
    stopped.booking.max_booked_streak = 1;
    const Center back = center_from_json(center_to_json(stopped));
    CHECK(back.services[0].booking.grace_minutes == 60);  // not bookable, its rules still held
    CHECK_FALSE(back.services[0].booking.bookable);
    CHECK(back.booking.max_booked_streak == 1);
    Center dropped = booking_center();
    dropped.services.erase(dropped.services.begin());  // service A is gone
    dropped.counters[0].tiers = {{"B"}};
    dropped.counters[1].tiers = {{"B"}};
    REQUIRE(f.e.handle(Configure{dropped}, f.clock.now()).ok());
    CHECK(f.refusal(f.e.handle(MoveBooking{b, 20261127, kSlot0800}, f.clock.now())) == "unknown_service");
    REQUIRE(f.e.handle(CancelBooking{b}, f.clock.now()).ok());
}

TEST_CASE("capacity auto: a slot takes the booked share of what the service's own counters handle in it - slower handling takes fewer - the config says auto", "[booking]") {
    Center c = booking_center();
    c.services[0].booking.slot_capacity = 0;  // "auto"
    c.services[0].booking.walk_in_percent = 40;
    c.counters.push_back({4, "Quầy 4", {{"A"}}});
    c.counters.push_back({5, "Quầy 5", {{"A", "C"}}});
    Fixture f(c);
    // Counters 1, 4 and 5 serve A first (2 only as its second tier): 0.6 × 3 × 15 min / 5 min = 5.4.
    CHECK(f.free_at("A", 20261125, kSlot0800) == 5);
    CHECK(f.e.places_offered("A", 20261125) == 38 * 5);
    CHECK(f.e.places_offered("A", 20261126) == 0);  // the holiday
    CHECK(f.e.places_offered("C", 20261125) == 0);  // walk-ins only
    for (int p = 1; p <= 5; ++p) f.booked("A", 20261125, kSlot0800, p);
    CHECK(f.refusal(f.book("A", 20261125, kSlot0800, 6)) == "slot_full");

    // The hall gets slower: A's tickets take 15 minutes; the slots not yet full take fewer.
    for (int i = 0; i < 6; ++i) {
        const int64_t t = f.walk_in("A");
        REQUIRE(f.next(1) == t);
        REQUIRE(f.e.handle(TicketAction{Action::start, t, 1}, f.clock.now()).ok());
        f.clock.advance_minutes(15);
        REQUIRE(f.e.handle(TicketAction{Action::finish, t, 1}, f.clock.now()).ok());
    }
    const double handle_s = f.e.state().handle_avg_s.at("A");
    REQUIRE(handle_s > 600);
    const int slower = static_cast<int>(std::lround(0.6 * 3 * 900 / handle_s));
    CHECK(slower < 5);
    CHECK(f.free_at("A", 20261125, 9 * 60) == slower);
    CHECK(f.free_at("A", 20261125, kSlot0800) == 0);  // past its new capacity: keeps its five, takes no more
    CHECK(f.refusal(f.book("A", 20261125, kSlot0800, 7)) == "slot_full");

    // The config: "auto" and the walk-in share round-trip; a 0, a word or a share past 0.9 are refused with words.
    json j = center_to_json(c);
    CHECK(j["services"][0]["booking"]["capacity"] == "auto");
    CHECK(j["services"][0]["booking"]["walk_in_share"] == 0.4);
    CHECK(center_from_json(j).services[0].booking.slot_capacity == 0);
    j["services"][0]["booking"]["walk_in_share"] = 0.25;
    CHECK(center_from_json(j).services[0].booking.walk_in_percent == 25);
    j["services"][0]["booking"]["capacity"] = "many";
    CHECK_THROWS_WITH(center_from_json(j), Catch::Contains("capacity") && Catch::Contains("auto"));
    Center zero = booking_center();
    zero.services[0].booking.slot_capacity = -1;  // what a written 0 reads as
    CHECK(validate(zero).value_or("").find("capacity") != std::string::npos);
    Center share = c;
    share.services[0].booking.walk_in_percent = 95;
    CHECK(validate(share).value_or("").find("walk_in_share") != std::string::npos);
}
