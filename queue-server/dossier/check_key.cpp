// check_key: reading and creating DATA/dossier-key (see check_key.hpp).
#include "dossier/check_key.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dossier {

namespace {

constexpr size_t kKeyChars = 2 * 32;

KeyError failure(const std::string& what, const std::string& path) {
    return KeyError(what + " " + path + ": " + std::strerror(errno));
}

// Closes the descriptor on every way out.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

void write_all(int fd, const std::string& text, const std::string& path) {
    for (size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw failure("cannot write", path);
        done += static_cast<size_t>(n);
    }
}

// The link to the new file must survive a power cut too, not only its bytes.
void sync_folder(const std::string& path) {
    const auto folder = std::filesystem::path(path).parent_path();
    Fd dir{::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (dir.fd < 0 || ::fsync(dir.fd) != 0) throw failure("cannot sync the folder of", path);
}

}  // namespace

std::string new_check_key() {
    if (sodium_init() < 0) throw KeyError("libsodium failed to start");
    unsigned char raw[kKeyChars / 2];
    randombytes_buf(raw, sizeof raw);
    char hex[kKeyChars + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return hex;
}

bool is_check_key(const std::string& key) {
    return key.size() == kKeyChars &&
           std::all_of(key.begin(), key.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<std::string> read_key_file(const std::string& path) {
    Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
    if (f.fd < 0 && errno == ENOENT) return std::nullopt;
    if (f.fd < 0) throw failure("cannot open the dossier check key", path);
    struct stat st {};
    if (::fstat(f.fd, &st) == 0 && (st.st_mode & 077) != 0) (void)::fchmod(f.fd, 0600);  // best effort, see the header
    char buf[kKeyChars + 8];
    const ssize_t n = ::read(f.fd, buf, sizeof buf);
    if (n < 0) throw failure("cannot read the dossier check key", path);
    std::string key(buf, static_cast<size_t>(n));
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) key.pop_back();
    if (!is_check_key(key))
        throw KeyError("the dossier check key " + path + " is damaged (it must hold 64 hex characters)");
    return key;
}

std::string create_key_file(const std::string& path, const std::string& key) {
    if (!is_check_key(key)) throw KeyError("a dossier check key must be 64 hex characters");
    const std::string partial = path + ".new-" + std::to_string(::getpid());
    ::unlink(partial.c_str());  // left by a crash of an earlier process with our pid
    {
        Fd f{::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)};
        if (f.fd < 0) throw failure("cannot create the dossier check key", partial);
        write_all(f.fd, key + "\n", partial);
        if (::fsync(f.fd) != 0) throw failure("cannot sync", partial);
    }
    // link, not rename: a key already in place (another process's, made just
    // now) must never be replaced, or the hashes it made would stop matching.
    const bool linked = ::link(partial.c_str(), path.c_str()) == 0;
    const int link_errno = errno;
    ::unlink(partial.c_str());
    if (!linked && link_errno != EEXIST) {
        errno = link_errno;
        throw failure("cannot put the dossier check key in place at", path);
    }
    sync_folder(path);
    const auto kept = read_key_file(path);
    if (!kept) throw KeyError("the dossier check key " + path + " vanished as it was made");
    return *kept;
}

}  // namespace dossier
