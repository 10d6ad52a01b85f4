// telex: keys → Vietnamese letters and tones (see telex.hpp).
#include "kiosk/telex.hpp"

#include <array>
#include <cctype>
#include <optional>
#include <vector>

namespace kiosk {

namespace {

// Each row: a base vowel, then its five tones: huyền, sắc, hỏi, ngã, nặng.
constexpr std::array<std::u32string_view, 24> kVowels = {
    U"aàáảãạ", U"ăằắẳẵặ", U"âầấẩẫậ", U"eèéẻẽẹ", U"êềếểễệ", U"iìíỉĩị", U"oòóỏõọ", U"ôồốổỗộ",
    U"ơờớởỡợ", U"uùúủũụ", U"ưừứửữự", U"yỳýỷỹỵ", U"AÀÁẢÃẠ", U"ĂẰẮẲẴẶ", U"ÂẦẤẨẪẬ", U"EÈÉẺẼẸ",
    U"ÊỀẾỂỄỆ", U"IÌÍỈĨỊ", U"OÒÓỎÕỌ", U"ÔỒỐỔỖỘ", U"ƠỜỚỞỠỢ", U"UÙÚỦŨỤ", U"ƯỪỨỬỮỰ", U"YỲÝỶỸỴ"};

struct Vowel {
    int row = -1;  // in kVowels; -1: not a vowel
    int tone = 0;  // 0 none, 1..5
};

Vowel vowel_of(char32_t c) {
    for (size_t r = 0; r < kVowels.size(); ++r) {
        const auto at = kVowels[r].find(c);
        if (at != std::u32string_view::npos) return {static_cast<int>(r), static_cast<int>(at)};
    }
    return {};
}

char32_t with(int row, int tone) { return kVowels[static_cast<size_t>(row)][static_cast<size_t>(tone)]; }
char32_t base_of(const Vowel& v) { return with(v.row, 0); }

int tone_of_key(char key) {
    switch (std::tolower(static_cast<unsigned char>(key))) {
        case 'f': return 1;
        case 's': return 2;
        case 'r': return 3;
        case 'x': return 4;
        case 'j': return 5;
        case 'z': return 0;
        default: return -1;
    }
}

std::u32string decode(const std::string& s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char32_t c = n == 1 ? b : b & (0x7F >> n);
        for (int k = 1; k < n && i + static_cast<size_t>(k) < s.size(); ++k)
            c = (c << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
        out.push_back(c);
        i += static_cast<size_t>(n);
    }
    return out;
}

std::string encode(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

bool is_letter(char32_t c) { return c > 0x7F || std::isalpha(static_cast<int>(c)); }

// Where the last word starts: after the last space, digit or punctuation.
size_t word_start(const std::u32string& t) {
    size_t i = t.size();
    while (i > 0 && is_letter(t[i - 1])) --i;
    return i;
}

// The vowel of the word that carries the tone: a vowel with a hat or horn
// (ơ of "ươ" first), else in a cluster of two the first when the word ends
// there ("mùa", "hóa"), the second when a consonant follows ("hoàng", "tuấn").
// "qu" and "gi" begin the word: their u and i are not part of the cluster.
std::optional<size_t> tone_position(const std::u32string& t, size_t start) {
    size_t first = start;
    auto lower = [&](size_t i) { return static_cast<char32_t>(std::tolower(static_cast<int>(t[i] < 0x80 ? t[i] : 0))); };
    if (t.size() - start >= 2 && ((lower(start) == 'q' && lower(start + 1) == 'u') || (lower(start) == 'g' && lower(start + 1) == 'i')) &&
        t.size() - start > 2 && vowel_of(t[start + 2]).row >= 0)
        first = start + 2;
    std::vector<size_t> cluster;
    size_t i = first;
    while (i < t.size() && vowel_of(t[i]).row < 0) ++i;
    while (i < t.size() && vowel_of(t[i]).row >= 0) cluster.push_back(i++);
    if (cluster.empty()) return std::nullopt;
    for (auto it = cluster.rbegin(); it != cluster.rend(); ++it) {
        const char32_t b = base_of(vowel_of(t[*it]));
        if (b == U'ơ' || b == U'Ơ') return *it;
    }
    for (size_t at : cluster) {
        const char32_t b = base_of(vowel_of(t[at]));
        if (std::u32string_view(U"ăâêôưĂÂÊÔƯ").find(b) != std::u32string_view::npos) return at;
    }
    if (cluster.size() == 1) return cluster[0];
    const bool ends_there = i == t.size();
    return ends_there && cluster.size() == 2 ? cluster[0] : cluster[1];
}

// A hat or horn from a doubled letter or 'w': the new base for `b`, or 0.
char32_t reshaped(char32_t b, char key) {
    const char k = static_cast<char>(std::tolower(static_cast<unsigned char>(key)));
    const bool upper = b < 0x80 ? std::isupper(static_cast<int>(b)) : std::u32string_view(U"ĂÂÊÔƠƯ").find(b) != std::u32string_view::npos;
    auto pick = [&](char32_t lo, char32_t up) { return upper ? up : lo; };
    const char32_t lower = b < 0x80 ? static_cast<char32_t>(std::tolower(static_cast<int>(b))) : b;
    if (k == 'a' && lower == 'a') return pick(U'â', U'Â');
    if (k == 'e' && lower == 'e') return pick(U'ê', U'Ê');
    if (k == 'o' && lower == 'o') return pick(U'ô', U'Ô');
    if (k == 'w' && lower == 'a') return pick(U'ă', U'Ă');
    if (k == 'w' && lower == 'o') return pick(U'ơ', U'Ơ');
    if (k == 'w' && lower == 'u') return pick(U'ư', U'Ư');
    return 0;
}

int row_of_base(char32_t b) {
    for (size_t r = 0; r < kVowels.size(); ++r)
        if (kVowels[r][0] == b) return static_cast<int>(r);
    return -1;
}

bool reshape_word(std::u32string& t, size_t start, char key) {
    if (std::tolower(static_cast<unsigned char>(key)) == 'd') {
        for (size_t i = start; i < t.size(); ++i)
            if (t[i] == U'd' || t[i] == U'D') {
                if (i + 1 != t.size() && i != start) continue;
                t[i] = t[i] == U'd' ? U'đ' : U'Đ';
                return true;
            }
        return false;
    }
    // 'w' after "uo" makes both horns: "uow" → "ươ".
    for (size_t i = t.size(); i > start; --i) {
        const Vowel v = vowel_of(t[i - 1]);
        if (v.row < 0) continue;
        const char32_t nb = reshaped(base_of(v), key);
        if (!nb) continue;
        t[i - 1] = with(row_of_base(nb), v.tone);
        if (nb == U'ơ' || nb == U'Ơ')
            if (i >= 2 + start) {
                const Vowel u = vowel_of(t[i - 2]);
                if (u.row >= 0 && (base_of(u) == U'u' || base_of(u) == U'U'))
                    t[i - 2] = with(row_of_base(base_of(u) == U'u' ? U'ư' : U'Ư'), u.tone);
            }
        return true;
    }
    return false;
}

// A word that grew after its tone was typed ("hòa" + "n"): the tone goes where
// it belongs in the longer word ("hoàn"), as Vietnamese input methods do.
void move_tone(std::u32string& t, size_t start) {
    int tone = 0;
    for (size_t i = start; i < t.size(); ++i) {
        const Vowel v = vowel_of(t[i]);
        if (v.row < 0 || v.tone == 0) continue;
        tone = v.tone;
        t[i] = with(v.row, 0);
    }
    if (tone == 0) return;
    if (auto at = tone_position(t, start)) t[*at] = with(vowel_of(t[*at]).row, tone);
}

}  // namespace

std::string telex_type(const std::string& text, char key) {
    std::u32string t = decode(text);
    const size_t start = word_start(t);
    const bool in_word = start < t.size();
    const int tone = tone_of_key(key);
    if (in_word && tone >= 0) {
        if (auto at = tone_position(t, start)) {
            const Vowel v = vowel_of(t[*at]);
            if (v.tone == tone && tone != 0) {  // the same tone again: take it back, type the letter
                t[*at] = with(v.row, 0);
                t.push_back(static_cast<char32_t>(key));
                return encode(t);
            }
            if (tone != 0 || v.tone != 0) {
                t[*at] = with(v.row, tone);
                return encode(t);
            }
        }
    }
    if (!(in_word && reshape_word(t, start, key))) t.push_back(static_cast<char32_t>(key));
    move_tone(t, start);
    return encode(t);
}

std::string drop_last_char(const std::string& text) {
    size_t end = text.size();
    while (end > 0 && (static_cast<unsigned char>(text[end - 1]) & 0xC0) == 0x80) --end;
    return text.substr(0, end > 0 ? end - 1 : 0);
}

}  // namespace kiosk
