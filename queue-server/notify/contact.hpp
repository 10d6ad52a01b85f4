// contact: the citizen's phone number or e-mail address, checked, normalised and
// masked. Shared by the notify route (400 bad_phone / bad_email) and the
// notifier (every log line and every screen shows the masked form only).
//
// Why strict: the number goes into a gateway request and the address into an
// SMTP envelope and header; anything odd (letters, a newline, a 300-digit
// string, a landline) is refused here, before it is kept anywhere.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace notify {

// A Vietnamese mobile number as "0xxxxxxxxx" (10 digits, second digit 3/5/7/8/9),
// from what a person types: spaces, dots and dashes are dropped, "+84" or "84"
// in front stands for the leading 0. nullopt for anything else (and for input
// longer than 32 bytes, whatever it holds).
std::optional<std::string> normalise_phone(std::string_view typed);

// An e-mail address, trimmed, its domain in lower case; nullopt when it is not
// a plain address (one '@', dot-atom local part, a domain with a dot, no
// spaces or control characters, at most 254 bytes).
std::optional<std::string> normalise_email(std::string_view typed);

// "0912345678" -> "09*****678": the first 2 and the last 3 digits.
std::string mask_phone(std::string_view phone);
// "an.nguyen@example.vn" -> "a***@example.vn".
std::string mask_email(std::string_view email);
// Either: an address with '@' is masked as e-mail, anything else as a phone.
std::string mask_contact(std::string_view contact);

}  // namespace notify
