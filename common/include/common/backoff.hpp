// backoff: how long to wait before asking a failing server again.
//
// Doubling from `first` up to `most`, so a backend that is down for an hour is
// asked a dozen times, not thousands, and one that blinked is asked again at
// once. Each delay is cut by up to a fifth at random ("jitter"): after a
// provincial outage, a hundred centers must not all come back in the same second.
// The random numbers come from a seeded generator, so a test sees the same delays.
#pragma once
#include <chrono>
#include <cstdint>
#include <random>

namespace common {

class Backoff {
public:
    using ms = std::chrono::milliseconds;
    Backoff(ms first, ms most, uint64_t seed = 1);

    ms next();     // after a failure
    void reset();  // after a success
    int failures() const { return failures_; }

private:
    ms first_, most_;
    int failures_ = 0;
    std::mt19937_64 random_;
};

}  // namespace common
