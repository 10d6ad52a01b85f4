// follow: follow keys, their hashes and the citizen's contact (see follow.hpp).
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

std::optional<std::string> normalise_phone(std::string_view text) {
    if (text.size() > 32) return std::nullopt;
    std::string digits;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '.' || c == '-') continue;
        if (c == '+' && digits.empty() && i + 1 < text.size()) {
            digits += '+';
            continue;
        }
        if (c < '0' || c > '9') return std::nullopt;
        digits += c;
    }
    auto nine_after = [&](std::string_view prefix) {
        return digits.size() == prefix.size() + 9 && digits.starts_with(prefix);
    };
    if (nine_after("0")) return digits;
    if (nine_after("+84") || nine_after("84")) return "0" + digits.substr(digits.size() - 9);
    return std::nullopt;
}

std::string mask_phone(const std::string& phone) {
    if (phone.size() < 6) return std::string(phone.size(), '*');
    return phone.substr(0, 2) + std::string(phone.size() - 5, '*') + phone.substr(phone.size() - 3);
}

bool is_email(std::string_view text) {
    if (text.empty() || text.size() > 254) return false;
    const size_t at = text.find('@');
    if (at == 0 || at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) return false;
    for (unsigned char c : text)
        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '\\') return false;
    const std::string_view domain = text.substr(at + 1);
    const size_t dot = domain.find('.');
    return dot != std::string_view::npos && dot > 0 && domain.back() != '.' && domain.find("..") == std::string_view::npos;
}

std::string mask_email(const std::string& email) {
    const size_t at = email.find('@');
    if (at == std::string::npos || at == 0) return "***";
    return email.substr(0, 1) + "***" + email.substr(at);
}

}  // namespace api
