// writer: group commit. One thread owns the SQLite connection after start-up;
// whatever commands arrive while it is committing go together into the next
// transaction, so a burst of 50 tickets costs one fsync, not 50.
//
// A command is acknowledged only after its batch is durable: submit() takes a
// callback, and the writer hands it back to the caller's event loop (through
// `post`) once COMMIT has returned. If a commit fails, every callback of that
// batch hears `false`, and the writer refuses all later work: the server must
// stop and rebuild from the log, since its memory is ahead of the disk.
#pragma once
#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace store {

// Upper bounds of the commit-time buckets (µs); a last bucket holds the slower ones.
inline constexpr std::array<uint64_t, 10> kCommitBoundsUs = {250, 500, 1000, 2000, 5000, 10'000, 20'000, 50'000, 100'000, 250'000};

struct WriterStats {
    uint64_t batches = 0;
    uint64_t jobs = 0;
    uint64_t events = 0;
    uint64_t commit_us_total = 0;
    uint64_t commit_us_max = 0;
    std::vector<uint64_t> commit_us_buckets = std::vector<uint64_t>(kCommitBoundsUs.size() + 1, 0);
};

class Writer {
public:
    using Done = std::function<void(bool durable)>;
    using Post = std::function<void(std::function<void()>)>;
    using Job = std::function<void(Store&)>;  // extra writes in the same transaction (accounts)

    Writer(Store& store, Post post);
    ~Writer();  // finishes what was submitted, then stops

    void submit(std::vector<engine::Event> events, Done done);
    void submit(Job job, Done done);
    WriterStats stats();
    bool failed();

private:
    struct Work {
        std::vector<engine::Event> events;
        Job job;
        Done done;
    };
    void run();
    bool commit(std::vector<Work>& batch);

    Store& store_;
    Post post_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Work> pending_;
    bool stopping_ = false;
    bool failed_ = false;
    WriterStats stats_;
    std::thread thread_;
};

}  // namespace store
