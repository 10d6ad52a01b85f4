// identity: one-time codes and keyed hashes of who books (see identity.hpp).
#include "api/identity.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace api {
namespace {

constexpr int64_t kHourMs = 3'600'000;

engine::Error refused(std::string code, std::string message, int status) { return {std::move(code), std::move(message), status}; }

std::string hex(const unsigned char* bytes, size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes, n);
    out.pop_back();
    return out;
}

}  // namespace

bool is_id_number(const std::string& text) {
    return text.size() == 12 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

IdentityDesk::IdentityDesk(std::string key, Policy policy) : key_(std::move(key)), policy_(policy) {
    if (key_.size() < crypto_generichash_KEYBYTES) throw std::invalid_argument("the identity key has fewer than 32 bytes");
    key_.resize(crypto_generichash_KEYBYTES);
}

// The domain keeps a phone number and an ID number that read alike apart.
std::string IdentityDesk::keyed_hash(const std::string& domain, const std::string& text) const {
    const std::string input = domain + ":" + text;
    unsigned char out[32];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                       reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
    return hex(out, sizeof out);
}

std::string IdentityDesk::person_of_phone(const std::string& phone) const { return keyed_hash("phone", phone); }

std::string IdentityDesk::person_of_id_number(const std::string& id_number) const { return keyed_hash("cccd", id_number); }

void IdentityDesk::forget_expired(int64_t now_ms) {
    if (now_ms - last_sweep_ms_ < 60'000) return;
    last_sweep_ms_ = now_ms;
    std::erase_if(codes_, [&](const auto& kv) {
        return kv.second.expires_at <= now_ms && (kv.second.sent_at.empty() || kv.second.sent_at.back() <= now_ms - kHourMs);
    });
}

std::variant<std::string, engine::Error> IdentityDesk::new_code(const std::string& phone, int64_t now_ms) {
    forget_expired(now_ms);
    Pending& p = codes_[phone];
    std::erase_if(p.sent_at, [&](int64_t at) { return at <= now_ms - kHourMs; });
    if (static_cast<int>(p.sent_at.size()) >= policy_.codes_per_hour)
        return refused("too_many_codes", "at most " + std::to_string(policy_.codes_per_hour) +
                                             " codes an hour are sent to one number; try again later", 429);
    char code[7];
    std::snprintf(code, sizeof code, "%06u", randombytes_uniform(1'000'000));
    p.code_hash = keyed_hash("code:" + phone, code);
    p.expires_at = now_ms + int64_t{policy_.code_ttl_s} * 1000;
    p.attempts = 0;
    p.sent_at.push_back(now_ms);
    return std::string(code);
}

std::optional<engine::Error> IdentityDesk::use_code(const std::string& phone, const std::string& code, int64_t now_ms) {
    auto it = codes_.find(phone);
    if (it == codes_.end() || it->second.code_hash.empty() || it->second.expires_at <= now_ms)
        return refused("not_verified", "ask for a code for this phone number (POST /api/public/verify): each booking needs its own", 401);
    Pending& p = it->second;
    if (p.attempts >= policy_.max_attempts)
        return refused("too_many_attempts", "too many wrong codes: ask for a new one", 429);  // only wrong ones count
    const std::string presented = keyed_hash("code:" + phone, code);
    if (sodium_memcmp(presented.data(), p.code_hash.data(), presented.size()) != 0) {
        ++p.attempts;
        return refused("bad_code", "the code is not the one sent (" + std::to_string(policy_.max_attempts - p.attempts) +
                                       " tries left)", 401);
    }
    return std::nullopt;  // good until it expires: a refused booking need not ask again
}

void IdentityDesk::spend(const std::string& phone) {
    if (auto it = codes_.find(phone); it != codes_.end()) it->second.code_hash.clear();
}

}  // namespace api
