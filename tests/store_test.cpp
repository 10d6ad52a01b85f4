// store_test: the event log, its views and group commit, on a real SQLite file.
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>

#include "engine/codec.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"
#include "test_center.hpp"
#include "store/writer.hpp"

using namespace engine;
using testing::Clock;
using testing::TempDir;

namespace {

// Drives an engine and keeps the events it produced, as the server does.
struct Day {
    Engine e;
    Clock clock;
    std::vector<Event> events;
    Day() { run(Configure{testing::small_center()}); }
    Outcome run(const Command& c) {
        auto out = e.handle(c, clock.now());
        events.insert(events.end(), out.events.begin(), out.events.end());
        return out;
    }
};

struct Row {
    std::string state;
    int64_t counter;
    std::string service;
};

Row ticket_row(store::Store& s, int64_t id) {
    sqlite::Statement q(s.db(), "SELECT state, COALESCE(counter, 0), service FROM tickets WHERE id = ?1");
    q.bind(1, id);
    REQUIRE(q.step());
    Row r{q.text_at(0), q.int_at(1), q.text_at(2)};
    q.reset();
    return r;
}

int64_t scalar(store::Store& s, const std::string& sql) {
    sqlite::Statement q(s.db(), sql);
    REQUIRE(q.step());
    const int64_t v = q.int_at(0);
    q.reset();
    return v;
}

// Collects callbacks the writer posts back, and lets the test wait for them.
struct Inbox {
    std::mutex m;
    std::condition_variable cv;
    std::vector<std::function<void()>> posted;
    store::Writer::Post post() {
        return [this](std::function<void()> f) {
            std::lock_guard l(m);
            posted.push_back(std::move(f));
            cv.notify_all();
        };
    }
    void wait_for(size_t n) {
        std::unique_lock l(m);
        cv.wait(l, [&] { return posted.size() >= n; });
        for (auto& f : posted) f();
        posted.clear();
    }
};

}  // namespace

TEST_CASE("a new file gets the current schema, WAL and full sync", "[store]") {
    TempDir dir;
    store::Store s(dir / "center.db");
    CHECK(s.file_schema_version() == store::Store::schema_version());
    CHECK(scalar(s, "PRAGMA synchronous") == 2);  // FULL
    sqlite::Statement q(s.db(), "PRAGMA journal_mode");
    REQUIRE(q.step());
    CHECK(q.text_at(0) == "wal");
    q.reset();
    CHECK(s.last_seq() == 0);
}

TEST_CASE("a file from a newer build is refused, not damaged", "[store]") {
    TempDir dir;
    {
        store::Store s(dir / "center.db");
        s.db().set_user_version(store::Store::schema_version() + 1);
    }
    CHECK_THROWS_WITH(store::Store(dir / "center.db"), Catch::Contains("newer than this build"));
}

TEST_CASE("events come back exactly as written, and rebuild the same state", "[store]") {
    TempDir dir;
    Day d;
    d.run(IssueTicket{"A", "elderly", "kiosk:1"});
    d.run(IssueTicket{"B", "normal", "kiosk:1"});
    d.run(CallNext{1});
    d.run(TicketAction{Action::recall, 1, 1});
    d.run(Transfer{1, 1, "B", 0, "hồ sơ đất đai"});
    d.run(SetCounterPaused{3, true});
    {
        store::Store s(dir / "center.db");
        s.append(d.events);
    }
    store::Store s(dir / "center.db");
    CHECK(s.last_seq() == d.events.back().seq);
    Engine rebuilt;
    std::vector<Event> read;
    s.for_each_event(0, [&](const Event& e) {
        read.push_back(e);
        rebuilt.apply(e);
    });
    REQUIRE(read.size() == d.events.size());
    for (size_t i = 0; i < read.size(); ++i) CHECK(event_to_json(read[i]) == event_to_json(d.events[i]));
    CHECK(snapshot_json(rebuilt) == snapshot_json(d.e));
    // Reading from the middle gives the tail only.
    int tail = 0;
    s.for_each_event(d.events.back().seq - 2, [&](const Event&) { ++tail; });
    CHECK(tail == 2);
}

TEST_CASE("views follow every event in the same transaction", "[store]") {
    TempDir dir;
    store::Store s(dir / "center.db");
    Day d;
    auto step = [&](const Command& c) {
        const size_t before = d.events.size();
        REQUIRE(d.run(c).ok());
        s.append({d.events.begin() + static_cast<long>(before), d.events.end()});
    };
    s.append(d.events);
    step(IssueTicket{"A", "normal", "kiosk:1"});
    CHECK(ticket_row(s, 1).state == "waiting");
    step(CallNext{1});
    CHECK(ticket_row(s, 1).state == "called");
    CHECK(ticket_row(s, 1).counter == 1);
    CHECK(scalar(s, "SELECT ticket FROM counters WHERE id = 1") == 1);
    step(TicketAction{Action::start, 1, 1});
    CHECK(ticket_row(s, 1).state == "serving");
    step(Transfer{1, 1, "B", 0, ""});
    CHECK(ticket_row(s, 1).state == "waiting");
    CHECK(ticket_row(s, 1).service == "B");
    CHECK(scalar(s, "SELECT COUNT(*) FROM counters WHERE ticket IS NOT NULL") == 0);
    step(CallNext{2});
    step(TicketAction{Action::finish, 1, 2});
    CHECK(ticket_row(s, 1).state == "done");
    CHECK(scalar(s, "SELECT COUNT(*) FROM tickets WHERE id = 1 AND issued_service = 'A' AND finished_at > 0") == 1);
    step(IssueTicket{"C", "normal", "kiosk:1"});
    step(SetCounterPaused{3, true});
    CHECK(scalar(s, "SELECT paused FROM counters WHERE id = 3") == 1);
    // A new day expires what was left waiting.
    d.clock.next_day();
    step(IssueTicket{"A", "normal", "kiosk:1"});
    CHECK(ticket_row(s, 2).state == "expired");
    CHECK(scalar(s, "SELECT COUNT(*) FROM tickets WHERE day = 20261125") == 1);
}

TEST_CASE("group commit: concurrent submits share transactions and all are durable", "[store][writer]") {
    TempDir dir;
    Day d;
    std::vector<std::vector<Event>> commands;
    commands.push_back(d.events);
    for (int i = 0; i < 500; ++i) {
        auto out = d.e.handle(IssueTicket{i % 2 ? "A" : "B", "normal", "k"}, d.clock.now());
        REQUIRE(out.ok());
        commands.push_back(out.events);
    }
    Inbox inbox;
    int durable = 0;
    store::WriterStats stats;
    {
        store::Store s(dir / "center.db");
        store::Writer w(s, inbox.post());
        for (auto& c : commands) w.submit(c, [&](bool ok) { durable += ok; });
        inbox.wait_for(commands.size());
        stats = w.stats();
    }
    CHECK(durable == static_cast<int>(commands.size()));
    CHECK(stats.jobs == commands.size());
    CHECK(stats.batches <= stats.jobs);
    store::Store reopened(dir / "center.db");
    CHECK(reopened.last_seq() == d.e.state().seq);
    CHECK(scalar(reopened, "SELECT COUNT(*) FROM tickets") == 500);
}

TEST_CASE("a failed commit answers false to its batch and to everything after", "[store][writer]") {
    TempDir dir;
    Day d;
    Inbox inbox;
    store::Store s(dir / "center.db");
    store::Writer w(s, inbox.post());
    std::vector<bool> answers;
    w.submit(d.events, [&](bool ok) { answers.push_back(ok); });
    inbox.wait_for(1);
    w.submit(d.events, [&](bool ok) { answers.push_back(ok); });  // same seqs again: the commit must fail
    inbox.wait_for(1);
    auto out = d.run(IssueTicket{"A", "normal", "k"});
    w.submit(out.events, [&](bool ok) { answers.push_back(ok); });
    inbox.wait_for(1);
    CHECK(answers == std::vector<bool>{true, false, false});
    CHECK(w.failed());
    CHECK(s.last_seq() == d.events.front().seq + 1);  // only the first batch is there
}

TEST_CASE("accounts, devices and sessions are kept", "[store]") {
    TempDir dir;
    {
        store::Store s(dir / "center.db");
        s.put_user({"lan", "staff", 3, "$argon2id$..."});
        s.put_user({"lan", "staff", 4, "$argon2id$..."});  // update, not a second row
        s.put_device({"abc", "kiosk", "Kiosk sảnh 1"});
        s.put_session({"h1", "lan", "staff", 4, 2000});
        s.put_session({"h2", "lan", "staff", 4, 500});
    }
    store::Store s(dir / "center.db");
    REQUIRE(s.users().size() == 1);
    CHECK(s.users()[0].counter == 4);
    CHECK(s.devices().at(0).name == "Kiosk sảnh 1");
    CHECK(s.sessions(1000).size() == 1);  // h2 expired
    s.purge_sessions(1000);
    CHECK(scalar(s, "SELECT COUNT(*) FROM sessions") == 1);
    s.delete_session("h1");
    CHECK(s.sessions(1000).empty());
}

TEST_CASE("a new config that drops a counter updates the views as the engine does", "[store]") {
    TempDir dir;
    store::Store s(dir / "center.db");
    Day d;
    d.run(IssueTicket{"A", "normal", "k"});
    d.run(CallNext{1});
    d.run(Transfer{1, 1, "", 3, ""});
    Center c = testing::small_center();
    c.counters.pop_back();
    d.run(Configure{c});
    s.append(d.events);
    CHECK(scalar(s, "SELECT COUNT(*) FROM counters") == 2);
    CHECK(scalar(s, "SELECT COUNT(*) FROM tickets WHERE id = 1 AND target_counter IS NULL AND state = 'waiting'") == 1);
}

// The counter's real day (issue 22): a visit's steps each a row with its times
// and outcome, calls with their idle time and reasons, shifts and breaks.
TEST_CASE("the visit views: a row per step with its outcome, every call, the shifts and breaks", "[store][visit]") {
    TempDir dir;
    store::Store s(dir.path / "center.db");
    Day d;
    Center c = testing::small_center();
    c.services[0].next_steps = {"B"};
    d.run(Configure{c});
    d.run(SignIn{1, "staff1"});
    const int64_t t = std::get<TicketIssued>(d.run(IssueTicket{"A", "normal", "k"}).events.back().body).ticket.id;
    d.run(IssueTicket{"A", "normal", "k"});
    d.clock.advance_minutes(2);
    REQUIRE(d.run(CallTicket{1, t + 1, "Người dùng máy trợ thính"}).ok());
    REQUIRE(d.run(FinishTicket{t + 1, 1, {}, std::vector<std::string>{}}).ok());
    REQUIRE(d.run(CallNext{1}).ok());
    d.run(TicketAction{Action::start, t, 1});
    REQUIRE(d.run(Park{t, 1, 10, "Đi photo giấy tờ"}).ok());
    d.clock.advance_minutes(6);
    REQUIRE(d.run(ReturnParked{t, 1}).ok());
    d.clock.advance_minutes(3);
    REQUIRE(d.run(FinishTicket{t, 1, {"1.000046", "000.00.01.H29-261124-0001", "received"}, std::nullopt}).ok());
    REQUIRE(d.run(SetCounterPaused{1, true, "Nghỉ trưa"}).ok());
    d.clock.advance_minutes(30);
    d.run(SetCounterPaused{1, false});
    d.run(SignOut{1});
    REQUIRE(d.run(CallNext{2}).ok());  // the same ticket, at its second step
    s.append(d.events);

    CHECK(scalar(s, "SELECT COUNT(*) FROM steps WHERE ticket = " + std::to_string(t)) == 2);
    CHECK(scalar(s, "SELECT parks FROM steps WHERE step = 0 AND ticket = " + std::to_string(t)) == 1);
    CHECK(scalar(s, "SELECT parked_ms FROM steps WHERE step = 0 AND ticket = " + std::to_string(t)) == 6 * 60'000);
    CHECK(scalar(s, "SELECT COUNT(*) FROM steps WHERE step = 0 AND result = 'received' AND procedure = '1.000046' "
                    "AND dossier = '000.00.01.H29-261124-0001' AND next_step = 'B' AND ticket = " + std::to_string(t)) == 1);
    CHECK(scalar(s, "SELECT COUNT(*) FROM steps WHERE step = 1 AND service = 'B' AND state = 'called' AND counter = 2 AND ticket = " +
                    std::to_string(t)) == 1);
    const Row visit = ticket_row(s, t);
    CHECK(visit.service == "B");
    CHECK(visit.state == "called");
    CHECK(scalar(s, "SELECT steps FROM tickets WHERE id = " + std::to_string(t)) == 2);
    CHECK(scalar(s, "SELECT COUNT(*) FROM tickets WHERE result = 'received' AND id = " + std::to_string(t)) == 1);
    // Calls: the chosen one (its reason), next, the return, counter 2's.
    CHECK(scalar(s, "SELECT COUNT(*) FROM calls") == 4);
    CHECK(scalar(s, "SELECT COUNT(*) FROM calls WHERE out_of_order = 1 AND reason = 'Người dùng máy trợ thính'") == 1);
    CHECK(scalar(s, "SELECT idle_ms FROM calls WHERE out_of_order = 1") == 2 * 60'000);
    CHECK(scalar(s, "SELECT COUNT(*) FROM calls WHERE returned = 1") == 1);
    CHECK(scalar(s, "SELECT COUNT(*) FROM staff_time WHERE kind = 'shift' AND staff = 'staff1' AND to_at IS NOT NULL") == 1);
    CHECK(scalar(s, "SELECT to_at - from_at FROM staff_time WHERE kind = 'break' AND reason = 'Nghỉ trưa' AND staff = 'staff1'") ==
          30 * 60'000);
}

TEST_CASE("a shift and a break left open at midnight stay that day's: the next day's sign-out and resume close only their own", "[store][visit]") {
    TempDir dir;
    store::Store s(dir.path / "center.db");
    Day d;
    d.run(SignIn{1, "staff1"});
    REQUIRE(d.run(SetCounterPaused{1, true, "Họp"}).ok());  // the tab closed on a break, nobody signed out
    d.clock.advance_minutes(24 * 60);
    d.run(IssueTicket{"A", "normal", "k"});  // the next day opens (and the engine forgets yesterday's sign-in)
    d.run(SignIn{1, "staff1"});
    REQUIRE(d.run(SetCounterPaused{1, false}).ok());  // still paused from yesterday: back at the counter
    REQUIRE(d.run(SetCounterPaused{1, true, "Nghỉ giải lao"}).ok());
    d.clock.advance_minutes(10);
    d.run(SetCounterPaused{1, false});
    d.clock.advance_minutes(50);
    d.run(SignOut{1});
    s.append(d.events);
    const std::string first = std::to_string(d.events.front().day);
    CHECK(scalar(s, "SELECT COUNT(*) FROM staff_time WHERE to_at IS NULL AND day = " + first) == 2);  // yesterday's shift and break
    CHECK(scalar(s, "SELECT COUNT(*) FROM staff_time WHERE to_at IS NULL") == 2);
    CHECK(scalar(s, "SELECT to_at - from_at FROM staff_time WHERE kind = 'shift' AND day > " + first) == 60 * 60'000);
    CHECK(scalar(s, "SELECT to_at - from_at FROM staff_time WHERE kind = 'break' AND day > " + first) == 10 * 60'000);
    CHECK(scalar(s, "SELECT COUNT(*) FROM staff_time WHERE kind = 'break' AND staff = 'staff1' AND day > " + first) == 1);
}
