// public_limits: how often phones may call the public routes (issue 20), per
// client address and all together. The public routes take no token, so the
// address is all there is to count by: each has a token bucket (120 requests a
// minute, bursts of 60: a phone page makes a handful), and one global bucket
// (2,000 a second) keeps a crowd of addresses from taking the loop from the hall.
// A refused request is answered 429 with Retry-After from its request line
// alone, before a byte of its body is read (Core::admit).
//
// Behind a reverse proxy every phone comes from the proxy's address: [phone]
// trusted_proxies names it, and client_address takes X-Forwarded-For from it.
//
// IPv6 addresses are counted by their /64: a phone network gives each phone a
// /64, so one phone spreading its requests over its own addresses gains nothing.
// Memory is bounded: past max_tracked addresses, the one seen longest ago is
// forgotten. Pure: the caller passes the (monotonic) time. Not thread-safe: the
// event loop calls it.
#pragma once
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/reply.hpp"

namespace api {

// Who a request is counted as: its peer, or, when the peer is one of the trusted
// reverse proxies, the last X-Forwarded-For address that is not a trusted proxy
// (the one the nearest proxy saw; the ones before it are the client's to write).
// An address that does not parse leaves the peer.
std::string client_address(const Request& r, const std::vector<std::string>& trusted_proxies);

class PublicLimiter {
public:
    struct Policy {
        int per_address_per_minute = 120;
        int per_address_burst = 60;
        int global_per_second = 2000;
        int global_burst = 2000;
        size_t max_tracked = 100'000;  // addresses kept at most
    };
    PublicLimiter();
    explicit PublicLimiter(Policy p);  // throws std::invalid_argument for a policy that lets nothing through

    // nullopt: go ahead (one request is counted); otherwise how many ms until it may.
    std::optional<int64_t> admit(const std::string& address, int64_t now_ms);
    size_t tracked() const { return index_.size(); }
    uint64_t refused() const { return refused_; }

    // The key an address is counted by: IPv4 as it is, IPv6 by its first 64 bits.
    static std::string counted_as(const std::string& address);

private:
    // A request costs `period` units; each ms adds `rate` units, up to burst * period.
    struct Bucket {
        int64_t units = -1, at = 0;  // -1: not seen yet (full)
    };
    struct Shape {
        int64_t rate, period, burst;
    };
    static int64_t refill(Bucket& b, const Shape& s, int64_t now_ms);
    static int64_t wait_ms(int64_t units, const Shape& s) { return (s.period - units + s.rate - 1) / s.rate; }
    Bucket& bucket_of(const std::string& key);

    Policy policy_;
    Shape address_shape_, global_shape_;
    Bucket global_;
    using Order = std::list<std::pair<std::string, Bucket>>;
    Order order_;  // most recently seen first
    std::unordered_map<std::string, Order::iterator> index_;
    uint64_t refused_ = 0;
};

}  // namespace api
