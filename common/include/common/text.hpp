// text: UTF-8 checks and NFC normalisation for everything a person types or reads.
//
// Why: Vietnamese arrives both precomposed (NFC) and decomposed (NFD, from some
// keyboards and macOS); comparing or storing both would make "Hồ" != "Hồ".
// Every string that enters the server is checked and stored as NFC.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace common {

bool is_valid_utf8(std::string_view s);
// NFC form of valid UTF-8 text; nullopt when the input is not valid UTF-8.
std::optional<std::string> to_nfc(std::string_view s);
// Number of Unicode code points in valid UTF-8 text.
size_t utf8_length(std::string_view s);
// The first `most` code points of valid UTF-8 (all of it when shorter).
std::string_view utf8_prefix(std::string_view s, size_t most);

}  // namespace common
