// clock_test: server time when the wall clock steps (api::ServerClock), and what the engine does with it.
//
// Both clocks are turned by hand (no sleeping): `pass` is time that really passes (wall and
// monotonic together), `step` moves the wall clock alone, as NTP or an operator would.
#include <catch2/catch.hpp>
#include <set>

#include "api/server_clock.hpp"
#include "common/local_time.hpp"
#include "engine/engine.hpp"
#include "test_center.hpp"

using api::ServerClock;

namespace {

constexpr int64_t kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute, kDay = 24 * kHour;

struct Clocks {
    int64_t wall = testing::kClockStartMs;  // 2026-11-24 08:00 in UTC+07:00
    int64_t monotonic = 123'456'789;        // any origin: only its differences count
    void pass(int64_t ms) { wall += ms, monotonic += ms; }
    void step(int64_t ms) { wall += ms; }
    ServerClock clock(int64_t last_logged = 0) {
        return ServerClock([this] { return wall; }, [this] { return monotonic; }, last_logged);
    }
};

const common::LocalCalendar kHanoi{"UTC+07:00"};
int32_t day_of(int64_t ms) { return kHanoi.at(ms).day; }

// Reads `clock` every `every` ms of real time for `span` ms: each reading must be later
// than the last by exactly the time that passed (server time neither frozen nor jumping).
int64_t read_at_real_pace(Clocks& c, ServerClock& clock, int64_t every, int64_t span) {
    int64_t last = clock.now();
    for (int64_t t = 0; t < span; t += every) {
        c.pass(every);
        const int64_t now = clock.now();
        REQUIRE(now == last + every);
        last = now;
    }
    return last;
}

}  // namespace

TEST_CASE("the wall clock stepping back: time keeps moving at the monotonic pace", "[clock]") {
    Clocks c;
    ServerClock clock = c.clock();
    const int64_t before = clock.now();
    CHECK(before == c.wall);
    CHECK(clock.status().steps == 0);

    c.step(-10 * kMinute);
    CHECK(clock.now() == before);  // no time passed: the same instant, never earlier
    const auto s = clock.status();
    CHECK(s.steps == 1);
    CHECK(s.last_step_ms == -10 * kMinute);
    CHECK(s.last_step_at_ms == c.wall);
    CHECK(s.ahead_of_wall_ms == 10 * kMinute);

    const int64_t later = read_at_real_pace(c, clock, 30 * kSecond, kHour);
    CHECK(later == before + kHour);
    CHECK(clock.status().ahead_of_wall_ms == 10 * kMinute);
    CHECK(clock.status().steps == 1);  // one step, one record (and one warning)

    c.pass(kDay);  // a day without a reading: still the real pace, still ahead
    CHECK(clock.now() == later + kDay);
    CHECK(clock.status().ahead_of_wall_ms == 10 * kMinute);
}

TEST_CASE("server time re-joins the wall clock when it catches up", "[clock]") {
    Clocks c;
    ServerClock clock = c.clock();
    clock.now();
    c.step(-10 * kMinute);
    clock.now();

    SECTION("the wall clock running a little fast (slewing) catches up without a step") {
        int64_t last = clock.now();
        while (clock.status().ahead_of_wall_ms > 0) {
            c.pass(10 * kSecond);
            c.step(kSecond);  // under the tolerance: drift, not a step
            const int64_t now = clock.now();
            REQUIRE(now >= last);
            last = now;
        }
        CHECK(clock.status().steps == 1);
    }
    SECTION("the wall clock stepped forward again") {
        c.pass(kMinute);
        c.step(10 * kMinute);
        CHECK(clock.now() == c.wall);
        CHECK(clock.status().steps == 2);
        CHECK(clock.status().last_step_ms == 10 * kMinute);
    }
    CHECK(clock.status().ahead_of_wall_ms == 0);
    c.pass(kMinute);
    CHECK(clock.now() == c.wall);  // follows the wall clock again
}

TEST_CASE("a forward step is followed and recorded", "[clock]") {
    Clocks c;
    ServerClock clock = c.clock();
    clock.now();
    c.pass(kMinute);
    c.step(5 * kMinute);
    CHECK(clock.now() == c.wall);
    const auto s = clock.status();
    CHECK(s.steps == 1);
    CHECK(s.last_step_ms == 5 * kMinute);
    CHECK(s.last_step_at_ms == c.wall);
    CHECK(s.ahead_of_wall_ms == 0);
}

TEST_CASE("drift within the tolerance is no step: time holds until the wall clock passes", "[clock]") {
    Clocks c;
    ServerClock clock = c.clock();
    const int64_t before = clock.now();
    c.step(-1500);
    CHECK(clock.now() == before);
    c.pass(1000);
    CHECK(clock.now() == before);
    c.pass(1000);
    CHECK(clock.now() == c.wall);
    CHECK(clock.status().steps == 0);
}

TEST_CASE("a restart with the log a month ahead of the wall clock: time moves, not frozen", "[clock]") {
    Clocks c;
    const int64_t logged = c.wall + 30 * kDay;
    ServerClock from_ctor = c.clock(logged);
    ServerClock from_setter = c.clock();
    from_setter.set_last_logged(logged);

    for (ServerClock* clock : {&from_ctor, &from_setter}) {
        CHECK(clock->now() >= logged);
        const auto s = clock->status();
        CHECK(s.steps == 1);
        CHECK(s.last_step_ms == -30 * kDay);
        CHECK(s.ahead_of_wall_ms == 30 * kDay);
    }
    CHECK(read_at_real_pace(c, from_ctor, kMinute, 2 * kHour) == logged + 2 * kHour);
    CHECK(from_ctor.status().steps == 1);
}

TEST_CASE("a normal restart (the wall clock ahead of the log) follows the wall clock", "[clock]") {
    Clocks c;
    ServerClock clock = c.clock(c.wall - 8 * kHour);
    CHECK(clock.now() == c.wall);
    CHECK(clock.status().steps == 0);
}

TEST_CASE("steps across local midnight: the local day advances exactly once", "[clock]") {
    Clocks c;
    c.pass(15 * kHour + 55 * kMinute);  // 23:55 on 2026-11-24
    ServerClock clock = c.clock();
    std::vector<int32_t> days{day_of(clock.now())};
    auto read = [&] {
        const int32_t d = day_of(clock.now());
        if (d != days.back()) days.push_back(d);
    };

    SECTION("forward: 23:55 → 00:05") {
        c.step(10 * kMinute);
        for (int i = 0; i < 60; ++i) c.pass(kMinute), read();
        CHECK(days == std::vector<int32_t>{20261124, 20261125});
    }
    SECTION("backward: 00:05 → 23:55, then the server's own midnight a day later") {
        c.pass(10 * kMinute);
        read();
        c.step(-10 * kMinute);  // the wall clock reads the old day again
        for (int i = 0; i < 23 * 60; ++i) c.pass(kMinute), read();
        CHECK(days == std::vector<int32_t>{20261124, 20261125});
        for (int i = 0; i < 60; ++i) c.pass(kMinute), read();  // server 00:05 on the 26th, wall 23:55 on the 25th
        CHECK(days == std::vector<int32_t>{20261124, 20261125, 20261126});
    }
}

// ---------------------------------------------------------------- with the engine

namespace {

engine::Center open_all_day() {
    engine::Center center = testing::small_center();
    for (auto& s : center.services) s.open_minute = 0, s.close_minute = 24 * 60;
    return center;
}

engine::Ticket issue(engine::Engine& e, ServerClock& clock) {
    auto out = e.handle(engine::IssueTicket{"A", "normal", "kiosk:1"}, kHanoi.at(clock.now()));
    REQUIRE(out.ok());
    return std::get<engine::TicketIssued>(out.events.back().body).ticket;
}

}  // namespace

TEST_CASE("the engine numbers on through a backward step across midnight, and turns the day when it really passed",
          "[clock][engine]") {
    Clocks c;
    c.pass(15 * kHour + 50 * kMinute);  // 23:50 on 2026-11-24
    ServerClock clock = c.clock();
    engine::Engine e;
    REQUIRE(e.handle(engine::Configure{open_all_day()}, kHanoi.at(clock.now())).ok());
    CHECK(issue(e, clock).number == "A001");

    c.pass(15 * kMinute);  // 00:05: a new day, numbers from 001
    const engine::Ticket first = issue(e, clock);
    CHECK(first.day == 20261125);
    CHECK(first.number == "A001");

    c.step(-10 * kMinute);  // the wall clock reads 23:55 of the day before
    c.pass(2 * kMinute);
    const engine::Ticket second = issue(e, clock);
    CHECK(second.day == 20261125);
    CHECK(second.number == "A002");
    CHECK(second.issued_at == first.issued_at + 2 * kMinute);  // not frozen at the last event's time

    c.pass(kDay);  // the server's clock is at 00:07 on the 26th, the wall clock still on the 25th
    const engine::Ticket next_day = issue(e, clock);
    CHECK(next_day.day == 20261126);
    CHECK(next_day.number == "A001");
    CHECK(e.state().day == 20261126);
}

TEST_CASE("the status as the \"clock\" of /api/state", "[clock]") {
    const nlohmann::json j = ServerClock::Status{600'000, 2, 1'795'482'000'000, -600'000};
    CHECK(j == nlohmann::json{{"ahead_of_wall_ms", 600'000},
                              {"steps", 2},
                              {"last_step_at_ms", 1'795'482'000'000},
                              {"last_step_ms", -600'000}});
}
