// backup: online copies of a data folder, kept to a number, and their restore.
//
// Why SQLite's backup API and not cp: the server keeps writing while a backup
// runs (WAL mode), and a plain copy of a live file and its WAL can be torn. The
// backup API copies one consistent state through a read transaction, without
// stopping the hall. Each backup is a folder, BACKUPS/center-YYYYMMDDTHHMMSSZ,
// written as "….partial" and renamed when whole, holding the three files and a
// MANIFEST (sizes and SHA-256, the log's last seq), so a half-written backup is
// never taken for a good one and a damaged file is found before it is restored.
//
// Restore runs as root on a folder that the service's user could have written,
// so the MANIFEST names only the data files, by their plain names; and it can be
// cut off half way (power, kill), so DATA/restore-in-progress says so until the
// last file is in place: the server refuses such a folder, and a second restore
// finishes the job instead of leaving a DATA that starts as an empty center.
#pragma once
#include <filesystem>
#include <functional>
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

// In DATA while a restore is between its first move and its last: the folder is
// neither the old state nor the backup's. Nothing but `restore` may open it.
inline constexpr const char* kRestoreMarker = "restore-in-progress";

// Throws std::runtime_error, saying to run the restore again, when DATA holds kRestoreMarker.
void refuse_interrupted_restore(const std::filesystem::path& data);

struct RestoreResult {
    std::filesystem::path replaced;  // where the replaced files went; empty when there were none
    int64_t seq = 0;                 // the last event of the restored log
    bool resumed = false;            // it finished a restore that had been cut off
};

// Called after each step that changes DATA ("marked", "moved center.db", "placed
// center.db", ...): the tests cut a restore off there. Production passes none.
using RestoreStep = std::function<void(const std::string& step)>;

// Copies DATA's databases into a new folder under `backups`, checks each copy's
// integrity, then keeps the `keep` newest backups (keep >= 1). `now_utc_ms` names it.
BackupResult backup_data(const std::filesystem::path& data, const std::filesystem::path& backups, int keep,
                         int64_t now_utc_ms);

// The backups under `backups`, oldest first (whole ones only).
std::vector<std::filesystem::path> list_backups(const std::filesystem::path& backups);

// Verifies a backup (manifest, hashes, integrity, the log against its views),
// then puts its files into DATA under the data lock, moving the files they
// replace to DATA/replaced-YYYYMMDDTHHMMSSZ (nothing is deleted). Throws
// std::runtime_error with the reason; DATA is untouched when it throws before
// the marker is written (a bad backup, a full disk while copying). With the
// marker there, it completes the cut-off restore, from this backup.
RestoreResult restore_data(const std::filesystem::path& backup, const std::filesystem::path& data, int64_t now_utc_ms,
                           const RestoreStep& step = {});

// The commands: print what was done; 0, or 2 with the reason.
int run_backup(const std::filesystem::path& data, const std::filesystem::path& backups, int keep);
int run_restore(const std::filesystem::path& backup, const std::filesystem::path& data);

}  // namespace ops
