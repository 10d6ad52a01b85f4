// server_clock: the time the engine is given, which keeps moving when the wall clock steps back.
//
// Why: the engine's events must stay ordered by time (the log, no-show timers, statistics),
// so the server never hands out a time earlier than one it gave before or than the newest
// event in the log. Clamping to that (max(last, wall)) freezes time for as long as the wall
// clock is behind: after an NTP step of a month back, every event would get the same instant
// and the day would never turn. So while the wall clock is behind, server time moves on by
// the monotonic clock's elapsed time (the real pace), and re-joins the wall clock when the
// wall clock catches up. Each step of the wall clock is recorded (status(), a warning in
// the log) so that the dashboard can tell the manager.
//
// Pure: the only inputs are the two injected clock functions; one thread (the server's loop).
#pragma once
#include <cstdint>
#include <functional>

#include <nlohmann/json.hpp>

namespace api {

// Milliseconds of std::chrono::steady_clock (the production monotonic clock).
int64_t steady_now_ms();

class ServerClock {
public:
    using Source = std::function<int64_t()>;  // milliseconds
    // A wall clock that moves this much more (or less) than the monotonic clock between two
    // readings has stepped; smaller differences are drift or NTP slewing.
    static constexpr int64_t kToleranceMs = 2000;

    // What /healthz, /api/state and the dashboard show, as of the last now().
    struct Status {
        int64_t ahead_of_wall_ms = 0;  // server time minus the wall clock, >= 0
        int steps = 0;                 // wall clock steps seen since the start
        int64_t last_step_at_ms = 0;   // the wall clock's reading just after the newest step (UTC ms), 0: none
        int64_t last_step_ms = 0;      // its signed size: < 0 the wall clock went back, > 0 forward
    };

    // wall_ms: UTC milliseconds (common::system_now_ms); monotonic_ms: any steady origin.
    // last_logged_ms: the newest event's time in the log (or set_last_logged after replay).
    explicit ServerClock(Source wall_ms, Source monotonic_ms = steady_now_ms, int64_t last_logged_ms = 0);
    ServerClock();  // the production clocks

    // Raises the floor: now() never returns less (call with the newest event's time after replay).
    void set_last_logged(int64_t ms);
    // Server time in UTC milliseconds: never less than a previous result or the floor.
    int64_t now();
    Status status() const { return status_; }

private:
    void record_step(int64_t size_ms, int64_t wall, const char* what);

    Source wall_ms_;
    Source monotonic_ms_;
    int64_t server_ms_ = 0;  // the last result, or the floor
    bool read_ = false;      // whether the two clocks were read before
    int64_t last_wall_ = 0;
    int64_t last_monotonic_ = 0;
    Status status_;
};

// {"ahead_of_wall_ms", "steps", "last_step_at_ms", "last_step_ms"}: the "clock" of /api/state.
void to_json(nlohmann::json& j, const ServerClock::Status& s);

}  // namespace api
