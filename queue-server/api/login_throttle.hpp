// login_throttle: who may try a password now, decided when a login ARRIVES.
//
// Why at arrival: Argon2id takes tens of milliseconds on an offload thread, so a
// lock counted after the hash lets 30 parallel guesses all through. Here every
// admitted attempt counts as a failure in flight at once; a success takes it back.
//
// Two limits, both on names the caller gives, never on which accounts exist (the
// class does not know), so the answers reveal nothing about user names:
// - per (user name, client address): `free_failures` tries, then each further try
//   waits a delay that doubles from `first_delay_ms` up to `max_delay_ms`. A
//   stranger at another address never delays the right person at theirs;
// - per user name: at most `user_ceiling` failures in a sliding `window_ms`,
//   whatever the addresses (a botnet spread over many addresses stops there).
//
// Not thread-safe: it lives on the server's event loop, like the rest of the queue
// logic. Time is injected (now_ms), so tests never sleep.
#pragma once
#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace api {

class LoginThrottle {
public:
    struct Policy {
        int free_failures = 3;               // per (user, address) before delays start
        int64_t first_delay_ms = 1'000;      // then 1 s, 2 s, 4 s ... capped
        int64_t max_delay_ms = 15 * 60'000;
        int user_ceiling = 50;               // failures per user name in `window_ms`, all addresses
        int64_t window_ms = 15 * 60'000;
        size_t max_tracked = 100'000;        // entries kept (oldest evicted): memory stays bounded
        // A pair quiet this long starts again: a mistyped password last month
        // should not cost the right person a 15-minute wait today.
        int64_t forget_ms = 24 * 3'600'000LL;
    };
    // Two constructors, not `Policy p = {}`: gcc cannot use a nested struct's
    // default member initializers in a default argument of the enclosing class.
    LoginThrottle();
    explicit LoginThrottle(Policy p);
    // nullopt: the attempt may go ahead; it is counted now as a failure in flight.
    // Otherwise: ms until an attempt from this address may be tried (answer 429 with Retry-After).
    std::optional<int64_t> admit(const std::string& user, const std::string& address, int64_t now_ms);
    void succeeded(const std::string& user, const std::string& address);  // the attempt was right: its pair starts again
    void failed(const std::string& user, const std::string& address, int64_t now_ms);  // (already counted at admit; may be a no-op, but keeps the API clear)
    size_t tracked() const;
    const Policy& policy() const { return policy_; }

private:
    // One table for both kinds, so `max_tracked` bounds them together.
    struct Entry {
        int failures = 0;              // a pair: attempts admitted since it started again
        int64_t last_ms = 0;           // a pair: when the last one was admitted
        std::vector<int64_t> recent;   // a user: admission times within the window, oldest first
        std::list<std::string>::iterator age;  // its place in `ages_`
    };
    static std::string pair_key(const std::string& user, const std::string& address);
    static std::string user_key(const std::string& user);
    Entry& touch(const std::string& key);  // found or added, and made the newest
    Entry* find(const std::string& key);
    void evict_oldest();
    int64_t pair_wait(Entry& pair, int64_t now_ms) const;
    int64_t user_wait(Entry& user, int64_t now_ms) const;

    Policy policy_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> ages_;  // keys, most recently touched first
};

}  // namespace api
