// announcer: the queue of calls to speak, with its limits (see announcer.hpp).
#include "display/announcer.hpp"

#include <algorithm>

namespace display {

bool Announcer::quiet(int minute) const {
    if (!limits_.quiet) return false;
    const auto [from, to] = *limits_.quiet;
    return from < to ? (minute >= from && minute < to) : (minute >= from || minute < to);
}

void Announcer::push(const client::Call& call, int64_t now, int local_minute) {
    if (quiet(local_minute)) return;
    const bool waiting = std::any_of(queue_.begin(), queue_.end(), [&](const Pending& p) {
        return p.call.ticket == call.ticket && p.call.counter == call.counter;
    });
    if (waiting) return;
    queue_.push_back({call, now});
    while (queue_.size() > limits_.max_pending) {
        queue_.pop_front();
        skip(now);
    }
}

std::optional<client::Call> Announcer::next(int64_t now) {
    if (speaking(now)) return std::nullopt;
    while (!queue_.empty() && now - queue_.front().queued_at > limits_.max_delay_ms) {
        queue_.pop_front();
        skip(now);
    }
    if (queue_.empty()) return std::nullopt;
    client::Call call = queue_.front().call;
    queue_.pop_front();
    return call;
}

std::optional<int64_t> Announcer::wake_at() const {
    if (queue_.empty()) return std::nullopt;
    return busy_until_;
}

void Announcer::skip(int64_t now) {
    ++skipped_;
    last_skip_at_ = now;
}

}  // namespace display
