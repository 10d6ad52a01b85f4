// smtp_server: a real SMTP server for the e-mail tests — Debian's aiosmtpd
// (python3-aiosmtpd) on a free loopback port, keeping each message it takes in
// a Maildir (aiosmtpd.handlers.Mailbox), where the test reads it.
//
// Waits are bounded: for the port to accept (the program is starting), for
// the messages to appear in Maildir/new (the server is delivering).
#pragma once
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "loopback.hpp"
#include "process.hpp"

namespace testing {

class SmtpServer {
public:
    // Port 0: a free one; a given port: to come up where a client already knocks.
    explicit SmtpServer(std::filesystem::path maildir, uint16_t port = 0)
        : maildir_(std::move(maildir)), port_(port ? port : free_loopback_port()),
          process_({"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port_), "-c",
                    "aiosmtpd.handlers.Mailbox", maildir_.string()}) {
        wait_until("aiosmtpd did not start listening", [&] { return accepts(); });
    }

    uint16_t port() const { return port_; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

    // The raw messages delivered so far, oldest first, once there are at least n.
    std::vector<std::filesystem::path> wait_for_messages(size_t n) {
        std::vector<std::filesystem::path> found;
        wait_until("fewer than " + std::to_string(n) + " e-mails arrived", [&] {
            found = messages();
            return found.size() >= n;
        });
        return found;
    }
    std::vector<std::filesystem::path> messages() const {
        std::vector<std::filesystem::path> out;
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(maildir_ / "new", ec)) out.push_back(e.path());
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return std::filesystem::last_write_time(a) < std::filesystem::last_write_time(b) ||
                   (std::filesystem::last_write_time(a) == std::filesystem::last_write_time(b) && a < b);
        });
        return out;
    }

private:
    bool accepts() const {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        const sockaddr_in a = loopback_address(port_);
        const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
        ::close(fd);
        return ok;
    }
    template <class Pred>
    static void wait_until(const std::string& what, Pred pred) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!pred()) {
            if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error(what);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling another process's effect, bounded
        }
    }

    std::filesystem::path maildir_;
    uint16_t port_;
    Process process_;
};

}  // namespace testing
