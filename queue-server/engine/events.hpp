// events: the engine's vocabulary — tickets, the commands people give, and the
// events those commands produce. Events are the only thing that is stored: the
// state of a day is the fold of its events (see engine.hpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/center.hpp"

namespace engine {

// `parked`: sent away for a paper by the counter that held it (issue 22); it waits
// in no line and is called back by `return`, or becomes a no-show at its time.
enum class TicketState { waiting, called, serving, done, no_show, cancelled, expired, parked };
const char* to_string(TicketState s);

struct Ticket {
    int64_t id = 0;
    std::string number;       // "A012"
    int serial = 0;           // the number without its prefix, 12
    std::string service;
    std::string category;
    bool priority = false;
    std::string source;       // "kiosk:3", "counter:2", "staff:lan"...
    int32_t day = 0;          // local day it was issued, yyyymmdd
    int64_t issued_at = 0;    // keeps its place in line through transfers and reactivation
    TicketState state = TicketState::waiting;
    int counter = 0;          // counter holding it, or the last one that did
    int target_counter = 0;   // transferred to a counter: only that counter calls it
    int64_t called_at = 0;
    int64_t started_at = 0;
    int64_t finished_at = 0;
    int recalls = 0;
    int transfers = 0;
    int people_ahead = 0;     // at issue time
    int est_wait_s = 0;       // estimate given at issue time, kept to measure its error
    int rating = 0;           // the citizen's rating after service: 1 unhappy, 2 neutral, 3 happy; 0 none
    // The citizen's phone (issue 20): the hex SHA-256 of the ticket's follow key. The key
    // itself is given once to the kiosk and never stored; the hash is kept in the log only,
    // never sent to clients (codec.hpp), so a ticket can be found by its key and by nothing else.
    std::string follow_hash;
    // "I'll be late", used once: the ticket waits from a later place in its line.
    bool late = false;
    int64_t late_since = 0;   // that place (see QueueKey in engine.hpp), valid when `late`
    int64_t late_tie = 0;
    // A booked citizen's ticket (issue 21): the booking it came from, and whether it
    // was checked in on time, which puts it in its service's booked line at the
    // slot's start (`slot_at`, UTC ms) rather than at its check-in.
    int64_t booking = 0;
    bool booked = false;
    int64_t slot_at = 0;
    std::string masked_name;  // "Nguyễn V. A.", from the booking or the ID card; never the full name
    // A walk-in who scanned a chip ID card: its keyed hash, which the per-person
    // limits count (booked tickets are counted by their booking). Log only, like follow_hash.
    std::string person;
    // A visit across several desks (issue 22): the step it is at (0: its first
    // service), the services still to come, and where it waits at this step (its
    // place, valid when step > 0). The number stays: the citizen keeps one paper.
    int step = 0;
    std::vector<std::string> next_steps{};
    int64_t step_since = 0;
    int64_t queued_at = 0;    // when it last went into a line (issue, transfer, a next step...): its idle-time mark
    // Parked: by which counter, until when (UTC ms), and why.
    int parked_by = 0;
    int64_t parked_until = 0;
    std::string park_reason{};
    int returns = 0;          // times it came back from being parked
};

// What a visit came to, said at finish (issue 22): the procedure handled (a catalog
// code), the dossier received (its code), and the result (kResults).
struct VisitOutcome {
    std::string procedure;
    std::string dossier;
    std::string result;
    bool empty() const { return procedure.empty() && dossier.empty() && result.empty(); }
};
inline constexpr const char* kResults[] = {"received", "returned_for_supplement", "advised_only", "refused", "result_returned"};

// A number booked ahead for a slot of a day (issue 21). The person is known by a
// keyed hash the API made of a phone number or an ID number: enough to count the
// limits, nothing to read back. The key (its page /b/KEY) is kept as its hash,
// like a ticket's follow key; the code is what is typed at the kiosk.
enum class BookingState { booked, checked_in, cancelled, no_show };
const char* to_string(BookingState s);

struct Booking {
    int64_t id = 0;
    std::string code;          // 8 characters the kiosk takes; unique among live bookings
    std::string service;
    int32_t day = 0;           // yyyymmdd
    int start_minute = 0;      // local, [start, end)
    int end_minute = 0;
    std::string person;        // hex keyed hash (64 digits)
    std::string masked_name;
    std::string key_hash;      // hex SHA-256 of the page key, log only
    std::string source;        // "public", "kiosk:3", "staff:lan"...
    BookingState state = BookingState::booked;
    int64_t made_at = 0;
    int64_t ticket = 0;        // checked in: the ticket it became
    int64_t checked_in_at = 0;
};

// ---- Commands: what a kiosk, a counter or a manager asks for. ----
// `counter` on ticket actions is the acting counter; 0 means a manager acting for any counter.

struct Configure { Center center; };
// `follow_hash`: hex SHA-256 of the follow key the API made for this ticket, or empty.
// `person`, `masked_name`: the chip ID card scanned for it (its keyed hash), or empty.
// (A constructor, so that the callers from before the hash need not name it.)
struct IssueTicket {
    std::string service;
    std::string category = "normal";
    std::string source;
    std::string follow_hash;
    std::string person;
    std::string masked_name;
    IssueTicket() = default;
    IssueTicket(std::string service_, std::string category_ = "normal", std::string source_ = "", std::string follow_hash_ = "")
        : service(std::move(service_)), category(std::move(category_)), source(std::move(source_)), follow_hash(std::move(follow_hash_)) {}
};
struct CallNext { int counter = 0; };
enum class Action { recall, start, finish, no_show, reactivate, cancel };
const char* to_string(Action a);
struct TicketAction { Action action = Action::recall; int64_t ticket = 0; int counter = 0; };
struct Transfer { int64_t ticket = 0; int counter = 0; std::string to_service; int to_counter = 0; std::string note; };
struct SetCounterPaused { int counter = 0; bool paused = true; std::string reason{}; };  // a break's reason
// The counter's day (issue 22). Finish with what the visit came to; `next_steps`,
// when given, replaces the services still to come (the counter knows better).
struct FinishTicket {
    int64_t ticket = 0;
    int counter = 0;
    VisitOutcome outcome{};
    std::optional<std::vector<std::string>> next_steps{};
};
// Sent away for a paper: out of every line, for at most the policy's park_max_minutes.
struct Park { int64_t ticket = 0; int counter = 0; int minutes = 20; std::string reason; };
// Back from being parked: called at once at `counter` (the one that parked it or one of its service).
struct ReturnParked { int64_t ticket = 0; int counter = 0; };
// A chosen waiting ticket called out of order, for a reason the managers see.
struct CallTicket { int counter = 0; int64_t ticket = 0; std::string reason; };
// A staff member starts or ends their time at a counter (the event's `by` names them).
struct SignIn { int counter = 0; std::string staff; };
struct SignOut { int counter = 0; };
// A citizen's rating of a finished ticket; `counter` is the rating tablet's counter (0: any).
struct RateTicket { int64_t ticket = 0; int counter = 0; int rating = 0; std::string reason; };
constexpr int kRatingBad = 1, kRatingNeutral = 2, kRatingGood = 3;
// The citizen says "I'll be late": a waiting ticket moves `places` back in its own line
// (same service, same priority class, or the counter it was sent to), once per ticket.
struct Postpone { int64_t ticket = 0; int places = 3; };

// Bookings. The API has checked who the person is; the engine checks the rest
// (the slot, its capacity, the day, the person's limits) in the same step that
// takes the place, so two people never get its last one.
struct MakeBooking {
    std::string service;
    int32_t day = 0;
    int start_minute = 0;
    std::string person, masked_name, key_hash, code, source;
};
struct MoveBooking { int64_t booking = 0; int32_t day = 0; int start_minute = 0; };
struct CancelBooking { int64_t booking = 0; };
// At the kiosk (or a counter): the booking becomes today's ticket.
struct CheckIn {
    int64_t booking = 0;
    std::string category = "normal";
    std::string source;
    std::string follow_hash;
};
// Nothing asked: lets the time pass (bookings not checked in become no-shows).
struct Tick {};

using Command = std::variant<Configure, IssueTicket, CallNext, TicketAction, Transfer, SetCounterPaused, RateTicket, Postpone,
                             MakeBooking, MoveBooking, CancelBooking, CheckIn, Tick, FinishTicket, Park, ReturnParked,
                             CallTicket, SignIn, SignOut>;

// ---- Events: what happened. They carry the ticket's number and service so that a
// display can show them without asking, and so the log reads on its own. ----

struct CenterConfigured { Center center; };
struct DayOpened { int32_t day = 0; };
struct TicketIssued { Ticket ticket; };
struct TicketCalled {
    int64_t ticket = 0; std::string number; std::string service; int counter = 0; int priority_streak = 0;
    int booked_streak = 0;  // booked calls in a row at this counter while walk-ins waited
    bool out_of_order = false;  // a chosen ticket, not the next (issue 22), and why
    std::string reason{};
    // How long the counter had been free, with its staff in and not on a break, while
    // someone of its services waited: the staff's idle time before this call.
    int64_t idle_ms = 0;
};
struct TicketRecalled { int64_t ticket = 0; std::string number; std::string service; int counter = 0; int recalls = 0; };
struct TicketStarted { int64_t ticket = 0; std::string number; std::string service; int counter = 0; };
// With a next step, the ticket waits at once in `next_step`'s line from `step_since`,
// `later_steps` still to come; the event carries both so that replay needs no rule.
struct TicketFinished {
    int64_t ticket = 0; std::string number; std::string service; int counter = 0;
    VisitOutcome outcome{};
    std::string next_step{};
    std::vector<std::string> later_steps{};
    int64_t step_since = 0;
};
// `parked`: a parked ticket whose time ran out (nobody's doing; `counter` parked it).
struct TicketNoShow { int64_t ticket = 0; std::string number; std::string service; int counter = 0; bool parked = false; };
struct TicketReactivated { int64_t ticket = 0; std::string number; std::string service; };
struct TicketTransferred {
    int64_t ticket = 0; std::string number; std::string service; int from_counter = 0;
    std::string to_service; int to_counter = 0; std::string note;
};
struct TicketCancelled { int64_t ticket = 0; std::string number; std::string service; int counter = 0; };
struct CounterPaused { int counter = 0; std::string reason{}; };
struct CounterResumed { int counter = 0; };
struct TicketRated { int64_t ticket = 0; std::string number; std::string service; int counter = 0; int rating = 0; std::string reason; };
// Moved back `places` places (fewer when fewer waited behind it: it went last); it waits
// from the place key (since, tie), carried here so that replay puts it exactly there.
struct TicketPostponed {
    int64_t ticket = 0; std::string number; std::string service; int places = 0; int64_t since = 0; int64_t tie = 0;
};

struct TicketParked {
    int64_t ticket = 0; std::string number; std::string service; int counter = 0; int64_t until = 0; std::string reason;
};
// Called at `counter` straight from the parked list.
struct TicketReturned { int64_t ticket = 0; std::string number; std::string service; int counter = 0; int64_t idle_ms = 0; };
struct StaffSignedIn { int counter = 0; std::string staff; };
struct StaffSignedOut { int counter = 0; std::string staff; };

struct BookingMade { Booking booking; };
struct BookingMoved { int64_t booking = 0; std::string service; int32_t day = 0; int start_minute = 0; int end_minute = 0; };
struct BookingCancelled { int64_t booking = 0; std::string service; };
// Comes after the TicketIssued of its ticket. `lateness_s`: check-in time minus the slot's start.
struct BookingCheckedIn { int64_t booking = 0; std::string service; int64_t ticket = 0; bool on_time = true; int64_t lateness_s = 0; };
struct BookingNoShow { int64_t booking = 0; std::string service; };

using EventBody = std::variant<CenterConfigured, DayOpened, TicketIssued, TicketCalled, TicketRecalled,
                               TicketStarted, TicketFinished, TicketNoShow, TicketReactivated,
                               TicketTransferred, TicketCancelled, CounterPaused, CounterResumed, TicketRated,
                               TicketPostponed, BookingMade, BookingMoved, BookingCancelled, BookingCheckedIn,
                               BookingNoShow, TicketParked, TicketReturned, StaffSignedIn, StaffSignedOut>;

struct Event {
    int64_t seq = 0;   // position in the log, from 1, no gaps
    int64_t at = 0;    // UTC ms
    int32_t day = 0;   // local day, yyyymmdd
    EventBody body;
    std::string by;    // the person whose command it was (user name); empty for devices and the day's opening
};

const char* type_name(const EventBody& body);

// A refusal: nothing changed. `status` is the HTTP status that fits it.
struct Error {
    std::string code;
    std::string message;
    int status = 409;
};

}  // namespace engine
