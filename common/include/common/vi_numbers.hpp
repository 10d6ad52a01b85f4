// vi_numbers: how a number is read aloud in Vietnamese, word by word.
//
// Why words and not one string: the hall display speaks a number by joining one
// recorded clip per word ("một", "trăm", "linh", "năm"), so the reading is a list
// of clip names. The rules (../shared/data/vi_number_words.tsv holds the vectors):
// 1 after "mươi" is "mốt" but "một" after "mười"; 5 after a tens word is "lăm";
// 4 after "mươi" may be "tư"; a zero tens digit inside a number is "linh" or "lẻ";
// a zero hundreds digit after thousands is "không trăm". Regional habits
// (lẻ / linh, ngàn / nghìn, bốn / tư) are a style, chosen per center.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace common {

struct NumberStyle {
    bool le = false;           // "lẻ" instead of "linh" for a zero tens digit (southern habit)
    bool ngan = false;         // "ngàn" instead of "nghìn"
    bool tu_after_muoi = true; // 24 is "hai mươi tư" (else "hai mươi bốn")
};

// Words of `n` (0 to 999,999,999,999), e.g. 105 → {"một", "trăm", "linh", "năm"}.
std::vector<std::string> vi_number_words(uint64_t n, const NumberStyle& style = {});
// The same words joined by spaces: "một trăm linh năm".
std::string vi_number_text(uint64_t n, const NumberStyle& style = {});
// Each digit as a word: "105" → {"một", "không", "năm"}; non-digits are skipped.
std::vector<std::string> vi_digit_words(const std::string& digits);

}  // namespace common
