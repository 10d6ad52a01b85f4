// auth: who is asking. Passwords are Argon2id hashes (libsodium); kiosks and
// displays carry device tokens; staff, managers and admins get a session token at
// login. Tokens are 32 random bytes shown once; only their BLAKE2b hash is kept,
// so a copy of the database lets nobody in.
//
// The tables are read once at start and kept in memory: every request is checked
// without touching the disk. Writes go through the store's writer like events.
#pragma once
#include <map>
#include <optional>
#include <string>

#include <vector>

#include "api/roles.hpp"
#include "store/store.hpp"

namespace api {

struct Principal {
    Role role = Role::kiosk;
    std::string name;  // user name or device name
    int counter = 0;   // staff: the counter they work at; a rating tablet: the counter it stands at
    std::string token_hash;  // the token it came with: a logout or a revocation ends its streams too
};

struct PasswordCost {
    unsigned long long ops = 2;         // Argon2id passes
    size_t mem_bytes = 19 * 1024 * 1024;  // OWASP's minimum for Argon2id: m=19 MiB, t=2, p=1
};

std::string hash_password(const std::string& password, const PasswordCost& cost);  // throws on out of memory
bool verify_password(const std::string& hash, const std::string& password);
std::string new_token();                          // 43 characters, URL-safe base64 of 32 random bytes
std::string token_hash(const std::string& token);  // hex BLAKE2b-256

class Auth {
public:
    static constexpr int64_t kSessionMs = 12LL * 3600 * 1000;  // a working day

    void load(store::Store& store, int64_t now_ms);
    std::optional<Principal> authenticate(const std::string& token, int64_t now_ms) const;

    const store::User* user(const std::string& name) const;
    const std::map<std::string, store::User>& users() const { return users_; }
    const std::map<std::string, store::Device>& devices() const { return devices_; }  // by token hash
    // A device is named in the admin pages by the first characters of its token's hash.
    static constexpr size_t kDeviceIdChars = 16;
    static std::string device_id(const store::Device& d) { return d.token_hash.substr(0, kDeviceIdChars); }
    const store::Device* device(const std::string& id) const;
    void remember(const store::User& u) { users_[u.name] = u; }
    void remember(const store::Device& d) { devices_[d.token_hash] = d; }
    void remember(const store::Session& s) { sessions_[s.token_hash] = s; }
    void forget_session(const std::string& hash) { sessions_.erase(hash); }
    void forget_device(const std::string& hash) { devices_.erase(hash); }
    void forget_user(const std::string& name);     // and ends their sessions
    void end_sessions_of(const std::string& name);

    // Checked against for unknown users, so timing tells nothing of which names exist.
    const std::string& dummy_hash() const { return dummy_hash_; }
    void set_dummy_hash(std::string hash) { dummy_hash_ = std::move(hash); }
    // Forgets the sessions that expired; returns their token hashes (their streams end too).
    std::vector<std::string> purge_expired(int64_t now_ms);
    bool has_session(const std::string& hash) const { return sessions_.contains(hash); }

private:
    std::map<std::string, store::User> users_;
    std::map<std::string, store::Device> devices_;
    std::map<std::string, store::Session> sessions_;
    std::string dummy_hash_;
};

}  // namespace api
