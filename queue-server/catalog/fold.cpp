// fold: utf8proc decomposition, case fold and mark stripping, plus đ (see fold.hpp).
#include "catalog/fold.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <sstream>

namespace catalog {

namespace {

// Keeps letters and digits of any script; everything else separates words.
bool is_word_char(utf8proc_int32_t cp) {
    switch (utf8proc_category(cp)) {
        case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
            return true;
        default:
            return false;
    }
}

std::optional<std::string> fold_words(std::string_view text, bool strip_marks) {
    utf8proc_uint8_t* mapped = nullptr;
    const auto options = static_cast<utf8proc_option_t>(
        UTF8PROC_STABLE | UTF8PROC_CASEFOLD | (strip_marks ? UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK : UTF8PROC_COMPOSE));
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                static_cast<utf8proc_ssize_t>(text.size()), &mapped, options);
    if (n < 0) return std::nullopt;
    std::string out;
    out.reserve(static_cast<size_t>(n));
    bool space = true;  // no leading space
    for (utf8proc_ssize_t i = 0; i < n;) {
        utf8proc_int32_t cp = 0;
        i += utf8proc_iterate(mapped + i, n - i, &cp);
        if (cp == 0x0111 && strip_marks) cp = 'd';  // đ (Đ is already case-folded to đ)
        if (!is_word_char(cp)) {
            if (!space) out += ' ';
            space = true;
            continue;
        }
        utf8proc_uint8_t buf[4];
        out.append(reinterpret_cast<char*>(buf), static_cast<size_t>(utf8proc_encode_char(cp, buf)));
        space = false;
    }
    std::free(mapped);
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

std::optional<std::string> fold(std::string_view text) { return fold_words(text, true); }
std::optional<std::string> fold_case(std::string_view text) { return fold_words(text, false); }

std::vector<std::string> split_words(std::string_view folded) {
    std::vector<std::string> words;
    std::istringstream in{std::string(folded)};
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

}  // namespace catalog
