// work_queue: a bounded FIFO of tasks and its threads; refusal when full, drain on stop (see work_queue.hpp).
#include "api/work_queue.hpp"

#include <algorithm>
#include <exception>
#include <spdlog/spdlog.h>

namespace api {

WorkQueue::WorkQueue(std::string name, size_t threads, size_t capacity)
    : name_(std::move(name)), capacity_(capacity) {
    size_t n = std::max<size_t>(threads, 1);  // a queue without threads would accept work it never runs
    threads_.reserve(n);
    for (size_t i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
}

WorkQueue::~WorkQueue() { stop(); }

bool WorkQueue::try_post(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        // Idle threads take queued tasks at once: only what is left over waits.
        size_t idle = threads_.size() - running_;
        if (stopping_ || tasks_.size() >= capacity_ + idle) {
            ++refused_;
            return false;
        }
        tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
    return true;
}

void WorkQueue::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    std::lock_guard joining(join_mutex_);
    for (auto& t : threads_)
        if (t.joinable()) t.join();
}

void WorkQueue::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;  // stopping, and everything accepted has run
        std::function<void()> task = std::move(tasks_.front());
        tasks_.pop_front();
        ++running_;
        lock.unlock();
        run(std::move(task));  // destroyed there, unlocked: its captures may post again
        lock.lock();
        --running_;
    }
}

void WorkQueue::run(std::function<void()> task) {
    try {
        task();
    } catch (const std::exception& e) {
        spdlog::error("work queue '{}': a task failed: {}", name_, e.what());
    } catch (...) {
        spdlog::error("work queue '{}': a task failed with an unknown exception", name_);
    }
}

size_t WorkQueue::waiting() const {
    std::lock_guard lock(mutex_);
    return tasks_.size();
}

size_t WorkQueue::running() const {
    std::lock_guard lock(mutex_);
    return running_;
}

uint64_t WorkQueue::refused() const {
    std::lock_guard lock(mutex_);
    return refused_;
}

}  // namespace api
