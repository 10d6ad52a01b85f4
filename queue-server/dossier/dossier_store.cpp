// dossier_store: fold and save a batch in one transaction, idempotent on event id
// (see dossier_store.hpp).
#include "dossier_store.hpp"

#include <algorithm>

namespace dossier {

Store::Store(const std::string& path) : db_(std::make_unique<sqlite::Database>(path)) {
    db_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    db_->exec("CREATE TABLE IF NOT EXISTS dossiers(code TEXT PRIMARY KEY, record TEXT NOT NULL) STRICT;"
              "CREATE TABLE IF NOT EXISTS feed_events(event_id TEXT PRIMARY KEY, code TEXT NOT NULL) STRICT;");
}

Store::~Store() = default;

IngestResult Store::ingest(const std::vector<Update>& updates) {
    IngestResult result;
    db_->exec("BEGIN IMMEDIATE");
    try {
        sqlite::Statement seen(*db_, "INSERT INTO feed_events(event_id, code) VALUES(?, ?) ON CONFLICT DO NOTHING");
        sqlite::Statement load(*db_, "SELECT record FROM dossiers WHERE code = ?");
        sqlite::Statement save(*db_, "INSERT INTO dossiers(code, record) VALUES(?, ?) "
                                     "ON CONFLICT(code) DO UPDATE SET record = excluded.record");
        for (const auto& u : updates) {
            seen.bind(1, u.event_id).bind(2, u.code).run();
            if (sqlite3_changes(db_->handle()) == 0) {
                ++result.duplicates;
                continue;
            }
            load.bind(1, u.code);
            Dossier d = load.step() ? dossier_from_json(nlohmann::json::parse(load.text_at(0))) : Dossier{};
            load.reset();
            apply(d, u);
            save.bind(1, u.code).bind(2, to_json(d).dump()).run();
            ++result.applied;
            if (std::find(result.changed.begin(), result.changed.end(), u.code) == result.changed.end())
                result.changed.push_back(u.code);
        }
        db_->exec("COMMIT");
    } catch (...) {
        db_->exec("ROLLBACK");
        throw;
    }
    return result;
}

std::optional<Dossier> Store::find(const std::string& code) const {
    sqlite::Statement load(*db_, "SELECT record FROM dossiers WHERE code = ?");
    load.bind(1, code);
    if (!load.step()) return std::nullopt;
    Dossier d = dossier_from_json(nlohmann::json::parse(load.text_at(0)));
    load.reset();
    return d;
}

int64_t Store::count() const {
    sqlite::Statement n(*db_, "SELECT count(*) FROM dossiers");
    n.step();
    const int64_t v = n.int_at(0);
    n.reset();
    return v;
}

}  // namespace dossier
