// catalog: storage in SQLite and the swap of indexes (see catalog.hpp).
#include "catalog/catalog.hpp"

#include "catalog/fold.hpp"

namespace catalog {

using json = nlohmann::json;

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS procedures(code TEXT PRIMARY KEY, name TEXT NOT NULL, field TEXT NOT NULL,
                                      level TEXT NOT NULL, words TEXT NOT NULL, record TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS catalog_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
)sql";

// The words a procedure is found by besides its name: field, agency, documents.
std::string other_words(const Procedure& p) {
    std::string words = folded(p.field) + " " + folded(p.agency);
    for (const auto& d : p.documents) words += " " + folded(d.name);
    return words;
}

std::unique_ptr<sqlite::Database> open_file(const std::string& path) {
    auto db = std::make_unique<sqlite::Database>(path);
    db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;");
    db->exec(schema);
    return db;
}

}  // namespace

Catalog::Catalog(const std::string& path, std::string_view synonyms)
    : path_(path), db_(open_file(path)), writer_(open_file(path)), synonyms_(std::make_shared<const Synonyms>(synonyms)) {
    data_version_ = data_version();
    index_ = load(*db_, synonyms_);
}

Catalog::~Catalog() = default;

// Changes when another connection commits to the file (not for our own writes).
int64_t Catalog::data_version() const {
    sqlite::Statement v(*db_, "PRAGMA data_version");
    const int64_t now = v.step() ? v.int_at(0) : 0;
    v.reset();
    return now;
}

bool Catalog::refresh_if_changed() {
    if (preparing_.load() > 0) return false;
    const int64_t now = data_version();
    if (now == data_version_) return false;
    data_version_ = now;
    index_ = load(*db_, synonyms_);
    return true;
}

std::shared_ptr<const Index> Catalog::load(sqlite::Database& db, std::shared_ptr<const Synonyms> synonyms) {
    sqlite::Transaction read(db, "BEGIN");  // the version and the rows of one commit
    sqlite::Statement version(db, "SELECT value FROM catalog_meta WHERE key = 'version'");
    const int64_t v = version.step() ? version.int_at(0) : 0;
    version.reset();
    std::vector<Index::Row> rows;
    sqlite::Statement select(db, "SELECT code, name, field, level, words FROM procedures ORDER BY code");
    while (select.step())
        rows.push_back({select.text_at(0), select.text_at(1), select.text_at(2), select.text_at(3), select.text_at(4)});
    read.commit();
    return std::make_shared<const Index>(v, rows, std::move(synonyms));
}

std::shared_ptr<const Index> Catalog::prepare(const std::vector<Procedure>& procedures, std::optional<int64_t> as_version) {
    ++preparing_;
    try {
        sqlite::Transaction write(*writer_, "BEGIN IMMEDIATE");
        writer_->exec("DELETE FROM procedures");
        sqlite::Statement put(*writer_, "INSERT INTO procedures(code, name, field, level, words, record) VALUES(?, ?, ?, ?, ?, ?)");
        for (const auto& p : procedures)
            put.bind(1, p.code).bind(2, p.name).bind(3, p.field).bind(4, p.level).bind(5, other_words(p))
                .bind(6, to_json(p).dump()).run();
        if (as_version) {
            sqlite::Statement set(*writer_, "INSERT INTO catalog_meta(key, value) VALUES('version', ?) "
                                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
            set.bind(1, *as_version).run();
        } else {
            writer_->exec("INSERT INTO catalog_meta(key, value) VALUES('version', 1) "
                          "ON CONFLICT(key) DO UPDATE SET value = value + 1");
        }
        write.commit();
        return load(*writer_, synonyms_);
    } catch (...) {
        --preparing_;
        throw;
    }
}

std::shared_ptr<const Index> Catalog::install(std::shared_ptr<const Index> index) {
    std::swap(index_, index);
    data_version_ = data_version();  // our own commit is not news
    --preparing_;
    return index;
}

std::optional<json> Catalog::procedure(std::string_view code) const {
    sqlite::Statement get(*db_, "SELECT record FROM procedures WHERE code = ?");
    get.bind(1, code);
    if (!get.step()) return std::nullopt;
    json record = json::parse(get.text_at(0));
    get.reset();
    return record;
}

// The records are stored as JSON text, so they are joined, not parsed again.
std::string Catalog::export_json() const {
    sqlite::Database db(path_, SQLITE_OPEN_READONLY);
    db.exec("PRAGMA busy_timeout=10000;");
    sqlite::Transaction read(db, "BEGIN");  // the version and the rows of one commit
    sqlite::Statement version(db, "SELECT value FROM catalog_meta WHERE key = 'version'");
    std::string out = "{\"version\":" + std::to_string(version.step() ? version.int_at(0) : 0) + ",\"procedures\":[";
    version.reset();
    sqlite::Statement rows(db, "SELECT record FROM procedures ORDER BY code");
    for (bool first = true; rows.step(); first = false) out += (first ? "" : ",") + rows.text_at(0);
    read.commit();
    return out + "]}";
}

}  // namespace catalog
