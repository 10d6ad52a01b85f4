// vi_numbers: Vietnamese number reading (see vi_numbers.hpp for the rules).
#include "common/vi_numbers.hpp"

#include <array>
#include <stdexcept>

namespace common {

namespace {

const std::array<const char*, 10> kDigits = {"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"};

// The units digit after a tens word: mốt, tư, lăm where the rules say so.
const char* unit_after_tens(int tens, int unit, const NumberStyle& style) {
    if (unit == 5) return "lăm";
    if (tens >= 2 && unit == 1) return "mốt";
    if (tens >= 2 && unit == 4 && style.tu_after_muoi) return "tư";
    return kDigits[unit];
}

// One group of three digits. `inner` is true when a higher group was read, so a
// zero hundreds digit is spoken ("không trăm") and a lone unit takes "linh".
void read_group(int group, bool inner, const NumberStyle& style, std::vector<std::string>& out) {
    const int hundreds = group / 100, tens = group / 10 % 10, unit = group % 10;
    const bool has_hundreds = hundreds > 0 || inner;
    if (has_hundreds) {
        out.push_back(kDigits[hundreds]);
        out.push_back("trăm");
    }
    if (tens == 0) {
        if (unit == 0) return;
        if (has_hundreds) out.push_back(style.le ? "lẻ" : "linh");
        out.push_back(kDigits[unit]);
        return;
    }
    if (tens == 1) {
        out.push_back("mười");
    } else {
        out.push_back(kDigits[tens]);
        out.push_back("mươi");
    }
    if (unit) out.push_back(unit_after_tens(tens, unit, style));
}

}  // namespace

std::vector<std::string> vi_number_words(uint64_t n, const NumberStyle& style) {
    if (n > 999'999'999'999ULL) throw std::out_of_range("vi_number_words: number too large");
    if (n == 0) return {kDigits[0]};
    const std::array<const char*, 4> scale = {"", style.ngan ? "ngàn" : "nghìn", "triệu", "tỷ"};
    std::array<int, 4> groups{};
    for (int& g : groups) {
        g = static_cast<int>(n % 1000);
        n /= 1000;
    }
    std::vector<std::string> out;
    bool read_any = false;
    for (int i = 3; i >= 0; --i) {
        if (groups[i] == 0) continue;  // 1,000,000 is "một triệu", not "một triệu không nghìn"
        read_group(groups[i], read_any, style, out);
        if (i > 0) out.push_back(scale[i]);
        read_any = true;
    }
    return out;
}

std::string vi_number_text(uint64_t n, const NumberStyle& style) {
    std::string text;
    for (const auto& w : vi_number_words(n, style)) text += (text.empty() ? "" : " ") + w;
    return text;
}

std::vector<std::string> vi_digit_words(const std::string& digits) {
    std::vector<std::string> out;
    for (char c : digits)
        if (c >= '0' && c <= '9') out.push_back(kDigits[c - '0']);
    return out;
}

}  // namespace common
