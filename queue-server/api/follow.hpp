// follow: the pieces of the citizen's phone (issue 20) that are plain values —
// the center's [phone] settings and the follow key a ticket is followed by. The
// contact a citizen gives for messages is checked and masked by notify/contact.hpp.
//
// The follow key: 128 random bits (libsodium), base64url without padding, 22
// characters. Only its hash — hex SHA-256 of those 22 characters — goes into the
// engine and the log, so the log, a backup or a copy of center.db cannot be
// turned back into keys. A key is looked up by hashing what was presented;
// anything that is not 22 base64url characters is refused without a lookup.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace api {

// The center config's [phone] table (all optional).
struct PhoneSettings {
    std::string public_url;  // "https://hcc.example.vn" (no trailing slash); empty: follow URLs are paths
    int late_places = 3;     // "I'll be late" moves a ticket this many places back
    int alert_ahead = 3;     // the phone page and messages alert at this many people ahead
    bool display_qr = false; // hall displays show a QR to {public_url}/m/q
    // Reverse proxies in front of the server (their addresses): for requests from
    // them, the client is the last address of X-Forwarded-For that is not one of them.
    std::vector<std::string> trusted_proxies;
};

constexpr size_t kFollowKeyChars = 22;
std::string new_follow_key();                        // needs sodium_init()
std::string follow_hash(std::string_view key);       // hex SHA-256 of the key's text
bool is_follow_key(std::string_view text);           // 22 characters of A-Z a-z 0-9 - _
// "{public_url}/t/{key}", or "/t/{key}" when the center has no public URL.
std::string follow_url(const PhoneSettings& phone, const std::string& key);

}  // namespace api
