// speech: wording + ticket + counter → clip names (see speech.hpp).
#include "display/speech.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utf8proc.h>

#include "common/vi_numbers.hpp"

namespace display {

namespace {

// The letters as a Vietnamese caller reads them on a queue board.
const std::map<char32_t, std::string>& letter_names() {
    static const std::map<char32_t, std::string> names = {
        {U'A', "a"}, {U'B', "bê"}, {U'C', "xê"}, {U'D', "dê"}, {U'Đ', "đê"}, {U'E', "e"}, {U'F', "ép"},
        {U'G', "giê"}, {U'H', "hát"}, {U'I', "i"}, {U'J', "gi"}, {U'K', "ca"}, {U'L', "e lờ"}, {U'M', "em mờ"},
        {U'N', "en nờ"}, {U'O', "o"}, {U'P', "pê"}, {U'Q', "quy"}, {U'R', "e rờ"}, {U'S', "ét"},
        {U'T', "tê"}, {U'U', "u"}, {U'V', "vê"}, {U'W', "vê kép"}, {U'X', "ích"}, {U'Y', "i dài"}, {U'Z', "dét"}};
    return names;
}

std::u32string code_points(const std::string& s) {
    std::u32string out;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
    while (left > 0) {
        utf8proc_int32_t c = 0;
        const auto n = utf8proc_iterate(p, left, &c);
        if (n <= 0) break;
        out.push_back(static_cast<char32_t>(c));
        p += n;
        left -= n;
    }
    return out;
}

std::string trimmed(const std::string& s) {
    const auto a = s.find_first_not_of(" \t,.");
    if (a == std::string::npos) return "";
    const auto b = s.find_last_not_of(" \t");
    return s.substr(a, b - a + 1);
}

void add_number(std::vector<std::string>& out, const std::string& digits, const VoiceConfig& voice) {
    if (digits.empty()) return;
    if (voice.reading == NumberReading::digit_by_digit || digits.size() > 12) {
        for (auto& w : common::vi_digit_words(digits)) out.push_back(w);
        return;
    }
    for (auto& w : common::vi_number_words(std::stoull(digits), voice.style)) out.push_back(w);
}

// "A105": the letters named one by one, then the digits read as one number.
void add_ticket(std::vector<std::string>& out, const std::string& ticket, const VoiceConfig& voice) {
    std::string digits;
    for (char32_t c : code_points(ticket)) {
        if (c >= U'0' && c <= U'9') {
            digits.push_back(static_cast<char>(c));
            continue;
        }
        add_number(out, digits, voice);
        digits.clear();
        const auto upper = static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(c)));
        if (letter_names().count(upper)) out.push_back(letter_name(upper));
    }
    add_number(out, digits, voice);
}

// A sign's marks around the words of a place: "Quầy 10 - Ưu tiên", "quầy số 2, thu phí".
bool is_mark(char32_t c) {
    return c == U' ' || c == U'\t' || c == U',' || c == U'.' || c == U'-' || c == U'–' || c == U'—' || c == U':';
}

std::string utf8_of(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) {
        utf8proc_uint8_t buf[4];
        const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
        out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
    }
    return out;
}

// The words between the digits as phrases (marks at their ends dropped), the digits as numbers.
void add_place(std::vector<std::string>& out, const std::string& place, const VoiceConfig& voice) {
    std::u32string words;
    std::string digits;
    auto flush_words = [&] {
        const auto a = std::find_if_not(words.begin(), words.end(), is_mark);
        const auto b = std::find_if_not(words.rbegin(), words.rend(), is_mark).base();
        if (a < b) out.push_back(clip_key(utf8_of(std::u32string(a, b))));
        words.clear();
    };
    for (char32_t c : code_points(place)) {
        if (c >= U'0' && c <= U'9') {
            flush_words();
            digits.push_back(static_cast<char>(c));
            continue;
        }
        add_number(out, digits, voice);
        digits.clear();
        words.push_back(c);
    }
    flush_words();
    add_number(out, digits, voice);
}

}  // namespace

std::string clip_key(const std::string& text) {
    utf8proc_uint8_t* folded = nullptr;
    const auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE | UTF8PROC_CASEFOLD);
    if (utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
                     &folded, options) < 0)
        return text;
    std::string out(reinterpret_cast<char*>(folded));
    free(folded);
    return out;
}

std::string letter_name(char32_t letter) {
    auto it = letter_names().find(letter);
    return it == letter_names().end() ? "" : it->second;
}

std::vector<std::string> call_clips(const VoiceConfig& voice, const std::string& ticket, int counter) {
    return call_clips(voice, ticket, counter, "", CallWording::first);
}

std::vector<std::string> call_clips(const VoiceConfig& voice, const std::string& ticket, int counter, const std::string& place,
                                    CallWording kind) {
    std::vector<std::string> out;
    if (voice.chime) out.push_back(kChime);
    std::string rest = kind == CallWording::returned ? voice.return_wording
                       : kind == CallWording::next_step ? voice.step_wording
                                                        : voice.wording;
    while (!rest.empty()) {
        const auto open = rest.find('{');
        const auto close = open == std::string::npos ? std::string::npos : rest.find('}', open);
        const std::string phrase = trimmed(rest.substr(0, close == std::string::npos ? rest.size() : open));
        if (!phrase.empty()) out.push_back(clip_key(phrase));
        if (close == std::string::npos) break;
        const std::string name = rest.substr(open + 1, close - open - 1);
        if (name == "number") add_ticket(out, ticket, voice);
        if (name == "counter") add_number(out, std::to_string(std::max(counter, 0)), voice);
        if (name == "place") add_place(out, place, voice);
        rest = rest.substr(close + 1);
    }
    return out;
}

std::vector<std::string> pack_clips(const VoiceConfig& voice) {
    std::set<std::string> clips;
    for (const auto& c : call_clips(voice, "", 0)) clips.insert(c);
    for (auto kind : {CallWording::next_step, CallWording::returned})  // with a number-only counter's "quầy số"
        for (const auto& c : call_clips(voice, "", 0, "quầy số 0", kind)) clips.insert(c);
    for (const char* w : {"không", "một", "mốt", "hai", "ba", "bốn", "tư", "năm", "lăm", "sáu", "bảy", "tám", "chín",
                          "mười", "mươi", "trăm", "nghìn", "ngàn", "linh", "lẻ", "triệu", "tỷ"})
        clips.insert(w);
    for (const auto& [letter, name] : letter_names()) clips.insert(name);
    return {clips.begin(), clips.end()};
}

}  // namespace display
