// toml_file: TOML text → JSON with toml++ (see toml_file.hpp).
#include "common/toml_file.hpp"

#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace common {

nlohmann::json toml_to_json(const std::string& text, const std::string& source) {
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
    return nlohmann::json::parse(out.str());
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

}  // namespace common
