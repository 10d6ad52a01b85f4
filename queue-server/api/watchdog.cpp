// watchdog: sd_notify READY/WATCHDOG/STOPPING, pings held while the writer is stuck (see watchdog.hpp).
#include "api/watchdog.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

namespace api {

Watchdog::Watchdog(boost::asio::io_context& io, std::function<Progress()> progress)
    : timer_(io), progress_(std::move(progress)) {}

void Watchdog::ready(const std::string& status) {
    sd_notify(0, ("READY=1\nSTATUS=" + status).c_str());
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
    period_ = std::chrono::microseconds(usec / 2);  // two pings a period, as sd_watchdog_enabled(3) advises
    last_ = progress_();
    spdlog::info("systemd watchdog: a ping every {} ms", period_.count() / 1000);
    tick();
}

void Watchdog::stopping() {
    timer_.cancel();
    sd_notify(0, "STOPPING=1");
}

void Watchdog::tick() {
    const Progress now = progress_();
    // Two ticks (one period) without a durable event while some wait: hold the ping.
    held_ = stuck(last_, now) ? held_ + 1 : 0;
    last_ = now;
    if (held_ < 2) sd_notify(0, "WATCHDOG=1");
    else if (held_ == 2) spdlog::error("no event became durable for a watchdog period ({} waiting): pings held back",
                                       now.submitted - now.durable);
    timer_.expires_after(period_);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) tick();
    });
}

}  // namespace api
