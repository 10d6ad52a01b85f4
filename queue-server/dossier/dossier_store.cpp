// dossier_store: fold and save a batch in one transaction, idempotent on event id
// (see dossier_store.hpp).
#include "dossier/dossier_store.hpp"

#include <algorithm>

#include <sodium.h>

namespace dossier {

namespace {

std::unique_ptr<sqlite::Database> open_file(const std::string& path) {
    auto db = std::make_unique<sqlite::Database>(path);
    db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;");
    return db;
}

}  // namespace

Store::Store(const std::string& path, const std::string& key_file) : db_(open_file(path)), writer_(open_file(path)) {
    db_->exec("CREATE TABLE IF NOT EXISTS dossiers(code TEXT PRIMARY KEY, record TEXT NOT NULL) STRICT;"
              "CREATE TABLE IF NOT EXISTS feed_events(event_id TEXT PRIMARY KEY, code TEXT NOT NULL) STRICT;"
              "CREATE TABLE IF NOT EXISTS dossier_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;");
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to start");
    key_ = settle_key(key_file);
}

// Which key this data folder uses, moving one left in the database by an
// older version out to the key file first.
std::string Store::settle_key(const std::string& key_file) {
    const auto in_file = read_key_file(key_file);
    const auto in_db = key_in_database();
    if (in_db && !is_check_key(*in_db)) throw KeyError("dossiers.db holds a check key of an unknown form");
    std::string key;
    if (in_file) {
        key = *in_file;
    } else if (in_db) {
        key = create_key_file(key_file, *in_db);
    } else if (has_check_values()) {
        throw KeyError("the dossier check key " + key_file + " is missing, and dossiers.db has dossiers with check values "
                       "made with it. Put the key file back (it is kept apart from backups), or move dossiers.db away "
                       "and have the dossier software send its dossiers again");
    } else {
        key = create_key_file(key_file, new_check_key());
    }
    if (in_db && *in_db != key)
        throw KeyError("dossiers.db holds a check key that differs from " + key_file + " (the files are from different centers?)");
    if (in_db) forget_key_in_database();
    return key;
}

std::optional<std::string> Store::key_in_database() const {
    sqlite::Statement get(*db_, "SELECT value FROM dossier_meta WHERE key = 'check_key'");
    if (!get.step()) return std::nullopt;
    std::string key = get.text_at(0);
    get.reset();
    return key;
}

// The row's bytes are overwritten (secure_delete: Debian's SQLite does it by
// default, others may not) and the WAL emptied, so the key is gone from the
// file, not only from the table; the file copied into a backup afterwards
// holds no trace of it. secure_delete stays on, as Debian has it anyway.
void Store::forget_key_in_database() {
    writer_->exec("PRAGMA secure_delete=ON; DELETE FROM dossier_meta WHERE key = 'check_key';");
    writer_->exec("PRAGMA wal_checkpoint(TRUNCATE);");
}

bool Store::has_check_values() const {
    sqlite::Statement n(*db_, "SELECT EXISTS(SELECT 1 FROM dossiers WHERE json_extract(record, '$.check') != '')");
    n.step();
    const bool any = n.int_at(0) != 0;
    n.reset();
    return any;
}

std::string Store::hash_check(const std::string& check) const {
    unsigned char out[crypto_generichash_BYTES];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(check.data()), check.size(),
                       reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
    char hex[2 * sizeof out + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

bool Store::check_matches(const Dossier& d, const std::string& check) const {
    if (d.check.empty() || check.empty()) return false;
    const std::string h = hash_check(check);
    return h.size() == d.check.size() && sodium_memcmp(h.data(), d.check.data(), h.size()) == 0;
}

Store::~Store() = default;

IngestResult Store::ingest(const std::vector<Update>& updates, const std::optional<std::string>& cursor) {
    IngestResult result;
    sqlite::Database& db = *writer_;
    sqlite::Transaction tx(db);
    {
        sqlite::Statement seen(db, "INSERT INTO feed_events(event_id, code) VALUES(?, ?) ON CONFLICT DO NOTHING");
        sqlite::Statement load(db, "SELECT record FROM dossiers WHERE code = ?");
        sqlite::Statement save(db, "INSERT INTO dossiers(code, record) VALUES(?, ?) "
                                     "ON CONFLICT(code) DO UPDATE SET record = excluded.record");
        for (const auto& u : updates) {
            seen.bind(1, u.event_id).bind(2, u.code).run();
            if (sqlite3_changes(db.handle()) == 0) {
                ++result.duplicates;
                continue;
            }
            load.bind(1, u.code);
            Dossier d = load.step() ? dossier_from_json(nlohmann::json::parse(load.text_at(0))) : Dossier{};
            load.reset();
            if (u.check) {
                Update hashed = u;
                hashed.check = hash_check(*u.check);
                apply(d, hashed);
            } else {
                apply(d, u);
            }
            save.bind(1, u.code).bind(2, to_json(d).dump()).run();
            ++result.applied;
            if (std::find(result.changed.begin(), result.changed.end(), u.code) == result.changed.end())
                result.changed.push_back(u.code);
        }
        if (cursor) {
            sqlite::Statement put(db, "INSERT INTO dossier_meta(key, value) VALUES('pull_cursor', ?) "
                                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
            put.bind(1, *cursor).run();
        }
    }
    tx.commit();
    return result;
}

std::string Store::cursor() const {
    sqlite::Statement get(*db_, "SELECT value FROM dossier_meta WHERE key = 'pull_cursor'");
    if (!get.step()) return "";
    std::string value = get.text_at(0);
    get.reset();
    return value;
}

std::optional<Dossier> Store::find(const std::string& code) const {
    sqlite::Statement load(*db_, "SELECT record FROM dossiers WHERE code = ?");
    load.bind(1, normal_code(code));
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
