// announcer: which call is spoken when.
//
// Why a queue with limits: calls come in bursts (ten counters press "next" in the
// same minute) and one announcement takes about five seconds. Spoken in order,
// never over each other; but a queue that runs minutes behind is worse than
// none — people stand up for a number called long ago. So at most `max_pending`
// calls wait, a call older than `max_delay` is not spoken, and what was skipped
// is counted so the board can say "look at the screen". A recall is spoken
// again (that is what it is for) unless the same call is already waiting.
// In quiet hours nothing is queued. Pure: time comes in as arguments.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "client/mirror.hpp"

namespace display {

struct AnnouncerLimits {
    size_t max_pending = 4;
    int64_t max_delay_ms = 60'000;
    int64_t gap_ms = 600;  // silence between two announcements
    std::optional<std::pair<int, int>> quiet;  // local minutes [from, to), may wrap midnight
};

class Announcer {
public:
    explicit Announcer(AnnouncerLimits limits) : limits_(limits) {}

    // A call (or recall) arrived at `now`; `local_minute` is the center's clock.
    void push(const client::Call& call, int64_t now, int local_minute);
    // The call to speak now, if the last one has finished; the caller then says
    // how long it takes with started().
    std::optional<client::Call> next(int64_t now);
    void started(int64_t now, int64_t duration_ms) { busy_until_ = now + duration_ms + limits_.gap_ms; }

    bool speaking(int64_t now) const { return now < busy_until_; }
    // When next() may have something to give, if anything waits.
    std::optional<int64_t> wake_at() const;
    size_t pending() const { return queue_.size(); }
    int skipped() const { return skipped_; }
    int64_t last_skip_at() const { return last_skip_at_; }
    bool quiet(int local_minute) const;

private:
    struct Pending {
        client::Call call;
        int64_t queued_at;
    };
    void skip(int64_t now);

    AnnouncerLimits limits_;
    std::deque<Pending> queue_;
    int64_t busy_until_ = 0;
    int skipped_ = 0;
    int64_t last_skip_at_ = 0;
};

}  // namespace display
