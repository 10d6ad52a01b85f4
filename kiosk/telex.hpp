// telex: Vietnamese typing on a plain keyboard, the way most Vietnamese type —
// "dd" → đ, "aa" → â, "aw" → ă, "ow" → ơ, "uw" → ư, and a tone letter after the
// word's vowels: s sắc, f huyền, r hỏi, x ngã, j nặng, z removes it. Pressing
// the same tone letter twice takes the tone back and types the letter.
//
// Why by hand: Debian has input-method engines (ibus-unikey, fcitx) but no
// library a program links to turn keys into text, and a kiosk has no input
// method running. The rules here are the common subset; search folds the
// diacritics away anyway, so Telex is an option for those who want to see
// "Đăng ký" as they type it, never a requirement.
#pragma once
#include <string>

namespace kiosk {

// `text` (UTF-8, NFC) after typing the ASCII key `key` with Telex on.
std::string telex_type(const std::string& text, char key);

// The last character of UTF-8 `text` removed (Backspace).
std::string drop_last_char(const std::string& text);

}  // namespace kiosk
