// dossier_store: dossiers in SQLite (dossiers.db beside center.db). A batch of
// updates is applied in one durable transaction; an update whose event id was
// seen before is skipped, so a backend may resend whatever it is unsure of.
//
// The check value (a few digits of the applicant's phone) is personal data and
// only ever compared, so only its keyed BLAKE2b hash is stored. The key is made
// once per data folder and kept apart from the database and its backups, in
// the key file the owner names (DATA/dossier-key, see check_key.hpp).
//
// Threads: ingest() writes through its own connection, so it may run on a
// worker (one at a time) while the event loop keeps looking dossiers up.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dossier/check_key.hpp"
#include "dossier/dossier.hpp"
#include "sqlite/sqlite.hpp"

namespace dossier {

struct IngestResult {
    int applied = 0;
    int duplicates = 0;
    std::vector<std::string> changed;  // codes, each once
};

class Store {
public:
    // Opens (or makes) the database at `path` with the check key in `key_file`.
    // A key file that is missing is made, with a new key, or with the key an
    // older dossiers.db kept inside (then taken out of the database, so old
    // check values still match). Throws KeyError rather than make a new key for
    // a database whose dossiers have check values: every check would fail.
    Store(const std::string& path, const std::string& key_file);
    ~Store();

    // All of `updates` or none. With a cursor (the pull connector's place in the
    // backend's stream), the cursor is saved in the same transaction, so after a
    // crash the connector asks again from where the durable updates end.
    IngestResult ingest(const std::vector<Update>& updates, const std::optional<std::string>& cursor = std::nullopt);
    std::string cursor() const;  // "" before the first page
    std::optional<Dossier> find(const std::string& code) const;
    // Whether `check` is the dossier's check value (constant time).
    bool check_matches(const Dossier& d, const std::string& check) const;
    int64_t count() const;

private:
    std::string hash_check(const std::string& check) const;
    std::string settle_key(const std::string& key_file);
    std::optional<std::string> key_in_database() const;
    void forget_key_in_database();
    bool has_check_values() const;

    std::unique_ptr<sqlite::Database> db_;      // reads
    std::unique_ptr<sqlite::Database> writer_;  // ingest()
    std::string key_;  // for the check values' hashes
};

}  // namespace dossier
