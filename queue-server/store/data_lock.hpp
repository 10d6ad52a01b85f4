// data_lock: one process at a time owns a data folder.
//
// Why: the server keeps accounts and the engine's state in memory, so a second
// server on the same folder, or a restore or first-run setup writing under a
// running one, would split the truth. The lock is flock(2) on DATA/lock: the
// kernel drops it when the process dies, so a crash never leaves it stale.
#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>

namespace store {

struct LockedError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class DataLock {
public:
    // Creates the folder if needed; throws LockedError "DATA is in use by process N"
    // when another process holds it.
    explicit DataLock(const std::filesystem::path& data);
    ~DataLock();
    DataLock(const DataLock&) = delete;
    DataLock& operator=(const DataLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace store
