// notify_support: what the notifier tests share — a hall driven by a real
// engine whose events go to a real store (center.db, which the webhooks read)
// and to the notifier's on_durable, as the server does after each durable
// batch; the log lines captured, to check that numbers are masked; secret files.
#pragma once
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "notify/notifier.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"
#include "test_center.hpp"

namespace testing {

// Every log line, formatted, kept for the test to read.
class LogLines : public spdlog::sinks::base_sink<std::mutex> {
public:
    std::vector<std::string> lines() {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    bool contains(const std::string& text) {
        for (const auto& l : lines())
            if (l.find(text) != std::string::npos) return true;
        return false;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t out;
        formatter_->format(msg, out);
        lines_.emplace_back(out.data(), out.size());
    }
    void flush_() override {}

private:
    std::vector<std::string> lines_;
};

// Installs a LogLines sink as the default logger for the test's life.
struct CapturedLog {
    std::shared_ptr<LogLines> sink = std::make_shared<LogLines>();
    std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
    CapturedLog() { spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink)); }
    ~CapturedLog() { spdlog::set_default_logger(previous); }
};

inline std::string write_secret(const std::filesystem::path& file, const std::string& text, mode_t mode = 0600) {
    std::ofstream(file) << text << "\n";
    ::chmod(file.c_str(), mode);
    return file.string();
}

inline std::string read_bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A center's hall: the engine decides, the store keeps, the notifier hears.
struct Hall {
    TempDir dir;
    Clock clock;
    engine::Engine engine;
    store::Store store{dir / "center.db"};
    notify::Notifier* sink = nullptr;
    std::atomic<int32_t> today{0};

    Hall() {
        run(engine::Configure{small_center()});
        today = clock.now().day;
    }

    engine::Outcome run(const engine::Command& c) {
        engine::Outcome out = engine.handle(c, clock.now());
        if (!out.events.empty()) {
            store.append(out.events);
            if (sink) sink->on_durable(engine.state(), out.events);
        }
        return out;
    }
    int64_t issue(const std::string& service = "A", const std::string& category = "normal") {
        const auto out = run(engine::IssueTicket{service, category, "kiosk:1"});
        for (const auto& e : out.events)
            if (const auto* t = std::get_if<engine::TicketIssued>(&e.body)) return t->ticket.id;
        throw std::runtime_error("no ticket issued");
    }
    void call(int counter) { run(engine::CallNext{counter}); }
    // Finishes what the counter holds, so it can call the next one.
    void finish(int counter) {
        const int64_t t = engine.state().counters.at(counter).ticket;
        if (t) run(engine::TicketAction{engine::Action::finish, t, counter});
    }
    void next(int counter) {
        finish(counter);
        call(counter);
    }
    api::Subscription subscription(int64_t ticket, const std::string& phone, int ahead, const std::string& email = "") {
        const engine::Ticket* t = engine.ticket(ticket);
        return {ticket, t->day, t->number, t->service, phone, email, ahead};
    }
    const std::string& number(int64_t ticket) { return engine.ticket(ticket)->number; }

    // Retries in milliseconds, the day read from the hall's clock.
    notify::Options options() {
        notify::Options o;
        o.timezone = "UTC+07:00";
        o.retry_first = std::chrono::milliseconds(2);
        o.retry_most = std::chrono::milliseconds(20);
        o.poll = std::chrono::milliseconds(20);
        o.today = [this] { return today.load(); };
        return o;
    }
    std::unique_ptr<notify::Notifier> notifier(const nlohmann::json& phone) {
        auto n = std::make_unique<notify::Notifier>(dir.path, dir / "center.db", phone, small_center().name, options());
        sink = n.get();
        n->start();
        return n;
    }
    void next_day() {
        clock.next_day();
        today = clock.now().day;
    }
};

}  // namespace testing
