// dir_watch: waiting for what another process writes into a folder, on the
// folder's inotify events. Each event wakes the waiter to look again, so a test
// waits exactly as long as the writer takes — no polling pace — and a writer
// that never writes fails the test at a deadline with the test's own words.
#pragma once
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace testing {

class DirWatch {
public:
    // Watches `dir` (it must exist) for files closed after writing, created (a
    // hard link, as Python's Maildir delivers) or moved in.
    explicit DirWatch(const std::filesystem::path& dir) : fd_(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) {
        if (fd_ >= 0 && ::inotify_add_watch(fd_, dir.c_str(), IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO) >= 0) return;
        if (fd_ >= 0) ::close(fd_);
        throw std::runtime_error("cannot watch " + dir.string() + " with inotify");
    }
    ~DirWatch() { ::close(fd_); }
    DirWatch(const DirWatch&) = delete;
    DirWatch& operator=(const DirWatch&) = delete;

    // Until `done()` holds: looked at now (what was written before the watch
    // began counts too) and again after each event in the folder. Throws
    // "`what` (not within N s)" when `limit` passes first.
    template <class Pred>
    void wait_until(Pred done, const std::string& what, std::chrono::seconds limit = std::chrono::seconds(30)) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            pollfd p{fd_, POLLIN, 0};
            const int ready = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(left.count())) : 0;
            if (ready == 0) throw std::runtime_error(what + " (not within " + std::to_string(limit.count()) + " s)");
            if (ready < 0 && errno != EINTR) throw std::runtime_error("poll on inotify failed");
            drain();
        }
    }

private:
    // The events only say "look again": which file they name does not matter.
    void drain() {
        alignas(inotify_event) char buf[4096];
        while (::read(fd_, buf, sizeof buf) > 0) {
        }
    }

    int fd_;
};

}  // namespace testing
