// backup: SQLite online backups with a manifest, retention, and a verified restore (see backup.hpp).
#include "backup.hpp"

#include <algorithm>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "check.hpp"
#include "common/local_time.hpp"
#include "data_lock.hpp"
#include "sqlite.hpp"

namespace ops {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* kPrefix = "center-";
constexpr const char* kPartial = ".partial";

std::string utc_stamp(int64_t ms) {
    const time_t t = static_cast<time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

void fsync_path(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path.string() + " to sync it");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw std::runtime_error("fsync of " + path.string() + " failed");
}

std::string sha256_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
        crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf), static_cast<size_t>(in.gcount()));
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, digest);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

// One consistent state of `from` into the new standalone file `to`. The server
// may hold the write lock for a commit; SQLite says BUSY and we try again.
void copy_database(const fs::path& from, const fs::path& to) {
    sqlite::Database src(from.string(), SQLITE_OPEN_READONLY);
    sqlite::Database dst(to.string());
    sqlite3_backup* b = sqlite3_backup_init(dst.handle(), "main", src.handle(), "main");
    if (!b) throw sqlite::Error("backup of " + from.string() + ": " + sqlite3_errmsg(dst.handle()));
    int rc;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a commit takes milliseconds
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) throw sqlite::Error("backup of " + from.string() + ": " + sqlite3_errstr(rc));
    dst.exec("PRAGMA journal_mode = DELETE");  // one file, no WAL beside it
    sqlite::Statement q(dst, "PRAGMA integrity_check");
    q.step();
    if (q.text_at(0) != "ok") throw sqlite::Error("the copy of " + from.string() + " is damaged: " + q.text_at(0));
}

int64_t last_seq_of(const fs::path& center_db) {
    sqlite::Database db(center_db.string(), SQLITE_OPEN_READONLY);
    sqlite::Statement q(db, "SELECT COALESCE(MAX(seq), 0) FROM events");
    q.step();
    return q.int_at(0);
}

fs::path fresh_folder(const fs::path& backups, int64_t now_ms) {
    const std::string base = kPrefix + utc_stamp(now_ms);
    for (int n = 1;; ++n) {
        const fs::path f = backups / (n == 1 ? base : base + "-" + std::to_string(n));
        if (!fs::exists(f) && !fs::exists(f.string() + kPartial)) return f;
    }
}

std::vector<fs::path> apply_retention(const fs::path& backups, int keep) {
    std::vector<fs::path> removed;
    auto all = list_backups(backups);
    while (static_cast<int>(all.size()) > keep) {
        fs::remove_all(all.front());
        removed.push_back(all.front());
        all.erase(all.begin());
    }
    return removed;
}

json read_manifest(const fs::path& backup) {
    std::ifstream in(backup / "MANIFEST");
    if (!in) throw std::runtime_error(backup.string() + ": no MANIFEST (not a backup, or not a whole one)");
    try {
        return json::parse(in);
    } catch (const json::exception& e) {
        throw std::runtime_error(backup.string() + "/MANIFEST: " + e.what());
    }
}

// The manifest's files are all there, whole, and the log agrees with its views.
void verify_backup(const fs::path& backup, const json& manifest) {
    if (!manifest.contains("files") || !manifest["files"].contains("center.db"))
        throw std::runtime_error(backup.string() + ": the MANIFEST names no center.db");
    for (const auto& [name, info] : manifest["files"].items()) {
        const fs::path file = backup / name;
        if (!fs::exists(file)) throw std::runtime_error(file.string() + ": missing from the backup");
        if (fs::file_size(file) != info.at("bytes").get<uintmax_t>() || sha256_of(file) != info.at("sha256").get<std::string>())
            throw std::runtime_error(file.string() + ": does not match its MANIFEST (damaged or changed)");
    }
    const CheckReport r = check_data(backup);
    if (!r.ok()) throw std::runtime_error(backup.string() + ": fails the check: " + r.problems.front());
}

}  // namespace

std::vector<fs::path> list_backups(const fs::path& backups) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(backups, ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_directory() && name.starts_with(kPrefix) && !name.ends_with(kPartial) && fs::exists(entry.path() / "MANIFEST"))
            out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

BackupResult backup_data(const fs::path& data, const fs::path& backups, int keep, int64_t now_ms) {
    if (keep < 1) throw std::invalid_argument("keep at least one backup");
    if (!fs::exists(data / "center.db")) throw std::runtime_error((data / "center.db").string() + ": no such file");
    fs::create_directories(backups);
    BackupResult result;
    result.folder = fresh_folder(backups, now_ms);
    const fs::path partial = result.folder.string() + kPartial;
    fs::create_directories(partial);
    json manifest = {{"format", 1}, {"created_at", now_ms}, {"from", fs::absolute(data).string()}, {"files", json::object()}};
    try {
        for (const auto& name : kDataFiles) {
            if (!fs::exists(data / name)) continue;
            copy_database(data / name, partial / name);
            fsync_path(partial / name);
            manifest["files"][name] = {{"bytes", fs::file_size(partial / name)}, {"sha256", sha256_of(partial / name)}};
        }
        result.seq = last_seq_of(partial / "center.db");
        manifest["seq"] = result.seq;
        std::ofstream(partial / "MANIFEST") << manifest.dump(2) << '\n';
        fsync_path(partial / "MANIFEST");
        fsync_path(partial);
        fs::rename(partial, result.folder);
        fsync_path(backups);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(partial, ec);
        throw;
    }
    result.removed = apply_retention(backups, keep);
    return result;
}

void restore_data(const fs::path& backup, const fs::path& data, int64_t now_ms) {
    const json manifest = read_manifest(backup);
    verify_backup(backup, manifest);
    store::DataLock lock(data);
    std::vector<std::string> names;
    for (const auto& [name, info] : manifest["files"].items()) names.push_back(name);
    // First every copy beside its place; only then is anything moved, so a full
    // disk or a bad copy leaves DATA as it was.
    try {
        for (const auto& name : names) {
            fs::copy_file(backup / name, data / (name + ".restoring"), fs::copy_options::overwrite_existing);
            fsync_path(data / (name + ".restoring"));
        }
    } catch (...) {
        std::error_code ec;
        for (const auto& name : names) fs::remove(data / (name + ".restoring"), ec);
        throw;
    }
    const fs::path replaced = data / ("replaced-" + utc_stamp(now_ms));
    for (const auto& name : kDataFiles)
        for (const std::string suffix : {"", "-wal", "-shm"})
            if (fs::exists(data / (name + suffix))) {
                fs::create_directories(replaced);
                fs::rename(data / (name + suffix), replaced / (name + suffix));
            }
    // Run as root for a packaged server, the files must stay its user's: they take the folder's owner.
    struct stat folder {};
    const bool as_folder = ::stat(data.c_str(), &folder) == 0 && ::geteuid() == 0;
    for (const auto& name : names) {
        fs::rename(data / (name + ".restoring"), data / name);
        if (as_folder && ::chown((data / name).c_str(), folder.st_uid, folder.st_gid) != 0)
            throw std::runtime_error("cannot give " + (data / name).string() + " to the data folder's owner");
    }
    fsync_path(data);
}

int run_backup(const fs::path& data, const fs::path& backups, int keep) {
    try {
        const auto r = backup_data(data, backups, keep, common::system_now_ms());
        std::cout << "backup of " << data.string() << " in " << r.folder.string() << ": up to event " << r.seq;
        if (!r.removed.empty()) std::cout << "; " << r.removed.size() << " older backup(s) removed (keeping " << keep << ")";
        std::cout << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "queue-server backup: " << e.what() << std::endl;
        return 2;
    }
}

int run_restore(const fs::path& backup, const fs::path& data) {
    try {
        const int64_t now = common::system_now_ms();
        restore_data(backup, data, now);
        const fs::path replaced = data / ("replaced-" + utc_stamp(now));
        std::cout << "restored " << backup.string() << " into " << data.string() << " (event " << read_manifest(backup)["seq"]
                  << ")" << (fs::exists(replaced) ? "; the files it replaced are in " + replaced.string() : "") << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "queue-server restore: " << e.what() << " (nothing was changed)" << std::endl;
        return 2;
    }
}

}  // namespace ops
