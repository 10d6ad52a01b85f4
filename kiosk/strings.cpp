// strings: the kiosk's translation table (see strings.hpp).
#include "kiosk/strings.hpp"

#include <stdexcept>

namespace kiosk {

Strings::Strings(std::string_view tsv) {
    size_t line_no = 0;
    for (size_t start = 0; start < tsv.size();) {
        size_t end = tsv.find('\n', start);
        if (end == std::string_view::npos) end = tsv.size();
        std::string_view line = tsv.substr(start, end - start);
        start = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        const auto a = line.find('\t'), b = a == std::string_view::npos ? a : line.find('\t', a + 1);
        if (b == std::string_view::npos || line.find('\t', b + 1) != std::string_view::npos)
            throw std::invalid_argument("strings line " + std::to_string(line_no) + ": expected key, Vietnamese, English");
        table_[std::string(line.substr(0, a))] = {std::string(line.substr(a + 1, b - a - 1)), std::string(line.substr(b + 1))};
    }
}

const std::string& Strings::get(std::string_view key, Lang lang) const {
    auto it = table_.find(key);
    if (it == table_.end()) {
        missing_ = std::string(key);
        return missing_;
    }
    return lang == Lang::vi ? it->second.first : it->second.second;
}

std::string filled(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [name, value] : values) {
        const std::string hole = "{" + name + "}";
        for (size_t at = text.find(hole); at != std::string::npos; at = text.find(hole, at + value.size()))
            text.replace(at, hole.size(), value);
    }
    return text;
}

std::string Strings::fill(std::string_view key, Lang lang, const std::vector<std::pair<std::string, std::string>>& values) const {
    return filled(get(key, lang), values);
}

const Strings& builtin_strings() {
    static const Strings table(kStringsTsv);
    return table;
}

}  // namespace kiosk
