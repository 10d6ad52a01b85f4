// login_throttle: per-pair exponential delays and a per-user ceiling, counted at arrival (see login_throttle.hpp).
#include "api/login_throttle.hpp"

#include <algorithm>

namespace api {

LoginThrottle::LoginThrottle() : LoginThrottle(Policy{}) {}

LoginThrottle::LoginThrottle(Policy p) : policy_(p) {
    // The two entries one admit touches must both survive its eviction.
    policy_.max_tracked = std::max<size_t>(policy_.max_tracked, 2);
    policy_.free_failures = std::max(policy_.free_failures, 0);
    policy_.user_ceiling = std::max(policy_.user_ceiling, 1);
}

// Kinds and a length prefix keep keys apart: user "5:alicex" is not the pair (alice, x).
std::string LoginThrottle::pair_key(const std::string& user, const std::string& address) {
    return "p" + std::to_string(user.size()) + ":" + user + address;
}

std::string LoginThrottle::user_key(const std::string& user) { return "u" + user; }

LoginThrottle::Entry& LoginThrottle::touch(const std::string& key) {
    auto [it, added] = entries_.try_emplace(key);
    if (added) {
        ages_.push_front(key);
    } else {
        ages_.splice(ages_.begin(), ages_, it->second.age);
    }
    it->second.age = ages_.begin();
    return it->second;
}

LoginThrottle::Entry* LoginThrottle::find(const std::string& key) {
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
}

void LoginThrottle::evict_oldest() {
    entries_.erase(ages_.back());
    ages_.pop_back();
}

int64_t LoginThrottle::pair_wait(Entry& pair, int64_t now_ms) const {
    if (pair.failures > 0 && now_ms - pair.last_ms >= policy_.forget_ms) pair.failures = 0;
    int over = pair.failures - policy_.free_failures;
    if (over < 0) return 0;
    // Doubling stops at the cap; the shift is bounded so it never overflows.
    int64_t delay = policy_.first_delay_ms;
    for (int i = 0; i < over && delay < policy_.max_delay_ms; ++i) delay *= 2;
    delay = std::min(delay, policy_.max_delay_ms);
    return std::max<int64_t>(0, pair.last_ms + delay - now_ms);
}

int64_t LoginThrottle::user_wait(Entry& user, int64_t now_ms) const {
    auto& r = user.recent;
    auto expired = std::find_if(r.begin(), r.end(), [&](int64_t t) { return t + policy_.window_ms > now_ms; });
    r.erase(r.begin(), expired);
    if (r.size() < static_cast<size_t>(policy_.user_ceiling)) return 0;
    // The ceiling lifts when the oldest failure in the window leaves it.
    return r.front() + policy_.window_ms - now_ms;
}

std::optional<int64_t> LoginThrottle::admit(const std::string& user, const std::string& address, int64_t now_ms) {
    Entry& pair = touch(pair_key(user, address));
    Entry& per_user = touch(user_key(user));
    while (entries_.size() > policy_.max_tracked) evict_oldest();

    int64_t wait = std::max(pair_wait(pair, now_ms), user_wait(per_user, now_ms));
    if (wait > 0) return wait;
    ++pair.failures;
    pair.last_ms = now_ms;
    per_user.recent.push_back(now_ms);
    return std::nullopt;
}

void LoginThrottle::succeeded(const std::string& user, const std::string& address) {
    std::string key = pair_key(user, address);
    Entry* pair = find(key);
    if (!pair) return;  // evicted meanwhile: nothing left to take back
    // Take back the failure counted in flight for this attempt (admitted at the
    // pair's last time); the others, a stranger's perhaps, still count.
    if (Entry* per_user = find(user_key(user))) {
        auto& r = per_user->recent;
        auto mine = std::find(r.rbegin(), r.rend(), pair->last_ms);
        if (mine != r.rend()) r.erase(std::next(mine).base());
    }
    ages_.erase(pair->age);
    entries_.erase(key);
}

void LoginThrottle::failed(const std::string&, const std::string&, int64_t) {
    // Counted at admit already: a failure changes nothing more.
}

size_t LoginThrottle::tracked() const { return entries_.size(); }

}  // namespace api
