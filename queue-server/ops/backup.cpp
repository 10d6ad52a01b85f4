// backup: SQLite online backups with a manifest, retention, and a verified restore (see backup.hpp).
#include "ops/backup.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sodium.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "ops/check.hpp"
#include "ops/private_file.hpp"
#include "common/local_time.hpp"
#include "store/data_lock.hpp"
#include "sqlite/sqlite.hpp"

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

// The names the MANIFEST lists, each one of kDataFiles. Whoever could write the
// backup wrote the MANIFEST, and restore joins these names to DATA as root: a
// "../x" would write (and chown) outside it. One bad name refuses the backup.
std::vector<std::string> manifest_names(const fs::path& backup, const json& manifest) {
    if (!manifest.contains("files") || !manifest["files"].is_object())
        throw std::runtime_error(backup.string() + ": the MANIFEST lists no files");
    std::vector<std::string> names;
    for (const auto& [name, info] : manifest["files"].items()) {
        if (std::find(kDataFiles.begin(), kDataFiles.end(), name) == kDataFiles.end())
            throw std::runtime_error(backup.string() + "/MANIFEST names " + json(name).dump() +
                                     ", which is not a data file (center.db, catalog.db, dossiers.db): the backup is refused");
        names.push_back(name);
    }
    if (std::find(names.begin(), names.end(), "center.db") == names.end())
        throw std::runtime_error(backup.string() + ": the MANIFEST names no center.db");
    return names;
}

void check_hash(const fs::path& file, const json& info) {
    if (fs::file_size(file) != info.at("bytes").get<uintmax_t>() || sha256_of(file) != info.at("sha256").get<std::string>())
        throw std::runtime_error(file.string() + ": does not match its MANIFEST (damaged or changed)");
}

// The manifest's files are all there, whole, and the log agrees with its views.
void verify_backup(const fs::path& backup, const json& manifest, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        const fs::path file = backup / name;
        if (!fs::exists(fs::symlink_status(file))) throw std::runtime_error(file.string() + ": missing from the backup");
        if (!fs::is_regular_file(fs::symlink_status(file)))
            throw std::runtime_error(file.string() + ": not a plain file (a link or a folder): the backup is refused");
        check_hash(file, manifest["files"][name]);
    }
    const CheckReport r = check_data(backup);
    if (!r.ok()) throw std::runtime_error(backup.string() + ": fails the check: " + r.problems.front());
}

// ---- restore ----

// One open file, closed on every way out.
struct Fd {
    int fd;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

// Run as root for a packaged server, what restore puts in DATA must stay the
// service's: the folder's owner, or nullopt when there is no one to give it to.
std::optional<struct stat> owner_to_give(const fs::path& data) {
    struct stat st {};
    if (::geteuid() != 0 || ::stat(data.c_str(), &st) != 0) return std::nullopt;
    return st;
}

// `from` into the new file `to`: born 0600, the owner's before it has its
// final name, synced, and never through a link on either side (the service's
// user can write both the backups and DATA).
void copy_private(const fs::path& from, const fs::path& to, const std::optional<struct stat>& owner) {
    fs::remove(to);
    Fd in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (in.fd < 0) throw std::runtime_error("cannot read " + from.string() + ": " + std::strerror(errno));
    Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (out.fd < 0) throw std::runtime_error("cannot create " + to.string() + ": " + std::strerror(errno));
    char buf[1 << 16];
    for (ssize_t n; (n = ::read(in.fd, buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error("cannot read " + from.string() + ": " + std::strerror(errno));
        write_fully(out.fd, buf, static_cast<size_t>(n), to);
    }
    if (owner && ::fchown(out.fd, owner->st_uid, owner->st_gid) != 0)
        throw std::runtime_error("cannot give " + to.string() + " to the data folder's owner");
    if (::fsync(out.fd) != 0) throw std::runtime_error("fsync of " + to.string() + " failed");
}

// Every copy beside its place, whole, synced and hashed again (what goes in is
// what was verified), before anything is moved: a full disk or a file changed
// under us leaves DATA as it was.
void stage_copies(const fs::path& backup, const fs::path& data, const json& manifest, const std::vector<std::string>& names,
                  const std::optional<struct stat>& owner) {
    try {
        for (const auto& name : names) {
            copy_private(backup / name, data / (name + ".restoring"), owner);
            check_hash(data / (name + ".restoring"), manifest["files"][name]);
        }
    } catch (...) {
        std::error_code ec;
        for (const auto& name : names) fs::remove(data / (name + ".restoring"), ec);
        throw;
    }
}

// What DATA/restore-in-progress holds: where the replaced files go, and how far
// it got ("moving": the old files go aside; "placing": they all have, and the
// files under the data names are the restore's own).
struct Marker {
    std::string replaced;
    std::string stage;
};

std::optional<Marker> read_marker(const fs::path& data) {
    const fs::path file = data / kRestoreMarker;
    if (!fs::exists(fs::symlink_status(file))) return std::nullopt;
    std::ifstream in(file);
    const json j = json::parse(in, nullptr, false);
    Marker m;
    if (j.is_object() && j.value("replaced", json()).is_string() && j.value("stage", json()).is_string())
        m = {j["replaced"].get<std::string>(), j["stage"].get<std::string>()};
    // Its folder name is joined to DATA as root: a plain "replaced-…" only.
    if (!m.replaced.starts_with("replaced-") || m.replaced.find('/') != std::string::npos ||
        (m.stage != "moving" && m.stage != "placing"))
        throw std::runtime_error(file.string() + ": not a marker that restore wrote; look at DATA by hand");
    return m;
}

void write_marker(const fs::path& data, const Marker& m) {
    write_private_file(data / kRestoreMarker, json{{"replaced", m.replaced}, {"stage", m.stage}}.dump() + "\n");
}

// replaced-YYYYMMDDTHHMMSSZ, or -2, -3… when an earlier restore took that name.
std::string fresh_replaced(const fs::path& data, int64_t now_ms) {
    const std::string base = "replaced-" + utc_stamp(now_ms);
    for (int n = 1;; ++n) {
        const std::string name = n == 1 ? base : base + "-" + std::to_string(n);
        if (!fs::exists(fs::symlink_status(data / name))) return name;
    }
}

// DATA's databases and their -wal and -shm into `replaced` (made only when
// something goes there): nothing is deleted. Done again after a cut, it moves
// what the first run had not.
void move_aside(const fs::path& data, const fs::path& replaced, const RestoreStep& step) {
    for (const auto& name : kDataFiles)
        for (const std::string suffix : {"", "-wal", "-shm"}) {
            const fs::path file = data / (name + suffix), aside = replaced / (name + suffix);
            if (!fs::exists(fs::symlink_status(file))) continue;
            make_folder(replaced, 0700);
            if (!fs::is_directory(fs::symlink_status(replaced)))
                throw std::runtime_error(replaced.string() + ": not a folder (a link?): the restore stops here");
            if (fs::exists(fs::symlink_status(aside)))
                throw std::runtime_error(file.string() + " and " + aside.string() + " both exist: look at DATA by hand");
            fs::rename(file, aside);
            if (step) step("moved " + name + suffix);
        }
    if (fs::exists(replaced)) fsync_path(replaced);
    fsync_path(data);
}

// The copies into their places. Every old file went aside before (stage
// "placing"), so what DATA holds under a data name now is a cut-off restore's:
// a -wal or -shm beside it, or a file this backup has not, would be mixed in.
void place(const fs::path& data, const std::vector<std::string>& names, const RestoreStep& step) {
    for (const auto& name : kDataFiles) {
        const bool restored = std::find(names.begin(), names.end(), name) != names.end();
        for (const std::string suffix : {"-wal", "-shm", ""})
            if (!restored || !suffix.empty()) fs::remove(data / (name + suffix));
        if (!restored) continue;
        fs::rename(data / (name + ".restoring"), data / name);
        if (step) step("placed " + name);
    }
    fsync_path(data);
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

void refuse_interrupted_restore(const fs::path& data) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(data / kRestoreMarker, ec)))
        throw std::runtime_error(data.string() + ": a restore into this folder was cut off before it finished; run `queue-server restore --data " +
                                 data.string() + " BACKUP` again to complete it");
}

BackupResult backup_data(const fs::path& data, const fs::path& backups, int keep, int64_t now_ms) {
    if (keep < 1) throw std::invalid_argument("keep at least one backup");
    refuse_interrupted_restore(data);
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

RestoreResult restore_data(const fs::path& backup, const fs::path& data, int64_t now_ms, const RestoreStep& step) {
    const json manifest = read_manifest(backup);
    const auto names = manifest_names(backup, manifest);
    verify_backup(backup, manifest, names);
    make_folder(data, 0700);
    store::DataLock lock(data);
    const auto owner = owner_to_give(data);
    const auto cut_off = read_marker(data);
    Marker marker = cut_off.value_or(Marker{fresh_replaced(data, now_ms), "moving"});
    stage_copies(backup, data, manifest, names, owner);
    const fs::path replaced = data / marker.replaced;
    if (marker.stage == "moving") {
        write_marker(data, marker);  // synced before the first move
        if (step) step("marked");
        move_aside(data, replaced, step);
        marker.stage = "placing";
        write_marker(data, marker);
    }
    place(data, names, step);
    fs::remove(data / kRestoreMarker);
    fsync_path(data);
    return {fs::exists(replaced) ? replaced : fs::path(), last_seq_of(data / "center.db"), cut_off.has_value()};
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
        const auto r = restore_data(backup, data, common::system_now_ms());
        std::cout << (r.resumed ? "completed the restore that was cut off: " : "") << "restored " << backup.string() << " into "
                  << data.string() << " (event " << r.seq << ")"
                  << (r.replaced.empty() ? "" : "; the files it replaced are in " + r.replaced.string()) << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::error_code ec;
        const bool half = fs::exists(fs::symlink_status(data / kRestoreMarker, ec));
        std::cerr << "queue-server restore: " << e.what()
                  << (half ? " (DATA is half restored: run the restore again)" : " (nothing was changed)") << std::endl;
        return 2;
    }
}

}  // namespace ops
