// catalog: the center's procedures in SQLite (catalog.db beside center.db) and
// the in-memory index that answers searches (index.hpp).
//
// SQLite keeps the catalog durable and replaces it atomically; the index in use
// is a shared pointer to an immutable Index. Replacing the catalog is done in
// two halves so the event loop never waits for it: prepare() writes the file
// through its own connection and builds the new index (about a second for
// 10,000 procedures, on a worker thread), install() swaps the pointer (on the
// loop). Until install, searches answer from the previous version.
//
// Threads: prepare() on one worker at a time; everything else on the event loop.
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/index.hpp"
#include "catalog/procedure.hpp"
#include "sqlite/sqlite.hpp"

namespace catalog {

class Catalog {
public:
    static constexpr size_t max_query_chars = Index::max_query_chars;

    // Opens or creates the catalog file; `synonyms` is the TSV text (term, tab, official wording).
    Catalog(const std::string& path, std::string_view synonyms);
    ~Catalog();

    int64_t version() const { return index_->version(); }
    size_t size() const { return index_->size(); }

    // Reloads when another process (queue-server catalog import) changed the
    // file since; returns true if it did.
    bool refresh_if_changed();

    // Writes `procedures` as the whole catalog (one transaction, version + 1, or
    // `as_version` for a kiosk's copy of the server's) and returns their index,
    // to be installed. Any thread.
    std::shared_ptr<const Index> prepare(const std::vector<Procedure>& procedures,
                                         std::optional<int64_t> as_version = std::nullopt);
    // Returns the index it replaces, so the caller may free it off the loop
    // (10,000 procedures' postings take milliseconds to free).
    std::shared_ptr<const Index> install(std::shared_ptr<const Index> index);
    void replace(const std::vector<Procedure>& procedures) { install(prepare(procedures)); }

    std::vector<Hit> search(std::string_view query, size_t limit) const { return index_->search(query, limit); }
    const std::vector<FieldCount>& fields() const { return index_->fields(); }
    std::vector<Hit> in_field(std::string_view field) const { return index_->in_field(field); }
    std::optional<nlohmann::json> procedure(std::string_view code) const;
    // The whole catalog, {"version":V,"procedures":[records]}, as a kiosk copies
    // it (GET /api/catalog/export). Through its own connection: any thread, so
    // the server reads a large catalog off its loop.
    std::string export_json() const;

private:
    static std::shared_ptr<const Index> load(sqlite::Database& db, std::shared_ptr<const Synonyms> synonyms);
    int64_t data_version() const;

    std::string path_;
    std::unique_ptr<sqlite::Database> db_;      // the loop's: reads
    std::unique_ptr<sqlite::Database> writer_;  // prepare()'s
    std::shared_ptr<const Synonyms> synonyms_;
    std::shared_ptr<const Index> index_;
    int64_t data_version_ = 0;        // PRAGMA data_version on db_ when last loaded
    std::atomic<int> preparing_ = 0;  // while a prepare is under way, its commit is not "another process"
};

}  // namespace catalog

namespace catalog {
extern const char* const kSynonymsTsv;  // synonyms.tsv, built in
}
