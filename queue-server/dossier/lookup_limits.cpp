// lookup_limits: token buckets per device and failure counts per code (see
// lookup_limits.hpp).
#include "dossier/lookup_limits.hpp"

#include <algorithm>
#include <stdexcept>

#include "dossier/dossier.hpp"

namespace dossier {

namespace {

constexpr int64_t kUnitsPerLookup = 60'000;  // one lookup, in bucket units (ms per minute)
// No real code is longer (update_from_json refuses more); a longer one is
// unknown anyway, and cutting it keeps each entry small whatever comes in.
constexpr size_t kLongestCode = 100;

std::string code_key(const std::string& code) {
    std::string key = normal_code(code);
    if (key.size() > kLongestCode) key.resize(kLongestCode);
    return key;
}

}  // namespace

template <typename Value>
Value* LookupLimits::Recent<Value>::find(const std::string& key) {
    const auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
}

template <typename Value>
Value& LookupLimits::Recent<Value>::get(const std::string& key) {
    if (Value* v = find(key)) return *v;
    order_.emplace_front(key, Value{});
    index_[key] = order_.begin();
    while (index_.size() > most_) {
        index_.erase(order_.back().first);
        order_.pop_back();
    }
    return order_.front().second;
}

template <typename Value>
void LookupLimits::Recent<Value>::erase(const std::string& key) {
    const auto it = index_.find(key);
    if (it == index_.end()) return;
    order_.erase(it->second);
    index_.erase(it);
}

LookupLimits::LookupLimits() : LookupLimits(Policy{}) {}

LookupLimits::LookupLimits(Policy p) : policy_(p), devices_(p.max_tracked), codes_(p.max_tracked) {
    if (p.per_minute < 1 || p.failures_per_code < 1 || p.code_lock_ms < 0 || p.max_tracked < 1)
        throw std::invalid_argument("lookup limits: per_minute, failures_per_code and max_tracked must be at least 1");
}

std::optional<int64_t> LookupLimits::admit(const std::string& who, const std::string& code, int64_t now_ms) {
    // The code first: a locked code costs the device nothing, and a device out
    // of lookups learns nothing about the code.
    if (const auto wait = code_wait(code_key(code), now_ms)) return wait;
    return device_wait(who, now_ms);
}

std::optional<int64_t> LookupLimits::code_wait(const std::string& key, int64_t now_ms) {
    CodeState* c = codes_.find(key);
    if (!c || c->locked_until == 0) return std::nullopt;
    if (now_ms < c->locked_until) return c->locked_until - now_ms;
    codes_.erase(key);  // the lock is over: the count starts again
    return std::nullopt;
}

std::optional<int64_t> LookupLimits::device_wait(const std::string& who, int64_t now_ms) {
    const int64_t full = int64_t{policy_.per_minute} * kUnitsPerLookup;
    Bucket& b = devices_.get(who);
    if (b.units < 0) b = {full, now_ms};  // a device seen for the first time starts full
    const int64_t elapsed = std::max<int64_t>(0, now_ms - b.at);  // a clock set back refills nothing
    b.units = std::min(full, b.units + elapsed * policy_.per_minute);
    b.at = now_ms;
    if (b.units < kUnitsPerLookup) {
        const int64_t missing = kUnitsPerLookup - b.units;
        return (missing + policy_.per_minute - 1) / policy_.per_minute;
    }
    b.units -= kUnitsPerLookup;
    return std::nullopt;
}

void LookupLimits::failed(const std::string& code, int64_t now_ms) {
    CodeState& c = codes_.get(code_key(code));
    if (c.locked_until != 0 && now_ms < c.locked_until) return;  // an answer that was under way when it locked
    // Failures far apart are not a guessing run: they count only within a lock's length.
    if (c.locked_until != 0 || now_ms - c.last_failure > policy_.code_lock_ms) c = CodeState{};
    c.last_failure = now_ms;
    if (++c.failures >= policy_.failures_per_code) c.locked_until = now_ms + policy_.code_lock_ms;
}

void LookupLimits::succeeded(const std::string& code) { codes_.erase(code_key(code)); }

}  // namespace dossier
