// public_limits_test: the phones' routes are rate-limited per client address and
// overall (issue 20) — the limiter alone with injected time, then the real
// server: one address refused with 429 and Retry-After before its body is read
// while another address and the hall's own routes are served, and served again
// once its bucket refills on the injected monotonic clock.
#include <catch2/catch.hpp>

#include "api/public_limits.hpp"
#include "public_client.hpp"

using api::PublicLimiter;
using testing::TestServer;
using testing::take_ticket;
using json = nlohmann::json;

TEST_CASE("an address has a burst, then one request per refill - another address has its own", "[public][limits]") {
    PublicLimiter limits;  // 120 a minute, bursts of 60
    int64_t now = 5'000;
    for (int i = 0; i < 60; ++i) REQUIRE_FALSE(limits.admit("10.0.0.1", now));
    const auto wait = limits.admit("10.0.0.1", now);
    REQUIRE(wait);
    CHECK(*wait == 500);  // 120 a minute: one each half second
    CHECK_FALSE(limits.admit("10.0.0.2", now));
    now += 499;
    CHECK(limits.admit("10.0.0.1", now));
    now += 1;
    CHECK_FALSE(limits.admit("10.0.0.1", now));
    CHECK(limits.admit("10.0.0.1", now));
    now += 60'000;  // a quiet minute: the whole burst again, not more
    int admitted = 0;
    while (!limits.admit("10.0.0.1", now)) ++admitted;
    CHECK(admitted == 60);
    CHECK(limits.refused() == 4);
}

TEST_CASE("the overall bucket caps many addresses together, and a refused address does not drain it", "[public][limits]") {
    PublicLimiter limits({.per_address_per_minute = 60, .per_address_burst = 2, .global_per_second = 10, .global_burst = 5});
    int64_t now = 0;
    for (int i = 0; i < 20; ++i) limits.admit("10.0.0.9", now);  // 2 go, 18 refused by its own bucket
    int admitted = 0;
    for (int i = 0; i < 20; ++i) admitted += !limits.admit("10.1.0." + std::to_string(i), now);
    CHECK(admitted == 3);  // 5 overall, 2 of them taken by 10.0.0.9
    const auto wait = limits.admit("10.2.0.1", now);
    REQUIRE(wait);
    CHECK(*wait == 100);  // 10 a second overall
    now += 100;
    CHECK_FALSE(limits.admit("10.2.0.1", now));
}

TEST_CASE("IPv6 addresses count by their /64, IPv4-mapped ones as IPv4, and memory stays bounded", "[public][limits]") {
    CHECK(PublicLimiter::counted_as("2001:db8:1:2:aaaa::1") == PublicLimiter::counted_as("2001:db8:1:2:bbbb::9"));
    CHECK(PublicLimiter::counted_as("2001:db8:1:2::1") != PublicLimiter::counted_as("2001:db8:1:3::1"));
    CHECK(PublicLimiter::counted_as("::ffff:10.0.0.1") == "10.0.0.1");
    CHECK(PublicLimiter::counted_as("10.0.0.1") == "10.0.0.1");
    PublicLimiter limits({.per_address_per_minute = 60, .per_address_burst = 1, .global_per_second = 1'000'000,
                          .global_burst = 1'000'000, .max_tracked = 100});
    CHECK_FALSE(limits.admit("2001:db8:1:2::1", 0));
    CHECK(limits.admit("2001:db8:1:2::ffff", 0));  // the same phone's other address
    for (int i = 0; i < 1000; ++i) limits.admit("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), 0);
    CHECK(limits.tracked() == 100);
    CHECK_THROWS_AS(PublicLimiter({.per_address_per_minute = 0}), std::invalid_argument);
}

TEST_CASE("the real server answers one address 429 with Retry-After before its body, serving others and the hall", "[public][limits]") {
    TestServer s;
    s.mono_ms = 1'000'000;  // the limiter's clock: turned by hand
    s.tune = [](api::Core::Options& o) {
        o.public_limits.per_address_per_minute = 6;
        o.public_limits.per_address_burst = 3;
    };
    s.restart();
    const auto t = take_ticket(s);
    const std::string view = "/api/public/tickets/" + t.key;
    for (int i = 0; i < 3; ++i) REQUIRE(s.call("GET", view).status == 200);
    const auto refused = s.call("GET", view);
    CHECK(refused.status == 429);
    CHECK(refused.body["error"]["code"] == "too_many_requests");
    CHECK(refused.headers.at("retry-after") == "10");
    CHECK(refused.raw.find(t.number) == std::string::npos);
    // Refused from the request line: a body over the route's limit gets 429, not 413.
    const std::string large = json{{"pad", std::string(64 * 1024, 'x')}}.dump();
    CHECK(s.call("POST", view + "/cancel", large).status == 429);
    CHECK(testing::PhoneStream::status_for(s.port, t.key) == 429);
    CHECK(s.call("GET", "/t/" + t.key).status == 429);
    CHECK(s.call("GET", "/api/public/waiting").status == 429);
    // Another address is served; the hall's routes from this one are never limited.
    CHECK(testing::http_call_to("127.0.0.1", s.port, "GET", view, "", "", {}, 0, "127.0.0.2").status == 200);
    for (int i = 0; i < 10; ++i) CHECK(s.post("/api/tickets", {{"service", "B"}}, s.kiosk).status == 201);
    CHECK(s.call("GET", "/api/procedures?q=x").status != 429);
    // Ten seconds later (the monotonic clock, not the wall), one more request.
    s.mono_ms += 10'000;
    CHECK(s.call("GET", view).status == 200);
    CHECK(s.call("GET", view).status == 429);
    CHECK(s.call("GET", "/metrics").raw.find("center_public_refused_total 6") != std::string::npos);
}

TEST_CASE("behind a trusted proxy the client is the last forwarded address that is not a proxy", "[public][limits]") {
    const std::vector<std::string> proxies = {"10.0.0.4", "10.0.0.5"};
    auto client = [&](const std::string& peer, const std::string& forwarded) {
        api::Request r;
        r.peer = peer;
        r.forwarded_for = forwarded;
        return api::client_address(r, proxies);
    };
    CHECK(client("10.0.0.4", "203.0.113.7") == "203.0.113.7");
    CHECK(client("10.0.0.4", "198.51.100.1, 203.0.113.7") == "203.0.113.7");  // the first is the phone's own word
    CHECK(client("10.0.0.4", "203.0.113.7, 10.0.0.5") == "203.0.113.7");      // two proxies in a row
    CHECK(client("10.0.0.4", " 2001:db8::1 ") == "2001:db8::1");
    CHECK(client("10.0.0.4", "") == "10.0.0.4");
    CHECK(client("10.0.0.4", "not-an-address") == "10.0.0.4");
    CHECK(client("10.0.0.4", "10.0.0.5") == "10.0.0.4");  // only proxies: the peer
    CHECK(client("192.0.2.9", "203.0.113.7") == "192.0.2.9");  // not a proxy: the header is ignored
    api::Request no_proxies;
    no_proxies.peer = "10.0.0.4";
    no_proxies.forwarded_for = "203.0.113.7";
    CHECK(api::client_address(no_proxies, {}) == "10.0.0.4");  // a center without a proxy believes no header
}
