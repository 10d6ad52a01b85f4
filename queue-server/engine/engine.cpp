// engine: decisions and folds of the queue (see engine.hpp for the shape).
#include "engine/engine.hpp"

#include "engine/codec.hpp"
#include "engine/refusals.hpp"
#include "common/overloaded.hpp"

#include <algorithm>
#include <cmath>

namespace engine {
namespace {

// Still part of today's hall: its number must not be given again.
bool is_live(TicketState s) { return s == TicketState::waiting || s == TicketState::parked || is_held(s); }

// A follow hash is the hex SHA-256 the API computed: 64 lower-case hex digits.
bool is_hex_sha256(const std::string& h) {
    return h.size() == 64 && h.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

const char* to_string(TicketState s) {
    switch (s) {
        case TicketState::waiting: return "waiting";
        case TicketState::called: return "called";
        case TicketState::serving: return "serving";
        case TicketState::done: return "done";
        case TicketState::no_show: return "no_show";
        case TicketState::cancelled: return "cancelled";
        case TicketState::expired: return "expired";
        case TicketState::parked: return "parked";
    }
    return "?";
}

const char* to_string(Action a) {
    switch (a) {
        case Action::recall: return "recall";
        case Action::start: return "start";
        case Action::finish: return "finish";
        case Action::no_show: return "no-show";
        case Action::reactivate: return "reactivate";
        case Action::cancel: return "cancel";
    }
    return "?";
}

const char* type_name(const EventBody& body) {
    static constexpr const char* names[] = {
        "center_configured", "day_opened",    "ticket_issued",      "ticket_called",     "ticket_recalled",
        "ticket_started",    "ticket_finished", "ticket_no_show",   "ticket_reactivated", "ticket_transferred",
        "ticket_cancelled",  "counter_paused", "counter_resumed", "ticket_rated",   "ticket_postponed",
        "booking_made",      "booking_moved",  "booking_cancelled", "booking_checked_in", "booking_no_show",
        "ticket_parked",     "ticket_returned", "staff_signed_in",  "staff_signed_out"};
    static_assert(std::size(names) == std::variant_size_v<EventBody>);
    return names[body.index()];
}

// ---------------------------------------------------------------- handle

Outcome Engine::handle(const Command& command, const common::Instant& now, const std::string& by) {
    Outcome out;
    auto emit = [&](EventBody body) {
        // The day's opening and the no-shows its time reached are nobody's doing.
        const bool of_time = std::holds_alternative<DayOpened>(body) || std::holds_alternative<BookingNoShow>(body) ||
                             (std::holds_alternative<TicketNoShow>(body) && std::get<TicketNoShow>(body).parked);
        Event e{state_.seq + 1, now.ms, std::max(now.day, state_.day), std::move(body), of_time ? "" : by};
        apply(e);
        out.events.push_back(std::move(e));
    };
    // Parked tickets and bookings whose time ran out are no-shows first (yesterday's
    // too, before the day that forgets them opens); a new local day starts with its
    // first command.
    for (auto& body : overdue_parked(now)) emit(std::move(body));
    for (auto& body : overdue_bookings(now)) emit(std::move(body));
    if (now.day > state_.day) emit(DayOpened{now.day});

    std::vector<EventBody> decided;
    out.error = decide(command, now, decided);
    if (out.error) return out;
    for (auto& body : decided) emit(std::move(body));
    return out;
}

void Engine::apply(const Event& e) {
    state_.seq = e.seq;
    fold(e.body, e.at);
}

const Ticket* Engine::ticket(int64_t id) const {
    auto it = state_.tickets.find(id);
    return it == state_.tickets.end() ? nullptr : &it->second;
}

std::optional<Error> Engine::decide(const Command& command, const common::Instant& now, std::vector<EventBody>& out) {
    if (auto* c = std::get_if<Configure>(&command)) return decide_configure(*c, out);
    if (!state_.configured) return Error{"not_configured", "the center is not configured yet", 503};
    return std::visit(common::overloaded{
        [&](const Configure&) -> std::optional<Error> { return std::nullopt; },
        [&](const IssueTicket& c) { return decide_issue(c, now, out); },
        [&](const CallNext& c) { return decide_call(c, now, out); },
        [&](const TicketAction& c) { return decide_action(c, now, out); },
        [&](const Transfer& c) { return decide_transfer(c, out); },
        [&](const SetCounterPaused& c) { return decide_pause(c, out); },
        [&](const RateTicket& c) { return decide_rating(c, out); },
        [&](const Postpone& c) { return decide_postpone(c, out); },
        [&](const MakeBooking& c) { return decide_booking(c, now, out); },
        [&](const MoveBooking& c) { return decide_move(c, now, out); },
        [&](const CancelBooking& c) { return decide_cancel_booking(c, out); },
        [&](const CheckIn& c) { return decide_check_in(c, now, out); },
        [&](const Tick&) -> std::optional<Error> { return std::nullopt; },
        [&](const FinishTicket& c) { return decide_finish(c, now, out); },
        [&](const Park& c) { return decide_park(c, now, out); },
        [&](const ReturnParked& c) { return decide_return(c, now, out); },
        [&](const CallTicket& c) { return decide_call_ticket(c, now, out); },
        [&](const SignIn& c) { return decide_sign_in(c, out); },
        [&](const SignOut& c) { return decide_sign_out(c, out); },
    }, command);
}

// ---------------------------------------------------------------- issue

std::optional<Error> Engine::decide_issue(const IssueTicket& c, const common::Instant& now, std::vector<EventBody>& out) {
    const Service* s = state_.center.service(c.service);
    if (!s) return not_found("unknown_service", "no service with code '" + c.service + "'");
    const Category* cat = state_.center.category(c.category);
    if (!cat) return bad_request("unknown_category", "no ticket category '" + c.category + "'");
    if (now.minute < s->open_minute || now.minute >= s->close_minute)
        return conflict("service_closed", "service " + s->code + " takes numbers from " + minute_to_text(s->open_minute) +
                                              " to " + minute_to_text(s->close_minute));
    auto issued = state_.issued_today.find(s->code);
    if (s->daily_cap > 0 && issued != state_.issued_today.end() && issued->second >= s->daily_cap)
        return conflict("sold_out", "all " + std::to_string(s->daily_cap) + " numbers of service " + s->code +
                                        " are taken for today; please come back tomorrow");
    const auto serial = next_free_number(*s);
    if (!serial) return conflict("range_exhausted", "service " + s->code + " has no free number left today");
    if (auto e = check_follow_hash(c.follow_hash)) return e;
    if (!c.person.empty()) {  // a chip ID card was scanned: the person's limits count this number
        if (!is_hex_sha256(c.person)) return bad_request("bad_person", "a person is a 64-digit hex keyed hash");
        if (c.masked_name.size() > 200) return bad_request("bad_name", "the masked name is longer than 200 bytes");
        if (auto e = check_limits(c.person, s->code, state_.day, 0)) return e;
    }
    Ticket t = new_ticket(*s, *cat, *serial, c.source, c.follow_hash, now);
    t.person = c.person;
    t.masked_name = c.masked_name;
    out.push_back(TicketIssued{std::move(t)});
    return std::nullopt;
}

std::optional<Error> Engine::check_follow_hash(const std::string& follow_hash) const {
    if (!follow_hash.empty() && !is_hex_sha256(follow_hash))
        return bad_request("bad_follow_hash", "a follow hash is 64 lower-case hex digits");
    if (!follow_hash.empty() && state_.followed.contains(follow_hash))
        return conflict("follow_hash_taken", "another ticket of today has this follow hash");
    return std::nullopt;
}

// A walk-in's ticket (a check-in then makes it a booked one).
Ticket Engine::new_ticket(const Service& s, const Category& cat, int serial, const std::string& source,
                          const std::string& follow_hash, const common::Instant& now) const {
    Ticket t;
    t.id = state_.next_ticket_id;
    t.serial = serial;
    t.number = format_number(s, serial);
    t.service = s.code;
    t.category = cat.code;
    t.priority = cat.priority;
    t.source = source;
    t.day = state_.day;
    t.issued_at = now.ms;
    t.queued_at = now.ms;
    t.people_ahead = people_ahead(s.code, cat.priority);
    t.est_wait_s = estimate_wait_s(s.code, t.people_ahead);
    t.follow_hash = follow_hash;
    t.next_steps = s.next_steps;  // the visit's route (issue 22)
    return t;
}

std::optional<int> Engine::next_free_number(const Service& s) const {
    auto it = state_.next_number.find(s.prefix);
    const int next = std::max(s.first, it == state_.next_number.end() ? s.first : it->second);
    if (!s.wrap) return next <= s.last ? std::optional<int>(next) : std::nullopt;
    // Wrapping: go round the range from `next`, skipping numbers still in use today.
    std::set<int> live;
    for (const auto& [id, t] : state_.tickets)
        if (is_live(t.state) && t.number.starts_with(s.prefix) && t.number.size() == format_number(s, 0).size())
            live.insert(t.serial);
    const int size = s.last - s.first + 1;
    for (int i = 0; i < size; ++i) {
        const int k = s.first + ((next > s.last ? 0 : next - s.first) + i) % size;
        if (!live.count(k)) return k;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------- call next

std::optional<Error> Engine::decide_call(const CallNext& c, const common::Instant& now, std::vector<EventBody>& out) {
    auto it = state_.counters.find(c.counter);
    if (it == state_.counters.end()) return not_found("unknown_counter", "no counter " + std::to_string(c.counter));
    const CounterStatus& counter = it->second;
    if (auto e = free_for_call(counter, now, out)) return e;
    const auto pick = pick_next(counter, now);
    if (!pick) return std::nullopt;  // nobody waiting: not an error
    const Ticket& t = state_.tickets.at(pick->ticket);
    out.push_back(TicketCalled{t.id, t.number, t.service, c.counter, pick->streak, pick->booked_streak, false, "",
                               idle_before(counter, t, now)});
    return std::nullopt;
}

std::optional<Engine::Pick> Engine::pick_next(const CounterStatus& counter, const common::Instant& now) const {
    auto direct = state_.counter_queue.find(counter.id);
    if (direct != state_.counter_queue.end() && !direct->second.empty())
        return Pick{direct->second.begin()->ticket, counter.priority_streak, counter.booked_streak};

    auto head = [](const std::map<std::string, Queue>& queues, const std::string& service, std::optional<QueueKey>& best) {
        auto q = queues.find(service);
        if (q != queues.end() && !q->second.empty() && (!best || *q->second.begin() < *best)) best = *q->second.begin();
    };
    const Policy& policy = state_.center.policy;
    for (const auto& tier : state_.center.counter(counter.id)->tiers) {
        std::optional<QueueKey> booked, priority, normal;
        for (const auto& service : tier) {
            head(state_.booked_queue, service, booked);
            head(state_.priority_queue, service, priority);
            head(state_.normal_queue, service, normal);
        }
        // Booked citizens on time first once their slot has begun (the line is in slot
        // order: if its head's has not, nobody's has), but never more than
        // max_booked_streak in a row while walk-ins wait.
        const bool walk_ins = priority || normal;
        if (booked && !walk_ins) return Pick{booked->ticket, counter.priority_streak, 0};
        if (booked && booked->since <= now.ms && counter.booked_streak < state_.center.booking.max_booked_streak)
            return Pick{booked->ticket, counter.priority_streak, counter.booked_streak + 1};
        if (!walk_ins) continue;
        if (!normal) return Pick{priority->ticket, 0};
        if (!priority) return Pick{normal->ticket, 0};
        const bool aged = now.ms - normal->since >= int64_t{policy.ageing_minutes} * 60'000;
        if (aged || counter.priority_streak >= policy.max_priority_streak) return Pick{normal->ticket, 0};
        return Pick{priority->ticket, counter.priority_streak + 1};
    }
    return std::nullopt;
}

// ---------------------------------------------------------------- ticket actions

std::optional<Error> Engine::decide_action(const TicketAction& c, const common::Instant& now, std::vector<EventBody>& out) {
    const Ticket* found = ticket(c.ticket);
    if (!found) return not_found("unknown_ticket", "no ticket " + std::to_string(c.ticket) + " today");
    const Ticket& t = *found;
    const bool own = c.counter == 0 || t.counter == c.counter;
    const std::string verb = to_string(c.action);
    auto wrong_state = [&] {
        return conflict("wrong_state", "cannot " + verb + " ticket " + t.number + ": it is " + to_string(t.state));
    };
    auto not_own = [&] {
        return forbidden("ticket " + t.number + " is held by counter " + std::to_string(t.counter) + ", not counter " +
                         std::to_string(c.counter));
    };
    switch (c.action) {
        case Action::recall:
            if (t.state != TicketState::called) return wrong_state();
            if (!own) return not_own();
            out.push_back(TicketRecalled{t.id, t.number, t.service, t.counter, t.recalls + 1});
            break;
        case Action::start:
            if (t.state != TicketState::called) return wrong_state();
            if (!own) return not_own();
            out.push_back(TicketStarted{t.id, t.number, t.service, t.counter});
            break;
        case Action::finish:
            return decide_finish(FinishTicket{c.ticket, c.counter, {}, std::nullopt}, now, out);
        case Action::no_show: {
            if (t.state != TicketState::called) return wrong_state();
            if (!own) return not_own();
            const Policy& p = state_.center.policy;
            const int64_t allowed_at = t.called_at + int64_t{p.no_show_after_minutes} * 60'000;
            if (t.recalls < p.no_show_after_recalls && now.ms < allowed_at)
                return conflict("too_early", "recall ticket " + t.number + " " +
                                                 std::to_string(p.no_show_after_recalls - t.recalls) +
                                                 " more time(s) or wait " + std::to_string(p.no_show_after_minutes) +
                                                 " minutes after the call before marking it no-show");
            out.push_back(TicketNoShow{t.id, t.number, t.service, t.counter});
            break;
        }
        case Action::reactivate:
            if (t.state != TicketState::no_show) return wrong_state();
            out.push_back(TicketReactivated{t.id, t.number, t.service});
            break;
        case Action::cancel:
            if (!is_live(t.state) && t.state != TicketState::no_show) return wrong_state();
            if (is_held(t.state) && !own) return not_own();
            out.push_back(TicketCancelled{t.id, t.number, t.service, is_held(t.state) ? t.counter : 0});
            break;
    }
    return std::nullopt;
}

std::optional<Error> Engine::decide_transfer(const Transfer& c, std::vector<EventBody>& out) {
    const Ticket* found = ticket(c.ticket);
    if (!found) return not_found("unknown_ticket", "no ticket " + std::to_string(c.ticket) + " today");
    const Ticket& t = *found;
    if (c.to_service.empty() && c.to_counter == 0)
        return bad_request("bad_transfer", "say where to: to_service, to_counter or both");
    if (!c.to_service.empty() && !state_.center.service(c.to_service))
        return not_found("unknown_service", "no service with code '" + c.to_service + "'");
    if (c.to_counter != 0 && !state_.center.counter(c.to_counter))
        return not_found("unknown_counter", "no counter " + std::to_string(c.to_counter));
    const bool held = is_held(t.state);
    if (!held && !(t.state == TicketState::waiting && c.counter == 0))
        return conflict("wrong_state", "cannot transfer ticket " + t.number + ": it is " + to_string(t.state));
    if (held && c.counter != 0 && t.counter != c.counter)
        return forbidden("ticket " + t.number + " is held by counter " + std::to_string(t.counter));
    if (held && c.to_counter == t.counter) return conflict("bad_transfer", "the ticket is already at that counter");
    if (c.note.size() > 2000) return bad_request("bad_transfer", "the note is longer than 2000 bytes");
    const std::string to_service = c.to_service.empty() ? t.service : c.to_service;
    out.push_back(TicketTransferred{t.id, t.number, t.service, held ? t.counter : 0, to_service, c.to_counter, c.note});
    return std::nullopt;
}

std::optional<Error> Engine::decide_pause(const SetCounterPaused& c, std::vector<EventBody>& out) {
    auto it = state_.counters.find(c.counter);
    if (it == state_.counters.end()) return not_found("unknown_counter", "no counter " + std::to_string(c.counter));
    if (it->second.paused == c.paused) return std::nullopt;
    if (c.reason.size() > 200) return bad_request("bad_reason", "a break's reason is longer than 200 bytes");
    if (c.paused) out.push_back(CounterPaused{c.counter, c.reason});
    else out.push_back(CounterResumed{c.counter});
    return std::nullopt;
}

// One rating per ticket, after it was served, from its own counter's tablet.
std::optional<Error> Engine::decide_rating(const RateTicket& c, std::vector<EventBody>& out) {
    const Ticket* t = ticket(c.ticket);
    if (!t) return not_found("unknown_ticket", "no ticket " + std::to_string(c.ticket) + " today");
    if (c.rating < kRatingBad || c.rating > kRatingGood) return bad_request("bad_rating", "a rating is 1, 2 or 3");
    if (t->state != TicketState::done) return conflict("wrong_state", "ticket " + t->number + " is not finished");
    if (c.counter != 0 && t->counter != c.counter)
        return forbidden("ticket " + t->number + " was served at counter " + std::to_string(t->counter));
    if (t->rating != 0) return conflict("already_rated", "ticket " + t->number + " has been rated");
    if (c.reason.size() > 2000) return bad_request("bad_rating", "the reason is longer than 2000 bytes");
    out.push_back(TicketRated{t->id, t->number, t->service, t->counter, c.rating, c.reason});
    return std::nullopt;
}

// ---------------------------------------------------------------- postpone

// "I'll be late": once, for a waiting ticket, `places` back in its own line.
std::optional<Error> Engine::decide_postpone(const Postpone& c, std::vector<EventBody>& out) {
    const Ticket* t = ticket(c.ticket);
    if (!t) return not_found("unknown_ticket", "no ticket " + std::to_string(c.ticket) + " today");
    if (t->state != TicketState::waiting)
        return conflict("not_waiting", "ticket " + t->number + " is " + to_string(t->state) + ": only a waiting ticket can be moved back");
    if (t->late) return conflict("already_late", "ticket " + t->number + " has been moved back once already");
    if (c.places < 1 || c.places > 100) return bad_request("bad_places", "a ticket moves back 1 to 100 places");
    const Queue* q = queue_of(*t);
    if (!q) return conflict("not_waiting", "ticket " + t->number + " waits in no line");
    int moved = 0;
    const QueueKey place = later_place(*q, q->find(place_of(*t)), c.places, moved);
    out.push_back(TicketPostponed{t->id, t->number, t->service, moved, place.since, place.tie});
    return std::nullopt;
}

// The key just behind the ticket `places` after `at` (or behind the last one). Keys
// of later tickets are (issued_at >= since, id << kTieShift): the tie stays at or
// below next_ticket_id << kTieShift so that tickets issued later still come after.
QueueKey Engine::later_place(const Queue& q, Queue::const_iterator at, int places, int& moved) const {
    auto after = at;
    moved = 0;
    for (auto it = std::next(at); it != q.end() && moved < places; ++it, ++moved) after = it;
    if (moved == 0) return *at;  // nobody behind it: it stays where it is, last
    const QueueKey& a = *after;
    const auto b = std::next(after);
    if (b != q.end() && b->since == a.since) {
        // Between two tickets of the same instant: halfway between their ties.
        // (With no room left, 20 halvings on, it ties with `a` and the ids decide.)
        return {a.since, b->tie - a.tie >= 2 ? a.tie + (b->tie - a.tie) / 2 : a.tie, at->ticket};
    }
    const int64_t cap = state_.next_ticket_id << kTieShift;
    const int64_t tie = a.tie < cap ? std::min(a.tie + (int64_t{1} << kTieShift), cap) : a.tie + 1;
    return {a.since, tie, at->ticket};
}

std::optional<Error> Engine::decide_configure(const Configure& c, std::vector<EventBody>& out) {
    if (auto problem = validate(c.center)) return bad_request("invalid_config", *problem);
    out.push_back(CenterConfigured{c.center});
    return std::nullopt;
}

// ---------------------------------------------------------------- fold

void Engine::fold(const EventBody& body, int64_t at) {
    auto held = [&](int64_t id) -> Ticket& { return state_.tickets.at(id); };
    std::visit(common::overloaded{
        [&](const CenterConfigured& e) { configure(e.center); },
        [&](const DayOpened& e) { open_day(e.day); },
        [&](const TicketIssued& e) {
            const Ticket& t = state_.tickets[e.ticket.id] = e.ticket;
            state_.next_ticket_id = std::max(state_.next_ticket_id, t.id + 1);
            const Service* s = state_.center.service(t.service);
            state_.next_number[s ? s->prefix : t.service] = t.serial + 1;
            ++state_.issued_today[t.service];
            if (!t.follow_hash.empty()) state_.followed[t.follow_hash] = t.id;
            if (!t.person.empty() && !t.booking) state_.person_tickets[t.person].push_back(t.id);
            enqueue(t, at);
        },
        [&](const TicketCalled& e) {
            Ticket& t = held(e.ticket);
            dequeue(t, at);
            hold(t, e.counter, at);
            CounterStatus& k = state_.counters[e.counter];
            k.priority_streak = e.priority_streak;
            k.booked_streak = e.booked_streak;
            remember_call(t, e.counter, at, false);
        },
        [&](const TicketRecalled& e) {
            Ticket& t = held(e.ticket);
            t.recalls = e.recalls;
            remember_call(t, e.counter, at, true);
        },
        [&](const TicketStarted& e) {
            Ticket& t = held(e.ticket);
            t.state = TicketState::serving;
            t.started_at = at;
        },
        [&](const TicketFinished& e) { fold_finished(e, at); },
        [&](const TicketNoShow& e) {
            Ticket& t = held(e.ticket);
            if (t.state == TicketState::parked) state_.park_deadlines.erase({t.parked_until, t.id});
            t.state = TicketState::no_show;
            free_counter(e.counter, t.id, at);
        },
        [&](const TicketReactivated& e) {
            Ticket& t = held(e.ticket);
            t.state = TicketState::waiting;
            t.queued_at = at;
            enqueue(t, at);
        },
        [&](const TicketTransferred& e) {
            Ticket& t = held(e.ticket);
            if (t.state == TicketState::waiting) dequeue(t, at);
            if (e.from_counter) free_counter(e.from_counter, t.id, at);
            t.service = e.to_service;
            t.target_counter = e.to_counter;
            t.state = TicketState::waiting;
            t.queued_at = at;
            ++t.transfers;
            enqueue(t, at);
        },
        [&](const TicketCancelled& e) {
            Ticket& t = held(e.ticket);
            if (t.state == TicketState::waiting) dequeue(t, at);
            if (t.state == TicketState::parked) state_.park_deadlines.erase({t.parked_until, t.id});
            if (e.counter) free_counter(e.counter, t.id, at);
            t.state = TicketState::cancelled;
        },
        [&](const CounterPaused& e) {
            CounterStatus& k = state_.counters[e.counter];
            k.paused = true;
            k.pause_reason = e.reason;
            k.free_since = 0;
        },
        [&](const CounterResumed& e) {
            CounterStatus& k = state_.counters[e.counter];
            k.paused = false;
            k.pause_reason.clear();
            if (!k.ticket) k.free_since = at;
        },
        [&](const TicketRated& e) { held(e.ticket).rating = e.rating; },
        [&](const TicketPostponed& e) {
            Ticket& t = held(e.ticket);
            dequeue(t, at);
            t.late = true;
            t.late_since = e.since;
            t.late_tie = e.tie;
            enqueue(t, at);
        },
        [&](const BookingMade& e) { fold_booking(e); },
        [&](const BookingMoved& e) { fold_booking(e); },
        [&](const BookingCancelled& e) { fold_booking_end(e.booking, BookingState::cancelled); },
        [&](const BookingCheckedIn& e) { fold_booking(e, at); },
        [&](const BookingNoShow& e) { fold_booking_end(e.booking, BookingState::no_show); },
        [&](const TicketParked& e) {
            fold_parked(e);
            free_counter(e.counter, e.ticket, at);
        },
        [&](const TicketReturned& e) { fold_returned(e, at); },
        [&](const StaffSignedIn& e) { fold_staff(e.counter, e.staff, at); },
        [&](const StaffSignedOut& e) { fold_staff(e.counter, "", at); },
    }, body);
}

// A booked ticket waits from its slot's start, a walk-in from its issue, a ticket
// at a visit's later step from the place its finish gave it.
QueueKey place_of(const Ticket& t) {
    if (t.late) return {t.late_since, t.late_tie, t.id};
    if (t.step > 0) return {t.step_since, t.id << kTieShift, t.id};
    return {t.booked ? t.slot_at : t.issued_at, t.id << kTieShift, t.id};
}

Queue& Engine::line_of(const Ticket& t) {
    if (t.target_counter) return state_.counter_queue[t.target_counter];
    if (t.booked) return state_.booked_queue[t.service];
    return t.priority ? state_.priority_queue[t.service] : state_.normal_queue[t.service];
}

namespace {

std::string waiting_key(const Ticket& t) { return t.target_counter ? "#" + std::to_string(t.target_counter) : t.service; }

}  // namespace

void Engine::enqueue(const Ticket& t, int64_t at) {
    line_of(t).insert(place_of(t));
    LineWaiting& w = state_.lines_waiting[waiting_key(t)];
    if (w.count++ == 0 && w.emptied_at != at) w.since = at;
}

void Engine::dequeue(const Ticket& t, int64_t at) {
    line_of(t).erase(place_of(t));
    auto it = state_.lines_waiting.find(waiting_key(t));
    if (it != state_.lines_waiting.end() && --it->second.count <= 0) it->second = {0, it->second.since, at};
}

void Engine::free_counter(int counter, int64_t ticket, int64_t at) {
    auto it = state_.counters.find(counter);
    if (it == state_.counters.end() || it->second.ticket != ticket) return;
    it->second.ticket = 0;
    if (!it->second.paused) it->second.free_since = at;
}

// Called (by next, by choice, or back from being parked) at `counter`.
void Engine::hold(Ticket& t, int counter, int64_t at) {
    t.state = TicketState::called;
    t.counter = counter;
    t.target_counter = 0;
    t.called_at = at;
    t.recalls = 0;
    CounterStatus& k = state_.counters[counter];
    k.ticket = t.id;
    k.free_since = 0;
}

void Engine::remember_call(const Ticket& t, int counter, int64_t at, bool recall, bool returned) {
    state_.recent_calls.push_front(Call{t.id, t.number, t.service, counter, at, recall, returned, t.step});
    while (state_.recent_calls.size() > static_cast<size_t>(state_.center.policy.recent_calls)) state_.recent_calls.pop_back();
}

void Engine::open_day(int32_t day) {
    // Whatever is still open from yesterday expires: numbering starts afresh.
    state_.day = day;
    state_.tickets.clear();
    state_.next_number.clear();
    state_.issued_today.clear();
    state_.priority_queue.clear();
    state_.normal_queue.clear();
    state_.counter_queue.clear();
    state_.booked_queue.clear();
    state_.lines_waiting.clear();
    forget_bookings_before(day);
    state_.followed.clear();  // a key works for its own day only
    state_.person_tickets.clear();
    state_.park_deadlines.clear();
    state_.recent_calls.clear();
    for (auto& [id, k] : state_.counters) {
        k.ticket = 0;
        k.priority_streak = 0;
        k.booked_streak = 0;
        k.staff.clear();  // yesterday's sign-ins end with yesterday
        k.free_since = 0;
    }
}

void Engine::configure(const Center& center) {
    state_.center = center;
    state_.configured = true;
    std::map<int, CounterStatus> counters;
    for (const auto& k : center.counters) {
        auto old = state_.counters.find(k.id);
        counters[k.id] = old != state_.counters.end() ? old->second : CounterStatus{.id = k.id};
    }
    state_.counters = std::move(counters);
    rebuild_deadlines();
    // Tickets sent to a counter that is gone go back to their service's line, keeping their place.
    for (auto it = state_.counter_queue.begin(); it != state_.counter_queue.end();) {
        if (state_.counters.count(it->first)) {
            ++it;
            continue;
        }
        for (const auto& key : it->second) {
            Ticket& t = state_.tickets.at(key.ticket);
            t.target_counter = 0;
            enqueue(t, t.queued_at);  // a setup change has no time of its own: the ticket's
        }
        state_.lines_waiting.erase("#" + std::to_string(it->first));
        it = state_.counter_queue.erase(it);
    }
}

}  // namespace engine
