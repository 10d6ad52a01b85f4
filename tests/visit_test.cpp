// visit_test: the counter's real day in the engine (issue 22) — a visit's steps
// carried by one ticket, park and return, a chosen ticket called out of order,
// the outcome at finish, the staff's time; then random runs over days with all
// of them that check the invariants and that replay equals the live state.
#include <catch2/catch.hpp>

#include <random>

#include "engine/codec.hpp"
#include "engine/engine.hpp"
#include "sqlite/sqlite.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"
#include "test_center.hpp"

using namespace engine;
using testing::Clock;

namespace {

// A (reception) → B (the specialist) → C (the fee): counter 1 serves A, 2 B then A, 3 C.
Center flow_center() {
    Center c = testing::small_center();
    c.services[0].next_steps = {"B", "C"};
    return c;
}

struct Hall {
    Engine e;
    Clock clock;
    std::vector<Event> log;
    explicit Hall(const Center& c = flow_center()) { keep(e.handle(Configure{c}, clock.now())); }

    Outcome keep(Outcome out) {
        log.insert(log.end(), out.events.begin(), out.events.end());
        return out;
    }
    Outcome run(const Command& c, const std::string& by = "") { return keep(e.handle(c, clock.now(), by)); }
    std::string code(const Command& c) {
        const Outcome out = run(c);
        return out.error ? out.error->code : "ok";
    }
    int64_t issue(const std::string& service) {
        const Outcome out = run(IssueTicket{service, "normal", "kiosk:1"});
        REQUIRE(out.ok());
        return std::get<TicketIssued>(out.events.back().body).ticket.id;
    }
    int64_t next(int counter) {
        const Outcome out = run(CallNext{counter});
        REQUIRE(out.ok());
        for (const auto& ev : out.events)
            if (auto* c = std::get_if<TicketCalled>(&ev.body)) return c->ticket;
        return 0;
    }
    const Ticket& ticket(int64_t id) const { return *e.ticket(id); }
    template <class T>
    const T* last() const {
        for (auto it = log.rbegin(); it != log.rend(); ++it)
            if (auto* x = std::get_if<T>(&it->body)) return x;
        return nullptr;
    }
};

int waiting(const Engine& e, const std::string& service) { return static_cast<int>(e.waiting_count(service)); }

}  // namespace

TEST_CASE("finishing a step puts the same ticket, its number kept, in the next step's line from its issue time", "[visit]") {
    Hall h;
    const int64_t first = h.issue("A");
    h.clock.advance_minutes(5);
    const int64_t later_b = h.issue("B");  // came for B directly, after the visit began
    REQUIRE(h.next(1) == first);
    h.clock.advance_minutes(4);
    REQUIRE(h.run(TicketAction{Action::finish, first, 1}).ok());
    const TicketFinished* f = h.last<TicketFinished>();
    CHECK(f->next_step == "B");
    CHECK(f->later_steps == std::vector<std::string>{"C"});
    const Ticket& t = h.ticket(first);
    CHECK(t.state == TicketState::waiting);
    CHECK(t.service == "B");
    CHECK(t.number == "A001");
    CHECK(t.step == 1);
    CHECK(h.e.people_ahead_of(t) == 0);  // ahead of the B ticket issued after it
    CHECK(h.next(2) == first);
    REQUIRE(h.run(TicketAction{Action::finish, first, 2}).ok());
    CHECK(h.ticket(first).service == "C");
    CHECK(h.next(3) == first);
    REQUIRE(h.run(TicketAction{Action::finish, first, 3}).ok());
    CHECK(h.ticket(first).state == TicketState::done);
    CHECK(h.last<TicketFinished>()->next_step.empty());
    CHECK(h.next(2) == later_b);
    // Issued once, whatever the steps: the day's count of A and B numbers.
    CHECK(h.e.state().issued_today.at("A") == 1);
    CHECK(h.e.state().issued_today.at("B") == 1);
}

TEST_CASE("with a bounded boost the next step waits as if it came that many minutes before it finished", "[visit]") {
    Center c = flow_center();
    c.policy.step_boost_minutes = 10;
    Hall h(c);
    const int64_t visit = h.issue("A");
    h.clock.advance_minutes(20);
    const int64_t early_b = h.issue("B");  // 30 minutes before the finish below
    h.clock.advance_minutes(25);
    const int64_t recent_b = h.issue("B");  // 5 minutes before it
    REQUIRE(h.next(1) == visit);
    h.clock.advance_minutes(5);
    REQUIRE(h.run(TicketAction{Action::finish, visit, 1}).ok());
    CHECK(h.last<TicketFinished>()->step_since == h.clock.ms - 10 * 60'000);
    CHECK(h.next(2) == early_b);
    REQUIRE(h.run(TicketAction{Action::finish, early_b, 2}).ok());
    CHECK(h.next(2) == visit);
    REQUIRE(h.run(TicketAction{Action::finish, visit, 2}).ok());
    CHECK(h.next(2) == recent_b);
}

TEST_CASE("the counter overrides the steps still to come at finish: none, others, or too many", "[visit]") {
    Hall h;
    const int64_t a = h.issue("A"), b = h.issue("A");
    REQUIRE(h.next(1) == a);
    REQUIRE(h.run(FinishTicket{a, 1, {}, std::vector<std::string>{}}).ok());  // nothing more: the citizen is done
    CHECK(h.ticket(a).state == TicketState::done);
    REQUIRE(h.next(1) == b);
    CHECK(h.code(FinishTicket{b, 1, {}, std::vector<std::string>{"Z"}}) == "unknown_service");
    CHECK(h.code(FinishTicket{b, 1, {}, std::vector<std::string>{"A", "B", "C", "A", "B"}}) == "bad_steps");
    REQUIRE(h.run(FinishTicket{b, 1, {}, std::vector<std::string>{"C"}}).ok());  // straight to the fee
    CHECK(h.ticket(b).service == "C");
    CHECK(h.ticket(b).next_steps.empty());
    CHECK(h.code(FinishTicket{b, 3, {}, std::nullopt}) == "wrong_state");  // waiting, not held
}

TEST_CASE("a service that asks for the outcome refuses a finish without it, a bad result, and call-next over it", "[visit][outcome]") {
    Center c = testing::small_center();
    c.services[1].outcome = OutcomeRule::required;
    Hall h(c);
    const int64_t t = h.issue("B");
    h.issue("B");
    REQUIRE(h.next(2) == t);
    REQUIRE(h.run(TicketAction{Action::start, t, 2}).ok());
    CHECK(h.code(TicketAction{Action::finish, t, 2}) == "outcome_required");
    CHECK(h.code(CallNext{2}) == "outcome_required");  // serving: next would finish it with nothing said
    CHECK(h.code(FinishTicket{t, 2, {"1.000046", "", "approved"}, std::nullopt}) == "bad_outcome");
    CHECK(h.code(FinishTicket{t, 2, {"bad code", "", "received"}, std::nullopt}) == "bad_outcome");
    CHECK(h.code(FinishTicket{t, 2, {"", "", "received"}, std::nullopt}) == "outcome_required");
    REQUIRE(h.run(FinishTicket{t, 2, {"1.000046", "000.00.01.H29-261204-0001", "received"}, std::nullopt}).ok());
    const TicketFinished* f = h.last<TicketFinished>();
    CHECK(f->outcome.procedure == "1.000046");
    CHECK(f->outcome.dossier == "000.00.01.H29-261204-0001");
    CHECK(f->outcome.result == "received");
    // Optional elsewhere: a finish may say it, or not.
    const int64_t a = h.issue("A");
    REQUIRE(h.next(1) == a);
    CHECK(h.code(FinishTicket{a, 1, {"", "", "advised_only"}, std::nullopt}) == "ok");
}

TEST_CASE("a parked ticket waits in no line, is called back by its counter or one of its service, and times out as a no-show", "[visit][park]") {
    Hall h;
    const int64_t t = h.issue("A"), other = h.issue("A");
    REQUIRE(h.next(1) == t);
    CHECK(h.code(Park{t, 1, 31, ""}) == "bad_minutes");  // the policy's 30 at most
    CHECK(h.code(Park{t, 2, 10, ""}) == "not_your_ticket");
    REQUIRE(h.run(Park{t, 1, 20, "Đi bổ sung giấy tờ"}).ok());
    CHECK(h.ticket(t).state == TicketState::parked);
    CHECK(h.e.state().counters.at(1).ticket == 0);
    CHECK(waiting(h.e, "A") == 1);  // only the other
    CHECK(h.next(1) == other);      // never called by next
    CHECK(waiting(h.e, "A") == 0);
    CHECK(h.code(ReturnParked{t, 3}) == "not_your_service");  // counter 3 serves C only
    CHECK(h.code(ReturnParked{t, 1}) == "counter_busy");      // `other` is called there, not yet come
    REQUIRE(h.run(TicketAction{Action::start, other, 1}).ok());
    CHECK(h.code(ReturnParked{t, 1}) == "ok");                // serving `other`: finished by the return
    CHECK(h.ticket(other).state == TicketState::waiting);  // finished by the return, on to its next step
    CHECK(h.ticket(other).service == "B");
    CHECK(h.ticket(t).state == TicketState::called);
    CHECK(h.ticket(t).returns == 1);
    CHECK(h.e.state().recent_calls.front().returned);
    CHECK(h.code(ReturnParked{t, 2}) == "not_parked");

    // Parked again, then nobody comes back: a no-show of nobody's doing, at its time.
    REQUIRE(h.run(Park{t, 1, 5, ""}).ok());
    h.clock.advance_minutes(4);
    CHECK_FALSE(h.e.parked_overdue(h.clock.now()));
    h.clock.advance_minutes(1);
    REQUIRE(h.e.parked_overdue(h.clock.now()));
    REQUIRE(h.run(Tick{}, "staff1").ok());
    const TicketNoShow* gone = h.last<TicketNoShow>();
    REQUIRE(gone);
    CHECK(gone->parked);
    CHECK(h.log.back().by.empty());
    CHECK(h.ticket(t).state == TicketState::no_show);
    CHECK(h.e.state().park_deadlines.empty());
}

TEST_CASE("a parked ticket may be cancelled, any counter of its service calls it back, and its number is not given again", "[visit][park]") {
    Center c = testing::small_center();
    c.services[0].last = 2;
    c.services[0].wrap = true;
    Hall h(c);
    const int64_t t = h.issue("A");
    REQUIRE(h.next(1) == t);
    REQUIRE(h.run(Park{t, 1, 10, ""}).ok());
    h.issue("A");  // A002
    CHECK(h.code(IssueTicket{"A", "normal", "k"}) == "range_exhausted");  // A001 is parked, not gone
    REQUIRE(h.run(ReturnParked{t, 2}).ok());  // counter 2 serves A in its second tier
    CHECK(h.ticket(t).counter == 2);
    REQUIRE(h.run(Park{t, 2, 10, ""}).ok());
    REQUIRE(h.run(TicketAction{Action::cancel, t, 0}).ok());
    CHECK(h.ticket(t).state == TicketState::cancelled);
    CHECK(h.e.state().park_deadlines.empty());
}

TEST_CASE("a chosen ticket is called out of order with a reason, once, and only by a counter it may go to", "[visit][chosen]") {
    Hall h;
    const int64_t a1 = h.issue("A"), a2 = h.issue("A"), a3 = h.issue("A");
    const int64_t c1 = h.issue("C");
    CHECK(h.code(CallTicket{1, a3, ""}) == "reason_required");
    CHECK(h.code(CallTicket{1, c1, "máy trợ thính"}) == "not_your_service");
    REQUIRE(h.run(CallTicket{1, a3, "Người dùng máy trợ thính"}, "staff1").ok());
    const TicketCalled* called = h.last<TicketCalled>();
    CHECK(called->out_of_order);
    CHECK(called->reason == "Người dùng máy trợ thính");
    CHECK(h.log.back().by == "staff1");
    CHECK(h.code(CallTicket{2, a3, "again"}) == "not_waiting");  // no double call
    CHECK(h.code(CallTicket{2, a3, "again"}) == "not_waiting");
    CHECK(h.code(CallTicket{1, a1, "busy?"}) == "counter_busy");
    REQUIRE(h.run(TicketAction{Action::finish, a3, 1}).ok());
    // Sent to counter 2 by a transfer: only counter 2 calls it.
    REQUIRE(h.run(Transfer{a2, 0, "", 2, ""}).ok());
    CHECK(h.code(CallTicket{1, a2, "mistake"}) == "not_your_service");
    CHECK(h.next(1) == a1);  // next goes on in order
    CHECK(h.next(2) == a2);
}

TEST_CASE("staff time: idle while a citizen waited counts from the later of free and queued, breaks and sign-out stop it", "[visit][staff]") {
    Hall h;
    REQUIRE(h.run(SignIn{1, "staff1"}, "staff1").ok());
    CHECK(h.e.state().counters.at(1).staff == "staff1");
    h.clock.advance_minutes(5);
    const int64_t t = h.issue("A");
    h.clock.advance_minutes(3);
    REQUIRE(h.next(1) == t);
    CHECK(h.last<TicketCalled>()->idle_ms == 3 * 60'000);  // free since 08:00, the citizen waited from 08:05
    h.clock.advance_minutes(2);
    REQUIRE(h.run(TicketAction{Action::finish, t, 1}).ok());  // → B
    CHECK(h.code(SignOut{1}) == "ok");
    const int64_t u = h.issue("A");
    h.clock.advance_minutes(10);
    REQUIRE(h.run(SignIn{1, "staff1"}).ok());
    h.clock.advance_minutes(1);
    REQUIRE(h.next(1) == u);
    CHECK(h.last<TicketCalled>()->idle_ms == 60'000);  // from the sign-in, not the 10 minutes signed out
    CHECK(h.code(SignOut{1}) == "counter_busy");
    REQUIRE(h.run(TicketAction{Action::finish, u, 1}).ok());
    const int64_t v = h.issue("A");
    REQUIRE(h.run(SetCounterPaused{1, true, "Nghỉ trưa"}).ok());
    CHECK(h.last<CounterPaused>()->reason == "Nghỉ trưa");
    h.clock.advance_minutes(30);
    REQUIRE(h.run(SetCounterPaused{1, false}).ok());
    h.clock.advance_minutes(2);
    REQUIRE(h.next(1) == v);
    CHECK(h.last<TicketCalled>()->idle_ms == 2 * 60'000);  // the break is not idle time
    // Another staff member signing in signs the first out.
    REQUIRE(h.run(TicketAction{Action::finish, v, 1}).ok());
    const Outcome change = h.run(SignIn{1, "staff9"});
    REQUIRE(change.events.size() == 2);
    CHECK(std::get<StaffSignedOut>(change.events[0].body).staff == "staff1");
    CHECK(std::get<StaffSignedIn>(change.events[1].body).staff == "staff9");

    // A parked ticket waited in no line: calling it back after 20 free minutes is no idle time.
    const int64_t w = h.issue("A");
    REQUIRE(h.next(1) == w);
    REQUIRE(h.run(Park{w, 1, 25, "Đi bổ sung giấy tờ"}).ok());
    h.clock.advance_minutes(20);
    REQUIRE(h.run(ReturnParked{w, 1}).ok());
    CHECK(h.last<TicketReturned>()->idle_ms == 0);
    // Nobody signed in: a pause and resume, a finish, then a call carry no staff's idle time.
    REQUIRE(h.run(TicketAction{Action::finish, w, 1}).ok());
    CHECK(h.code(SignOut{1}) == "ok");
    REQUIRE(h.run(SetCounterPaused{1, true, "Họp"}).ok());
    REQUIRE(h.run(SetCounterPaused{1, false}).ok());
    const int64_t x = h.issue("A");
    h.clock.advance_minutes(7);
    REQUIRE(h.next(1) == x);
    CHECK(h.last<TicketCalled>()->idle_ms == 0);
}

TEST_CASE("staff time: idle counts while anyone of the counter's services waited, in any tier, not only the one it calls", "[visit][staff]") {
    Hall h;  // counter 2 serves B first, then A
    REQUIRE(h.run(SignIn{2, "staff2"}, "staff2").ok());
    const int64_t a = h.issue("A");  // 08:00: an A citizen waits while counter 2 sits free
    h.clock.advance_minutes(10);
    const int64_t b = h.issue("B");
    h.clock.advance_minutes(2);
    REQUIRE(h.next(2) == b);  // B's tier first
    CHECK(h.last<TicketCalled>()->idle_ms == 12 * 60'000);  // since 08:00, when A's line stopped being empty
    h.clock.advance_minutes(3);
    REQUIRE(h.run(TicketAction{Action::finish, b, 2}).ok());
    h.clock.advance_minutes(1);
    REQUIRE(h.next(2) == a);
    CHECK(h.last<TicketCalled>()->idle_ms == 60'000);  // free again since the finish
}

// ---------------------------------------------------------------- random runs

namespace {

// Flows A → B → C and B → C; counters as engine_test's run, with a park time of
// at most 15 minutes. Each command is random; the run checks after each one.
struct VisitRun {
    Engine e;
    Clock clock;
    std::mt19937 rng;
    std::vector<Event> log;
    std::map<int64_t, int> holder;                     // ticket → counter
    std::map<int64_t, std::vector<std::string>> done;  // ticket → services it finished, in order
    std::map<int64_t, std::vector<std::string>> plan;  // ticket → services it should go through
    std::map<int64_t, int64_t> last_step_end;          // ticket → when it last went into a line

    explicit VisitRun(unsigned seed) : rng(seed) {
        Center c = testing::small_center();
        c.services[0].next_steps = {"B", "C"};
        c.services[1].next_steps = {"C"};
        c.services[1].outcome = OutcomeRule::optional;
        c.counters.push_back({4, "Quầy 4", {{"A", "C"}, {"B"}}});
        c.counters.push_back({5, "Quầy 5", {{"B", "C"}}});
        c.policy.park_max_minutes = 15;
        c.policy.step_boost_minutes = seed % 2 ? 0 : 10;
        keep(e.handle(Configure{c}, clock.now()));
    }
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }

    void keep(const Outcome& out) {
        for (const auto& ev : out.events) {
            log.push_back(ev);
            track(ev);
        }
        for (const auto& [id, k] : e.state().counters)
            if (k.ticket) REQUIRE(holder.at(k.ticket) == id);
        for (const auto& [id, t] : e.state().tickets) {
            const bool queued = e.queue_of(t) != nullptr && e.queue_of(t)->contains(place_of(t));
            REQUIRE(queued == (t.state == TicketState::waiting));  // parked: in no line
        }
        // The idle time's "someone waited" count follows the lines themselves.
        const State& st = e.state();
        auto size = [](const auto& queues, const auto& key) {
            auto it = queues.find(key);
            return it == queues.end() ? 0 : static_cast<int>(it->second.size());
        };
        auto counted = [&](const std::string& key) {
            auto it = st.lines_waiting.find(key);
            return it == st.lines_waiting.end() ? 0 : it->second.count;
        };
        for (const auto& svc : st.center.services)
            REQUIRE(counted(svc.code) == size(st.normal_queue, svc.code) + size(st.priority_queue, svc.code) + size(st.booked_queue, svc.code));
        for (const auto& k : st.center.counters) REQUIRE(counted("#" + std::to_string(k.id)) == size(st.counter_queue, k.id));
    }
    void track(const Event& ev) {
        if (auto* i = std::get_if<TicketIssued>(&ev.body)) {
            const Service* s = e.state().center.service(i->ticket.service);
            plan[i->ticket.id] = {s->code};
            plan[i->ticket.id].insert(plan[i->ticket.id].end(), s->next_steps.begin(), s->next_steps.end());
        }
        if (auto* c = std::get_if<TicketCalled>(&ev.body)) {
            REQUIRE_FALSE(holder.contains(c->ticket));  // never held by two counters
            holder[c->ticket] = c->counter;
        }
        if (auto* r = std::get_if<TicketReturned>(&ev.body)) {
            REQUIRE_FALSE(holder.contains(r->ticket));
            holder[r->ticket] = r->counter;
        }
        if (auto* f = std::get_if<TicketFinished>(&ev.body)) {
            holder.erase(f->ticket);
            done[f->ticket].push_back(f->service);
        }
        auto release = [&](int64_t t) { holder.erase(t); };
        if (auto* x = std::get_if<TicketNoShow>(&ev.body)) release(x->ticket);
        if (auto* x = std::get_if<TicketParked>(&ev.body)) release(x->ticket);
        if (auto* x = std::get_if<TicketTransferred>(&ev.body)) {
            release(x->ticket);
            plan.erase(x->ticket);  // a transfer changes the route: not followed below
        }
        if (auto* x = std::get_if<TicketCancelled>(&ev.body)) release(x->ticket);
        if (std::holds_alternative<DayOpened>(ev.body)) holder.clear();
    }

    int64_t any_ticket() { return 1 + pick(static_cast<int>(e.state().next_ticket_id)); }
    // Mostly a ticket in this state (so that the command can do something), now and then any.
    int64_t ticket_in(TicketState state) {
        std::vector<int64_t> ids;
        for (const auto& [id, t] : e.state().tickets)
            if (t.state == state) ids.push_back(id);
        return ids.empty() || pick(5) == 0 ? any_ticket() : ids[pick(static_cast<int>(ids.size()))];
    }

    void step() {
        static const char* services[] = {"A", "A", "B", "C"};
        const int counter = 1 + pick(5);
        const int64_t held = e.state().counters.at(counter).ticket;
        const common::Instant now = clock.now();
        switch (pick(12)) {
            case 0: case 1: case 2: keep(e.handle(IssueTicket{services[pick(4)], pick(5) ? "normal" : "elderly", "k"}, now)); break;
            case 3: case 4: keep(e.handle(CallNext{counter}, now)); break;
            case 5: keep(e.handle(FinishTicket{held ? held : any_ticket(), counter, {"", "", pick(2) ? "received" : ""}, std::nullopt}, now)); break;
            case 6: keep(e.handle(Park{held ? held : any_ticket(), counter, 1 + pick(15), "giấy tờ"}, now)); break;
            case 7: keep(e.handle(ReturnParked{ticket_in(TicketState::parked), counter}, now)); break;
            case 8: keep(e.handle(CallTicket{counter, ticket_in(TicketState::waiting), "chọn"}, now)); break;
            case 9: keep(e.handle(TicketAction{pick(2) ? Action::start : Action::recall, held, counter}, now)); break;
            case 10: keep(e.handle(pick(2) ? Command{SignIn{counter, "staff" + std::to_string(pick(3))}} : Command{SignOut{counter}}, now)); break;
            default:
                if (pick(4) == 0) keep(e.handle(Transfer{held ? held : any_ticket(), counter, services[pick(4)], 0, ""}, now));
                else keep(e.handle(TicketAction{pick(3) ? Action::cancel : Action::reactivate, any_ticket(), 0}, now));
        }
        clock.advance_seconds(pick(90));
    }

    // The day's end: every parked ticket's time runs out, then the counters call
    // and finish until nobody waits (each step leads to the next).
    void drain() {
        clock.advance_minutes(16);
        keep(e.handle(Tick{}, clock.now()));
        for (const auto& [id, t] : e.state().tickets) REQUIRE(t.state != TicketState::parked);  // returned or no-show
        for (int round = 0; round < 10'000; ++round) {
            bool any = false;
            for (int k = 1; k <= 5; ++k) {
                const int64_t held = e.state().counters.at(k).ticket;
                if (held) {
                    const Outcome out = e.handle(FinishTicket{held, k, {}, std::nullopt}, clock.now());
                    REQUIRE(out.ok());
                    keep(out);
                }
                const Outcome out = e.handle(CallNext{k}, clock.now());
                REQUIRE(out.ok());
                keep(out);
                any = any || !out.events.empty();
            }
            if (!any) break;
        }
        for (const auto& [id, t] : e.state().tickets) {
            REQUIRE(t.state != TicketState::waiting);
            // No step skipped: a done visit went through its plan, in order.
            if (t.state == TicketState::done && plan.contains(id)) REQUIRE(done[id] == plan[id]);
        }
    }
};

// The steps view (store/visit_views.cpp) against the log, step by step: when each
// step went into line, was first called and finished, and its parked time, as the
// events tell them; and a done visit's steps join end to end, so that its waits,
// services and parks add up to its whole time from issue to last finish.
void check_visit_times(const std::vector<Event>& log) {
    struct Step { int64_t queued = 0, called = 0, finished = 0, parked_ms = 0, parked_at = 0; };
    std::map<std::pair<int64_t, int>, Step> want;
    std::map<int64_t, int> at_step;  // ticket → the step it is at
    std::map<int64_t, int64_t> issued;
    for (const auto& ev : log) {
        auto here = [&](int64_t t) -> Step& { return want[{t, at_step[t]}]; };
        if (auto* i = std::get_if<TicketIssued>(&ev.body)) {
            at_step[i->ticket.id] = 0;
            here(i->ticket.id).queued = issued[i->ticket.id] = ev.at;
        } else if (auto* c = std::get_if<TicketCalled>(&ev.body)) {
            if (!here(c->ticket).called) here(c->ticket).called = ev.at;
        } else if (auto* p = std::get_if<TicketParked>(&ev.body)) {
            here(p->ticket).parked_at = ev.at;
        } else if (auto* r = std::get_if<TicketReturned>(&ev.body)) {
            here(r->ticket).parked_ms += ev.at - here(r->ticket).parked_at;
        } else if (auto* f = std::get_if<TicketFinished>(&ev.body)) {
            here(f->ticket).finished = ev.at;
            if (f->next_step.empty()) continue;
            ++at_step[f->ticket];
            here(f->ticket).queued = ev.at;
        }
    }
    testing::TempDir dir;
    store::Store store(dir.path / "center.db");
    store.append(log);
    sqlite::Statement q(store.db(), "SELECT ticket, step, queued_at, called_at, finished_at, parked_ms FROM steps "
                                    "WHERE state = 'done' ORDER BY ticket, step");
    std::map<int64_t, int64_t> joined;  // ticket → the sum of its done steps' times
    std::map<int64_t, std::pair<int, int64_t>> last;  // ticket → its last done step and when it finished
    int rows = 0;
    while (q.step()) {
        const int64_t ticket = q.int_at(0);
        const int step = static_cast<int>(q.int_at(1));
        CAPTURE(ticket, step);
        const Step& w = want.at({ticket, step});
        REQUIRE(q.int_at(2) == w.queued);
        REQUIRE((q.null_at(3) ? 0 : q.int_at(3)) == w.called);
        REQUIRE(q.int_at(4) == w.finished);
        REQUIRE(q.int_at(5) == w.parked_ms);
        REQUIRE(w.called >= w.queued);
        REQUIRE(w.finished - w.called >= w.parked_ms);  // parked inside the service
        if (step > 0) REQUIRE(w.queued == want.at({ticket, step - 1}).finished);  // end to end
        joined[ticket] += (w.called - w.queued) + (w.finished - w.called - w.parked_ms) + w.parked_ms;
        last[ticket] = {step, w.finished};
        ++rows;
    }
    REQUIRE(rows > 0);
    for (const auto& [ticket, l] : last)
        if (l.first == at_step[ticket]) REQUIRE(joined[ticket] == l.second - issued[ticket]);  // a whole visit, done
}

}  // namespace

TEST_CASE("random days with visits, parks and chosen calls keep every invariant, and replay equals the live state", "[visit][property]") {
    for (unsigned seed = 1; seed <= 30; ++seed) {
        CAPTURE(seed);
        VisitRun run(seed);
        for (int day = 0; day < 3; ++day) {
            for (int i = 0; i < 400; ++i) run.step();
            run.drain();
            if (day < 2) run.clock.next_day();
        }
        check_visit_times(run.log);
        Engine replayed;
        for (const auto& ev : run.log) {
            Event back = ev;
            read_stored_json(back, type_name(ev.body), stored_json(ev));  // through the log's codec
            replayed.apply(back);
        }
        CHECK(snapshot_json(replayed) == snapshot_json(run.e));
        for (const auto& [id, t] : run.e.state().tickets) REQUIRE(ticket_to_json(*replayed.ticket(id)) == ticket_to_json(t));
        CHECK(replayed.state().park_deadlines == run.e.state().park_deadlines);
        CHECK(replayed.state().lines_waiting == run.e.state().lines_waiting);
        // The run did what it is for: each kind happened.
        std::map<std::string, int> kinds;
        for (const auto& ev : run.log) {
            ++kinds[type_name(ev.body)];
            if (auto* c = std::get_if<TicketCalled>(&ev.body); c && c->out_of_order) ++kinds["out_of_order"];
            if (auto* f = std::get_if<TicketFinished>(&ev.body); f && !f->next_step.empty()) ++kinds["next_step"];
            if (auto* n = std::get_if<TicketNoShow>(&ev.body); n && n->parked) ++kinds["parked_no_show"];
        }
        for (const char* k : {"ticket_parked", "ticket_returned", "out_of_order", "next_step", "parked_no_show", "staff_signed_in"}) {
            CAPTURE(k);
            CHECK(kinds[k] > 0);
        }
    }
}

TEST_CASE("the new events and the center's new fields go through the codec whole", "[visit][codec]") {
    Center c = flow_center();
    c.services[1].outcome = OutcomeRule::required;
    c.policy.step_boost_minutes = 7;
    c.policy.park_max_minutes = 45;
    const Center back = center_from_json(center_to_json(c));
    CHECK(back.services[0].next_steps == std::vector<std::string>{"B", "C"});
    CHECK(back.services[1].outcome == OutcomeRule::required);
    CHECK(back.policy.step_boost_minutes == 7);
    CHECK(back.policy.park_max_minutes == 45);
    json bad = center_to_json(c);
    bad["services"][0]["next_steps"] = {"B", "Q"};
    CHECK(validate(center_from_json(bad)).value_or("").find("unknown service 'Q'") != std::string::npos);
    bad["services"][0]["outcome"] = "sometimes";
    CHECK_THROWS_AS(center_from_json(bad), CodecError);
    Center too_long = flow_center();
    too_long.services[0].next_steps = {"B", "C", "B", "C", "B"};
    CHECK(validate(too_long).has_value());
}
