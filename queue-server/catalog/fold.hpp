// fold: Vietnamese text reduced to what a person typing on a kiosk without
// diacritics would write: lowercase, no tone marks or vowel marks, đ → d,
// punctuation turned into spaces. "Đăng ký khai sinh", "dang ky khai sinh" and
// "ĐĂNG  KÝ KHAI-SINH" all fold to "dang ky khai sinh".
//
// Why our own fold and not FTS5's unicode61 remove_diacritics: that tokenizer
// leaves đ alone (it is a letter of its own, not d + a mark), and the search
// index, the query, the synonyms and the typo vocabulary must all fold the same.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace catalog {

// Folded text, words separated by single spaces; nullopt if not valid UTF-8.
std::optional<std::string> fold(std::string_view text);
// The same but keeping the marks (NFC, lowercase): "đăng ký khai sinh". Used to
// prefer, among folded matches, the words a person typed with their diacritics.
std::optional<std::string> fold_case(std::string_view text);
std::vector<std::string> split_words(std::string_view folded);
// fold() of text already known to be UTF-8 (checked at import); "" otherwise.
inline std::string folded(std::string_view text) { return fold(text).value_or(""); }

}  // namespace catalog
