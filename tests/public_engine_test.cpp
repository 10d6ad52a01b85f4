// public_engine_test: the engine's side of the citizen's phone (issue 20) — "I'll
// be late" (Postpone → TicketPostponed: back N places in its own line, once, exact
// on replay) and the follow hash (today's tickets found by it; kept in the log,
// never in what clients are sent; old logs without it still load).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "engine/codec.hpp"
#include "engine/engine.hpp"
#include "test_center.hpp"

using namespace engine;
using testing::Clock;
using testing::small_center;

namespace {

std::string hash_of(int i) {  // a well-formed follow hash: 64 hex digits
    std::string h = std::to_string(i);
    return std::string(64 - h.size(), 'a') + h;
}

struct Run {
    Engine e;
    Clock clock;
    std::vector<Event> log;
    Run() { REQUIRE(handle(Configure{small_center()}).ok()); }

    Outcome handle(const Command& c) {
        auto out = e.handle(c, clock.now());
        log.insert(log.end(), out.events.begin(), out.events.end());
        return out;
    }
    int64_t issue(const std::string& service, const std::string& category = "normal", const std::string& hash = "") {
        auto out = handle(IssueTicket{service, category, "kiosk:1", hash});
        REQUIRE(out.ok());
        return std::get<TicketIssued>(out.events.back().body).ticket.id;
    }
    // Calls and finishes at `counter` until nobody waits: the order tickets were called in.
    std::vector<int64_t> drain(int counter) {
        std::vector<int64_t> order;
        for (;;) {
            auto out = handle(CallNext{counter});
            REQUIRE(out.ok());
            int64_t called = 0;
            for (const auto& ev : out.events)
                if (auto* c = std::get_if<TicketCalled>(&ev.body)) called = c->ticket;
            if (!called) return order;
            order.push_back(called);
            REQUIRE(handle(TicketAction{Action::finish, called, counter}).ok());
        }
    }
    Outcome postpone(int64_t id, int places = 3) { return handle(Postpone{id, places}); }
};

}  // namespace

TEST_CASE("a late ticket moves back three places in its own line and is called there", "[engine][phone][late]") {
    Run r;
    std::vector<int64_t> ids;
    for (int i = 0; i < 6; ++i) {
        ids.push_back(r.issue("A"));
        r.clock.advance_seconds(10);
    }
    const auto out = r.postpone(ids[0]);
    REQUIRE(out.ok());
    const auto& moved = std::get<TicketPostponed>(out.events.back().body);
    CHECK(moved.ticket == ids[0]);
    CHECK(moved.number == "A001");
    CHECK(moved.service == "A");
    CHECK(moved.places == 3);
    CHECK(r.e.ticket(ids[0])->late);
    CHECK(r.e.people_ahead_of(*r.e.ticket(ids[0])) == 3);
    CHECK(r.e.people_ahead_of(*r.e.ticket(ids[4])) == 4);
    CHECK(r.drain(1) == std::vector<int64_t>{ids[1], ids[2], ids[3], ids[0], ids[4], ids[5]});
}

TEST_CASE("with fewer than three behind it a late ticket goes last, before tickets taken later", "[engine][phone][late]") {
    Run r;  // the clock stands still: every key has the same instant, the ties decide
    const int64_t a = r.issue("A"), b = r.issue("A");
    REQUIRE(r.postpone(a).ok());
    CHECK(std::get<TicketPostponed>(r.log.back().body).places == 1);
    const int64_t c = r.issue("A");
    CHECK(r.drain(1) == std::vector<int64_t>{b, a, c});
}

TEST_CASE("late tickets land exactly N places back, also behind other late ones in one gap", "[engine][phone][late]") {
    Run r;  // same instant for all: the keys are made between ties
    std::vector<int64_t> ids;
    for (int i = 0; i < 8; ++i) ids.push_back(r.issue("A"));
    REQUIRE(r.postpone(ids[0], 4).ok());  // 1 2 3 4 0 5 6 7
    REQUIRE(r.postpone(ids[1], 4).ok());  // 2 3 4 0 1 5 6 7: between 0 and 5
    REQUIRE(r.postpone(ids[2], 4).ok());  // 3 4 0 1 2 5 6 7: between 1 and 5
    CHECK(r.drain(1) == std::vector<int64_t>{ids[3], ids[4], ids[0], ids[1], ids[2], ids[5], ids[6], ids[7]});
}

TEST_CASE("a late ticket moved 2 places lands before one moved 3 from behind it", "[engine][phone][late]") {
    Run r;
    std::vector<int64_t> ids;
    for (int i = 0; i < 8; ++i) ids.push_back(r.issue("A"));
    REQUIRE(r.postpone(ids[0], 4).ok());  // 1 2 3 4 0 5 6 7
    REQUIRE(r.postpone(ids[1], 3).ok());  // 2 3 4 1 0 5 6 7
    REQUIRE(r.postpone(ids[2], 2).ok());  // 3 4 2 1 0 5 6 7
    CHECK(r.drain(1) == std::vector<int64_t>{ids[3], ids[4], ids[2], ids[1], ids[0], ids[5], ids[6], ids[7]});
}

TEST_CASE("a ticket is late once, and only while it waits", "[engine][phone][late]") {
    Run r;
    const int64_t a = r.issue("A"), b = r.issue("A");
    r.issue("A");
    REQUIRE(r.postpone(b).ok());
    const auto again = r.postpone(b);
    REQUIRE(again.error);
    CHECK(again.error->code == "already_late");
    CHECK(again.error->status == 409);
    CHECK(again.events.empty());
    REQUIRE(r.handle(CallNext{1}).ok());  // a is called
    const auto called = r.postpone(a);
    REQUIRE(called.error);
    CHECK(called.error->code == "not_waiting");
    const int64_t c = r.issue("A");
    REQUIRE(r.handle(TicketAction{Action::cancel, c, 0}).ok());
    CHECK(r.postpone(c).error->code == "not_waiting");
    CHECK(r.postpone(999).error->code == "unknown_ticket");
    CHECK(r.postpone(r.issue("A"), 0).error->code == "bad_places");
}

TEST_CASE("a late priority ticket moves among the priority ones of its service only", "[engine][phone][late]") {
    Run r;
    const int64_t p1 = r.issue("A", "elderly");
    r.clock.advance_seconds(1);
    const int64_t n1 = r.issue("A");
    r.clock.advance_seconds(1);
    const int64_t p2 = r.issue("A", "disabled");
    r.clock.advance_seconds(1);
    const int64_t b1 = r.issue("B", "elderly");
    REQUIRE(r.postpone(p1).ok());
    CHECK(std::get<TicketPostponed>(r.log.back().body).places == 1);  // only p2 was behind it in A's priority line
    CHECK(r.e.people_ahead_of(*r.e.ticket(p1)) == 1);
    CHECK(r.e.people_ahead_of(*r.e.ticket(n1)) == 2);  // the two priority tickets of A
    CHECK(r.e.people_ahead_of(*r.e.ticket(b1)) == 0);
    CHECK(r.drain(1) == std::vector<int64_t>{p2, p1, n1});
}

TEST_CASE("replaying a day with late tickets gives the same lines, through the log's codec", "[engine][phone][replay]") {
    Run r;
    std::vector<int64_t> ids;
    for (int i = 0; i < 7; ++i) {
        ids.push_back(r.issue(i % 3 == 2 ? "B" : "A", i == 4 ? "elderly" : "normal", hash_of(i)));
        if (i % 2) r.clock.advance_seconds(5);
    }
    REQUIRE(r.postpone(ids[0]).ok());
    REQUIRE(r.postpone(ids[1], 1).ok());
    REQUIRE(r.handle(Transfer{ids[0], 0, "B", 0, ""}).ok());  // keeps its late place in B's line
    Engine replayed;
    for (const auto& e : r.log) {
        Event back{e.seq, e.at, e.day, {}, ""};
        read_stored_json(back, type_name(e.body), stored_json(e));
        replayed.apply(back);
    }
    CHECK(snapshot_json(replayed) == snapshot_json(r.e));
    CHECK(replayed.state().normal_queue == r.e.state().normal_queue);
    CHECK(replayed.state().priority_queue == r.e.state().priority_queue);
    CHECK(replayed.state().followed == r.e.state().followed);
    for (int64_t id : ids) CHECK(replayed.people_ahead_of(*replayed.ticket(id)) == r.e.people_ahead_of(*r.e.ticket(id)));
    // Through the clients' codec as well (without the hashes): the same lines.
    Engine seen;
    for (const auto& e : r.log) seen.apply(event_from_json(event_to_json(e)));
    CHECK(seen.state().normal_queue == r.e.state().normal_queue);
}

TEST_CASE("today's tickets are found by their follow hash, which only the log keeps", "[engine][phone][follow]") {
    Run r;
    const int64_t a = r.issue("A", "normal", hash_of(1));
    const int64_t plain = r.issue("A");
    REQUIRE(r.e.followed(hash_of(1)));
    CHECK(r.e.followed(hash_of(1))->id == a);
    CHECK(r.e.followed(hash_of(2)) == nullptr);
    CHECK(r.e.followed("") == nullptr);
    CHECK(r.e.ticket(plain)->follow_hash.empty());
    const Event& issued = r.log[r.log.size() - 2];
    CHECK(stored_json(issued)["ticket"]["follow_hash"] == hash_of(1));
    CHECK_FALSE(event_to_json(issued)["ticket"].contains("follow_hash"));
    CHECK_FALSE(ticket_to_json(*r.e.ticket(a)).contains("follow_hash"));
    CHECK(snapshot_json(r.e).dump().find(hash_of(1)) == std::string::npos);
    // Refused: a malformed hash, one already taken today.
    CHECK(r.handle(IssueTicket{"A", "normal", "k", "ABC"}).error->code == "bad_follow_hash");
    CHECK(r.handle(IssueTicket{"A", "normal", "k", std::string(64, 'G')}).error->code == "bad_follow_hash");
    CHECK(r.handle(IssueTicket{"A", "normal", "k", hash_of(1)}).error->code == "follow_hash_taken");
    // A new day: yesterday's hash finds nothing.
    r.clock.next_day();
    r.issue("A");
    CHECK(r.e.followed(hash_of(1)) == nullptr);
}

TEST_CASE("a log written before follow hashes and late tickets still loads", "[engine][phone][codec]") {
    Run r;
    r.issue("A");
    json old = stored_json(r.log.back());
    old["ticket"].erase("follow_hash");  // as issue 19's server wrote it
    REQUIRE_FALSE(old["ticket"].contains("late"));
    Event e{r.log.back().seq, r.log.back().at, r.log.back().day, {}, ""};
    read_stored_json(e, "ticket_issued", old);
    CHECK(std::get<TicketIssued>(e.body).ticket.follow_hash.empty());
    CHECK_FALSE(std::get<TicketIssued>(e.body).ticket.late);
}
