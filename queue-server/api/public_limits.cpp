// public_limits: token buckets per client address and overall (see public_limits.hpp).
#include "api/public_limits.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <stdexcept>

namespace api {

namespace {

std::string trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

bool is_trusted(const std::string& address, const std::vector<std::string>& trusted) {
    return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
}

}  // namespace

std::string client_address(const Request& r, const std::vector<std::string>& trusted_proxies) {
    if (r.forwarded_for.empty() || !is_trusted(r.peer, trusted_proxies)) return r.peer;
    std::string_view rest = r.forwarded_for;
    while (!rest.empty()) {
        const size_t comma = rest.rfind(',');
        const std::string hop = trimmed(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
        if (is_trusted(hop, trusted_proxies)) continue;
        boost::system::error_code ec;
        const auto a = boost::asio::ip::make_address(hop, ec);
        return ec ? r.peer : a.to_string();
    }
    return r.peer;
}

PublicLimiter::PublicLimiter() : PublicLimiter(Policy{}) {}

PublicLimiter::PublicLimiter(Policy p)
    : policy_(p),
      address_shape_{p.per_address_per_minute, 60'000, p.per_address_burst},
      global_shape_{p.global_per_second, 1'000, p.global_burst} {
    if (p.per_address_per_minute < 1 || p.per_address_burst < 1 || p.global_per_second < 1 || p.global_burst < 1 || p.max_tracked < 1)
        throw std::invalid_argument("public limits: every rate, burst and size must be at least 1");
}

std::string PublicLimiter::counted_as(const std::string& address) {
    boost::system::error_code ec;
    const auto a = boost::asio::ip::make_address(address, ec);
    if (ec || !a.is_v6()) return address;
    const auto v6 = a.to_v6();
    if (v6.is_v4_mapped()) return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
    auto bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

int64_t PublicLimiter::refill(Bucket& b, const Shape& s, int64_t now_ms) {
    const int64_t full = s.burst * s.period;
    if (b.units < 0) b = {full, now_ms};
    const int64_t elapsed = std::max<int64_t>(0, now_ms - b.at);
    // Past the time to fill it, it is full: no multiplication that could overflow.
    b.units = elapsed >= (full - b.units) / s.rate + 1 ? full : std::min(full, b.units + elapsed * s.rate);
    b.at = std::max(b.at, now_ms);
    return b.units;
}

PublicLimiter::Bucket& PublicLimiter::bucket_of(const std::string& key) {
    if (auto it = index_.find(key); it != index_.end()) {
        order_.splice(order_.begin(), order_, it->second);
        return it->second->second;
    }
    order_.emplace_front(key, Bucket{});
    index_[key] = order_.begin();
    if (index_.size() > policy_.max_tracked) {
        index_.erase(order_.back().first);
        order_.pop_back();
    }
    return order_.front().second;
}

std::optional<int64_t> PublicLimiter::admit(const std::string& address, int64_t now_ms) {
    Bucket& mine = bucket_of(counted_as(address));
    const int64_t have = refill(mine, address_shape_, now_ms);
    const int64_t all = refill(global_, global_shape_, now_ms);
    // Nothing is counted for a refused request: a refused address cannot drain the global bucket.
    if (have < address_shape_.period) {
        ++refused_;
        return wait_ms(have, address_shape_);
    }
    if (all < global_shape_.period) {
        ++refused_;
        return wait_ms(all, global_shape_);
    }
    mine.units -= address_shape_.period;
    global_.units -= global_shape_.period;
    return std::nullopt;
}

}  // namespace api
