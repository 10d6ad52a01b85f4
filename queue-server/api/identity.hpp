// identity: who books a number (issue 21). A citizen proves a phone number by a
// one-time code sent to it; the person the engine's limits count is a keyed hash
// of that number, or of the chip ID card number when one is given (BLAKE2b keyed
// with the center's identity key, DATA/identity.key, 0600): the log can count a
// person's bookings and can't be read back into numbers, and another center's
// hashes of the same number differ.
//
// Codes are 6 digits, live `code_ttl_s`, allow `max_attempts` tries, and a phone
// gets at most `codes_per_hour`. They are kept in memory only (a restart asks for
// a new one) and only as their hashes. Everything here runs on the event loop.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "engine/events.hpp"

namespace api {

class IdentityDesk {
public:
    struct Policy {
        int code_ttl_s = 300;
        int max_attempts = 5;
        int codes_per_hour = 3;
    };
    // `key`: 32 bytes or more of secret (the identity key file's content).
    IdentityDesk(std::string key, Policy policy);

    std::string person_of_phone(const std::string& phone) const;         // a normalised 0xxxxxxxxx
    std::string person_of_id_number(const std::string& id_number) const;  // 12 digits

    // A new code for the phone (its text for the message), or the refusal.
    std::variant<std::string, engine::Error> new_code(const std::string& phone, int64_t now_ms);
    // The code matches the phone's latest one. It stays good for another try (a
    // slot found full) until it expires or spend() ends it. Refusals:
    // not_verified (none asked, or expired), bad_code, too_many_attempts.
    std::optional<engine::Error> use_code(const std::string& phone, const std::string& code, int64_t now_ms);
    // A booking was made with the phone's code: one code, one booking.
    void spend(const std::string& phone);

    size_t pending() const { return codes_.size(); }

private:
    struct Pending {
        std::string code_hash;
        int64_t expires_at = 0;
        int attempts = 0;
        std::vector<int64_t> sent_at;  // within the last hour
    };
    std::string keyed_hash(const std::string& domain, const std::string& text) const;
    void forget_expired(int64_t now_ms);

    std::string key_;
    Policy policy_;
    std::map<std::string, Pending> codes_;  // by phone
    int64_t last_sweep_ms_ = 0;
};

// A chip ID card (CCCD) number: 12 digits. The old 9-digit ID cards are refused.
bool is_id_number(const std::string& text);

}  // namespace api
