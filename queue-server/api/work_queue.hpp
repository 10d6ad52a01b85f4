// work_queue: bounded queues of blocking work, one per kind, each with its own threads.
//
// Why one per kind: a flood of one kind (logins hashing Argon2id) must never delay
// another (statistics, catalog import), and never grow memory without bound. A full
// queue refuses at once, so the caller answers 503 "busy" with Retry-After instead
// of letting requests pile up behind each other.
//
// The capacity counts tasks that wait for a thread, not those running: a queue with
// T threads and capacity C holds at most T + C tasks. A task posted while a thread
// is idle is taken by it at once, so it never uses a waiting place.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace api {

class WorkQueue {
public:
    WorkQueue(std::string name, size_t threads, size_t capacity);  // capacity: tasks waiting, not counting running ones
    ~WorkQueue();  // runs what was accepted, then joins
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    bool try_post(std::function<void()> task);  // false when full (or stopping)
    // Stop accepting; finish accepted; join (idempotent). Not from one of its own tasks.
    void stop();
    size_t waiting() const;   // for /metrics
    size_t running() const;
    uint64_t refused() const;
    const std::string& name() const { return name_; }
    size_t threads() const { return threads_.size(); }
    size_t capacity() const { return capacity_; }

private:
    void work();
    void run(std::function<void()> task);  // a task that throws is logged, and the thread goes on

    const std::string name_;
    const size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> tasks_;
    size_t running_ = 0;
    uint64_t refused_ = 0;
    bool stopping_ = false;
    std::mutex join_mutex_;  // two callers of stop() never join the same thread
    std::vector<std::thread> threads_;
};

}  // namespace api
