// feed_signing: the dossier backend's signature on a push (HMAC-SHA256 of
// "TIMESTAMP.BODY" with the feed secret), as tests send it.
#pragma once
#include <sodium.h>

#include <string>

namespace testing {

inline std::string sign(const std::string& secret, const std::string& ts, const std::string& body) {
    const std::string message = ts + "." + body;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[2 * sizeof mac + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return std::string("sha256=") + hex;
}

}  // namespace testing
