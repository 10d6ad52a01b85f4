// status_changes: a count of the changes to what Notifier::status() reports,
// bumped by the worker and by every webhook thread after each change, so that
// a caller can wait for the status to say something (Notifier::wait_status)
// instead of asking status() again and again on a timer.
//
// bump() may be called under the notifier's or a webhook's lock: it takes only
// its own, and a waiter holds only its own (it asks status() without it).
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace notify {

class StatusChanges {
public:
    void bump() {
        {
            std::lock_guard lock(mutex_);
            ++count_;
        }
        changed_.notify_all();
    }
    uint64_t count() const {
        std::lock_guard lock(mutex_);
        return count_;
    }
    // Until the count has moved past `seen`; false when `deadline` comes first.
    bool wait_past(uint64_t seen, std::chrono::steady_clock::time_point deadline) const {
        std::unique_lock lock(mutex_);
        return changed_.wait_until(lock, deadline, [&] { return count_ != seen; });
    }

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    uint64_t count_ = 0;
};

}  // namespace notify
