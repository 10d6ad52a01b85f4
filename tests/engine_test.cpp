// engine_test: every queue rule, one case each, then random command runs.
#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "engine/codec.hpp"
#include "engine/engine.hpp"
#include "test_center.hpp"

using namespace engine;
using testing::Clock;
using testing::small_center;

namespace {

struct Fixture {
    Engine e;
    Clock clock;
    Fixture() { REQUIRE(e.handle(Configure{small_center()}, clock.now()).ok()); }
    explicit Fixture(Center c) { REQUIRE(e.handle(Configure{std::move(c)}, clock.now()).ok()); }

    Ticket issue(const std::string& service, const std::string& category = "normal") {
        auto out = e.handle(IssueTicket{service, category, "kiosk:1"}, clock.now());
        REQUIRE(out.ok());
        return std::get<TicketIssued>(out.events.back().body).ticket;
    }
    Outcome try_issue(const std::string& service, const std::string& category = "normal") {
        return e.handle(IssueTicket{service, category, "kiosk:1"}, clock.now());
    }
    // The ticket the counter got, or 0.
    int64_t next(int counter) {
        auto out = e.handle(CallNext{counter}, clock.now());
        REQUIRE(out.ok());
        for (const auto& ev : out.events)
            if (auto* c = std::get_if<TicketCalled>(&ev.body)) return c->ticket;
        return 0;
    }
    Outcome act(Action a, int64_t ticket, int counter) { return e.handle(TicketAction{a, ticket, counter}, clock.now()); }
    void ok(Action a, int64_t ticket, int counter) { REQUIRE(act(a, ticket, counter).ok()); }
    std::string number(int64_t id) { return e.ticket(id)->number; }
};

}  // namespace

TEST_CASE("numbers are per prefix, padded to the range and rise by one", "[engine][numbering]") {
    Fixture f;
    CHECK(f.issue("A").number == "A001");
    CHECK(f.issue("A").number == "A002");
    CHECK(f.issue("B").number == "B001");
    CHECK(f.issue("A").number == "A003");
}

TEST_CASE("services sharing a prefix share one numbering", "[engine][numbering]") {
    Center c = small_center();
    c.services[1].prefix = "A";
    Fixture f(c);
    CHECK(f.issue("A").number == "A001");
    CHECK(f.issue("B").number == "A002");
}

TEST_CASE("numbering resets at local midnight and ticket ids keep rising", "[engine][numbering]") {
    Fixture f;
    const auto first = f.issue("A");
    f.issue("A");
    f.clock.next_day();
    const auto t = f.issue("A");
    CHECK(t.number == "A001");
    CHECK(t.id > first.id);
    CHECK(t.day == 20261125);
    // Yesterday's tickets are gone from today's state.
    CHECK(f.e.ticket(first.id) == nullptr);
}

TEST_CASE("a new day expires what was left open and frees the counters", "[engine][numbering]") {
    Fixture f;
    const auto t = f.issue("A");
    REQUIRE(f.next(1) == t.id);
    f.issue("A");
    f.clock.next_day();
    CHECK(f.next(1) == 0);
    CHECK(f.e.state().counters.at(1).ticket == 0);
    CHECK(f.e.waiting_count("A") == 0);
}

TEST_CASE("the end of the range refuses, or wraps past numbers still in use", "[engine][numbering]") {
    Center c = small_center();
    c.services[0].first = 1;
    c.services[0].last = 3;
    SECTION("refuse") {
        Fixture f(c);
        for (int i = 0; i < 3; ++i) f.issue("A");
        auto out = f.try_issue("A");
        REQUIRE_FALSE(out.ok());
        CHECK(out.error->code == "range_exhausted");
        CHECK(out.events.empty());
    }
    SECTION("wrap") {
        c.services[0].wrap = true;
        Fixture f(c);
        const auto t1 = f.issue("A");
        f.issue("A");
        f.issue("A");
        CHECK(f.try_issue("A").error->code == "range_exhausted");  // all three still waiting
        REQUIRE(f.next(1) == t1.id);
        f.ok(Action::finish, t1.id, 1);
        CHECK(f.issue("A").number == "A1");  // the only free one
        CHECK(f.try_issue("A").error->code == "range_exhausted");
    }
}

TEST_CASE("the daily cap answers sold out for today", "[engine][numbering]") {
    Center c = small_center();
    c.services[0].daily_cap = 2;
    Fixture f(c);
    f.issue("A");
    f.issue("A");
    auto out = f.try_issue("A");
    REQUIRE_FALSE(out.ok());
    CHECK(out.error->code == "sold_out");
    CHECK(out.error->message.find("tomorrow") != std::string::npos);
    CHECK(f.issue("B").number == "B001");
    f.clock.next_day();
    CHECK(f.issue("A").number == "A001");
}

TEST_CASE("numbers are only issued in opening hours", "[engine][hours]") {
    Fixture f;
    f.clock.set_time(7, 0);  // opens 07:30
    auto out = f.try_issue("A");
    REQUIRE_FALSE(out.ok());
    CHECK(out.error->code == "service_closed");
    CHECK(out.error->message.find("07:30") != std::string::npos);
    f.clock.set_time(17, 0);  // closes 17:00
    CHECK(f.try_issue("A").error->code == "service_closed");
    f.clock.set_time(16, 59);
    CHECK(f.try_issue("A").ok());
}

TEST_CASE("unknown services and categories are refused without change", "[engine][errors]") {
    Fixture f;
    const auto seq = f.e.state().seq;
    CHECK(f.try_issue("Z").error->code == "unknown_service");
    CHECK(f.try_issue("A", "vip").error->code == "unknown_category");
    CHECK(f.e.state().seq == seq);
    CHECK(f.e.handle(CallNext{99}, f.clock.now()).error->code == "unknown_counter");
    CHECK(f.act(Action::start, 12345, 1).error->code == "unknown_ticket");
}

TEST_CASE("a fresh engine refuses commands until configured", "[engine][errors]") {
    Engine e;
    Clock clock;
    auto out = e.handle(IssueTicket{"A", "normal", ""}, clock.now());
    REQUIRE_FALSE(out.ok());
    CHECK(out.error->code == "not_configured");
    Center bad = small_center();
    bad.counters[0].tiers = {{"Q"}};
    auto refused = e.handle(Configure{bad}, clock.now());
    CHECK(refused.error->code == "invalid_config");
    CHECK(refused.error->message.find("unknown service 'Q'") != std::string::npos);
}

TEST_CASE("call-next serves the counter's first tier before the next", "[engine][call]") {
    Fixture f;
    const auto a = f.issue("A");
    f.clock.advance_minutes(1);
    const auto b = f.issue("B");
    CHECK(f.next(2) == b.id);  // counter 2: land first, though A is older
    f.ok(Action::finish, b.id, 2);
    CHECK(f.next(2) == a.id);  // then civil status
    f.ok(Action::finish, a.id, 2);
    CHECK(f.next(2) == 0);
}

TEST_CASE("call-next takes the oldest ticket across the services of one tier", "[engine][call]") {
    Center c = small_center();
    c.counters[1].tiers = {{"A", "B"}};
    Fixture f(c);
    const auto b = f.issue("B");
    f.clock.advance_minutes(1);
    f.issue("A");
    CHECK(f.next(2) == b.id);
}

TEST_CASE("priority goes first, at most max_priority_streak in a row while normal tickets wait", "[engine][call]") {
    Fixture f;
    const auto n1 = f.issue("A");
    const auto n2 = f.issue("A");
    const auto p1 = f.issue("A", "elderly");
    const auto p2 = f.issue("A", "disabled");
    const auto p3 = f.issue("A", "pregnant");
    std::vector<int64_t> order;
    for (int i = 0; i < 5; ++i) {
        order.push_back(f.next(1));
        f.ok(Action::finish, order.back(), 1);
    }
    CHECK(order == std::vector<int64_t>{p1.id, p2.id, n1.id, p3.id, n2.id});
}

TEST_CASE("with no normal ticket waiting, priority tickets go one after another", "[engine][call]") {
    Fixture f;
    const auto p1 = f.issue("A", "elderly");
    const auto p2 = f.issue("A", "elderly");
    const auto p3 = f.issue("A", "merit");
    for (auto id : {p1.id, p2.id, p3.id}) {
        CHECK(f.next(1) == id);
        f.ok(Action::finish, id, 1);
    }
}

TEST_CASE("ageing: a normal ticket waiting past the threshold goes before priority", "[engine][call]") {
    Fixture f;  // ageing 30 min
    const auto n = f.issue("A");
    f.clock.advance_minutes(31);
    const auto p = f.issue("A", "elderly");
    CHECK(f.next(1) == n.id);
    f.ok(Action::finish, n.id, 1);
    CHECK(f.next(1) == p.id);
}

TEST_CASE("one ticket is never held by two counters", "[engine][call]") {
    Center c = small_center();
    c.counters[0].tiers = {{"A"}};
    c.counters[1].tiers = {{"A"}};
    Fixture f(c);
    const auto t1 = f.issue("A");
    const auto t2 = f.issue("A");
    const auto k1 = f.next(1);
    const auto k2 = f.next(2);
    CHECK(k1 == t1.id);
    CHECK(k2 == t2.id);
    CHECK(f.next(3) == 0);
}

TEST_CASE("a counter with a called ticket must settle it before the next", "[engine][call]") {
    Fixture f;
    const auto t1 = f.issue("A");
    const auto t2 = f.issue("A");
    REQUIRE(f.next(1) == t1.id);
    auto busy = f.e.handle(CallNext{1}, f.clock.now());
    CHECK(busy.error->code == "counter_busy");
    f.ok(Action::start, t1.id, 1);
    // Serving: next finishes it and calls the next one in one step.
    auto out = f.e.handle(CallNext{1}, f.clock.now());
    REQUIRE(out.ok());
    REQUIRE(out.events.size() == 2);
    CHECK(std::holds_alternative<TicketFinished>(out.events[0].body));
    CHECK(std::get<TicketCalled>(out.events[1].body).ticket == t2.id);
    CHECK(f.e.ticket(t1.id)->state == TicketState::done);
}

TEST_CASE("the ticket life: called, serving, done, with times", "[engine][life]") {
    Fixture f;
    const auto t = f.issue("A");
    f.clock.advance_minutes(3);
    REQUIRE(f.next(1) == t.id);
    CHECK(f.e.ticket(t.id)->state == TicketState::called);
    CHECK(f.e.ticket(t.id)->called_at == f.clock.ms);
    f.clock.advance_minutes(1);
    f.ok(Action::start, t.id, 1);
    CHECK(f.e.ticket(t.id)->state == TicketState::serving);
    CHECK(f.act(Action::start, t.id, 1).error->code == "wrong_state");
    f.clock.advance_minutes(4);
    f.ok(Action::finish, t.id, 1);
    const Ticket& done = *f.e.ticket(t.id);
    CHECK(done.state == TicketState::done);
    CHECK(done.finished_at - done.called_at == 5 * 60'000);
    CHECK(f.e.state().counters.at(1).ticket == 0);
    CHECK(f.act(Action::finish, t.id, 1).error->code == "wrong_state");
}

TEST_CASE("recall re-announces and counts, only while called", "[engine][life]") {
    Fixture f;
    const auto t = f.issue("A");
    REQUIRE(f.next(1) == t.id);
    auto out = f.act(Action::recall, t.id, 1);
    REQUIRE(out.ok());
    CHECK(std::get<TicketRecalled>(out.events[0].body).recalls == 1);
    CHECK(f.e.state().recent_calls.front().recall);
    f.ok(Action::start, t.id, 1);
    CHECK(f.act(Action::recall, t.id, 1).error->code == "wrong_state");
}

TEST_CASE("no-show only after enough recalls or minutes, then reactivate keeps the place", "[engine][life]") {
    Fixture f;  // 2 recalls or 5 minutes
    const auto t = f.issue("A");
    f.clock.advance_minutes(1);
    const auto later = f.issue("A");
    REQUIRE(f.next(1) == t.id);
    auto early = f.act(Action::no_show, t.id, 1);
    CHECK(early.error->code == "too_early");
    f.ok(Action::recall, t.id, 1);
    CHECK(f.act(Action::no_show, t.id, 1).error->code == "too_early");
    f.ok(Action::recall, t.id, 1);
    f.ok(Action::no_show, t.id, 1);
    CHECK(f.e.ticket(t.id)->state == TicketState::no_show);
    CHECK(f.e.state().counters.at(1).ticket == 0);

    SECTION("by minutes alone") {
        REQUIRE(f.next(1) == later.id);
        f.clock.advance_minutes(5);
        f.ok(Action::no_show, later.id, 1);
    }
    SECTION("reactivated, it goes back in line at its issue time") {
        f.ok(Action::reactivate, t.id, 2);
        CHECK(f.e.ticket(t.id)->state == TicketState::waiting);
        CHECK(f.next(1) == t.id);
    }
}

TEST_CASE("transfer to a service keeps the original issue time", "[engine][transfer]") {
    Fixture f;
    const auto a = f.issue("A");
    f.clock.advance_minutes(10);
    const auto b = f.issue("B");
    REQUIRE(f.next(1) == a.id);
    REQUIRE(f.e.handle(Transfer{a.id, 1, "B", 0, "cần hồ sơ đất"}, f.clock.now()).ok());
    CHECK(f.e.ticket(a.id)->service == "B");
    CHECK(f.e.ticket(a.id)->state == TicketState::waiting);
    CHECK(f.e.ticket(a.id)->transfers == 1);
    CHECK(f.e.state().counters.at(1).ticket == 0);
    CHECK(f.next(2) == a.id);  // ahead of b, issued later
    f.ok(Action::finish, a.id, 2);
    CHECK(f.next(2) == b.id);
}

TEST_CASE("transfer to a counter: only that counter calls it, before its queue", "[engine][transfer]") {
    Center c = small_center();
    c.counters[1].tiers = {{"A"}};
    Fixture f(c);
    const auto t1 = f.issue("A");
    const auto t2 = f.issue("A");
    REQUIRE(f.next(1) == t1.id);
    REQUIRE(f.e.handle(Transfer{t1.id, 1, "", 3, ""}, f.clock.now()).ok());
    CHECK(f.next(2) == t2.id);
    CHECK(f.next(3) == t1.id);  // counter 3 serves only C, but was sent this one
}

TEST_CASE("transfer refusals", "[engine][transfer]") {
    Fixture f;
    const auto t = f.issue("A");
    CHECK(f.e.handle(Transfer{t.id, 1, "", 0, ""}, f.clock.now()).error->code == "bad_transfer");
    CHECK(f.e.handle(Transfer{t.id, 1, "B", 0, ""}, f.clock.now()).error->code == "wrong_state");  // waiting, staff
    CHECK(f.e.handle(Transfer{t.id, 0, "B", 0, ""}, f.clock.now()).ok());                          // manager may
    REQUIRE(f.next(2) == t.id);
    CHECK(f.e.handle(Transfer{t.id, 2, "Z", 0, ""}, f.clock.now()).error->code == "unknown_service");
    CHECK(f.e.handle(Transfer{t.id, 2, "", 42, ""}, f.clock.now()).error->code == "unknown_counter");
    CHECK(f.e.handle(Transfer{t.id, 2, "", 2, ""}, f.clock.now()).error->code == "bad_transfer");
    CHECK(f.e.handle(Transfer{t.id, 1, "C", 0, ""}, f.clock.now()).error->status == 403);
}

TEST_CASE("a counter cannot act on another counter's ticket", "[engine][security]") {
    Fixture f;
    const auto t = f.issue("A");
    REQUIRE(f.next(1) == t.id);
    for (Action a : {Action::recall, Action::start, Action::finish, Action::cancel}) {
        auto out = f.act(a, t.id, 2);
        REQUIRE_FALSE(out.ok());
        CHECK(out.error->code == "not_your_ticket");
        CHECK(out.error->status == 403);
    }
    CHECK(f.act(Action::start, t.id, 0).ok());  // a manager may
}

TEST_CASE("cancel takes a ticket out of line from any open state", "[engine][life]") {
    Fixture f;
    const auto t1 = f.issue("A");
    const auto t2 = f.issue("A");
    f.ok(Action::cancel, t1.id, 0);
    CHECK(f.e.ticket(t1.id)->state == TicketState::cancelled);
    CHECK(f.act(Action::cancel, t1.id, 0).error->code == "wrong_state");
    REQUIRE(f.next(1) == t2.id);
    f.ok(Action::cancel, t2.id, 1);
    CHECK(f.e.state().counters.at(1).ticket == 0);
    CHECK(f.next(1) == 0);
}

TEST_CASE("a paused counter calls nobody and is left out of the estimate", "[engine][counter]") {
    Center c = small_center();
    c.counters[1].tiers = {{"A"}};
    Fixture f(c);
    f.issue("A");
    f.issue("A");
    const int two_open = f.e.estimate_wait_s("A", 2);
    REQUIRE(f.e.handle(SetCounterPaused{2, true}, f.clock.now()).ok());
    CHECK(f.e.handle(CallNext{2}, f.clock.now()).error->code == "counter_paused");
    CHECK(f.e.estimate_wait_s("A", 2) == 2 * two_open);
    REQUIRE(f.e.handle(SetCounterPaused{2, false}, f.clock.now()).ok());
    CHECK(f.next(2) != 0);
}

TEST_CASE("estimated wait comes from people ahead, open counters and recent handling times", "[engine][estimate]") {
    Fixture f;  // A: one counter at tier 0 (1) and one at tier 1 (2); seed 300 s
    CHECK(f.issue("A").est_wait_s == 0);
    const auto t = f.issue("A");
    CHECK(t.people_ahead == 1);
    CHECK(t.est_wait_s == 150);  // 1 ahead * 300 s / 2 counters
    const auto p = f.issue("A", "elderly");
    CHECK(p.people_ahead == 0);  // no priority ticket ahead of it
    // Handling takes 60 s now: the estimate follows.
    for (int i = 0; i < 3; ++i) {
        const auto id = f.next(1);
        f.clock.advance_seconds(60);
        f.ok(Action::finish, id, 1);
    }
    const auto q = f.issue("A");
    CHECK(q.people_ahead == 0);
    f.issue("A");
    const auto r = f.issue("A");
    CHECK(r.people_ahead == 2);
    CHECK(r.est_wait_s == 60);  // 2 * 60 s / 2
}

TEST_CASE("replaying the events gives the same state", "[engine][replay]") {
    Fixture f;
    std::vector<Event> log;
    auto record = [&](const Outcome& o) { log.insert(log.end(), o.events.begin(), o.events.end()); };
    Engine fresh;
    Clock clock;
    record(fresh.handle(Configure{small_center()}, clock.now()));
    record(fresh.handle(IssueTicket{"A", "elderly", "k"}, clock.now()));
    record(fresh.handle(IssueTicket{"A", "normal", "k"}, clock.now()));
    record(fresh.handle(CallNext{1}, clock.now()));
    record(fresh.handle(TicketAction{Action::start, 1, 1}, clock.now()));
    record(fresh.handle(Transfer{1, 1, "B", 0, "x"}, clock.now()));
    Engine replayed;
    for (const auto& e : log) replayed.apply(event_from_json(event_to_json(e)));  // through the codec too
    CHECK(snapshot_json(replayed) == snapshot_json(fresh));
    CHECK(replayed.state().next_ticket_id == fresh.state().next_ticket_id);
}

// ---------------------------------------------------------------- property-style runs

namespace {

struct RandomRun {
    Engine e;
    Clock clock;
    std::mt19937 rng;
    std::set<std::pair<int32_t, std::string>> numbers_seen;  // (day, number)
    std::set<int64_t> ever_called_by;                        // ticket ids called at least once
    std::map<int64_t, int> holder;                           // ticket -> counter now holding it

    explicit RandomRun(unsigned seed) : rng(seed) {
        Center c = small_center();
        c.counters.push_back({4, "Quầy 4", {{"A", "C"}, {"B"}}});
        c.counters.push_back({5, "Quầy 5", {{"B", "C"}}});
        REQUIRE(e.handle(Configure{c}, clock.now()).ok());
    }

    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }

    void check_invariants(const Outcome& out) {
        for (const auto& ev : out.events) {
            if (auto* i = std::get_if<TicketIssued>(&ev.body))
                REQUIRE(numbers_seen.insert({i->ticket.day, i->ticket.number}).second);  // unique per day
            if (auto* c = std::get_if<TicketCalled>(&ev.body)) {
                for (const auto& [t, k] : holder) REQUIRE((t != c->ticket));  // never held twice
                holder[c->ticket] = c->counter;
            }
            auto release = [&](int64_t t) { holder.erase(t); };
            if (auto* x = std::get_if<TicketFinished>(&ev.body)) release(x->ticket);
            if (auto* x = std::get_if<TicketNoShow>(&ev.body)) release(x->ticket);
            if (auto* x = std::get_if<TicketTransferred>(&ev.body)) release(x->ticket);
            if (auto* x = std::get_if<TicketCancelled>(&ev.body)) release(x->ticket);
            if (std::holds_alternative<DayOpened>(ev.body)) holder.clear();
        }
        // Each counter holds at most one ticket, and the engine agrees with us.
        for (const auto& [id, k] : e.state().counters)
            if (k.ticket) REQUIRE(holder.at(k.ticket) == id);
    }

    void step() {
        static const char* services[] = {"A", "B", "C"};
        static const char* categories[] = {"normal", "normal", "normal", "elderly", "disabled"};
        const int counter = 1 + pick(5);
        Outcome out;
        switch (pick(8)) {
            case 0: case 1: out = e.handle(IssueTicket{services[pick(3)], categories[pick(5)], "k"}, clock.now()); break;
            case 2: case 3: out = e.handle(CallNext{counter}, clock.now()); break;
            default: {
                const int64_t held = e.state().counters.at(counter).ticket;
                const int64_t target = held ? held : 1 + pick(static_cast<int>(e.state().next_ticket_id));
                static const Action actions[] = {Action::recall, Action::start, Action::finish, Action::no_show,
                                                 Action::reactivate, Action::cancel};
                if (pick(10) == 0) out = e.handle(Transfer{target, counter, services[pick(3)], 0, ""}, clock.now());
                else out = e.handle(TicketAction{actions[pick(6)], target, counter}, clock.now());
            }
        }
        if (!out.ok()) for (const auto& ev : out.events) REQUIRE(std::holds_alternative<DayOpened>(ev.body));
        check_invariants(out);
        clock.advance_seconds(pick(90));
    }

    // Every counter calls and finishes until nobody waits: every waiting ticket gets called.
    void drain() {
        for (int round = 0; round < 10'000; ++round) {
            bool any = false;
            for (int k = 1; k <= 5; ++k) {
                const int64_t held = e.state().counters.at(k).ticket;
                if (held) REQUIRE(e.handle(TicketAction{Action::finish, held, k}, clock.now()).ok());
                auto out = e.handle(CallNext{k}, clock.now());
                REQUIRE(out.ok());
                check_invariants(out);
                any = any || !out.events.empty();
            }
            if (!any) break;
        }
        for (const auto& [id, t] : e.state().tickets) REQUIRE(t.state != TicketState::waiting);
    }
};

}  // namespace

TEST_CASE("random command runs keep every invariant", "[engine][property]") {
    for (unsigned seed = 1; seed <= 40; ++seed) {
        CAPTURE(seed);
        RandomRun run(seed);
        for (int day = 0; day < 3; ++day) {
            for (int i = 0; i < 400; ++i) run.step();
            run.drain();
            run.clock.next_day();
        }
    }
}

TEST_CASE("the same commands at the same times give the same events", "[engine][property]") {
    auto transcript = [](unsigned seed) {
        RandomRun run(seed);
        std::vector<json> out;
        for (int i = 0; i < 300; ++i) run.step();
        return snapshot_json(run.e).dump();
    };
    CHECK(transcript(7) == transcript(7));
    CHECK(transcript(7) != transcript(8));
}

TEST_CASE("a new config that drops a counter sends its transferred tickets back to their line", "[engine][config]") {
    Fixture f;
    const auto t = f.issue("A");
    REQUIRE(f.next(1) == t.id);
    REQUIRE(f.e.handle(Transfer{t.id, 1, "", 3, ""}, f.clock.now()).ok());
    Center c = small_center();
    c.counters.pop_back();  // counter 3 is gone
    REQUIRE(f.e.handle(Configure{c}, f.clock.now()).ok());
    CHECK(f.e.state().counters.count(3) == 0);
    CHECK(f.e.ticket(t.id)->target_counter == 0);
    CHECK(f.next(1) == t.id);
}
