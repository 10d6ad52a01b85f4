// private_file: born 0600 under a temporary name, synced, renamed (see private_file.hpp).
#include "ops/private_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace ops {

namespace fs = std::filesystem;

void fsync_path(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path.string() + " to sync it");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw std::runtime_error("fsync of " + path.string() + " failed");
}

void make_folder(const fs::path& folder, mode_t mode) {
    if (folder.empty() || fs::exists(folder)) return;
    make_folder(folder.parent_path(), mode);
    if (::mkdir(folder.c_str(), mode) != 0 && errno != EEXIST)
        throw std::runtime_error("cannot create " + folder.string() + ": " + std::strerror(errno));
    ::chmod(folder.c_str(), mode);  // mkdir's mode went through the umask
}

void write_fully(int fd, const char* bytes, size_t size, const fs::path& file) {
    for (size_t done = 0; done < size;) {
        const ssize_t n = ::write(fd, bytes + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("cannot write " + file.string() + ": " + std::strerror(errno));
        done += static_cast<size_t>(n);
    }
}

void write_private_file(const fs::path& file, const std::string& text) {
    const fs::path folder = file.parent_path().empty() ? fs::path(".") : file.parent_path();
    const fs::path temp = folder / ("." + file.filename().string() + ".new");
    fs::remove(temp);  // a crash's leftover: O_EXCL below never opens what is there
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + temp.string() + ": " + std::strerror(errno));
    try {
        write_fully(fd, text.data(), text.size(), temp);
        if (::fsync(fd) != 0) throw std::runtime_error("fsync of " + temp.string() + " failed");
    } catch (...) {
        ::close(fd);
        fs::remove(temp);
        throw;
    }
    ::close(fd);
    fs::rename(temp, file);
    fsync_path(folder);
}

}  // namespace ops
