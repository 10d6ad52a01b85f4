// attack_bench: the attacks of issue 19 (item 2.5 and 2.1) against a Release
// queue-server while the load generator's normal load runs (bench/load.hpp: 300
// counters, 100 displays, 20 kiosks, each from its own loopback address), and
// the normal load's issue and call-next p99 without and with each attack, side
// by side. The attacker is one address (127.0.0.1 for slowhttptest, 127.0.0.66
// for the flood and the guesses); a watcher on 127.0.0.2 asks /healthz every
// 20 ms (the loop stall is its slowest answer) and reads center_connections
// from /metrics (connections the attacker holds). Printed, never asserted; the
// issue's aim is p99 within 2x of no attack and 0 guesses past the limit.
#include <CLI/CLI.hpp>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>

#include "api/login_throttle.hpp"
#include "http_client.hpp"
#include "load.hpp"
#include "process.hpp"

namespace {

using load::json;
namespace fs = std::filesystem;
constexpr const char* kAttacker = "127.0.0.66";

double percentile(std::vector<double> v, double q) { return load::Percentiles{std::move(v)}.at(q); }

// center_connections{scope="..."} from /metrics, -1 when not there.
double connections(uint16_t port, const std::string& scope) {
    const auto r = testing::http_call_to("127.0.0.1", port, "GET", "/metrics", "", "", {}, 5000, "127.0.0.2");
    const std::string key = "center_connections{scope=\"" + scope + "\"} ";
    const auto at = r.raw.find(key);
    return at == std::string::npos ? -1 : std::stod(r.raw.substr(at + key.size()));
}

// /healthz every 20 ms and /metrics every 250 ms, from 127.0.0.2, on its own thread.
class Watcher {
public:
    explicit Watcher(uint16_t port) : port_(port), thread_([this] { run(); }) {}
    ~Watcher() {
        running_ = false;
        thread_.join();
    }
    struct Figures {
        double health_p99 = 0, health_max = 0;
        size_t failures = 0, busiest = 0;
    };
    void begin() {
        std::lock_guard lock(mutex_);
        health_.clear();
        failures_ = 0;
        busiest_ = 0;
    }
    Figures figures() {
        std::lock_guard lock(mutex_);
        return {percentile(health_, 0.99), health_.empty() ? 0 : *std::max_element(health_.begin(), health_.end()), failures_,
                busiest_};
    }
    size_t busiest() {
        std::lock_guard lock(mutex_);
        return busiest_;
    }

private:
    void run() {
        for (int i = 0; running_; ++i) {
            const auto t0 = load::Clock::now();
            bool ok = false;
            try {
                ok = testing::http_call_to("127.0.0.1", port_, "GET", "/healthz", "", "", {}, 5000, "127.0.0.2").status == 200;
            } catch (const std::exception&) {}
            const double ms = std::chrono::duration<double, std::milli>(load::Clock::now() - t0).count();
            double busiest = 0;
            if (i % 12 == 0) try { busiest = connections(port_, "busiest_address"); } catch (const std::exception&) {}
            {
                std::lock_guard lock(mutex_);
                if (ok) health_.push_back(ms);
                else ++failures_;
                busiest_ = std::max(busiest_, static_cast<size_t>(std::max(0.0, busiest)));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    uint16_t port_;
    std::atomic<bool> running_{true};
    std::mutex mutex_;
    std::vector<double> health_;
    size_t failures_ = 0, busiest_ = 0;
    std::thread thread_;
};

// One attack: started before the load's run, stopped after it; `notes` its own figures.
struct Attack {
    std::string name;
    std::function<void()> start, stop;
    std::function<std::string()> notes = [] { return std::string(); };
    double seconds = 0;      // 0: the normal run's length
    bool builds_up = false;  // measure once it holds its connections
};

// slowhttptest from 127.0.0.1 to its end (-l); its CSV says what it held.
Attack slowhttptest(const std::string& name, const std::string& args, const std::string& target, uint16_t port,
                    const fs::path& dir, double seconds, std::shared_ptr<testing::Process>& child) {
    const fs::path prefix = dir / name;
    const std::string command = "exec slowhttptest " + args + " -c 1000 -r 200 -p 3 -l " + std::to_string(static_cast<int>(seconds) + 4) +
                                " -g -o " + prefix.string() + " -u http://127.0.0.1:" + std::to_string(port) + target + " > " +
                                prefix.string() + ".log 2>&1";
    return {name,
            [command, &child] { child = std::make_shared<testing::Process>(std::vector<std::string>{"/bin/sh", "-c", command}); },
            [&child] { child->wait_exit(); },
            [prefix, name] {
                std::ifstream in(prefix.string() + ".csv");
                std::string line;
                int most = 0, closed = 0;
                std::getline(in, line);
                while (std::getline(in, line)) {
                    int s, c, p, conn;
                    if (std::sscanf(line.c_str(), "%d,%d,%d,%d", &s, &c, &p, &conn) == 4) most = std::max(most, conn), closed = c;
                }
                return name + ": slowhttptest asked 1000 connections, saw at most " + std::to_string(most) +
                       " connected at once, " + std::to_string(closed) + " closed by the server";
            },
            0, true};
}

// 2,000 silent sockets from the attacker's address, held for the run.
struct Flood {
    std::vector<int> fds;
    size_t closed = 0;
    void start(uint16_t port) {
        for (int i = 0; i < 2000; ++i) {
            const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in from{}, to{};
            from.sin_family = to.sin_family = AF_INET;
            inet_pton(AF_INET, kAttacker, &from.sin_addr);
            to.sin_port = htons(port);
            to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
                ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
                ::close(fd);
                continue;
            }
            fds.push_back(fd);
        }
    }
    void stop() {
        for (const int fd : fds) {  // what the server closed reads as end of file
            char c;
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 0) == 1 && ::recv(fd, &c, 1, MSG_DONTWAIT) <= 0) ++closed;
            ::close(fd);
        }
    }
    std::string notes() const {
        return "flood: " + std::to_string(fds.size()) + " sockets connected, " + std::to_string(closed) +
               " closed by the server, " + std::to_string(fds.size() - closed) + " held to the end";
    }
};

// 30 parallel wrong passwords for one user from one address, every second.
struct Guesses {
    std::atomic<int> wrong{0}, locked{0}, busy{0}, other{0};
    std::atomic<bool> running{false};
    std::thread thread;
    double seconds = 0;
    void start(uint16_t port) {
        running = true;
        thread = std::thread([this, port] {
            const auto t0 = load::Clock::now();
            for (int s = 0; running; ++s) {
                std::vector<std::thread> burst;
                for (int i = 0; i < 30; ++i) burst.emplace_back([this, port] { guess(port); });
                for (auto& t : burst) t.join();
                std::this_thread::sleep_until(t0 + std::chrono::seconds(s + 1));
            }
            seconds = std::chrono::duration<double>(load::Clock::now() - t0).count();
        });
    }
    void guess(uint16_t port) {
        try {
            const int status = testing::http_call_to("127.0.0.1", port, "POST", "/api/login",
                                                     R"({"user":"admin","password":"not-the-password"})", "", {}, 10000, kAttacker).status;
            (status == 401 ? wrong : status == 429 ? locked : status == 503 ? busy : other)++;
        } catch (const std::exception&) {
            ++other;
        }
    }
    void stop() {
        running = false;
        thread.join();
    }
    // What LoginThrottle's policy lets through in `seconds` of bursts: the free
    // failures, then one after each doubling delay (1 s, 2 s, 4 s ...).
    static int allowed(double seconds) {
        const api::LoginThrottle::Policy policy;
        int n = policy.free_failures;
        for (double at = 0, delay = static_cast<double>(policy.first_delay_ms) / 1000; at + delay < seconds; at += delay, delay *= 2) ++n;
        return n;
    }
    std::string notes() const {
        const int limit = allowed(seconds);
        char b[320];
        std::snprintf(b, sizeof b,
                      "guesses: %d sent in %.0f s; admitted to Argon2 (401) %d = %.1f a minute; 429 locked %d, 503 busy %d, "
                      "other %d; the throttle allows %d in that time: %d past the limit",
                      wrong + locked + busy + other, seconds, wrong.load(), wrong * 60 / std::max(1.0, seconds), locked.load(),
                      busy.load(), other.load(), limit, std::max(0, wrong.load() - limit));
        return b;
    }
};

struct Row {
    std::string name;
    double issue_p99, call_p99;
    Watcher::Figures watch;
    std::string notes;
};

// Waits (bounded) until no address holds more than a couple of connections: the last attack is over.
void wait_quiet(uint16_t port) {
    for (int i = 0; i < 300; ++i) {
        try {
            if (connections(port, "busiest_address") <= 2) return;
        } catch (const std::exception&) {}
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::printf("  (the attacker's connections were still held 30 s after the attack)\n");
}

Row run_phase(load::Load& load, Watcher& watch, Attack& a, double seconds, double rate) {
    watch.begin();
    const int errors = load.errors;
    if (a.start) a.start();
    // Let the attack build up before the load is measured (bounded: ~3 s).
    for (int i = 0; a.builds_up && i < 30 && watch.busiest() < 200; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    load.run_for(a.seconds > 0 ? a.seconds : seconds, rate);
    const Watcher::Figures f = watch.figures();
    if (a.stop) a.stop();
    Row row{a.name, load.issue.at(0.99), load.call.at(0.99), f, a.notes()};
    if (load.errors > errors) {
        row.notes += (row.notes.empty() ? a.name + ": " : "; ") + std::to_string(load.errors - errors) + " normal-load requests failed (status";
        for (const auto& [status, n] : load.error_statuses) row.notes += " " + std::to_string(status) + " x" + std::to_string(n);
        row.notes += ")";
    }
    load.error_statuses.clear();
    std::printf("  %-10s issue %s | call-next %s\n", a.name.c_str(), load.issue.text().c_str(), load.call.text().c_str());
    wait_quiet(load.port);
    return row;
}

void print_table(const std::vector<Row>& rows) {
    const Row& base = rows.front();
    std::printf("\n%-10s | %-20s | %-20s | %-17s | %-14s\n", "attack", "issue p99", "call-next p99", "/healthz p99/max",
                "attacker held");
    for (const Row& r : rows) {
        char held[32] = "-";
        if (&r != &base) std::snprintf(held, sizeof held, "%zu", r.watch.busiest);
        std::printf("%-10s | %7.2f ms (%4.1fx)   | %7.2f ms (%4.1fx)   | %6.1f / %6.1f ms | %-14s%s\n", r.name.c_str(),
                    r.issue_p99, r.issue_p99 / std::max(0.01, base.issue_p99), r.call_p99, r.call_p99 / std::max(0.01, base.call_p99),
                    r.watch.health_p99, r.watch.health_max, held,
                    r.watch.failures ? (" /healthz failures " + std::to_string(r.watch.failures)).c_str() : "");
    }
    std::printf("\n");
    for (const Row& r : rows)
        if (!r.notes.empty()) std::printf("  %s\n", r.notes.c_str());
}

}  // namespace

int run(const std::string& binary, double rate, double seconds, double guess_seconds);

int main(int argc, char** argv) {
    CLI::App cli{"attack_bench: the normal load's latency with and without attacks from one address"};
    std::string binary = "build-release/queue-server/queue-server";
    double rate = 10, seconds = 15, guess_seconds = 30;
    cli.add_option("--server", binary, "queue-server binary")->capture_default_str();
    cli.add_option("--rate", rate, "tickets per second of the normal load")->capture_default_str();
    cli.add_option("--seconds", seconds, "length of each measured run")->capture_default_str();
    cli.add_option("--guess-seconds", guess_seconds, "length of the password-guessing run")->capture_default_str();
    CLI11_PARSE(cli, argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures as they come, also into a pipe
    try {
        return run(binary, rate, seconds, guess_seconds);
    } catch (const std::exception& e) {  // after the server process was stopped by its destructor
        std::fprintf(stderr, "attack_bench: %s\n", e.what());
        return 1;
    }
}

int run(const std::string& binary, double rate, double seconds, double guess_seconds) {
    const int counters = 300, displays = 100, kiosks = 20, services = 10;
    char tmpl[] = "/tmp/center-attack-XXXXXX";
    const fs::path dir = mkdtemp(tmpl);
    std::ofstream(dir / "bench.toml") << load::bench_center_toml(counters, services);
    load::asio::io_context io(1);
    auto keep_running = load::asio::make_work_guard(io);
    std::vector<Row> rows;
    {
        load::ServerProcess server(binary, dir / "data", dir / "bench.toml");
        const json creds = json::parse(std::ifstream(dir / "data" / "demo-credentials.json"));
        load::Load load(io, server.port, services);
        load::FanOut fan;
        const auto boards = load::connect_clients(load, creds, counters, displays, kiosks, fan);
        Watcher watch(server.port);
        std::printf("attack_bench: normal load %d counters, %d displays, %d kiosks at %.0f tickets/s, %.0f s a run; "
                    "per-address cap 256 (the default)\n", counters, displays, kiosks, rate, seconds);
        std::shared_ptr<testing::Process> slow;
        Flood flood;
        Guesses guesses;
        std::vector<Attack> attacks = {
            {"no attack", nullptr, nullptr},
            slowhttptest("slowloris", "-H -i 1 -x 24", "/healthz", server.port, dir, seconds, slow),
            slowhttptest("slow-read", "-X -k 4 -n 1 -w 1 -y 32 -z 16", "/metrics", server.port, dir, seconds, slow),
            {"flood", [&] { flood.start(server.port); }, [&] { flood.stop(); }, [&] { return flood.notes(); }, 0, true},
            {"guesses", [&] { guesses.start(server.port); }, [&] { guesses.stop(); }, [&] { return guesses.notes(); }, guess_seconds},
        };
        for (auto& a : attacks) rows.push_back(run_phase(load, watch, a, seconds, rate));
        if (auto e = server.ended(); !e.empty()) std::printf("the server %s\n", e.c_str());
    }
    print_table(rows);
    fs::remove_all(dir);
    return 0;
}
