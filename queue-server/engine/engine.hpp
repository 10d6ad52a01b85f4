// engine: the queue as a deterministic state machine.
//
//   handle(command, now) -> events      decide, then fold what was decided
//   apply(event)                        fold one event (replay after a restart)
//
// No I/O, no clock, no threads: the caller passes the time in. The same commands
// at the same instants always give the same events, the same numbers and the same
// order, which is what makes replay after a crash exact and the tests repeatable.
//
// Every ticket that waits sits in exactly one ordered queue: per service (priority
// and normal kept apart) or, after a transfer to a counter, that counter's own.
// Call-next takes the head of the right queue and removes it in the same step, so
// one ticket can never be held by two counters.
#pragma once
#include <compare>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "common/local_time.hpp"
#include "engine/events.hpp"

namespace engine {

struct CounterStatus {
    int id = 0;
    bool paused = false;
    int64_t ticket = 0;        // the ticket called or being served here, 0 = free
    int priority_streak = 0;   // priority calls in a row while normal tickets waited
    int booked_streak = 0;     // booked calls in a row while walk-ins waited
    std::string staff{};       // signed in here (issue 22), or empty
    std::string pause_reason{};  // why it is on a break ("Nghỉ giải lao"), while paused
    // Since when the counter has been free and not on a break (UTC ms), 0 when it is
    // not: a call's idle time is counted from here (TicketCalled::idle_ms).
    int64_t free_since = 0;
};

struct Call {
    int64_t ticket = 0;
    std::string number;
    std::string service;
    int counter = 0;
    int64_t at = 0;
    bool recall = false;
    bool returned = false;     // back from being parked (the board marks it)
    int step = 0;              // the visit's step it was called for (0: its first)
};

// A place in line: the original issue time, then a tie-break that leaves room between
// tickets (the id << kTieShift), then the id (ids rise with issue order). Tickets keep
// the order (issued_at, id); a postponed ticket gets a key between two others (the room
// in `tie` is what lets it sit exactly there without renumbering anyone).
struct QueueKey {
    int64_t since = 0;
    int64_t tie = 0;
    int64_t ticket = 0;
    auto operator<=>(const QueueKey&) const = default;
};
constexpr int kTieShift = 20;
using Queue = std::set<QueueKey>;
// A slot of a service's day: (service, yyyymmdd, start minute).
using SlotRef = std::tuple<std::string, int32_t, int>;
// (day, minute, booking): from that local minute on, a booking not checked in is a no-show.
using BookingDeadline = std::tuple<int32_t, int, int64_t>;

// A slot as the booking pages list it.
struct Slot {
    int start_minute = 0;
    int end_minute = 0;
    int free = 0;
};
// Where a ticket waits (or would wait) in its line.
QueueKey place_of(const Ticket& t);
// A line's tickets, since when it has held someone, and when it was last emptied: a
// ticket moved within one event (a transfer, "I'll be late") leaves it empty for no time.
struct LineWaiting {
    int count = 0;
    int64_t since = 0, emptied_at = -1;
    bool operator==(const LineWaiting&) const = default;
};

struct State {
    Center center;
    bool configured = false;
    int64_t seq = 0;
    int32_t day = 0;
    int64_t next_ticket_id = 1;
    std::map<int64_t, Ticket> tickets;                  // today's tickets
    std::map<std::string, int> next_number;             // by prefix
    std::map<std::string, int> issued_today;            // by service
    std::map<std::string, double> handle_avg_s;         // recent handling time by service
    std::map<int, CounterStatus> counters;
    std::deque<Call> recent_calls;                      // newest first
    std::map<std::string, Queue> priority_queue;        // by service
    std::map<std::string, Queue> normal_queue;          // by service
    std::map<int, Queue> counter_queue;                 // transferred to a counter
    std::map<std::string, int64_t> followed;            // today's tickets by follow hash
    std::map<std::string, Queue> booked_queue;          // checked in on time, by service, at their slot's start
    // Each line's tickets and since when it has not been empty (by service, and "#3"
    // for counter 3's own): a counter's idle time is counted while someone of its waited.
    std::map<std::string, LineWaiting> lines_waiting;

    // Bookings (issue 21) from today on; a day's opening drops those of the days before.
    std::map<int64_t, Booking> bookings;
    int64_t next_booking_id = 1;
    std::map<std::string, int64_t> booking_keys;        // by key hash
    std::map<std::string, int64_t> booking_codes;       // by code, while booked or checked in
    std::map<SlotRef, int> slot_taken;                  // live bookings (booked or checked in) a slot holds
    std::map<std::pair<std::string, int32_t>, std::vector<int64_t>> person_bookings;  // by (person, day)
    std::set<BookingDeadline> booking_deadlines;        // booked, not checked in: when each is a no-show
    std::map<std::string, std::vector<int64_t>> person_tickets;  // today's walk-in tickets by the card's keyed hash
    std::set<std::pair<int64_t, int64_t>> park_deadlines;  // parked tickets: (until, ticket)
};

// What a command did: the events to store (in order), and the refusal if any.
// A refused command can still carry a DayOpened event: the day did change.
struct Outcome {
    std::vector<Event> events;
    std::optional<Error> error;
    bool ok() const { return !error.has_value(); }
};

// The line a waiting ticket is in (null if it waits in none), and the people
// before it (lines.cpp); Engine's members of these names read its own state.
const Queue* queue_of(const State& s, const Ticket& t);
int people_ahead_of(const State& s, const Ticket& t);

class Engine {
public:
    // `by` names the person giving the command; it is written on the events it
    // produces (staff statistics), and plays no part in the decision.
    Outcome handle(const Command& command, const common::Instant& now, const std::string& by = "");
    void apply(const Event& event);

    const State& state() const { return state_; }
    const Ticket* ticket(int64_t id) const;
    // Waiting tickets of a service, priority or not (what a new ticket would be behind).
    size_t waiting_count(const std::string& service) const;
    // Estimated wait in seconds for someone who has `ahead` people before them.
    int estimate_wait_s(const std::string& service, int ahead) const;
    // The same in two steps, for many tickets of a service at once (the phones
    // after a batch): the rate walks every counter's tiers, the estimate is cheap.
    struct WaitRate {
        double per_ticket_s = 0;  // the service's mean handling time
        int open = 0;             // counters not paused that serve it, in any tier
    };
    WaitRate wait_rate(const std::string& service) const;
    static int estimate_wait_s(const WaitRate& rate, int ahead);
    // Today's ticket with this follow hash (hex SHA-256 of its key), or null.
    const Ticket* followed(const std::string& follow_hash) const;
    // The line a waiting ticket is in (null if it waits in none), and the people before it:
    // those ahead in its line, plus, for a normal ticket, the priority tickets of its service.
    const Queue* queue_of(const Ticket& t) const;
    int people_ahead_of(const Ticket& t) const;  // walks its line: O(place)
    int priority_waiting(const std::string& service) const;
    int booked_waiting(const std::string& service) const;

    // Bookings (booking.cpp).
    const Booking* booking(int64_t id) const;
    const Booking* booking_by_key(const std::string& key_hash) const;
    const Booking* booking_by_code(const std::string& code) const;  // booked or checked in
    std::vector<const Booking*> bookings_of(const std::string& person, int32_t day) const;
    // Why the day can't be booked for the service now (unknown, not bookable, past,
    // too far ahead, closed); nullopt when it can.
    std::optional<Error> bookable_day(const std::string& service, int32_t day, const common::Instant& now) const;
    // The day's slots with their free places; those already started today are left out.
    std::vector<Slot> slots(const std::string& service, int32_t day, const common::Instant& now) const;
    // Whether a booking's no-show time has come by `now` (the next command folds it).
    bool booking_overdue(const common::Instant& now) const;
    // Whether a parked ticket's time has run out by `now` (the same).
    bool parked_overdue(const common::Instant& now) const;
    // Bookings a slot of the service takes now: its capacity, or the derived one (capacity "auto").
    int slot_capacity(const Service& s) const;
    // The places a service's day offers to bookings, by today's rules (0: not bookable, or closed).
    int places_offered(const std::string& service, int32_t day) const;

private:
    struct Pick {
        int64_t ticket = 0;
        int streak = 0;
        int booked_streak = 0;
    };

    std::optional<Error> decide(const Command& command, const common::Instant& now, std::vector<EventBody>& out);
    std::optional<Error> decide_issue(const IssueTicket& c, const common::Instant& now, std::vector<EventBody>& out);
    std::optional<Error> decide_call(const CallNext& c, const common::Instant& now, std::vector<EventBody>& out);
    std::optional<Error> decide_action(const TicketAction& c, const common::Instant& now, std::vector<EventBody>& out);
    std::optional<Error> decide_transfer(const Transfer& c, std::vector<EventBody>& out);
    std::optional<Error> decide_pause(const SetCounterPaused& c, std::vector<EventBody>& out);
    std::optional<Error> decide_configure(const Configure& c, std::vector<EventBody>& out);
    std::optional<Error> decide_rating(const RateTicket& c, std::vector<EventBody>& out);
    std::optional<Error> decide_postpone(const Postpone& c, std::vector<EventBody>& out);

    // The counter's day (visit.cpp, issue 22).
    std::optional<Error> decide_finish(const FinishTicket& c, const common::Instant& now, std::vector<EventBody>& out);
    std::optional<Error> finish_held(const Ticket& t, int counter, const VisitOutcome& outcome,
                                     const std::optional<std::vector<std::string>>& steps, const common::Instant& now,
                                     std::vector<EventBody>& out) const;
    std::optional<Error> free_for_call(const CounterStatus& counter, const common::Instant& now, std::vector<EventBody>& out) const;
    std::optional<Error> decide_park(const Park& c, const common::Instant& now, std::vector<EventBody>& out);
    std::optional<Error> decide_return(const ReturnParked& c, const common::Instant& now, std::vector<EventBody>& out);
    std::optional<Error> decide_call_ticket(const CallTicket& c, const common::Instant& now, std::vector<EventBody>& out);
    std::optional<Error> decide_sign_in(const SignIn& c, std::vector<EventBody>& out);
    std::optional<Error> decide_sign_out(const SignOut& c, std::vector<EventBody>& out);
    std::optional<Error> check_outcome(const Service& s, const VisitOutcome& o) const;
    int64_t idle_before(const CounterStatus& counter, const Ticket& t, const common::Instant& now) const;
    std::vector<EventBody> overdue_parked(const common::Instant& now) const;
    void fold_finished(const TicketFinished& e, int64_t at);
    void fold_parked(const TicketParked& e);
    void fold_returned(const TicketReturned& e, int64_t at);
    void fold_staff(int counter, const std::string& staff, int64_t at);
    QueueKey later_place(const Queue& q, Queue::const_iterator at, int places, int& moved) const;
    Ticket new_ticket(const Service& s, const Category& cat, int serial, const std::string& source,
                      const std::string& follow_hash, const common::Instant& now) const;
    std::optional<Error> check_follow_hash(const std::string& follow_hash) const;

    std::optional<Error> decide_booking(const MakeBooking& c, const common::Instant& now, std::vector<EventBody>& out);
    std::optional<Error> decide_move(const MoveBooking& c, const common::Instant& now, std::vector<EventBody>& out);
    std::optional<Error> decide_cancel_booking(const CancelBooking& c, std::vector<EventBody>& out);
    std::optional<Error> decide_check_in(const CheckIn& c, const common::Instant& now, std::vector<EventBody>& out);
    std::optional<Error> check_slot(const Service& s, int32_t day, int start, const common::Instant& now) const;
    std::optional<Error> check_limits(const std::string& person, const std::string& service, int32_t day, int64_t except) const;
    const Booking* live_booking(int64_t id, std::optional<Error>& error) const;
    std::vector<EventBody> overdue_bookings(const common::Instant& now) const;
    int slot_free(const Service& s, int32_t day, int start) const;
    bool closed_on(int32_t day) const;

    void fold_booking(const BookingMade& e);
    void fold_booking(const BookingMoved& e);
    void fold_booking_end(int64_t id, BookingState state);
    void fold_booking(const BookingCheckedIn& e, int64_t at);
    void forget_bookings_before(int32_t day);
    void index_deadline(const Booking& b, bool add);
    void rebuild_deadlines();

    std::optional<int> next_free_number(const Service& s) const;
    std::optional<Pick> pick_next(const CounterStatus& counter, const common::Instant& now) const;
    int people_ahead(const std::string& service, bool priority) const;

    void fold(const EventBody& body, int64_t at);
    Queue& line_of(const Ticket& t);  // the line it waits (or would wait) in
    void enqueue(const Ticket& t, int64_t at);
    void dequeue(const Ticket& t, int64_t at);
    void free_counter(int counter, int64_t ticket, int64_t at);
    void hold(Ticket& t, int counter, int64_t at);
    void remember_call(const Ticket& t, int counter, int64_t at, bool recall, bool returned = false);
    void open_day(int32_t day);
    void configure(const Center& center);

    State state_;
};

}  // namespace engine
