// catalog: the center's procedures in SQLite (catalog.db beside center.db), with a
// type-as-you-go search that forgives missing diacritics, one typo per word,
// and the names people really use (sổ đỏ, CCCD, LLTP...).
//
// How a query is answered: it is folded (fold.hpp) into words; each word may
// also match the vocabulary words one edit away, the last word matches as a
// prefix (the person is still typing); a phrase from the synonyms file adds an
// alternative query with the official wording. SQLite FTS5 finds candidates
// and scores them with BM25 (the name weighs most); our ranking then adds what
// BM25 can't know: the name equals the query, starts with it, or holds it as a
// phrase. A replaced catalog gets a new version number, which kiosks use to
// refresh their cache.
//
// One thread: the server's event loop owns the Catalog.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "procedure.hpp"
#include "sqlite.hpp"

namespace catalog {

struct QueryError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Hit {
    std::string code, name, field, level;
    double score = 0;
};

struct FieldCount {
    std::string field;
    int count = 0;
};

class Catalog {
public:
    static constexpr size_t max_query_chars = 200;

    // Opens or creates the catalog file; `synonyms` is the TSV text (term, tab, official wording).
    Catalog(const std::string& path, std::string_view synonyms);
    ~Catalog();

    int64_t version() const { return version_; }
    size_t size() const { return entries_.size(); }

    // Reloads when another process (queue-server catalog import) changed the
    // file since; returns true if it did.
    bool refresh_if_changed();

    // Replaces the whole catalog in one transaction and bumps the version.
    void replace(const std::vector<Procedure>& procedures);

    // Best first. Throws QueryError for invalid UTF-8 or a query over 200 characters;
    // an empty query (or only punctuation) gives no hits.
    std::vector<Hit> search(std::string_view query, size_t limit) const;
    std::optional<nlohmann::json> procedure(std::string_view code) const;
    std::vector<FieldCount> fields() const;

private:
    struct Entry {
        std::string name, field, level, folded_name, cased_name;
    };
    void load();
    void add_synonyms(std::string_view tsv);
    std::vector<std::string> alternatives(const std::vector<std::string>& words) const;
    std::string match_expression(const std::vector<std::string>& words, bool all) const;
    std::vector<std::string> near_words(const std::string& word) const;
    bool has_prefix(const std::string& prefix) const;
    bool known(const std::string& word, bool last) const;
    void collect(const std::string& folded_query, const std::vector<std::string>& marked_words,
                 const std::string& expression, double penalty, std::map<std::string, double>& best) const;

    std::unique_ptr<sqlite::Database> db_;
    int64_t version_ = 0;
    int64_t data_version_ = 0;  // PRAGMA data_version when last loaded
    std::map<std::string, Entry> entries_;      // by code
    std::unordered_set<std::string> vocabulary_;
    std::set<std::string> sorted_vocabulary_;   // for prefix checks
    std::vector<std::pair<std::vector<std::string>, std::string>> synonyms_;  // folded term words → folded wording
};

}  // namespace catalog

namespace catalog {
extern const char* const kSynonymsTsv;  // synonyms.tsv, built in
}
