// name_mask: the applicant's name as a kiosk may show it (see mask_name in
// dossier.hpp). Words are split on every character that is not part of a word,
// not on ASCII spaces only: "Nguyễn\u00a0Văn\u00a0An" once came back whole.
#include <string>
#include <string_view>
#include <vector>

#include <utf8proc.h>

#include "common/text.hpp"
#include "dossier/dossier.hpp"

namespace dossier {

namespace {

// Letters (Lu Ll Lt Lm Lo), marks (Mn Mc Me) and numbers (Nd Nl No): utf8proc
// numbers these categories one after another.
bool in_word(utf8proc_int32_t cp) {
    const auto c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

// The words of valid UTF-8 text, as views into it.
std::vector<std::string_view> words_of(std::string_view text) {
    std::vector<std::string_view> words;
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    size_t start = std::string_view::npos;
    for (size_t i = 0; i < text.size();) {
        utf8proc_int32_t cp = 0;
        const auto n = utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
        if (n <= 0) break;  // not reached: the text was checked
        const bool inside = in_word(cp);
        if (inside && start == std::string_view::npos) start = i;
        if (!inside && start != std::string_view::npos) {
            words.push_back(text.substr(start, i - start));
            start = std::string_view::npos;
        }
        i += static_cast<size_t>(n);
    }
    if (start != std::string_view::npos) words.push_back(text.substr(start));
    return words;
}

}  // namespace

std::string mask_name(std::string_view name) {
    // NFC first, so a decomposed "Văn" (V a U+0306 n) is one letter then "**",
    // and its marks never count as letters of their own.
    const auto nfc = common::to_nfc(name);
    if (!nfc) return "";  // not text: show nothing rather than guess
    const auto words = words_of(*nfc);
    if (words.empty()) return "";
    std::string out(words[0]);  // the family name is shared by millions: it identifies no one
    for (size_t i = 1; i < words.size(); ++i) {
        out += ' ';
        out += common::utf8_prefix(words[i], 1);
        out += "**";
    }
    return out;
}

}  // namespace dossier
