// phone_bench: 2,000 citizens' phones following their tickets (issue 20) while the
// load generator's normal load runs (bench/load.hpp: 300 counters, 100 displays,
// 20 kiosks, each client from its own loopback address). Each follower's ticket
// is taken at a kiosk (its follow_key from the POST /api/tickets reply), and the
// phone keeps that ticket's stream /api/public/tickets/{key}/events open from its
// own address (127.2.x.y), as a phone on its own network would.
//
// Three runs of the same length, one server:
//   1. the plain normal load;
//   2. the normal load with 2,000 tickets waiting that nobody follows (the
//      counters are busy the whole run: this is the baseline for the followers);
//   3. the same with 2,000 waiting tickets each followed by a phone.
// Runs 2 and 3 differ only by the 2,000 streams. Printed, never asserted:
//   - issue and call-next p50/p99 per run and the ratio of run 3 to run 2
//     (the issue's aim: within 1.5x), the server's RSS, peak RSS and CPU, and this
//     process's own CPU (it shares the two cores with the server);
//   - call → the follower's stream says "called" with the counter, p50/p99;
//   - how many stream messages the followers received.
//
// Vietnamese: đo tải khi 2.000 điện thoại cùng theo dõi vé của mình; chỉ in số đo.
//
// The phones' routes are limited per address (60 burst, 120/min) and overall
// (2,000/s, api/public_limits.hpp). One stream per address stays far under the
// first; the streams are opened at --connect-rate (1,000/s) to stay under the
// second, which has no setting in the center TOML.
#include <CLI/CLI.hpp>

#include <future>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <sys/resource.h>

#include "load.hpp"

namespace {

namespace asio = load::asio;
namespace beast = load::beast;
namespace http = load::http;
namespace websocket = load::websocket;
using load::json;
using load::tcp;
namespace fs = std::filesystem;

// Phone i's own address: 127.2.0.1, 127.2.0.2, ... (the load's clients are on 127.1.x.y).
std::string phone_address(size_t i) { return "127.2." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1); }

// What the followers saw (written on their thread, read on the main one).
struct Seen {
    std::mutex mutex;
    std::map<int64_t, double> called_at;  // ticket id → when its stream said "called" with a counter (ms, load's clock)
    size_t messages = 0;
    std::map<std::string, int> failures;  // why a follower could not connect, by error
};

class Follower : public std::enable_shared_from_this<Follower> {
public:
    Follower(asio::io_context& io, Seen& seen, int64_t ticket) : ws_(io), seen_(seen), ticket_(ticket) {}
    // `ready(true)` once the first view came; `ready(false)` if the stream could not be opened.
    void start(uint16_t port, const std::string& key, const std::string& source, std::function<void(bool)> ready) {
        ready_ = std::move(ready);
        auto self = shared_from_this();
        load::bind_source(beast::get_lowest_layer(ws_).socket(), source);
        beast::get_lowest_layer(ws_).async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
            [self, key](beast::error_code ec) {
                if (ec) return self->fail("connect: " + ec.message());
                self->ws_.async_handshake("127.0.0.1", "/api/public/tickets/" + key + "/events", [self](beast::error_code ec2) {
                    if (ec2) return self->fail("handshake: " + ec2.message());
                    self->read();
                });
            });
    }

private:
    void fail(const std::string& why) {
        if (!ready_) return;
        {
            std::lock_guard lock(seen_.mutex);
            ++seen_.failures[why];
        }
        done(false);
    }
    void done(bool ok) {
        if (!ready_) return;
        auto r = std::move(ready_);
        ready_ = nullptr;
        r(ok);
    }
    void read() {
        ws_.async_read(buf_, [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return self->fail("read: " + ec.message());
            const std::string text = beast::buffers_to_string(self->buf_.data());
            self->buf_.consume(self->buf_.size());
            self->saw(text);
            self->done(true);  // the first message is the ticket as it is now
            self->read();
        });
    }
    // A view that says "called" with the counter: what the phone shows in large type.
    void saw(const std::string& text) {
        double at = 0;
        if (!called_ && text.find("\"called\"") != std::string::npos) {
            const json v = json::parse(text)["ticket"];
            if (v["state"] == "called" && v["counter"].get<int>() > 0) called_ = true, at = load::now_ms();
        }
        std::lock_guard lock(seen_.mutex);
        ++seen_.messages;
        if (at > 0) seen_.called_at[ticket_] = at;
    }
    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buf_;
    Seen& seen_;
    int64_t ticket_;
    bool called_ = false;
    std::function<void(bool)> ready_;
};

struct Issued {
    int64_t id;
    std::string key;
};

// `n` tickets taken at the kiosks, spread over the services, each kiosk's in turn on its connection.
std::vector<Issued> issue(load::Load& load, int n) {
    std::vector<Issued> out;
    int pending = n;
    for (int i = 0; i < n; ++i) {
        auto& kiosk = load.kiosks[static_cast<size_t>(i) % load.kiosks.size()];
        const std::string body = "{\"service\":\"S" + std::to_string(i % load.services) + "\"}";
        kiosk->request(http::verb::post, "/api/tickets", body, [&](int status, const std::string& reply) {
            --pending;
            if (status != 201) throw std::runtime_error("a follower's ticket was refused: " + std::to_string(status) + " " + reply);
            const json j = json::parse(reply);
            out.push_back({j.contains("ticket") ? j["ticket"]["id"].get<int64_t>() : j["id"].get<int64_t>(),
                           j["follow_key"].get<std::string>()});
        });
    }
    while (pending > 0) load.io.run_one();
    return out;
}

// The phones: their own event loop on their own thread, so that reading 2,000
// streams does not delay the load's own clients (whose latencies are measured).
class Phones {
public:
    explicit Phones(Seen& seen) : seen_(seen), thread_([this] { io_.run(); }) {}
    ~Phones() {
        work_.reset();
        asio::post(io_, [this] { followers_.clear(); io_.stop(); });
        thread_.join();
    }
    // Opens a stream for each ticket, `per_second` at most; returns once each has its first view or failed.
    int follow(uint16_t port, const std::vector<Issued>& tickets, double per_second) {
        std::promise<int> all;
        asio::post(io_, [&] { pace(port, tickets, per_second, all); });
        return all.get_future().get();
    }

private:
    // Each stream at its own time (i / per_second after the first): a timer each.
    void pace(uint16_t port, const std::vector<Issued>& tickets, double per_second, std::promise<int>& all) {
        if (tickets.empty()) return all.set_value(0);
        auto counts = std::make_shared<std::pair<size_t, int>>(0, 0);  // finished, ok
        const auto t0 = load::Clock::now();
        for (size_t i = 0; i < tickets.size(); ++i) {
            const auto at = t0 + std::chrono::microseconds(static_cast<int64_t>(1e6 * static_cast<double>(i) / per_second));
            auto timer = std::make_shared<asio::steady_timer>(io_, at);
            timer->async_wait([this, timer, i, port, counts, &tickets, &all](beast::error_code) {
                auto f = std::make_shared<Follower>(io_, seen_, tickets[i].id);
                followers_.push_back(f);
                f->start(port, tickets[i].key, phone_address(i), [counts, &tickets, &all](bool good) {
                    counts->second += good;
                    if (++counts->first == tickets.size()) all.set_value(counts->second);
                });
            });
        }
    }
    Seen& seen_;
    asio::io_context io_{1};
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{asio::make_work_guard(io_)};
    std::vector<std::shared_ptr<Follower>> followers_;
    std::thread thread_;
};

struct Run {
    std::string name;
    double issue_p50 = 0, issue_p99 = 0, call_p50 = 0, call_p99 = 0, rss = 0, hwm = 0, cpu_pct = 0, bench_cpu_pct = 0;
};

// CPU seconds this process (the load and the phones) used so far: it shares the machine's cores with the server.
double own_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

Run measure(const std::string& name, load::Load& load, load::ServerProcess& server, double seconds, double rate) {
    const double cpu0 = server.cpu_seconds(), own0 = own_cpu_seconds();
    const auto t0 = load::Clock::now();
    load.run_for(seconds, rate);
    const double wall = std::chrono::duration<double>(load::Clock::now() - t0).count();
    const auto [hwm, rss] = server.memory_mib();
    Run r{name, load.issue.at(0.5), load.issue.at(0.99), load.call.at(0.5), load.call.at(0.99), rss, hwm,
          100 * (server.cpu_seconds() - cpu0) / wall, 100 * (own_cpu_seconds() - own0) / wall};
    std::printf("  %-22s issue %s | call-next %s\n", name.c_str(), load.issue.text().c_str(), load.call.text().c_str());
    return r;
}

void print_table(const std::vector<Run>& runs) {
    std::printf("\n%-22s | %-33s | %-33s | %-7s | %-8s | %s\n", "run", "issue p50 / p99 (p99 ratio)", "call-next p50 / p99 (p99 ratio)", "RSS MiB",
                "peak MiB", "CPU % of a core: server, bench");
    const Run& base = runs[1];  // the same backlog, nobody following
    for (const Run& r : runs)
        std::printf("%-22s | %8.2f / %8.2f ms (%7.2fx) | %8.2f / %8.2f ms (%7.2fx) | %7.1f | %8.1f | %3.0f%%, %3.0f%%\n",
                    r.name.c_str(), r.issue_p50, r.issue_p99, r.issue_p99 / std::max(0.01, base.issue_p99), r.call_p50, r.call_p99,
                    r.call_p99 / std::max(0.01, base.call_p99), r.rss, r.hwm, r.cpu_pct, r.bench_cpu_pct);
    std::printf("  (ratios: p99 against \"%s\"; the aim for the followers is <= 1.5x, RSS <= 100 MB)\n", base.name.c_str());
}

// The tickets of `issued` that no counter called during the last run: still waiting.
std::vector<Issued> still_waiting(const std::vector<Issued>& issued, const load::Load& load) {
    std::vector<Issued> out;
    for (const Issued& t : issued)
        if (!load.call_sent.count(t.id)) out.push_back(t);
    return out;
}

int run(const std::string& binary, int follower_count, double rate, double seconds, double connect_rate) {
    const int counters = 300, displays = 100, kiosks = 20, services = 10;
    char tmpl[] = "/tmp/center-phone-XXXXXX";
    const fs::path dir = mkdtemp(tmpl);
    std::ofstream(dir / "bench.toml") << load::bench_center_toml(counters, services);
    asio::io_context io(1);
    auto keep_running = asio::make_work_guard(io);
    {
        load::ServerProcess server(binary, dir / "data", dir / "bench.toml");
        const json creds = json::parse(std::ifstream(dir / "data" / "demo-credentials.json"));
        load::Load load(io, server.port, services);
        load::FanOut fan;
        const auto boards = load::connect_clients(load, creds, counters, displays, kiosks, fan);
        std::printf("phone_bench: normal load %d counters, %d displays, %d kiosks at %.0f tickets/s, %.0f s a run; "
                    "%d phones, streams opened at %.0f/s\n", counters, displays, kiosks, rate, seconds, follower_count, connect_rate);
        std::vector<Run> runs;
        runs.push_back(measure("plain load", load, server, seconds, rate));

        std::vector<Issued> backlog = issue(load, follower_count);
        runs.push_back(measure(std::to_string(follower_count) + " waiting", load, server, seconds, rate));

        // Back to the same backlog, now each ticket followed by a phone.
        backlog = still_waiting(backlog, load);
        for (Issued& t : issue(load, follower_count - static_cast<int>(backlog.size()))) backlog.push_back(std::move(t));
        Seen seen;
        Phones phones(seen);
        const auto s0 = load::Clock::now();
        const int connected = phones.follow(server.port, backlog, connect_rate);
        const auto [hwm0, rss0] = server.memory_mib();
        std::printf("  %d phones following (%zu failed) after %.1f s; server RSS %.1f MiB with them idle\n", connected,
                    backlog.size() - static_cast<size_t>(connected), std::chrono::duration<double>(load::Clock::now() - s0).count(),
                    rss0);
        size_t before;
        {
            std::lock_guard lock(seen.mutex);
            before = seen.messages;
            for (const auto& [why, n] : seen.failures) std::printf("    %d: %s\n", n, why.c_str());
        }
        runs.push_back(measure(std::to_string(connected) + " followed", load, server, seconds, rate));
        print_table(runs);

        load::Percentiles to_phone;
        std::lock_guard lock(seen.mutex);
        for (const auto& [ticket, at] : seen.called_at)
            if (auto sent = load.call_sent.find(ticket); sent != load.call_sent.end()) to_phone.add(at - sent->second);
        std::printf("\n  call-next sent → the follower's stream says called with the counter: %s\n", to_phone.text().c_str());
        std::printf("  stream messages to the phones during the run: %zu (%.0f/s)\n", seen.messages - before,
                    static_cast<double>(seen.messages - before) / seconds);
        if (auto e = server.ended(); !e.empty()) std::printf("the server %s\n", e.c_str());
    }
    fs::remove_all(dir);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"phone_bench: the normal load with and without 2,000 phones following their tickets"};
    std::string binary = "build-release/queue-server/queue-server";
    int followers = 2000;
    double rate = 10, seconds = 15, connect_rate = 1000;
    cli.add_option("--server", binary, "queue-server binary")->capture_default_str();
    cli.add_option("--followers", followers, "phones following a ticket each")->capture_default_str();
    cli.add_option("--rate", rate, "tickets per second of the normal load")->capture_default_str();
    cli.add_option("--seconds", seconds, "length of each measured run")->capture_default_str();
    cli.add_option("--connect-rate", connect_rate, "streams opened per second (the phones' overall limit is 2,000/s)")
        ->capture_default_str();
    CLI11_PARSE(cli, argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures as they come, also into a pipe
    try {
        return run(binary, followers, rate, seconds, connect_rate);
    } catch (const std::exception& e) {  // after the server process was stopped by its destructor
        std::fprintf(stderr, "phone_bench: %s\n", e.what());
        return 1;
    }
}
