// server_clock: server time from the wall and monotonic clocks (see server_clock.hpp).
#include "api/server_clock.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <spdlog/spdlog.h>
#include <utility>

#include "common/local_time.hpp"

namespace api {

int64_t steady_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

ServerClock::ServerClock(Source wall_ms, Source monotonic_ms, int64_t last_logged_ms)
    : wall_ms_(std::move(wall_ms)), monotonic_ms_(std::move(monotonic_ms)), server_ms_(last_logged_ms) {}

ServerClock::ServerClock() : ServerClock(common::system_now_ms, steady_now_ms) {}

void ServerClock::set_last_logged(int64_t ms) { server_ms_ = std::max(server_ms_, ms); }

int64_t ServerClock::now() {
    const int64_t wall = wall_ms_(), monotonic = monotonic_ms_();
    // A monotonic clock never goes back; the max only guards a wrong injected one.
    const int64_t elapsed = read_ ? std::max<int64_t>(0, monotonic - last_monotonic_) : 0;
    // How much further the wall clock moved than the time that really passed.
    const int64_t jump = read_ ? wall - (last_wall_ + elapsed) : 0;
    const bool was_ahead = status_.ahead_of_wall_ms > kToleranceMs;

    // Where server time is if it moves at the real pace since the last reading.
    const int64_t paced = server_ms_ + elapsed;
    // The wall clock behind that by no more than the tolerance: follow it (holding, at
    // most that long, while it is behind). Further behind: keep the real pace, so days,
    // timers and statistics go on; the wall clock is followed again once it catches up.
    server_ms_ = wall >= paced - kToleranceMs ? std::max(server_ms_, wall) : paced;
    status_.ahead_of_wall_ms = server_ms_ - wall;
    if (std::llabs(jump) > kToleranceMs) record_step(jump, wall, "the wall clock stepped");
    // The wall clock did not move, yet server time is ahead of it: the log (or the
    // floor) is ahead, as after a restart once the clock had been far in the future.
    else if (!was_ahead && status_.ahead_of_wall_ms > kToleranceMs)
        record_step(-status_.ahead_of_wall_ms, wall, "the event log is ahead of the wall clock: it stepped");

    read_ = true;
    last_wall_ = wall;
    last_monotonic_ = monotonic;
    return server_ms_;
}

void ServerClock::record_step(int64_t size_ms, int64_t wall, const char* what) {
    ++status_.steps;
    status_.last_step_at_ms = wall;
    status_.last_step_ms = size_ms;
    const char* way = size_ms < 0 ? "back" : "forward";
    if (status_.ahead_of_wall_ms > kToleranceMs)
        spdlog::warn("clock: {} {} by {} s; server time keeps moving with the monotonic clock, {} s ahead of the "
                     "wall clock until it catches up",
                     what, way, std::llabs(size_ms) / 1000, status_.ahead_of_wall_ms / 1000);
    else
        spdlog::warn("clock: {} {} by {} s; server time follows it", what, way, std::llabs(size_ms) / 1000);
}

void to_json(nlohmann::json& j, const ServerClock::Status& s) {
    j = {{"ahead_of_wall_ms", s.ahead_of_wall_ms},
         {"steps", s.steps},
         {"last_step_at_ms", s.last_step_at_ms},
         {"last_step_ms", s.last_step_ms}};
}

}  // namespace api
