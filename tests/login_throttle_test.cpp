// login_throttle_test: the login throttle counts attempts when they arrive, so parallel
// guesses cannot slip past it; its delays double and cap; a success or another address
// is not held back by a stranger's failures; the per-user ceiling stops everyone and
// lifts after its window; unknown names answer like known ones; memory stays bounded.
// The clock is injected: nothing sleeps.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "api/login_throttle.hpp"

using api::LoginThrottle;

namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // any instant: the throttle reads no clock

// How many of `n` attempts arriving at one instant may go ahead.
int admitted_of(LoginThrottle& t, int n, const std::string& user, const std::string& address, int64_t now) {
    int admitted = 0;
    for (int i = 0; i < n; ++i)
        if (!t.admit(user, address, now)) ++admitted;
    return admitted;
}

// Every answer to the same sequence of attempts for one name, to compare two names.
std::vector<std::optional<int64_t>> answers_for(const std::string& user) {
    LoginThrottle t;
    std::vector<std::optional<int64_t>> answers;
    int64_t now = kT0;
    for (int i = 0; i < 40; ++i, now += 700) {
        auto a = t.admit(user, "198.51.100.7", now);
        if (!a) t.failed(user, "198.51.100.7", now);
        answers.push_back(a);
    }
    return answers;
}

}  // namespace

TEST_CASE("login throttle: 30 parallel guesses from one address let exactly free_failures through") {
    LoginThrottle t;
    CHECK(admitted_of(t, 30, "alice", "203.0.113.9", kT0) == t.policy().free_failures);
    auto wait = t.admit("alice", "203.0.113.9", kT0);
    REQUIRE(wait);
    CHECK(*wait == t.policy().first_delay_ms);
}

TEST_CASE("login throttle: after the free failures each delay doubles, then stays at the cap") {
    LoginThrottle::Policy p;
    p.free_failures = 2;
    p.first_delay_ms = 1'000;
    p.max_delay_ms = 8'000;
    p.user_ceiling = 1'000;  // out of the way
    LoginThrottle t(p);
    int64_t now = kT0;
    REQUIRE(admitted_of(t, 2, "bob", "a", now) == 2);

    std::vector<int64_t> delays;
    for (int i = 0; i < 6; ++i) {
        auto wait = t.admit("bob", "a", now);
        REQUIRE(wait);
        delays.push_back(*wait);
        CHECK(t.admit("bob", "a", now + *wait - 1));  // one ms early is still too early
        now += *wait;
        REQUIRE_FALSE(t.admit("bob", "a", now));
    }
    CHECK(delays == std::vector<int64_t>{1'000, 2'000, 4'000, 8'000, 8'000, 8'000});
}

TEST_CASE("login throttle: the right password resets its pair") {
    LoginThrottle t;
    int64_t now = kT0;
    REQUIRE(admitted_of(t, 3, "carol", "a", now) == 3);
    REQUIRE(t.admit("carol", "a", now));
    now += t.policy().first_delay_ms;
    REQUIRE_FALSE(t.admit("carol", "a", now));
    t.succeeded("carol", "a");
    // A fresh start: the free failures again, at once.
    CHECK(admitted_of(t, 3, "carol", "a", now) == 3);
    CHECK(t.admit("carol", "a", now));
}

TEST_CASE("login throttle: a success takes back its own failure in flight from the user's ceiling") {
    LoginThrottle::Policy p;
    p.user_ceiling = 2;
    LoginThrottle t(p);
    REQUIRE_FALSE(t.admit("dave", "a", kT0));
    t.succeeded("dave", "a");
    REQUIRE_FALSE(t.admit("dave", "b", kT0 + 1));
    REQUIRE_FALSE(t.admit("dave", "c", kT0 + 2));  // the success did not use a place
    CHECK(t.admit("dave", "d", kT0 + 3));
}

TEST_CASE("login throttle: a stranger's failures at another address never delay the right person") {
    LoginThrottle t;
    REQUIRE(admitted_of(t, 30, "erin", "192.0.2.66", kT0) == 3);
    CHECK(t.admit("erin", "192.0.2.66", kT0));
    CHECK_FALSE(t.admit("erin", "10.1.2.3", kT0));
    t.succeeded("erin", "10.1.2.3");
    // And the stranger is still held back.
    CHECK(t.admit("erin", "192.0.2.66", kT0 + 10));
}

TEST_CASE("login throttle: the per-user ceiling stops every address, and lifts after the window") {
    LoginThrottle::Policy p;
    p.free_failures = 3;
    p.user_ceiling = 10;
    p.window_ms = 60'000;
    LoginThrottle t(p);
    // A botnet: 3 free guesses from each of 4 addresses, one over the ceiling.
    int admitted = 0;
    for (int a = 0; a < 4; ++a) admitted += admitted_of(t, 3, "frank", "bot" + std::to_string(a), kT0 + a);
    CHECK(admitted == 10);

    auto wait = t.admit("frank", "home", kT0 + 100);  // the right person, at a fresh address
    REQUIRE(wait);
    CHECK(*wait == 60'000 - 100);  // until the oldest failure leaves the window
    CHECK(t.admit("other", "bot0", kT0 + 100) == std::nullopt);  // other names are untouched

    CHECK(t.admit("frank", "home", kT0 + 59'999));
    CHECK_FALSE(t.admit("frank", "home", kT0 + 60'000));
}

TEST_CASE("login throttle: unknown and known names get the same answers") {
    // The class is never told which names exist; the same attempts give the same answers.
    CHECK(answers_for("admin") == answers_for("no-such-user-x7"));
}

TEST_CASE("login throttle: a pair quiet for forget_ms starts again") {
    LoginThrottle::Policy p;
    p.forget_ms = 3'600'000;
    LoginThrottle t(p);
    REQUIRE(admitted_of(t, 3, "gina", "a", kT0) == 3);
    // Still remembered: its delay is over, but only one try goes ahead, not three.
    int64_t later = kT0 + 3'599'999;
    CHECK(admitted_of(t, 3, "gina", "a", later) == 1);
    CHECK(admitted_of(t, 3, "gina", "a", later + 3'600'000) == 3);
}

TEST_CASE("login throttle: eviction keeps memory bounded under 200k distinct pairs") {
    LoginThrottle::Policy p;
    p.max_tracked = 1'000;
    LoginThrottle t(p);
    for (int i = 0; i < 200'000; ++i) {
        t.admit("user" + std::to_string(i % 5'000), "10.0." + std::to_string(i), kT0 + i);
        REQUIRE(t.tracked() <= 1'000);
    }
    CHECK(t.tracked() == 1'000);
    // The newest pair is still remembered.
    REQUIRE(admitted_of(t, 2, "user4999", "10.0.199999", kT0 + 200'000) == 2);
    CHECK(t.admit("user4999", "10.0.199999", kT0 + 200'000));
}

TEST_CASE("login throttle: keys of a pair and of a user name never collide") {
    LoginThrottle::Policy p;
    p.free_failures = 1;
    LoginThrottle t(p);
    REQUIRE_FALSE(t.admit("a", "bc", kT0));
    CHECK_FALSE(t.admit("ab", "c", kT0));   // another pair
    CHECK_FALSE(t.admit("1:ab", "", kT0));  // a name that looks like a pair key
    CHECK(t.admit("a", "bc", kT0));
}
