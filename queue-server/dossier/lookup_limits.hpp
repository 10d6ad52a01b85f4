// lookup_limits: who may try a dossier code now, against finding dossiers by
// guessing. Two guards, both pure (the caller passes the time):
//  - each device or user has a token bucket of a few lookups a minute;
//  - wrong check values for one code (or lookups of a code that does not
//    exist: the kiosk gets the same answer) lock that code for a while, from
//    every device, so spreading guesses over many kiosks gains nothing.
// Memory is bounded: each table keeps at most max_tracked entries and drops
// the one touched longest ago. Codes are keyed by normal_code(), the form the
// store looks them up in, so spellings of one code share one count.
// Not thread-safe: the HTTP layer calls it from its event loop.
#pragma once
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

namespace dossier {

class LookupLimits {
public:
    struct Policy {
        int per_minute = 10;                // lookups a device or user may make, refilled evenly
        int failures_per_code = 5;          // wrong checks in a row (within code_lock_ms) that lock a code
        int64_t code_lock_ms = 15 * 60'000; // how long it stays locked
        size_t max_tracked = 100'000;       // devices, and codes, kept at most
    };
    // Two constructors, not `Policy p = {}`: gcc cannot use a nested struct's
    // member initialisers in a default argument inside the enclosing class.
    LookupLimits();
    explicit LookupLimits(Policy p);  // throws std::invalid_argument for a policy that limits nothing

    // nullopt: go ahead (and one lookup is used); otherwise how many ms to wait
    // (the caller answers 429 with Retry-After).
    std::optional<int64_t> admit(const std::string& who, const std::string& code, int64_t now_ms);
    void failed(const std::string& code, int64_t now_ms);  // a wrong check value, or an unknown code (same answer)
    void succeeded(const std::string& code);               // the right check value: the code's count starts again

    size_t tracked() const { return devices_.size() + codes_.size(); }  // for tests and metrics

private:
    // Bucket contents in 1/60,000 of a lookup, so a millisecond adds exactly
    // per_minute units and no rounding builds up.
    struct Bucket {
        int64_t units = -1, at = 0;  // -1: not seen yet
    };
    struct CodeState {
        int failures = 0;
        int64_t last_failure = 0, locked_until = 0;
    };
    // A map that forgets the entry touched longest ago past a size.
    template <typename Value>
    class Recent {
    public:
        explicit Recent(size_t most) : most_(most) {}
        Value* find(const std::string& key);  // and marks it touched
        Value& get(const std::string& key);   // found or added, touched
        void erase(const std::string& key);
        size_t size() const { return index_.size(); }

    private:
        using Order = std::list<std::pair<std::string, Value>>;
        size_t most_;
        Order order_;  // most recently touched first
        std::unordered_map<std::string, typename Order::iterator> index_;
    };

    std::optional<int64_t> code_wait(const std::string& code, int64_t now_ms);
    std::optional<int64_t> device_wait(const std::string& who, int64_t now_ms);

    Policy policy_;
    Recent<Bucket> devices_;
    Recent<CodeState> codes_;
};

}  // namespace dossier
