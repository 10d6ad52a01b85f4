// smtp_server: a real SMTP server for the e-mail tests — Debian's aiosmtpd
// (python3-aiosmtpd) on a free loopback port, keeping each message it takes in
// a Maildir (aiosmtpd.handlers.Mailbox), where the test reads it.
//
// Waits are on events, each with a deadline: for the server's "listening" line,
// written once its port is bound; for the Maildir's inotify events as messages
// are delivered into Maildir/new.
#pragma once
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "dir_watch.hpp"
#include "loopback.hpp"
#include "process.hpp"

namespace testing {

// aiosmtpd as `python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c aiosmtpd.handlers.Mailbox DIR`
// would run it, but saying on stdout when it listens (the module's own main does not).
inline constexpr const char* kSmtpServerScript = R"(
import asyncio, sys
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP
handler = Mailbox(sys.argv[2])
loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
loop.run_until_complete(loop.create_server(lambda: SMTP(handler), '127.0.0.1', int(sys.argv[1])))
print('listening', flush=True)
loop.run_forever()
)";

class SmtpServer {
public:
    // Port 0: a free one; a given port: to come up where a client already knocks.
    explicit SmtpServer(std::filesystem::path maildir, uint16_t port = 0)
        : maildir_(std::move(maildir)), port_(port ? port : free_loopback_port()),
          process_({"/usr/bin/python3", "-c", kSmtpServerScript, std::to_string(port_), maildir_.string()}) {
        if (process_.wait_for_line_within("listening", std::chrono::seconds(30)).empty())
            throw std::runtime_error("aiosmtpd did not start listening on port " + std::to_string(port_));
        delivered_ = std::make_unique<DirWatch>(maildir_ / "new");  // the Mailbox made the Maildir before it listened
    }

    uint16_t port() const { return port_; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

    // The raw messages delivered so far, oldest first, once there are at least n.
    std::vector<std::filesystem::path> wait_for_messages(size_t n) {
        std::vector<std::filesystem::path> found;
        delivered_->wait_until(
            [&] {
                found = messages();
                return found.size() >= n;
            },
            "fewer than " + std::to_string(n) + " e-mails arrived");
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
    std::filesystem::path maildir_;
    uint16_t port_;
    Process process_;
    std::unique_ptr<DirWatch> delivered_;
};

}  // namespace testing
