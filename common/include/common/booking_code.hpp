// booking_code: the alphabet and length of a booking's code (issue 21), shared
// by the server that makes the codes, the engine that checks them and the kiosk
// whose keypad types them. No 0/O and no 1/I: read aloud or off a phone, they
// are mistaken for each other; 32 characters, 8 of them: 40 bits.
#pragma once
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

namespace common {

inline constexpr std::string_view kBookingCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
inline constexpr size_t kBookingCodeLength = 8;

inline bool is_booking_code(const std::string& c) {
    return c.size() == kBookingCodeLength && c.find_first_not_of(kBookingCodeAlphabet) == std::string::npos;
}

// A code as typed: upper case, only the alphabet's characters, at most its length.
inline std::string booking_code_typed(const std::string& text) {
    std::string code;
    for (char c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (kBookingCodeAlphabet.find(c) != std::string_view::npos && code.size() < kBookingCodeLength) code += c;
    }
    return code;
}

}  // namespace common
