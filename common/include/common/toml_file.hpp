// toml_file: a TOML config file read as JSON, so every config goes through the
// same strict JsonReader (unknown keys refused, the bad field named).
//
// Why one place: the server's center config and the display's config must say
// "FILE:LINE:COLUMN: reason" the same way, and read a file the same way.
#pragma once
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace common {

struct TomlError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A TOML file as JSON, and the line each key is written on, by its path as the
// readers name it: "center.timezone", "services[1].first".
struct TomlDocument {
    nlohmann::json value;
    std::map<std::string, int> lines;

    // The line a reader's message is about: its leading path ("services[1].first:
    // ...", with "unknown key 'k'" read as the key k), or its nearest written
    // parent; 0 when the message names no key of the file.
    int line_of(const std::string& message, const std::string& source) const;
};

// Throws TomlError "SOURCE:LINE:COLUMN: reason" for a syntax error.
TomlDocument parse_toml(const std::string& text, const std::string& source);

// Checks a config's named file (a font, a logo) at start, so a typo stops the
// program with its key instead of showing boxes later; throws FieldError
// "KEY: PATH: no such file" or "...: not a readable file".
void require_file(const std::filesystem::path& file, const std::string& key);
// Throws FieldError "KEY: unknown time zone 'X' ..." unless LocalCalendar takes it.
void require_time_zone(const std::string& zone, const std::string& key);

// Parses the text and hands its JSON to `read`. Whatever `read` refuses (a
// FieldError, or any config error of the caller's) comes back as
// TomlError "SOURCE:LINE: message", so every config file of the system says
// where the fault is the same way.
template <class Read>
auto read_toml_config(const std::string& text, const std::string& source, Read&& read) {
    const TomlDocument doc = parse_toml(text, source);
    try {
        return read(doc.value);
    } catch (const TomlError&) {
        throw;
    } catch (const std::exception& e) {
        std::string message = e.what();
        if (message.starts_with(source + ": ")) message.erase(0, source.size() + 2);
        const int line = doc.line_of(message, source);
        throw TomlError(source + (line ? ":" + std::to_string(line) : "") + ": " + message);
    }
}
// The whole file as text; throws TomlError "FILE: cannot be read".
std::string read_config_text(const std::filesystem::path& file);
// The first line of a file that holds one secret (a token, a key), without its
// newline or trailing spaces; throws TomlError "FILE: cannot be read" or, for a
// file with nothing on its first line, "FILE: is empty" (every secret is needed).
std::string first_line_of(const std::filesystem::path& file);

}  // namespace common
