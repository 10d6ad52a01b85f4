// index: one version of the procedure catalog, held in memory for search.
//
// How a query is answered: it is folded (fold.hpp) into words; each word may
// also match the vocabulary words one edit away, and the last word matches as a
// prefix (the person is still typing); a phrase from the synonyms file adds an
// alternative query in the official wording. Procedures holding every word are
// scored like BM25 without the length part (rarer words count more, a word in
// the name counts four times a word in the documents list, a typo or a prefix
// less than the word itself), plus what the name says: it equals the query,
// starts with it, holds it as a phrase, has the words typed with diacritics.
// When no procedure holds every word, those holding some rank below.
//
// Why posting lists in memory and not SQLite FTS5: FTS5 was the first version
// and gave 6 ms p50 / 42 ms p99 per keystroke on 10,000 procedures, because
// short prefixes ("d", "đă") match most of the catalog and BM25 then reads
// every match's positions. Posting lists of a few hundred thousand entries fit
// in a few MiB and answer in well under a millisecond (bench/catalog_bench.cpp).
//
// An Index never changes once built, so it is built on any thread (an import
// takes about a second for 10,000 procedures) and handed to the event loop
// whole; searches never see half a catalog.
#pragma once
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
    std::map<std::string, int> levels;  // "tỉnh", "xã"... → procedures of this field at that level
};

// Colloquial terms and their official wording, folded (synonyms.tsv).
struct Synonyms {
    explicit Synonyms(std::string_view tsv);  // term, tab, official wording; '#' comments
    std::vector<std::pair<std::vector<std::string>, std::string>> pairs;
};

class Index {
public:
    static constexpr size_t max_query_chars = 200;

    struct Row {
        std::string code, name, field, level;
        std::string words;  // folded words found besides the name: field, agency, documents
    };

    Index(int64_t version, const std::vector<Row>& rows, std::shared_ptr<const Synonyms> synonyms);

    int64_t version() const { return version_; }
    size_t size() const { return entries_.size(); }

    // Best first. Throws QueryError for invalid UTF-8 or a query over 200 characters;
    // an empty query (or only punctuation) gives no hits.
    std::vector<Hit> search(std::string_view query, size_t limit) const;
    // Most procedures first, each with its count per level (counted at build).
    const std::vector<FieldCount>& fields() const { return fields_; }
    // The procedures of one field, by name (browsing, not searching).
    std::vector<Hit> in_field(std::string_view field) const;

private:
    struct Entry {
        std::string code, name, field, level, folded_name, cased_name;
    };
    struct Term {
        const std::vector<uint32_t>* docs;
        double weight;  // idf, less for a near word or a prefix
    };
    using Postings = std::unordered_map<std::string, std::vector<uint32_t>>;

    void index(uint32_t doc, const std::string& folded_words, Postings& postings);
    void count_fields();
    std::vector<std::string> alternatives(const std::vector<std::string>& words) const;
    std::vector<std::string> near_words(const std::string& word) const;
    std::vector<Term> terms(const std::string& word, bool last) const;
    void score(const std::string& folded_query, const std::vector<std::string>& marked_words, size_t limit,
               std::vector<double>& best) const;

    int64_t version_;
    std::shared_ptr<const Synonyms> synonyms_;
    std::vector<Entry> entries_;  // a procedure's number is its place here
    std::map<std::string, uint32_t> by_code_;
    Postings name_postings_, text_postings_;  // folded word → procedures (name; field, agency, documents)
    std::set<std::string> vocabulary_;        // every folded word, sorted for prefixes
    std::vector<FieldCount> fields_;
};

}  // namespace catalog
