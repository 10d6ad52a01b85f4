// walk_in_card_test: walk-in numbers taken with a chip ID card (issue 21) —
// the per-person limits count them with the same day's bookings, a cancelled
// one gives its count back, replay keeps the count, and no client ever sees
// the person's hash. Engine only; the routes are in public_booking_test.
#include <catch2/catch.hpp>

#include "engine/codec.hpp"
#include "engine/engine.hpp"
#include "test_center.hpp"

using namespace engine;
using testing::Clock;

namespace {

constexpr int32_t kToday = 20261124;  // the test clock's first day, 08:00

std::string person(int n) {
    char buf[65];
    std::snprintf(buf, sizeof buf, "%064x", n);
    return buf;
}

// Services A and B bookable (slots of 2) beside the walk-in-only C; 1 a service, 2 a day.
Center card_center() {
    Center c = testing::small_center();
    for (int i : {0, 1}) c.services[i].booking = BookingRules{.bookable = true, .slot_capacity = 2};
    return c;
}

struct Hall {
    Engine e;
    Clock clock;
    std::vector<Event> log;
    Hall() { keep(e.handle(Configure{card_center()}, clock.now())); }

    Outcome keep(Outcome out) {
        log.insert(log.end(), out.events.begin(), out.events.end());
        return out;
    }
    std::string walk_in(const std::string& service, int who) {
        IssueTicket c{service, "normal", "kiosk:1"};
        c.person = person(who);
        c.masked_name = "Trần T. B.";
        const Outcome out = keep(e.handle(c, clock.now()));
        return out.error ? out.error->code : "ok";
    }
    int64_t last_ticket() const { return e.state().next_ticket_id - 1; }
    std::string book(const std::string& service, int start, int who) {
        static int n = 0;
        ++n;
        const std::string code = std::string("ABCDEFG") + "HJKLMNPQ"[n % 8];
        const Outcome out = keep(e.handle(MakeBooking{service, kToday, start, person(who), "Trần T. B.", person(5000 + n), code, "public"},
                                           clock.now()));
        return out.error ? out.error->code : "ok";
    }
};

}  // namespace

TEST_CASE("walk-in numbers taken with a chip ID card count in the limits: one a service and two a day with the bookings", "[booking][card]") {
    Hall h;
    CHECK(h.walk_in("A", 1) == "ok");
    CHECK(h.walk_in("A", 1) == "limit_reached");  // one number of a service a day
    CHECK(h.book("A", 9 * 60, 1) == "limit_reached");  // ...however it is got
    CHECK(h.walk_in("A", 2) == "ok");               // someone else
    CHECK(h.book("B", 9 * 60, 1) == "ok");          // the second of the day, booked
    CHECK(h.walk_in("C", 1) == "limit_reached");    // two a day in all
    CHECK(h.e.handle(IssueTicket{"C", "normal", "kiosk:1"}, h.clock.now()).ok());  // no card: no limit
    // A booking for another day does not count today's walk-in numbers.
    CHECK(h.e.handle(MakeBooking{"A", 20261125, 9 * 60, person(1), "", person(9000), "ZZZZZZZ2", "public"}, h.clock.now()).ok());
}

TEST_CASE("a walk-in number staff cancelled gives its count back and a new day starts the count again", "[booking][card]") {
    Hall h;
    REQUIRE(h.walk_in("A", 7) == "ok");
    const int64_t first = h.last_ticket();
    CHECK(h.walk_in("A", 7) == "limit_reached");
    REQUIRE(h.e.handle(TicketAction{Action::cancel, first, 0}, h.clock.now()).ok());
    CHECK(h.walk_in("A", 7) == "ok");
    CHECK(h.walk_in("A", 7) == "limit_reached");
    h.clock.next_day();
    CHECK(h.walk_in("A", 7) == "ok");
}

TEST_CASE("bad card hashes and names are refused and change nothing", "[booking][card]") {
    Hall h;
    const int64_t seq = h.e.state().seq;
    IssueTicket c{"A", "normal", "kiosk:1"};
    c.person = "not-a-hash";
    CHECK(h.e.handle(c, h.clock.now()).error->code == "bad_person");
    c.person = person(1);
    c.masked_name = std::string(201, 'x');
    CHECK(h.e.handle(c, h.clock.now()).error->code == "bad_name");
    CHECK(h.e.state().seq == seq);
}

TEST_CASE("the card's hash is kept in the log only: replayed the limits still hold and clients see the masked name alone", "[booking][card]") {
    Hall h;
    REQUIRE(h.walk_in("A", 3) == "ok");
    Engine replayed;
    for (const auto& e : h.log) {
        if (const auto* issued = std::get_if<TicketIssued>(&e.body)) {
            const json client = event_to_json(e);
            CHECK_FALSE(client["ticket"].contains("person"));
            CHECK(client["ticket"]["masked_name"] == "Trần T. B.");
            CHECK(stored_json(e)["ticket"]["person"] == person(3));
            CHECK(issued->ticket.person == person(3));
        }
        Event back;
        back.seq = e.seq, back.at = e.at, back.day = e.day;
        read_stored_json(back, type_name(e.body), stored_json(e));
        replayed.apply(back);
    }
    CHECK(replayed.state().person_tickets == h.e.state().person_tickets);
    IssueTicket again{"A", "normal", "kiosk:1"};
    again.person = person(3);
    CHECK(replayed.handle(again, h.clock.now()).error->code == "limit_reached");
}
