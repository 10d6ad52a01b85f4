// options: what the notifier takes besides its config — the time zone, the
// retry delays, and the clocks, injected so tests retry in milliseconds and
// choose the day instead of waiting for midnight.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "common/local_time.hpp"

namespace notify {

struct Options {
    std::string timezone = "Asia/Ho_Chi_Minh";  // the center's: which day "today" is
    std::chrono::milliseconds retry_first{2000};             // first delay after a failed send, doubling...
    std::chrono::milliseconds retry_most{std::chrono::minutes(10)};  // ...up to this
    std::chrono::milliseconds poll{1000};       // webhooks look at the log this often when not woken
    size_t queue_limit = 10000;                 // jobs waiting for the worker; beyond, new ones are dropped and counted
    std::function<int64_t()> now_ms;            // UTC ms; default the system clock
    std::function<int32_t()> today;             // local yyyymmdd; default from now_ms in `timezone`
    std::function<common::Instant()> local_now;  // now with its local day and minute (reminders); default from now_ms
};

}  // namespace notify
