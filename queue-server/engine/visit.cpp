// visit: the counter's real day (issue 22) — a visit's steps across desks, a
// ticket parked while the citizen fetches a paper and called back, a chosen
// ticket called out of order, the outcome said at finish, and the staff's time
// at the counter. Decisions and their folds; the rest of the engine is engine.cpp.
#include <algorithm>

#include "engine/engine.hpp"
#include "engine/refusals.hpp"

namespace engine {
namespace {

Error unknown_ticket(int64_t id) { return not_found("unknown_ticket", "no ticket " + std::to_string(id) + " today"); }
Error unknown_counter(int id) { return not_found("unknown_counter", "no counter " + std::to_string(id)); }

// A code of the catalog or a dossier: printable ASCII without spaces, as the
// national portal and Circular 01/2018 write them.
bool is_code(const std::string& s) {
    return s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 127; });
}

}  // namespace

// ---------------------------------------------------------------- finish and the next step

std::optional<Error> Engine::check_outcome(const Service& s, const VisitOutcome& o) const {
    if (!is_code(o.procedure)) return bad_request("bad_outcome", "outcome.procedure: a catalog code, up to 64 characters");
    if (!is_code(o.dossier)) return bad_request("bad_outcome", "outcome.dossier: a dossier code, up to 64 characters");
    if (!o.result.empty() && std::find(std::begin(kResults), std::end(kResults), o.result) == std::end(kResults))
        return bad_request("bad_outcome", "outcome.result: one of received, returned_for_supplement, advised_only, refused, result_returned");
    if (s.outcome == OutcomeRule::required && (o.procedure.empty() || o.result.empty()))
        return bad_request("outcome_required", "service " + s.code + " asks at finish for the procedure handled and the result");
    return std::nullopt;
}

std::optional<Error> Engine::decide_finish(const FinishTicket& c, const common::Instant& now, std::vector<EventBody>& out) {
    const Ticket* t = ticket(c.ticket);
    if (!t) return unknown_ticket(c.ticket);
    if (!is_held(t->state))
        return conflict("wrong_state", "cannot finish ticket " + t->number + ": it is " + to_string(t->state));
    if (c.counter != 0 && t->counter != c.counter)
        return forbidden("ticket " + t->number + " is held by counter " + std::to_string(t->counter) + ", not counter " +
                         std::to_string(c.counter));
    return finish_held(*t, t->counter, c.outcome, c.next_steps, now, out);
}

// The finish of a held ticket, and where it goes next: the services still to
// come (or those the counter named instead), the first of them now.
std::optional<Error> Engine::finish_held(const Ticket& t, int counter, const VisitOutcome& outcome,
                                         const std::optional<std::vector<std::string>>& steps, const common::Instant& now,
                                         std::vector<EventBody>& out) const {
    const Service* s = state_.center.service(t.service);
    if (!s) return not_found("unknown_service", "ticket " + t.number + "'s service is gone");
    if (auto e = check_outcome(*s, outcome)) return e;
    std::vector<std::string> rest = steps.value_or(t.next_steps);
    if (t.step + 1 + static_cast<int>(rest.size()) > kMaxSteps)
        return bad_request("bad_steps", "a visit has at most " + std::to_string(kMaxSteps) + " steps");
    for (const auto& code : rest)
        if (!state_.center.service(code)) return not_found("unknown_service", "no service with code '" + code + "' for a next step");
    TicketFinished e{t.id, t.number, t.service, counter, outcome, "", {}, 0};
    if (!rest.empty()) {
        e.next_step = rest.front();
        e.later_steps.assign(rest.begin() + 1, rest.end());
        const int64_t boost = int64_t{state_.center.policy.step_boost_minutes} * 60'000;
        e.step_since = boost == 0 ? t.issued_at : std::max(t.issued_at, now.ms - boost);
    }
    out.push_back(std::move(e));
    return std::nullopt;
}

// A counter about to call: free, or serving someone it finishes now (as call-next
// always did) unless that service asks for the outcome, which only staff can say.
std::optional<Error> Engine::free_for_call(const CounterStatus& counter, const common::Instant& now, std::vector<EventBody>& out) const {
    if (counter.paused) return conflict("counter_paused", "counter " + std::to_string(counter.id) + " is paused; resume it first");
    if (!counter.ticket) return std::nullopt;
    const Ticket& held = state_.tickets.at(counter.ticket);
    if (held.state == TicketState::called)
        return conflict("counter_busy", "ticket " + held.number + " is called here: start, finish, mark no-show or transfer it first");
    const Service* s = state_.center.service(held.service);
    if (s && s->outcome == OutcomeRule::required)
        return conflict("outcome_required", "finish ticket " + held.number + " with its outcome first");
    return finish_held(held, counter.id, {}, std::nullopt, now, out);
}

void Engine::fold_finished(const TicketFinished& e, int64_t at) {
    Ticket& t = state_.tickets.at(e.ticket);
    t.finished_at = at;
    const double took_s = static_cast<double>(at - t.called_at) / 1000.0;
    auto [avg, fresh] = state_.handle_avg_s.try_emplace(t.service, took_s);
    if (!fresh) avg->second = 0.8 * avg->second + 0.2 * took_s;
    free_counter(e.counter, t.id, at);
    if (e.next_step.empty()) {
        t.state = TicketState::done;
        t.next_steps.clear();
        return;
    }
    // The same ticket, the same number, in the next desk's line.
    t.state = TicketState::waiting;
    t.service = e.next_step;
    t.next_steps = e.later_steps;
    ++t.step;
    t.step_since = e.step_since;
    t.queued_at = at;
    t.target_counter = 0;
    t.booked = false;  // a booking's slot was its first step's
    t.late = false;
    t.recalls = 0;
    enqueue(t, at);
}

// ---------------------------------------------------------------- park and return

std::optional<Error> Engine::decide_park(const Park& c, const common::Instant& now, std::vector<EventBody>& out) {
    const Ticket* t = ticket(c.ticket);
    if (!t) return unknown_ticket(c.ticket);
    if (!is_held(t->state)) return conflict("wrong_state", "cannot park ticket " + t->number + ": it is " + to_string(t->state));
    if (c.counter != 0 && t->counter != c.counter)
        return forbidden("ticket " + t->number + " is held by counter " + std::to_string(t->counter));
    const int most = state_.center.policy.park_max_minutes;
    if (c.minutes < 1 || c.minutes > most)
        return bad_request("bad_minutes", "a ticket is parked for 1 to " + std::to_string(most) + " minutes");
    if (c.reason.size() > 500) return bad_request("bad_reason", "the reason is longer than 500 bytes");
    out.push_back(TicketParked{t->id, t->number, t->service, t->counter, now.ms + int64_t{c.minutes} * 60'000, c.reason});
    return std::nullopt;
}

std::optional<Error> Engine::decide_return(const ReturnParked& c, const common::Instant& now, std::vector<EventBody>& out) {
    const Ticket* t = ticket(c.ticket);
    if (!t) return unknown_ticket(c.ticket);
    if (t->state != TicketState::parked) return conflict("not_parked", "ticket " + t->number + " is " + to_string(t->state) + ", not parked");
    if (c.counter == 0) return bad_request("bad_counter", "say which counter calls the ticket back");
    const Counter* k = state_.center.counter(c.counter);
    auto st = state_.counters.find(c.counter);
    if (!k || st == state_.counters.end()) return unknown_counter(c.counter);
    if (c.counter != t->parked_by && !k->serves(t->service))
        return {{"not_your_service", "counter " + std::to_string(c.counter) + " does not serve " + t->service, 403}};
    if (auto e = free_for_call(st->second, now, out)) return e;
    // A parked ticket was in no line: the counter's free time before it is not time a
    // citizen waited for it (the idle time of a return is 0; a next call counts its own).
    out.push_back(TicketReturned{t->id, t->number, t->service, c.counter, 0});
    return std::nullopt;
}

void Engine::fold_parked(const TicketParked& e) {
    Ticket& t = state_.tickets.at(e.ticket);
    t.state = TicketState::parked;
    t.parked_by = e.counter;
    t.parked_until = e.until;
    t.park_reason = e.reason;
    state_.park_deadlines.insert({e.until, t.id});
}

void Engine::fold_returned(const TicketReturned& e, int64_t at) {
    Ticket& t = state_.tickets.at(e.ticket);
    state_.park_deadlines.erase({t.parked_until, t.id});
    ++t.returns;
    hold(t, e.counter, at);
    remember_call(t, e.counter, at, false, true);
}

bool Engine::parked_overdue(const common::Instant& now) const {
    return !state_.park_deadlines.empty() && state_.park_deadlines.begin()->first <= now.ms;
}

// Parked tickets whose time ran out by `now`, in that order: no-shows.
std::vector<EventBody> Engine::overdue_parked(const common::Instant& now) const {
    std::vector<EventBody> out;
    for (const auto& [until, id] : state_.park_deadlines) {
        if (until > now.ms) break;
        const Ticket& t = state_.tickets.at(id);
        out.push_back(TicketNoShow{t.id, t.number, t.service, t.parked_by, true});
    }
    return out;
}

// ---------------------------------------------------------------- a chosen ticket

std::optional<Error> Engine::decide_call_ticket(const CallTicket& c, const common::Instant& now, std::vector<EventBody>& out) {
    const Counter* k = state_.center.counter(c.counter);
    auto st = state_.counters.find(c.counter);
    if (!k || st == state_.counters.end()) return unknown_counter(c.counter);
    if (c.reason.empty()) return bad_request("reason_required", "say why this ticket is called out of order");
    if (c.reason.size() > 500) return bad_request("bad_reason", "the reason is longer than 500 bytes");
    const Ticket* t = ticket(c.ticket);
    if (!t) return unknown_ticket(c.ticket);
    if (t->state != TicketState::waiting)
        return conflict("not_waiting", "ticket " + t->number + " is " + to_string(t->state) + ": only a waiting ticket can be called");
    const bool mine = t->target_counter ? t->target_counter == c.counter : k->serves(t->service);
    if (!mine)
        return {{"not_your_service", "ticket " + t->number + " waits for " +
                                         (t->target_counter ? "counter " + std::to_string(t->target_counter) : "service " + t->service) +
                                         ", not counter " + std::to_string(c.counter), 403}};
    if (auto e = free_for_call(st->second, now, out)) return e;
    const CounterStatus& counter = st->second;
    TicketCalled e{t->id, t->number, t->service, c.counter, counter.priority_streak, counter.booked_streak, true, c.reason,
                   idle_before(counter, *t, now)};
    out.push_back(std::move(e));
    return std::nullopt;
}

// The time the counter was free, with its staff signed in and not on a break, while
// someone of its services waited: since the earliest of its lines (any tier, and its
// own) has not been empty, and at least since the called ticket went into line.
// Nobody signed in: no staff, so no staff's idle time.
int64_t Engine::idle_before(const CounterStatus& counter, const Ticket& t, const common::Instant& now) const {
    if (counter.free_since == 0 || counter.ticket || counter.staff.empty()) return 0;
    int64_t someone = t.queued_at;
    auto earliest = [&](const std::string& key) {
        if (auto it = state_.lines_waiting.find(key); it != state_.lines_waiting.end() && it->second.count > 0)
            someone = std::min(someone, it->second.since);
    };
    if (const Counter* k = state_.center.counter(counter.id))
        for (const auto& tier : k->tiers)
            for (const auto& service : tier) earliest(service);
    earliest("#" + std::to_string(counter.id));
    return std::max<int64_t>(0, now.ms - std::max(counter.free_since, someone));
}

// ---------------------------------------------------------------- staff time

std::optional<Error> Engine::decide_sign_in(const SignIn& c, std::vector<EventBody>& out) {
    auto st = state_.counters.find(c.counter);
    if (st == state_.counters.end()) return unknown_counter(c.counter);
    if (c.staff.empty() || c.staff.size() > 100) return bad_request("bad_staff", "a staff member's name is 1 to 100 bytes");
    if (st->second.staff == c.staff) return std::nullopt;
    // The one before goes off: a counter has one person at a time.
    if (!st->second.staff.empty()) out.push_back(StaffSignedOut{c.counter, st->second.staff});
    out.push_back(StaffSignedIn{c.counter, c.staff});
    return std::nullopt;
}

std::optional<Error> Engine::decide_sign_out(const SignOut& c, std::vector<EventBody>& out) {
    auto st = state_.counters.find(c.counter);
    if (st == state_.counters.end()) return unknown_counter(c.counter);
    if (st->second.staff.empty()) return std::nullopt;
    if (st->second.ticket) {
        const Ticket& held = state_.tickets.at(st->second.ticket);
        return conflict("counter_busy", "ticket " + held.number + " is held here: finish, park or transfer it first");
    }
    out.push_back(StaffSignedOut{c.counter, st->second.staff});
    return std::nullopt;
}

// Who is at the counter now (empty: nobody), and whether its idle time counts.
void Engine::fold_staff(int counter, const std::string& staff, int64_t at) {
    CounterStatus& k = state_.counters[counter];
    k.staff = staff;
    k.free_since = !staff.empty() && !k.paused && !k.ticket ? at : 0;
}

}  // namespace engine
