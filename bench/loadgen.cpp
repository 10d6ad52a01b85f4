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
// own keep-alive connection, so the server sees 420 connections at once.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double now_ms() { return std::chrono::duration<double, std::milli>(Clock::now().time_since_epoch()).count(); }

struct Percentiles {
    std::vector<double> v;
    void add(double x) { v.push_back(x); }
    double at(double q) {
        if (v.empty()) return 0;
        std::sort(v.begin(), v.end());
        return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
    }
    std::string text() {
        char buf[96];
        std::snprintf(buf, sizeof buf, "p50 %7.2f ms  p99 %7.2f ms  (n=%zu)", at(0.5), at(0.99), v.size());
        return buf;
    }
};

// ---------------------------------------------------------------- the server process

struct ServerProcess {
    pid_t pid = -1;
    uint16_t port = 0;
    ServerProcess(const std::string& binary, const std::filesystem::path& data, const std::filesystem::path& config) {
        int fds[2];
        if (pipe(fds) != 0) throw std::runtime_error("pipe");
        pid = fork();
        if (pid == 0) {
            dup2(fds[1], STDOUT_FILENO);
            close(fds[0]);
            execl(binary.c_str(), binary.c_str(), "--data", data.c_str(), "--listen", "127.0.0.1:0", "--config",
                  config.c_str(), "--demo", "--log-level", "warn", nullptr);
            _exit(127);
        }
        close(fds[1]);
        FILE* out = fdopen(fds[0], "r");
        char line[512];
        while (fgets(line, sizeof line, out)) {
            std::string s(line);
            auto at = s.find("http://127.0.0.1:");
            if (at != std::string::npos) {
                port = static_cast<uint16_t>(std::stoi(s.substr(at + 17)));
                break;
            }
        }
        if (!port) throw std::runtime_error("the server did not start");
    }
    ~ServerProcess() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            waitpid(pid, nullptr, 0);
        }
    }
    // "" while it runs; how it ended otherwise.
    std::string ended() {
        int status = 0;
        if (pid <= 0 || waitpid(pid, &status, WNOHANG) == 0) return "";
        pid = -1;
        if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
        return "exited with status " + std::to_string(WEXITSTATUS(status));
    }
    // Peak resident memory (VmHWM) and current (VmRSS), in MiB.
    std::pair<double, double> memory_mib() const {
        std::ifstream in("/proc/" + std::to_string(pid) + "/status");
        std::string key;
        double hwm = 0, rss = 0, kb;
        std::string unit;
        while (in >> key) {
            if (key == "VmHWM:") in >> kb >> unit, hwm = kb / 1024;
            else if (key == "VmRSS:") in >> kb >> unit, rss = kb / 1024;
        }
        return {hwm, rss};
    }
    // CPU seconds used so far (user + system).
    double cpu_seconds() const {
        std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
        std::string s((std::istreambuf_iterator<char>(in)), {});
        std::istringstream fields(s.substr(s.rfind(')') + 2));
        std::string f;
        double utime = 0, stime = 0;
        for (int i = 3; fields >> f; ++i) {
            if (i == 14) utime = std::stod(f);
            if (i == 15) { stime = std::stod(f); break; }
        }
        return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
};

// ---------------------------------------------------------------- clients

// One keep-alive HTTP connection; requests queue and go one at a time.
class HttpConn : public std::enable_shared_from_this<HttpConn> {
public:
    using Done = std::function<void(int status, const std::string& body)>;
    HttpConn(asio::io_context& io, uint16_t port) : stream_(io), port_(port) {}
    std::string token;

    void request(http::verb verb, std::string target, std::string body, Done done) {
        http::request<http::string_body> req(verb, target, 11);
        req.set(http::field::host, "127.0.0.1");
        if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
        req.keep_alive(true);
        req.body() = std::move(body);
        req.prepare_payload();
        queue_.push_back({std::move(req), std::move(done)});
        if (!in_flight_) send();
    }

private:
    void send() {
        in_flight_ = true;
        auto self = shared_from_this();
        if (!connected_) {
            stream_.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), [self](beast::error_code ec) {
                if (ec) return self->fail();
                self->stream_.socket().set_option(tcp::no_delay(true));
                self->connected_ = true;
                self->send();
            });
            return;
        }
        http::async_write(stream_, queue_.front().req, [self](beast::error_code ec, size_t) {
            if (ec) return self->fail();
            self->res_ = {};
            http::async_read(self->stream_, self->buffer_, self->res_, [self](beast::error_code ec2, size_t) {
                if (ec2) return self->fail();
                auto done = std::move(self->queue_.front().done);
                self->queue_.pop_front();
                self->in_flight_ = false;
                done(static_cast<int>(self->res_.result_int()), self->res_.body());  // may queue the next request
                if (!self->in_flight_ && !self->queue_.empty()) self->send();
            });
        });
    }
    void fail() {
        in_flight_ = false;
        auto q = std::move(queue_);
        queue_.clear();
        connected_ = false;
        for (auto& p : q) p.done(0, "");
    }

    struct Pending {
        http::request<http::string_body> req;
        Done done;
    };
    beast::tcp_stream stream_;
    uint16_t port_;
    bool connected_ = false;
    bool in_flight_ = false;  // one request on the wire at a time
    beast::flat_buffer buffer_;
    http::response<http::string_body> res_;
    std::deque<Pending> queue_;
};

// Arrival times of ticket_called events across displays, by ticket id.
struct FanOut {
    struct Seen {
        int displays = 0;
        double last_ms = 0;
    };
    std::map<int64_t, Seen> seen;
    void record(int64_t ticket) {
        auto& s = seen[ticket];
        ++s.displays;
        s.last_ms = now_ms();
    }
};

class Display : public std::enable_shared_from_this<Display> {
public:
    Display(asio::io_context& io, FanOut& fan) : ws_(io), fan_(fan) {}
    void start(uint16_t port, const std::string& token, std::function<void()> ready) {
        ready_ = std::move(ready);
        auto self = shared_from_this();
        beast::get_lowest_layer(ws_).async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
            [self, token](beast::error_code ec) {
                if (ec) throw std::runtime_error("display connect: " + ec.message());
                self->ws_.async_handshake("127.0.0.1", "/api/events?since=0&token=" + token, [self](beast::error_code ec2) {
                    if (ec2) throw std::runtime_error("display handshake: " + ec2.message());
                    self->read();
                });
            });
    }

private:
    void read() {
        ws_.async_read(buf_, [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return;
            const std::string text = beast::buffers_to_string(self->buf_.data());
            self->buf_.consume(self->buf_.size());
            if (self->ready_) {  // the first message is the snapshot
                auto r = std::move(self->ready_);
                self->ready_ = nullptr;
                r();
            } else if (text.find("\"ticket_called\"") != std::string::npos) {
                const auto at = text.find("\"ticket\":");
                if (at != std::string::npos) self->fan_.record(std::atoll(text.c_str() + at + 9));
            }
            self->read();
        });
    }
    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buf_;
    FanOut& fan_;
    std::function<void()> ready_;
};

// ---------------------------------------------------------------- the center config

std::string bench_center_toml(int counters, int services) {
    std::ostringstream t;
    t << "[center]\nname = \"Bench center\"\nlevel = \"province\"\ntimezone = \"Asia/Ho_Chi_Minh\"\n\n"
      << "# Bench only: cheap password hashing so 300 staff can log in quickly.\n"
      << "[security]\npassword_ops = 1\npassword_memory_kib = 64\n\n";
    for (int s = 0; s < services; ++s)
        t << "[[services]]\ncode = \"S" << s << "\"\nname_vi = \"Dịch vụ " << s << "\"\nprefix = \"" << char('A' + s)
          << "\"\nlast = 99999\n\n";
    for (int k = 1; k <= counters; ++k) {
        // Each counter: a main service, then two others when it is empty.
        const int a = k % services, b = (k + 1) % services, c = (k + 3) % services;
        t << "[[counters]]\nid = " << k << "\ntiers = [[\"S" << a << "\"], [\"S" << b << "\", \"S" << c << "\"]]\n\n";
    }
    return t.str();
}

// ---------------------------------------------------------------- the load

struct Load {
    Load(asio::io_context& io_, uint16_t port_, int services_) : io(io_), port(port_), services(services_) {}
    asio::io_context& io;
    uint16_t port;
    std::vector<std::shared_ptr<HttpConn>> kiosks, counters;
    int services;
    std::mt19937 rng{42};
    bool running = false;
    double rate = 10;  // tickets issued per second, over all kiosks
    Percentiles issue, call;
    std::map<int64_t, double> call_sent;  // ticket id -> when its call-next was sent
    int errors = 0;

    void kiosk_loop(size_t k, std::shared_ptr<asio::steady_timer> timer) {
        if (!running) return;
        const double interval_ms = 1000.0 * static_cast<double>(kiosks.size()) / rate;
        std::exponential_distribution<double> gap(1.0 / interval_ms);  // Poisson arrivals
        timer->expires_after(std::chrono::microseconds(static_cast<int64_t>(gap(rng) * 1000)));
        timer->async_wait([this, k, timer](beast::error_code) {
            if (!running) return;
            const double t0 = now_ms();
            const std::string body = "{\"service\":\"S" + std::to_string(rng() % services) + "\"}";
            kiosks[k]->request(http::verb::post, "/api/tickets", body, [this, t0](int status, const std::string&) {
                if (status == 201) issue.add(now_ms() - t0);
                else ++errors;
            });
            kiosk_loop(k, timer);
        });
    }

    // A counter calls the next ticket, holds it a moment, finishes it; idles when nobody waits.
    void counter_loop(size_t k, std::shared_ptr<asio::steady_timer> timer, int think_ms) {
        if (!running) return;
        const double t0 = now_ms();
        const std::string target = "/api/counters/" + std::to_string(k + 1) + "/next";
        counters[k]->request(http::verb::post, target, "", [this, k, t0, timer, think_ms](int status, const std::string& body) {
            if (status != 200) {
                ++errors;
                return;
            }
            call.add(now_ms() - t0);
            auto j = json::parse(body);
            const bool got = j["ticket"].is_object();
            if (got) call_sent[j["ticket"]["id"].get<int64_t>()] = t0;
            // Counters are not in step: each holds a ticket (or idles) for a jittered time.
            timer->expires_after(std::chrono::milliseconds(think_ms / 2 + static_cast<int>(rng() % static_cast<unsigned>(think_ms + 1))));
            timer->async_wait([this, k, timer, think_ms, got, j](beast::error_code) {
                if (!got) return counter_loop(k, timer, think_ms);
                const std::string fin = "/api/tickets/" + std::to_string(j["ticket"]["id"].get<int64_t>()) + "/finish";
                counters[k]->request(http::verb::post, fin, "", [this, k, timer, think_ms](int, const std::string&) {
                    counter_loop(k, timer, think_ms);
                });
            });
        });
    }

    void run_for(double seconds, double tickets_per_s) {
        rate = tickets_per_s;
        issue = {};
        call = {};
        call_sent.clear();
        running = true;
        // Enough counter capacity for twice the arrival rate.
        const int think_ms = std::max(1, static_cast<int>(1000.0 * static_cast<double>(counters.size()) / (2 * rate)) / 2);
        for (size_t k = 0; k < kiosks.size(); ++k) kiosk_loop(k, std::make_shared<asio::steady_timer>(io));
        for (size_t k = 0; k < counters.size(); ++k) {
            auto timer = std::make_shared<asio::steady_timer>(io);
            timer->expires_after(std::chrono::milliseconds(rng() % static_cast<unsigned>(think_ms + 1)));
            timer->async_wait([this, k, timer, think_ms](beast::error_code) { counter_loop(k, timer, think_ms); });
        }
        asio::steady_timer stop(io);
        stop.expires_after(std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
        stop.async_wait([this](beast::error_code) { running = false; });
        while (running) io.run_one();
        // Let what is in flight come back (bounded: each connection has at most a few requests queued).
        asio::steady_timer drain(io);
        drain.expires_after(std::chrono::milliseconds(500));
        bool drained = false;
        drain.async_wait([&](beast::error_code) { drained = true; });
        while (!drained) io.run_one();
    }
};

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

void print_fanout(Load& load, FanOut& fan, size_t displays) {
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
    cli.add_option("--server", binary, "queue-server binary")->capture_default_str();
    cli.add_option("--counters", counters)->capture_default_str();
    cli.add_option("--displays", displays)->capture_default_str();
    cli.add_option("--kiosks", kiosk_count)->capture_default_str();
    cli.add_option("--rate", rate, "tickets per second in the steady run (10 = ten times a busy center)")->capture_default_str();
    cli.add_option("--seconds", seconds, "length of the steady run")->capture_default_str();
    cli.add_option("--stress-seconds", stress_seconds, "length of each stress step")->capture_default_str();
    cli.add_flag("!--no-stress", stress, "skip the stress ramp");
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
        for (int k = 0; k < kiosk_count; ++k) {
            load.kiosks.push_back(std::make_shared<HttpConn>(io, server.port));
            load.kiosks.back()->token = creds["kiosk_token"];
        }
        // Log every counter's staff in, all at once.
        int logged_in = 0;
        for (int k = 0; k < counters; ++k) {
            auto conn = std::make_shared<HttpConn>(io, server.port);
            load.counters.push_back(conn);
            const auto& s = creds["staff"][static_cast<size_t>(k)];
            conn->request(http::verb::post, "/api/login", json{{"user", s["user"]}, {"password", s["password"]}}.dump(),
                          [conn, &logged_in](int status, const std::string& body) {
                              if (status != 200) throw std::runtime_error("login failed: " + body);
                              conn->token = json::parse(body)["token"];
                              ++logged_in;
                          });
        }
        while (logged_in < counters) io.run_one();
        FanOut fan;
        int ready = 0;
        std::vector<std::shared_ptr<Display>> boards;
        for (int d = 0; d < displays; ++d) {
            boards.push_back(std::make_shared<Display>(io, fan));
            boards.back()->start(server.port, creds["display_token"], [&ready] { ++ready; });
        }
        while (ready < displays) io.run_one();

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
        print_fanout(load, fan, static_cast<size_t>(displays));
        std::printf("  server: peak RSS %.1f MiB, RSS now %.1f MiB, CPU %.1f%% of one core; errors %d %s\n", hwm, rss, cpu_pct,
                    load.errors, server.ended().c_str());

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
