// writer: group commit of events on a thread of its own (see writer.hpp).
#include "store/writer.hpp"

#include <chrono>
#include <spdlog/spdlog.h>

namespace store {

Writer::Writer(Store& store, Post post) : store_(store), post_(std::move(post)), thread_([this] { run(); }) {}

Writer::~Writer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void Writer::submit(std::vector<engine::Event> events, Done done) {
    {
        std::lock_guard lock(mutex_);
        pending_.push_back({std::move(events), nullptr, std::move(done)});
    }
    wake_.notify_one();
}

void Writer::submit(Job job, Done done) {
    {
        std::lock_guard lock(mutex_);
        pending_.push_back({{}, std::move(job), std::move(done)});
    }
    wake_.notify_one();
}

WriterStats Writer::stats() {
    std::lock_guard lock(mutex_);
    return stats_;
}

bool Writer::failed() {
    std::lock_guard lock(mutex_);
    return failed_;
}

void Writer::run() {
    for (;;) {
        std::vector<Work> batch;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
            if (pending_.empty()) return;  // stopping, and nothing left
            batch.swap(pending_);
        }
        const bool ok = commit(batch);
        for (auto& w : batch)
            if (w.done) post_([done = std::move(w.done), ok] { done(ok); });
    }
}

bool Writer::commit(std::vector<Work>& batch) {
    {
        std::lock_guard lock(mutex_);
        if (failed_) return false;
    }
    const auto start = std::chrono::steady_clock::now();
    size_t events = 0;
    try {
        sqlite::Transaction tx(store_.db());
        for (auto& w : batch) {
            if (!w.events.empty()) store_.append_in_transaction(w.events);
            if (w.job) w.job(store_);
            events += w.events.size();
        }
        tx.commit();
    } catch (const std::exception& e) {
        spdlog::critical("commit of {} commands failed: {}", batch.size(), e.what());
        std::lock_guard lock(mutex_);
        failed_ = true;
        return false;
    }
    const auto us = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
    std::lock_guard lock(mutex_);
    ++stats_.batches;
    stats_.jobs += batch.size();
    stats_.events += events;
    stats_.commit_us_total += us;
    stats_.commit_us_max = std::max(stats_.commit_us_max, us);
    size_t bucket = 0;
    while (bucket < kCommitBoundsUs.size() && us > kCommitBoundsUs[bucket]) ++bucket;
    ++stats_.commit_us_buckets[bucket];
    return true;
}

}  // namespace store
