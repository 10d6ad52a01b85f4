// fuzz_mask: bytes as an applicant's name for dossier::mask_name, the kiosk's
// masked name. It must never crash, and it keeps the mask's exact promise:
//
//   Let T be the input in NFC and a word a maximal run of letters, marks and
//   numbers (Unicode L*, M*, N*) in T; every other code point only separates.
//   The output is empty when the input is not UTF-8 or has no word; otherwise
//   it is the first word of T whole, then, for each later word in order, one
//   ASCII space, that word's first code point and "**".
//
// So past the family name the output never holds two letters in a row: no
// space, tab, U+00A0, U+3000, U+200B or decomposed mark lets the rest of a
// word through.
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <utf8proc.h>

#include "common/text.hpp"
#include "dossier/dossier.hpp"

namespace {

struct Point {
    utf8proc_int32_t cp;
    std::string_view bytes;
};

std::vector<Point> points_of(std::string_view s) {
    std::vector<Point> out;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    for (size_t i = 0; i < s.size();) {
        utf8proc_int32_t cp = 0;
        const auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
        if (n <= 0) std::abort();  // the output must be UTF-8 too
        out.push_back({cp, s.substr(i, static_cast<size_t>(n))});
        i += static_cast<size_t>(n);
    }
    return out;
}

bool word_point(utf8proc_int32_t cp) {
    switch (utf8proc_category(cp)) {
        case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: return true;
        default: return false;
    }
}

bool letter(utf8proc_int32_t cp) {
    const auto c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

// What the promise says the output is, built from T's points one by one.
std::string promised(const std::vector<Point>& t) {
    std::string out;
    bool inside = false, first_word = true;
    for (const auto& p : t) {
        const bool w = word_point(p.cp);
        if (w && !inside && !first_word) out += " " + std::string(p.bytes) + "**";
        if (w && first_word) out += p.bytes;
        if (!w && inside) first_word = false;
        inside = w;
    }
    return out;
}

// Past the first word, no two letters follow each other.
void no_letter_runs(const std::string& masked) {
    const auto points = points_of(masked);
    size_t i = 0;
    while (i < points.size() && points[i].cp != ' ') ++i;
    for (; i + 1 < points.size(); ++i)
        if (letter(points[i].cp) && letter(points[i + 1].cp)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view name(reinterpret_cast<const char*>(data), size);
    const std::string masked = dossier::mask_name(name);
    no_letter_runs(masked);
    const auto nfc = common::to_nfc(name);
    if (!nfc) {
        if (!masked.empty()) std::abort();
        return 0;
    }
    if (masked != promised(points_of(*nfc))) std::abort();
    return 0;
}
