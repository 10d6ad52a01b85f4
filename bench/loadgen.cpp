// loadgen: drives a real queue-server on loopback and prints figures; it never
// passes or fails on time (see bench/README.md for what each figure means).
//
//   300 counters (one staff client each, calling and finishing),
//   100 displays on the WebSocket stream, 20 kiosks issuing tickets,
//   at a given rate; then a stress ramp that doubles the rate until p99 passes
//   50 ms; then the durable issue rate with group commit against plain SQLite
//   inserts of one row per transaction with the same fsync setting.
//
// All clients are asynchronous on one event loop in this process, each with its
// own keep-alive connection (and its own loopback address, load.hpp), so the
// server sees 420 connections at once.
#include <CLI/CLI.hpp>
#include <sqlite3.h>

#include <csignal>
#include <iostream>

#include "load.hpp"

using namespace load;  // the load's pieces: this file is their main user

namespace {

// The rate of one-row-per-transaction inserts in WAL mode with synchronous=FULL.
double plain_sqlite_rate(const std::filesystem::path& file, int rows) {
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE events(seq INTEGER PRIMARY KEY, at INTEGER, day INTEGER, type TEXT, json TEXT);",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?1, ?2, 20261124, 'ticket_issued', ?3)", -1, &st, nullptr);
    const std::string payload(420, 'x');  // about the size of a ticket_issued event
    const double t0 = now_ms();
    for (int i = 1; i <= rows; ++i) {
        sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_int64(st, 2, static_cast<int64_t>(t0));
        sqlite3_bind_text(st, 3, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    const double rate = rows / ((now_ms() - t0) / 1000.0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rate;
}

// Tickets per second with `clients` kiosks each sending the next request as soon as the last is answered.
double durable_issue_rate(Load& load, size_t clients, double seconds) {
    size_t done = 0;
    bool running = true;
    std::function<void(size_t)> loop = [&](size_t k) {
        if (!running) return;
        load.kiosks[k % load.kiosks.size()]->request(http::verb::post, "/api/tickets", "{\"service\":\"S1\"}",
                                                     [&, k](int status, const std::string&) {
                                                         if (status == 201 && running) ++done;
                                                         loop(k);
                                                     });
    };
    for (size_t k = 0; k < clients; ++k) loop(k);
    asio::steady_timer stop(load.io);
    stop.expires_after(std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
    stop.async_wait([&](beast::error_code) { running = false; });
    const double t0 = now_ms();
    while (running) load.io.run_one();
    const double rate = static_cast<double>(done) / ((now_ms() - t0) / 1000.0);
    asio::steady_timer drain(load.io);
    drain.expires_after(std::chrono::milliseconds(300));
    bool drained = false;
    drain.async_wait([&](beast::error_code) { drained = true; });
    while (!drained) load.io.run_one();
    return rate;
}

// Prints the fan-out of the run's first calls and returns its p99 (ms).
double print_fanout(Load& load, FanOut& fan, size_t displays) {
    Percentiles p;
    size_t incomplete = 0;
    for (const auto& [ticket, sent] : load.call_sent) {
        auto it = fan.seen.find(ticket);
        if (it == fan.seen.end() || it->second.displays < static_cast<int>(displays)) {
            ++incomplete;
            continue;
        }
        p.add(it->second.last_ms - sent);
    }
    std::printf("  call -> event at all %zu displays: %s  (%zu calls not seen by every display)\n", displays, p.text().c_str(), incomplete);
    fan.seen.clear();
    return p.v.empty() ? 0 : p.at(0.99);
}

// The same steady run with the counter's real day (issue 22): a share of visits
// sent on to two more services at their first finish, a share parked and called
// back. Printed beside the plain run's p99s.
void print_visit_run(Load& load, FanOut& fan, size_t displays, double seconds, double rate, double plain_call_p99,
                     double plain_fan_p99) {
    std::printf("Visits: the same run with %.0f%% of visits of 3 steps and %.0f%% parked and called back.\n",
                100 * load.steps_share, 100 * load.park_share);
    load.run_for(seconds, rate);
    std::printf("  call-next:                                %s\n", load.call.text().c_str());
    std::printf("  park:                                     %s\n", load.park_ms.text().c_str());
    std::printf("  return (call a parked ticket back):       %s\n", load.return_ms.text().c_str());
    const double fan_p99 = print_fanout(load, fan, displays);
    const double call_p99 = load.call.at(0.99);
    std::printf("  p99 with visits / plain: call-next %.2fx, fan-out %.2fx; errors %d\n", call_p99 / plain_call_p99,
                plain_fan_p99 > 0 ? fan_p99 / plain_fan_p99 : 0.0, load.errors);
    load.steps_share = load.park_share = 0;
}

}  // namespace

// Restart on the data the run left: the server replays its whole event log
// before it listens, so this is the start-up cost for that many events.
void print_restart(const std::string& binary, const std::filesystem::path& dir) {
    sqlite3* db = nullptr;
    long long events = 0;
    if (sqlite3_open_v2((dir / "data" / "center.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM events", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            events = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    const double t0 = now_ms();
    ServerProcess again(binary, dir / "data", dir / "bench.toml");
    const double ms = now_ms() - t0;
    std::printf("Restart: %lld events in the log, listening after %.0f ms (%.1f µs an event)\n", events, ms,
                events ? ms * 1000 / static_cast<double>(events) : 0.0);
}

int main(int argc, char** argv) {
    CLI::App cli{"loadgen: load figures for queue-server"};
    std::string binary = "build-release/queue-server/queue-server";
    int counters = 300, displays = 100, kiosk_count = 20, services = 10;
    double rate = 10, seconds = 15, stress_seconds = 5;
    bool stress = true;
    double steps_share = 0.3, park_share = 0.05;
    cli.add_option("--server", binary, "queue-server binary")->capture_default_str();
    cli.add_option("--counters", counters)->capture_default_str();
    cli.add_option("--displays", displays)->capture_default_str();
    cli.add_option("--kiosks", kiosk_count)->capture_default_str();
    cli.add_option("--rate", rate, "tickets per second in the steady run (10 = ten times a busy center)")->capture_default_str();
    cli.add_option("--seconds", seconds, "length of the steady run")->capture_default_str();
    cli.add_option("--stress-seconds", stress_seconds, "length of each stress step")->capture_default_str();
    cli.add_flag("!--no-stress", stress, "skip the stress ramp");
    cli.add_option("--steps-share", steps_share, "share of visits of 3 steps in the visits run (0: no visits run)")->capture_default_str();
    cli.add_option("--park-share", park_share, "share of visits parked and called back in the visits run")->capture_default_str();
    CLI11_PARSE(cli, argc, argv);

    char tmpl[] = "/tmp/center-bench-XXXXXX";
    const std::filesystem::path dir = mkdtemp(tmpl);
    std::ofstream(dir / "bench.toml") << bench_center_toml(counters, services);
    asio::io_context io(1);
    auto keep_running = asio::make_work_guard(io);  // between phases the loop has nothing queued: it must not stop
    double idle_cpu = 0;
    {
        ServerProcess server(binary, dir / "data", dir / "bench.toml");
        json creds = json::parse(std::ifstream(dir / "data" / "demo-credentials.json"));
        Load load(io, server.port, services);
        FanOut fan;
        const auto boards = connect_clients(load, creds, counters, displays, kiosk_count, fan);

        std::printf("queue-server load: %d counters, %d displays, %d kiosks, %d services, on loopback, %u cores\n",
                    counters, displays, kiosk_count, services, std::thread::hardware_concurrency());
        std::printf("A busy center: ~1 ticket/s at peak (60 counters, one call a minute each). Steady run: %.0f tickets/s, %.0f s.\n",
                    rate, seconds);
        const double cpu0 = server.cpu_seconds(), t0 = now_ms();
        load.run_for(seconds, rate);
        const double cpu_pct = 100 * (server.cpu_seconds() - cpu0) / ((now_ms() - t0) / 1000);
        idle_cpu = cpu_pct;
        auto [hwm, rss] = server.memory_mib();
        std::printf("  ticket issue (request -> durable answer): %s\n", load.issue.text().c_str());
        std::printf("  call-next:                                %s\n", load.call.text().c_str());
        const double plain_fan_p99 = print_fanout(load, fan, static_cast<size_t>(displays));
        std::printf("  server: peak RSS %.1f MiB, RSS now %.1f MiB, CPU %.1f%% of one core; errors %d %s\n", hwm, rss, cpu_pct,
                    load.errors, server.ended().c_str());
        if (steps_share > 0 || park_share > 0) {
            load.steps_share = steps_share;
            load.park_share = park_share;
            load.errors = 0;
            load.error_statuses.clear();
            print_visit_run(load, fan, static_cast<size_t>(displays), seconds, rate, load.call.at(0.99), plain_fan_p99);
        }

        if (stress) {
            std::printf("Stress: the rate doubles every %.0f s until a p99 passes 50 ms.\n", stress_seconds);
            for (double r = rate * 2; r <= 100'000; r *= 2) {
                load.run_for(stress_seconds, r);
                const double ip99 = load.issue.at(0.99), cp99 = load.call.at(0.99);
                const double achieved = static_cast<double>(load.issue.v.size()) / stress_seconds;
                std::printf("  asked %6.0f/s, issued %7.1f/s: issue %s | call-next p99 %7.2f ms\n", r, achieved,
                            load.issue.text().c_str(), cp99);
                print_fanout(load, fan, static_cast<size_t>(displays));
                if (auto e = server.ended(); !e.empty()) {
                    std::printf("  the server %s\n", e.c_str());
                    return 1;
                }
                if (ip99 > 50 || cp99 > 50 || achieved < r * 0.8) break;
            }
        }

        const double group = durable_issue_rate(load, static_cast<size_t>(kiosk_count), 5);
        if (auto e = server.ended(); !e.empty()) std::printf("  the server %s during the issue-rate run\n", e.c_str());
        const double plain = plain_sqlite_rate(dir / "plain.db", 2000);
        std::printf("Durable issue rate, %d kiosks back to back, group commit: %.0f tickets/s\n", kiosk_count, group);
        std::printf("Plain SQLite, one row per transaction, WAL + synchronous=FULL: %.0f rows/s\n", plain);
        std::printf("Ratio group commit / plain inserts: %.2f\n", group / plain);
        auto [hwm2, rss2] = server.memory_mib();
        std::printf("Server peak RSS over the whole run: %.1f MiB (RSS now %.1f MiB)\n", hwm2, rss2);
    }
    (void)idle_cpu;
    print_restart(binary, dir);
    std::filesystem::remove_all(dir);
    return 0;
}
