// backoff: doubling delays with jitter (see backoff.hpp).
#include "common/backoff.hpp"

#include <algorithm>

namespace common {

Backoff::Backoff(ms first, ms most, uint64_t seed) : first_(first), most_(std::max(first, most)), random_(seed) {}

Backoff::ms Backoff::next() {
    const int doublings = std::min(failures_, 40);  // 2^40 × anything is past any cap
    ++failures_;
    const double full = std::min(static_cast<double>(first_.count()) * static_cast<double>(1ULL << doublings),
                                 static_cast<double>(most_.count()));
    std::uniform_real_distribution<double> cut(0.8, 1.0);
    return ms(static_cast<int64_t>(full * cut(random_)));
}

void Backoff::reset() { failures_ = 0; }

}  // namespace common
