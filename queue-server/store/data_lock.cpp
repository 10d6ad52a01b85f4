// data_lock: flock(2) on DATA/lock, with the holder's pid written in it (see data_lock.hpp).
#include "store/data_lock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>

namespace store {

DataLock::DataLock(const std::filesystem::path& data) {
    std::filesystem::create_directories(data);
    const auto file = data / "lock";
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw LockedError(file.string() + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = {};
        const ssize_t n = ::pread(fd_, pid, sizeof pid - 1, 0);
        ::close(fd_);
        fd_ = -1;
        throw LockedError(data.string() + " is in use by process " + (n > 0 ? std::string(pid, n) : std::string("?")) +
                          " (stop the server first)");
    }
    const std::string me = std::to_string(::getpid());
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size())) {
        // The pid is only a courtesy for the message above; the lock holds without it.
    }
}

DataLock::~DataLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace store
