// toml_file: TOML text → JSON with toml++ (see toml_file.hpp).
#include "common/toml_file.hpp"

#include <fstream>
#include <stdexcept>
#include <sstream>
#include <toml++/toml.h>

#include "common/json_reader.hpp"
#include "common/local_time.hpp"

namespace common {

namespace {

void collect_lines(const toml::node& node, const std::string& path, std::map<std::string, int>& lines) {
    if (!path.empty() && node.source().begin.line) lines.emplace(path, static_cast<int>(node.source().begin.line));
    if (const auto* table = node.as_table()) {
        for (const auto& [key, child] : *table)
            collect_lines(child, path.empty() ? std::string(key.str()) : path + "." + std::string(key.str()), lines);
    } else if (const auto* array = node.as_array()) {
        for (size_t i = 0; i < array->size(); ++i) collect_lines((*array)[i], path + "[" + std::to_string(i) + "]", lines);
    }
}

bool is_path(const std::string& text) {
    return !text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.[]-") ==
                                std::string::npos;
}

// "services[1].first" -> "services[1]" -> "services"; "" at the top.
std::string parent_of(const std::string& path) {
    const auto cut = path.find_last_of(".[");
    return cut == std::string::npos ? "" : path.substr(0, cut);
}

}  // namespace

int TomlDocument::line_of(const std::string& message, const std::string& source) const {
    const auto colon = message.find(": ");
    std::string path = colon == std::string::npos ? "" : message.substr(0, colon);
    if (path == source || !is_path(path)) path.clear();
    const std::string rest = colon == std::string::npos || path.empty() ? message : message.substr(colon + 2);
    static const std::string unknown = "unknown key '";
    if (rest.starts_with(unknown) && rest.find('\'', unknown.size()) != std::string::npos) {
        const std::string key = rest.substr(unknown.size(), rest.find('\'', unknown.size()) - unknown.size());
        path = path.empty() ? key : path + "." + key;
    }
    for (; !path.empty(); path = parent_of(path))
        if (auto it = lines.find(path); it != lines.end()) return it->second;
    return 0;
}

TomlDocument parse_toml(const std::string& text, const std::string& source) {
    toml::table table;
    try {
        table = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        throw TomlError(source + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                        std::string(e.description()));
    }
    std::ostringstream out;
    out << toml::json_formatter{table};
    TomlDocument doc{nlohmann::json::parse(out.str()), {}};
    collect_lines(table, "", doc.lines);
    return doc;
}

std::string read_config_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw TomlError(file.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string first_line_of(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw TomlError(file.string() + ": cannot be read");
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (line.empty()) throw TomlError(file.string() + ": is empty");
    return line;
}

void require_file(const std::filesystem::path& file, const std::string& key) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) throw FieldError(key + ": " + file.string() + ": no such file");
    if (!std::filesystem::is_regular_file(file, ec) || !std::ifstream(file)) throw FieldError(key + ": " + file.string() + ": not a readable file");
}

void require_time_zone(const std::string& zone, const std::string& key) {
    try {
        LocalCalendar{zone};
    } catch (const std::invalid_argument&) {
        throw FieldError(key + ": unknown time zone '" + zone + "' (an IANA name such as \"Asia/Ho_Chi_Minh\", or \"UTC+07:00\")");
    }
}

}  // namespace common
