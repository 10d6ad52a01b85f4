// contact: phone and e-mail checks and masks (see contact.hpp).
#include "notify/contact.hpp"

#include <algorithm>
#include <cctype>

namespace notify {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool atext(char c) {
    if (std::isalnum(static_cast<unsigned char>(c))) return true;
    return std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

// Dot-separated runs of allowed characters, none empty.
bool dotted(std::string_view s, bool (*allowed)(char)) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.') {
            if (s[i + 1] == '.') return false;
        } else if (!allowed(s[i])) {
            return false;
        }
    }
    return true;
}

bool label_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<std::string> normalise_phone(std::string_view typed) {
    if (typed.size() > 32) return std::nullopt;
    std::string digits;
    bool plus = false;
    for (size_t i = 0; i < typed.size(); ++i) {
        const char c = typed[i];
        if (c == ' ' || c == '.' || c == '-') continue;
        if (c == '+' && digits.empty() && !plus) {
            plus = true;
            continue;
        }
        if (!is_digit(c)) return std::nullopt;
        digits += c;
    }
    if (plus && !digits.starts_with("84")) return std::nullopt;
    if (digits.size() == 11 && digits.starts_with("84")) digits = "0" + digits.substr(2);
    else if (plus || digits.size() != 10 || digits[0] != '0') return std::nullopt;
    // Vietnamese mobile ranges: 03x, 05x, 07x, 08x, 09x (landlines have 11 digits, 02x).
    if (std::string_view("35789").find(digits[1]) == std::string_view::npos) return std::nullopt;
    return digits;
}

std::optional<std::string> normalise_email(std::string_view typed) {
    const std::string_view s = trim(typed);
    if (s.size() > 254 || s.empty()) return std::nullopt;
    const auto at = s.find('@');
    if (at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) return std::nullopt;
    const std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
    if (local.size() > 64 || !dotted(local, atext)) return std::nullopt;
    if (domain.size() > 253 || domain.find('.') == std::string_view::npos || !dotted(domain, label_char))
        return std::nullopt;
    for (size_t i = 0, start = 0; i <= domain.size(); ++i) {
        if (i < domain.size() && domain[i] != '.') continue;
        const std::string_view label = domain.substr(start, i - start);
        if (label.size() > 63 || label.front() == '-' || label.back() == '-') return std::nullopt;
        start = i + 1;
    }
    std::string out(local);
    out += '@';
    for (char c : domain) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string mask_phone(std::string_view phone) {
    if (phone.size() <= 5) return std::string(phone.size(), '*');
    return std::string(phone.substr(0, 2)) + std::string(phone.size() - 5, '*') + std::string(phone.substr(phone.size() - 3));
}

std::string mask_email(std::string_view email) {
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0) return "***";
    return std::string(email.substr(0, 1)) + "***" + std::string(email.substr(at));
}

std::string mask_contact(std::string_view contact) {
    return contact.find('@') != std::string_view::npos ? mask_email(contact) : mask_phone(contact);
}

}  // namespace notify
