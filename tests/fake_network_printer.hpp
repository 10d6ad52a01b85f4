// fake_network_printer: a raw TCP 9100 printer in a thread, for tests. It records
// each connection's bytes as a job, answers `DLE EOT n` with status bytes, and
// can misbehave on purpose: say nothing to status requests, stop reading (a
// jammed printer with a full buffer), or drop the connection mid-job.
#pragma once
#include "loopback.hpp"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace testing {

class FakeNetworkPrinter {
public:
    enum class Mode { normal, silent, stall, drop };

    explicit FakeNetworkPrinter(Mode mode = Mode::normal, size_t drop_after = 0) : mode_(mode), drop_after_(drop_after) {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        int small = 2048;  // a jammed printer's buffer fills fast
        if (mode == Mode::stall) ::setsockopt(listener_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        port_ = listen_on_loopback(listener_, 8, "fake printer");
        if (::pipe(stop_.data()) != 0) throw std::runtime_error("pipe");
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeNetworkPrinter() {
        (void)!::write(stop_[1], "x", 1);
        thread_.join();
        ::close(listener_);
        ::close(stop_[0]);
        ::close(stop_[1]);
    }

    uint16_t port() const { return port_; }
    void set_status(std::array<uint8_t, 4> answers) {
        std::lock_guard lock(mutex_);
        answers_ = answers;
    }
    // Jobs are connections that sent more than status requests, complete once closed.
    std::vector<std::vector<uint8_t>> jobs() const {
        std::lock_guard lock(mutex_);
        return jobs_;
    }
    bool wait_for_jobs(size_t n) const {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return jobs_.size() >= n; });
    }

private:
    // Waits for `fd` to be readable or for the stop signal; false on stop.
    bool readable(int fd) const {
        pollfd p[2] = {{fd, POLLIN, 0}, {stop_[0], POLLIN, 0}};
        ::poll(p, 2, -1);
        return !(p[1].revents & POLLIN);
    }

    void serve() {
        while (readable(listener_)) {
            const int c = ::accept(listener_, nullptr, nullptr);
            if (c < 0) continue;
            if (mode_ == Mode::stall) {
                readable(stop_[0]);  // never read; hold the connection until the test ends
                ::close(c);
                return;
            }
            serve_connection(c);
            ::close(c);
        }
    }

    void serve_connection(int c) {
        std::vector<uint8_t> job;
        uint8_t buf[65536];
        while (readable(c)) {
            const ssize_t n = ::read(c, buf, sizeof buf);
            if (n <= 0) break;
            if (n == 3 && buf[0] == 0x10 && buf[1] == 0x04) {
                if (mode_ == Mode::silent || buf[2] < 1 || buf[2] > 4) continue;
                std::lock_guard lock(mutex_);
                (void)!::write(c, &answers_[buf[2] - 1], 1);
                continue;
            }
            job.insert(job.end(), buf, buf + n);
            if (mode_ == Mode::drop && job.size() >= drop_after_) {
                linger hard{1, 0};  // RST, as when the printer is switched off
                ::setsockopt(c, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
                break;
            }
        }
        if (job.empty()) return;
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
        changed_.notify_all();
    }

    Mode mode_;
    size_t drop_after_;
    int listener_ = -1;
    uint16_t port_ = 0;
    std::array<int, 2> stop_{};
    std::thread thread_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::array<uint8_t, 4> answers_{0x12, 0x12, 0x12, 0x12};
    std::vector<std::vector<uint8_t>> jobs_;
};

}  // namespace testing
