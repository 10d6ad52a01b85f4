// follow: follow keys and their hashes (see follow.hpp).
#include "api/follow.hpp"

#include <sodium.h>

namespace api {

std::string new_follow_key() {
    unsigned char bits[16];
    randombytes_buf(bits, sizeof bits);
    char text[sodium_base64_ENCODED_LEN(sizeof bits, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(text, sizeof text, bits, sizeof bits, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(bits, sizeof bits);
    return text;
}

std::string follow_hash(std::string_view key) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

bool is_follow_key(std::string_view text) {
    if (text.size() != kFollowKeyChars) return false;
    for (char c : text)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
    return true;
}

std::string follow_url(const PhoneSettings& phone, const std::string& key) { return phone.public_url + "/t/" + key; }

}  // namespace api
