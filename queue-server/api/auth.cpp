// auth: Argon2id passwords, device and session tokens (see auth.hpp).
#include "api/auth.hpp"

#include <sodium.h>

#include <stdexcept>

namespace api {

std::string hash_password(const std::string& password, const PasswordCost& cost) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem_bytes,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("Argon2id hashing ran out of memory");
    return out;
}

bool verify_password(const std::string& hash, const std::string& password) {
    if (hash.size() >= crypto_pwhash_STRBYTES) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string new_token() {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

std::string token_hash(const std::string& token) {
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

void Auth::load(store::Store& store, int64_t now_ms) {
    store.purge_sessions(now_ms);
    for (auto& u : store.users()) users_[u.name] = u;
    for (auto& d : store.devices()) devices_[d.token_hash] = d;
    for (auto& s : store.sessions(now_ms)) sessions_[s.token_hash] = s;
}

std::optional<Principal> Auth::authenticate(const std::string& token, int64_t now_ms) const {
    if (token.empty() || token.size() > 256) return std::nullopt;
    const std::string h = token_hash(token);
    if (auto d = devices_.find(h); d != devices_.end()) {
        const auto role = role_from_name(d->second.role);
        if (!role || !is_device_role(*role)) return std::nullopt;
        return Principal{*role, d->second.name, d->second.counter, h};
    }
    auto s = sessions_.find(h);
    if (s == sessions_.end() || s->second.expires_at <= now_ms) return std::nullopt;
    // The user's role or counter may have changed since login: the account decides.
    auto u = users_.find(s->second.user);
    if (u == users_.end()) return std::nullopt;
    const auto role = role_from_name(u->second.role);
    if (!role || !is_user_role(*role)) return std::nullopt;
    return Principal{*role, u->second.name, u->second.counter, h};
}

const store::User* Auth::user(const std::string& name) const {
    auto it = users_.find(name);
    return it == users_.end() ? nullptr : &it->second;
}

const store::Device* Auth::device(const std::string& id) const {
    if (id.size() != kDeviceIdChars) return nullptr;
    auto it = devices_.lower_bound(id);
    return it != devices_.end() && it->first.starts_with(id) ? &it->second : nullptr;
}

void Auth::forget_user(const std::string& name) {
    users_.erase(name);
    end_sessions_of(name);
}

void Auth::end_sessions_of(const std::string& name) {
    std::erase_if(sessions_, [&](const auto& kv) { return kv.second.user == name; });
}

std::vector<std::string> Auth::purge_expired(int64_t now_ms) {
    std::vector<std::string> gone;
    std::erase_if(sessions_, [&](const auto& kv) {
        if (kv.second.expires_at > now_ms) return false;
        gone.push_back(kv.first);
        return true;
    });
    return gone;
}

}  // namespace api
