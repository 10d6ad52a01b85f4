// backup: online copies of a data folder, kept to a number, and their restore.
//
// Why SQLite's backup API and not cp: the server keeps writing while a backup
// runs (WAL mode), and a plain copy of a live file and its WAL can be torn. The
// backup API copies one consistent state through a read transaction, without
// stopping the hall. Each backup is a folder, BACKUPS/center-YYYYMMDDTHHMMSSZ,
// written as "….partial" and renamed when whole, holding the three files and a
// MANIFEST (sizes and SHA-256, the log's last seq), so a half-written backup is
// never taken for a good one and a damaged file is found before it is restored.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace ops {

struct BackupResult {
    std::filesystem::path folder;               // the new backup
    int64_t seq = 0;                            // the last event it holds
    std::vector<std::filesystem::path> removed;  // older backups let go of by retention
};

// The data files a backup holds; center.db must exist, the others are copied when present.
inline const std::vector<std::string> kDataFiles = {"center.db", "catalog.db", "dossiers.db"};

// Copies DATA's databases into a new folder under `backups`, checks each copy's
// integrity, then keeps the `keep` newest backups (keep >= 1). `now_utc_ms` names it.
BackupResult backup_data(const std::filesystem::path& data, const std::filesystem::path& backups, int keep,
                         int64_t now_utc_ms);

// The backups under `backups`, oldest first (whole ones only).
std::vector<std::filesystem::path> list_backups(const std::filesystem::path& backups);

// Verifies a backup (manifest, hashes, integrity, the log against its views),
// then puts its files into DATA under the data lock, moving the files they
// replace to DATA/replaced-YYYYMMDDTHHMMSSZ (nothing is deleted). Throws
// std::runtime_error with the reason; DATA is untouched when it throws.
void restore_data(const std::filesystem::path& backup, const std::filesystem::path& data, int64_t now_utc_ms);

// The commands: print what was done; 0, or 2 with the reason.
int run_backup(const std::filesystem::path& data, const std::filesystem::path& backups, int keep);
int run_restore(const std::filesystem::path& backup, const std::filesystem::path& data);

}  // namespace ops
