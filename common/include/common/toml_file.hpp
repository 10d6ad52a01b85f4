// toml_file: a TOML config file read as JSON, so every config goes through the
// same strict JsonReader (unknown keys refused, the bad field named).
//
// Why one place: the server's center config and the display's config must say
// "FILE:LINE:COLUMN: reason" the same way, and read a file the same way.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace common {

struct TomlError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Throws TomlError "SOURCE:LINE:COLUMN: reason" for a syntax error.
nlohmann::json toml_to_json(const std::string& text, const std::string& source);
// The whole file as text; throws TomlError "FILE: cannot be read".
std::string read_config_text(const std::filesystem::path& file);
// The first line of a file that holds one secret (a token, a key), without its
// newline or trailing spaces; throws TomlError "FILE: cannot be read" or, for a
// file with nothing on its first line, "FILE: is empty" (every secret is needed).
std::string first_line_of(const std::filesystem::path& file);

}  // namespace common
