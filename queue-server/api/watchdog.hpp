// watchdog: tells systemd the server is ready, alive and stopping (sd_notify).
//
// Why not a timer alone: a timer on the event loop proves the loop turns, but a
// server whose disk hangs in fsync turns its loop while no ticket becomes
// durable. So each ping also asks whether the writer kept up: when events wait
// to be committed and none became durable for a whole watchdog period, the ping
// is held back and systemd restarts the service (WatchdogSec= in the unit). Out
// of systemd (no NOTIFY_SOCKET) every call does nothing.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <string>

namespace api {

class Watchdog {
public:
    struct Progress {
        int64_t submitted = 0;  // the last event handed to the writer
        int64_t durable = 0;    // the last event on disk
    };

    Watchdog(boost::asio::io_context& io, std::function<Progress()> progress);
    void ready(const std::string& status);  // READY=1, and the pings start if the unit asks for them
    void stopping();                        // STOPPING=1
    // Whether the writer is stuck, given the progress at two pings a period apart.
    static bool stuck(const Progress& before, const Progress& now) {
        return now.submitted > now.durable && now.durable == before.durable;
    }

private:
    void tick();

    boost::asio::steady_timer timer_;
    std::function<Progress()> progress_;
    std::chrono::microseconds period_{0};
    Progress last_;
    int held_ = 0;  // ticks in a row with the writer stuck
};

}  // namespace api
