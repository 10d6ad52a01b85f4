// strings: every word the kiosk shows, in Vietnamese and English, from the
// table in strings.tsv (built in). Code names a key; the table says the words,
// so a center (or a translator) changes wording without touching code.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk {

enum class Lang { vi, en };

class Strings {
public:
    // Lines "key<TAB>vi<TAB>en"; '#' comments and blank lines skipped. Throws
    // std::invalid_argument naming the line when one has not three columns.
    explicit Strings(std::string_view tsv);

    // The words for `key`; the key itself when the table lacks it (shown, not thrown: a
    // kiosk with one missing label still works, and the tests list every key used).
    const std::string& get(std::string_view key, Lang lang) const;
    // get() with "{n}"-style holes filled: fill("ticket.ahead", vi, {{"n", "3"}}).
    std::string fill(std::string_view key, Lang lang, const std::vector<std::pair<std::string, std::string>>& values) const;
    bool has(std::string_view key) const { return table_.find(std::string(key)) != table_.end(); }
    size_t size() const { return table_.size(); }

private:
    std::map<std::string, std::pair<std::string, std::string>, std::less<>> table_;
    mutable std::string missing_;
};

// `text` with each "{name}" hole replaced by its value (the words table's holes,
// and those of the ticket's follow_url).
std::string filled(std::string text, const std::vector<std::pair<std::string, std::string>>& values);

// The built-in table (kiosk/strings.tsv).
const Strings& builtin_strings();

}  // namespace kiosk

namespace kiosk {
extern const char* const kStringsTsv;
}
