// dossier_key_test: the dossier module's guards against a leaked backup and
// against guessing — the check key kept in DATA/dossier-key and nowhere in
// dossiers.db (with the migration of older databases), the per-device and
// per-code lookup limits, and the name mask whatever the spaces in a name.
// Only the dossier library is linked, so these run without a server.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include <sodium.h>

#include "dossier/check_key.hpp"
#include "dossier/dossier.hpp"
#include "dossier/dossier_store.hpp"
#include "dossier/lookup_limits.hpp"
#include "temp_dir.hpp"

using namespace dossier;
namespace fs = std::filesystem;

namespace {

Update with_check(const std::string& code, const std::string& check) {
    Update u;
    u.event_id = "e-" + code;
    u.code = code;
    u.at = 1'795'482'000'000;
    u.status = 4;
    u.check = check;
    return u;
}

std::string file_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Whether the key shows anywhere in the database's files, as text or as bytes.
bool key_in_files(const fs::path& db, const std::string& key) {
    unsigned char raw[32];
    REQUIRE(sodium_hex2bin(raw, sizeof raw, key.data(), key.size(), nullptr, nullptr, nullptr) == 0);
    const std::string binary(reinterpret_cast<char*>(raw), sizeof raw);
    for (const auto& suffix : {"", "-wal", "-journal"}) {
        const fs::path f = db.string() + suffix;
        if (!fs::exists(f)) continue;
        const std::string bytes = file_bytes(f);
        if (bytes.find(key) != std::string::npos || bytes.find(binary) != std::string::npos) return true;
    }
    return false;
}

// Whether any cell of any table holds the key.
bool key_in_tables(const fs::path& db, const std::string& key) {
    sqlite::Database conn(db.string());
    std::vector<std::string> tables;
    sqlite::Statement names(conn, "SELECT name FROM sqlite_schema WHERE type = 'table'");
    while (names.step()) tables.push_back(names.text_at(0));
    for (const auto& t : tables) {
        sqlite::Statement rows(conn, "SELECT * FROM \"" + t + "\"");
        while (rows.step())
            for (int c = 0; c < rows.column_count(); ++c)
                if (!rows.null_at(c) && rows.text_at(c).find(key) != std::string::npos) return true;
    }
    return false;
}

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

// Written out again on purpose, not shared with the store: it pins how older
// versions hashed check values, which the store must go on matching.
std::string key_hash(const std::string& key, const std::string& check) {
    unsigned char out[crypto_generichash_BYTES];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(check.data()), check.size(),
                       reinterpret_cast<const unsigned char*>(key.data()), key.size());
    char hex[2 * sizeof out + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

// A dossiers.db as versions before the key file wrote it: the key in
// dossier_meta, and one dossier whose check value "1234" is hashed with it.
void write_old_format(const fs::path& db, const std::string& key) {
    sqlite::Database conn(db.string());
    conn.exec("PRAGMA journal_mode=WAL;"
              "CREATE TABLE dossiers(code TEXT PRIMARY KEY, record TEXT NOT NULL) STRICT;"
              "CREATE TABLE feed_events(event_id TEXT PRIMARY KEY, code TEXT NOT NULL) STRICT;"
              "CREATE TABLE dossier_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;");
    sqlite::Statement(conn, "INSERT INTO dossier_meta(key, value) VALUES('check_key', ?)").bind(1, key).run();
    Dossier d;
    apply(d, with_check("H55-OLD", key_hash(key, "1234")));
    sqlite::Statement(conn, "INSERT INTO dossiers(code, record) VALUES(?, ?)").bind(1, d.code).bind(2, to_json(d).dump()).run();
}

std::string padded(int n) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04d", n);
    return buf;
}

}  // namespace

TEST_CASE("the check key is in DATA/dossier-key, 0600, and nowhere in dossiers.db", "[key]") {
    testing::TempDir dir;
    const fs::path db = dir / "dossiers.db", key_file = dir / "dossier-key";
    {
        Store store(db.string(), key_file.string());
        store.ingest({with_check("H55-1", "1234")});
        CHECK(store.check_matches(*store.find("H55-1"), "1234"));
    }
    REQUIRE(fs::exists(key_file));
    CHECK(mode_of(key_file) == 0600);
    const auto key = read_key_file(key_file.string());
    REQUIRE(key);
    CHECK_FALSE(key_in_files(db, *key));
    CHECK_FALSE(key_in_tables(db, *key));
    Store again(db.string(), key_file.string());  // the same key next time
    CHECK(again.check_matches(*again.find("H55-1"), "1234"));
    CHECK_FALSE(again.check_matches(*again.find("H55-1"), "1235"));
}

TEST_CASE("an old dossiers.db with the key inside: the key moves to the file and old check values still match", "[key]") {
    testing::TempDir dir;
    const fs::path db = dir / "dossiers.db", key_file = dir / "dossier-key";
    const std::string old_key = new_check_key();
    write_old_format(db, old_key);
    REQUIRE(key_in_files(db, old_key));  // the test's premise: the old layout leaks it
    {
        Store store(db.string(), key_file.string());
        CHECK_FALSE(key_in_files(db, old_key));  // at once, not only when the server stops: a copy taken now is clean
        CHECK(store.check_matches(*store.find("H55-OLD"), "1234"));
        CHECK_FALSE(store.check_matches(*store.find("H55-OLD"), "4321"));
    }
    CHECK(read_key_file(key_file.string()) == old_key);
    CHECK(mode_of(key_file) == 0600);
    CHECK_FALSE(key_in_files(db, old_key));  // overwritten, not only unlinked from the table
    CHECK_FALSE(key_in_tables(db, old_key));
    Store again(db.string(), key_file.string());
    CHECK(again.check_matches(*again.find("H55-OLD"), "1234"));
}

TEST_CASE("a copy of dossiers.db alone cracks no check value", "[key]") {
    testing::TempDir dir, thief;
    {
        Store store((dir / "dossiers.db").string(), (dir / "dossier-key").string());
        store.ingest({with_check("H55-1", "1234")});
    }
    fs::copy_file(dir / "dossiers.db", thief / "dossiers.db");
    // Without the key file the copy does not open: no new key is made for old hashes.
    CHECK_THROWS_WITH(Store((thief / "dossiers.db").string(), (thief / "dossier-key").string()),
                      Catch::Contains("dossier-key is missing"));
    create_key_file((thief / "dossier-key").string(), new_check_key());
    Store copy((thief / "dossiers.db").string(), (thief / "dossier-key").string());
    const auto d = copy.find("H55-1");
    REQUIRE(d);
    int matches = 0;
    for (int n = 0; n < 10'000; ++n) matches += copy.check_matches(*d, padded(n));
    CHECK(matches == 0);
}

TEST_CASE("the key file: made once, never replaced, refused when damaged or from another center", "[key]") {
    testing::TempDir dir;
    const std::string path = (dir / "dossier-key").string(), first = new_check_key();
    CHECK(create_key_file(path, first) == first);
    CHECK(create_key_file(path, new_check_key()) == first);  // a second maker gets the first key
    { std::ofstream(dir / "damaged") << "not a key\n"; }
    CHECK_THROWS_AS(read_key_file((dir / "damaged").string()), KeyError);
    write_old_format(dir / "dossiers.db", new_check_key());
    CHECK_THROWS_WITH(Store((dir / "dossiers.db").string(), path), Catch::Contains("differs"));
    CHECK_FALSE(read_key_file((dir / "none").string()));
}

// ---------------------------------------------------------------- lookup limits

TEST_CASE("a device that used its lookups waits for the next one, and others do not", "[limits]") {
    LookupLimits limits;  // 10 a minute
    const int64_t t = 1'000'000;
    for (int i = 0; i < 10; ++i) CHECK_FALSE(limits.admit("kiosk:1", "H55-" + std::to_string(i), t));
    CHECK(limits.admit("kiosk:1", "H55-10", t) == int64_t{6000});  // one lookup every 6 s
    CHECK(limits.admit("kiosk:1", "H55-10", t + 3000) == int64_t{3000});
    CHECK_FALSE(limits.admit("kiosk:2", "H55-10", t));
    CHECK_FALSE(limits.admit("kiosk:1", "H55-10", t + 6000));
    CHECK(limits.admit("kiosk:1", "H55-11", t + 6000));
    CHECK_FALSE(limits.admit("kiosk:1", "H55-11", t + 6000 + 60'000));  // refilled, never past 10
}

TEST_CASE("five wrong checks from five devices lock the code for everyone for 15 minutes", "[limits]") {
    LookupLimits limits;
    const int64_t t = 5'000'000, lock = 15 * 60'000;
    for (int i = 0; i < 5; ++i) {
        REQUIRE_FALSE(limits.admit("kiosk:" + std::to_string(i), "H55-7", t + i));
        limits.failed("H55-7", t + i);
    }
    const int64_t locked_at = t + 4;
    CHECK(limits.admit("kiosk:9", "H55-7", locked_at) == lock);
    CHECK(limits.admit("user:staff", "H55-7", locked_at + lock - 1) == int64_t{1});
    CHECK_FALSE(limits.admit("kiosk:9", "H55-8", locked_at));  // another code is open
    CHECK_FALSE(limits.admit("kiosk:9", "H55-7", locked_at + lock));
    limits.failed("H55-7", locked_at + lock);  // after the lock the count starts again
    CHECK_FALSE(limits.admit("kiosk:8", "H55-7", locked_at + lock + 1));
}

TEST_CASE("a right check value starts the code's count again, and failures far apart do not lock", "[limits]") {
    LookupLimits limits;
    int64_t t = 9'000'000;
    for (int i = 0; i < 4; ++i) limits.failed("H55-1", t);
    limits.succeeded("H55-1");
    for (int i = 0; i < 4; ++i) limits.failed("H55-1", t);
    CHECK_FALSE(limits.admit("kiosk:1", "H55-1", t));
    limits.failed("H55-1", t);
    CHECK(limits.admit("kiosk:1", "H55-1", t));
    for (int i = 0; i < 10; ++i) limits.failed("H55-2", t += 16 * 60'000);  // one a quarter hour: no guessing run
    CHECK_FALSE(limits.admit("kiosk:2", "H55-2", t));
}

TEST_CASE("spellings of one code share one count: decomposed letters are the same code", "[limits]") {
    LookupLimits limits;
    const std::string nfc = "X\xC3\x83-1", nfd = "XA\xCC\x83-1";  // "XÃ-1" composed and decomposed
    for (int i = 0; i < 5; ++i) limits.failed(i % 2 ? nfc : nfd, 100);
    CHECK(limits.admit("kiosk:1", nfc, 101));
    CHECK(limits.admit("kiosk:1", nfd, 101));
    CHECK(normal_code(nfd) == nfc);
}

TEST_CASE("lookup limits keep at most max_tracked devices and codes", "[limits]") {
    LookupLimits limits({.per_minute = 10, .failures_per_code = 5, .code_lock_ms = 60'000, .max_tracked = 100});
    for (int i = 0; i < 10'000; ++i) {
        (void)limits.admit("kiosk:" + std::to_string(i), "H-" + std::to_string(i), i);
        limits.failed("H-" + std::to_string(i), i);
        limits.failed(std::string(5000, 'x') + std::to_string(i), i);  // long junk codes are cut
    }
    CHECK(limits.tracked() <= 200);
    for (int i = 0; i < 5; ++i) limits.failed("H-recent", 20'000);  // the newest entries stay
    CHECK(limits.admit("kiosk:1", "H-recent", 20'001));
    CHECK_THROWS_AS(LookupLimits({.per_minute = 0}), std::invalid_argument);
}

// ---------------------------------------------------------------- name mask

TEST_CASE("the name mask holds whatever separates the words", "[mask]") {
    const std::string expected = "Nguy\xE1\xBB\x85n V** A**";  // Nguyễn V** A**
    for (const std::string sep : {" ", "\xC2\xA0" /* NBSP */, "\xE2\x80\x83" /* EM SPACE */, "\xE3\x80\x80" /* IDEOGRAPHIC */,
                                  "\t", "\n", "\r\n", "\xE2\x80\x8B" /* ZERO WIDTH SPACE */, "\xE2\x80\xA8" /* LINE SEP */,
                                  "\xE2\x80\xA9" /* PARAGRAPH SEP */, "\xE2\x81\xA0" /* WORD JOINER */, "\xC2\xAD" /* SOFT HYPHEN */,
                                  "\xEF\xBB\xBF" /* BOM */, ".", ",", "-", "_", "\x0B", "\xE1\x9A\x80" /* OGHAM SPACE */}) {
        INFO("separator bytes: " << sep.size());
        CHECK(mask_name("Nguy\xE1\xBB\x85n" + sep + "V\xC4\x83n" + sep + "An") == expected);
        CHECK(mask_name(sep + sep + "Nguy\xE1\xBB\x85n" + sep + sep + sep + "V\xC4\x83n " + sep + "An" + sep) == expected);
    }
}

TEST_CASE("the name mask works on decomposed input and shows nothing of text that is not UTF-8", "[mask]") {
    // "Nguyễn Văn Ẩn" decomposed: e + U+0302 + U+0303, a + U+0306, A + U+0302 + U+0309.
    CHECK(mask_name("Nguye\xCC\x82\xCC\x83n\xC2\xA0Va\xCC\x86n\xC2\xA0" "A\xCC\x82\xCC\x89n") ==
          "Nguy\xE1\xBB\x85n V** \xE1\xBA\xA8**");
    CHECK(mask_name("Nguy\xE1\xBB\x85n \xCC\x81V\xC4\x83n") == "Nguy\xE1\xBB\x85n \xCC\x81**");  // a stray mark is all it shows
    CHECK(mask_name("Nguy\xE1\xBB\x85n V\xC4\x83n\xC3\x28") == "");
    CHECK(mask_name("\xC2\xA0\t\xE3\x80\x80") == "");
    CHECK(mask_name("Đặng Thị Ánh Tuyết") == "Đặng T** Á** T**");
}
