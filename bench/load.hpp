// load: the load generator's pieces (bench/loadgen.cpp), shared with the attack
// bench (bench/attack_bench.cpp): the server process, asynchronous keep-alive
// clients, display streams, the bench center, and the normal load of kiosks
// issuing and counters calling. Every client may be given its own loopback
// source address (127.1.x.y), because the server holds at most 256 connections
// per client address and the load alone opens 420.
#pragma once
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_set>
#include <sys/wait.h>
#include <unistd.h>

namespace load {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// Client i's own loopback address: 127.1.0.1, 127.1.0.2, ... (the attacker, if any, stays on 127.0.0.x).
inline std::string client_address(size_t i) {
    return "127.1." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
}

inline double now_ms() { return std::chrono::duration<double, std::milli>(Clock::now().time_since_epoch()).count(); }

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
        // Its log is read and dropped from here on: a full pipe would stop the server mid-run.
        drain_ = std::thread([out] {
            char rest[512];
            while (fgets(rest, sizeof rest, out)) {}
            fclose(out);
        });
    }
    ~ServerProcess() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            waitpid(pid, nullptr, 0);
        }
        if (drain_.joinable()) drain_.join();
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;
    std::thread drain_;
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

// A socket about to connect, opened from `source` when one is given (else the kernel picks 127.0.0.1).
inline void bind_source(tcp::socket& socket, const std::string& source) {
    if (source.empty()) return;
    beast::error_code ignored;
    socket.close(ignored);
    socket.open(tcp::v4());
    socket.bind({asio::ip::make_address(source), 0});
}

// One keep-alive HTTP connection; requests queue and go one at a time.
class HttpConn : public std::enable_shared_from_this<HttpConn> {
public:
    using Done = std::function<void(int status, const std::string& body)>;
    HttpConn(asio::io_context& io, uint16_t port, std::string source = "")
        : stream_(io), port_(port), source_(std::move(source)) {}
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
            bind_source(stream_.socket(), source_);
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
    std::string source_;
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
    void start(uint16_t port, const std::string& token, std::function<void()> ready, const std::string& source = "") {
        ready_ = std::move(ready);
        auto self = shared_from_this();
        bind_source(beast::get_lowest_layer(ws_).socket(), source);
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
                // A ticket's later calls (its next steps, issue 22) are not timed: the first is.
                if (at != std::string::npos)
                    if (const int64_t id = std::atoll(text.c_str() + at + 9); self->called_.insert(id).second) self->fan_.record(id);
            }
            self->read();
        });
    }
    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buf_;
    FanOut& fan_;
    std::unordered_set<int64_t> called_;  // the tickets this display has seen called
    std::function<void()> ready_;
};

// ---------------------------------------------------------------- the center config

// `per_service`: more TOML after each [[services]] table (its [services.booking], say).
inline std::string bench_center_toml(int counters, int services, const std::string& per_service = "") {
    std::ostringstream t;
    t << "[center]\nname = \"Bench center\"\nlevel = \"province\"\ntimezone = \"Asia/Ho_Chi_Minh\"\n\n"
      << "# Bench only: cheap password hashing so 300 staff can log in quickly.\n"
      << "[security]\npassword_ops = 1\npassword_memory_kib = 64\n\n";
    for (int s = 0; s < services; ++s)
        t << "[[services]]\ncode = \"S" << s << "\"\nname_vi = \"Dịch vụ " << s << "\"\nprefix = \"" << char('A' + s)
          << "\"\nlast = 99999\n" << per_service << "\n";
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
    unsigned run = 0;  // which run_for a chain belongs to: one a run left waiting on a timer must not join the next
    double rate = 10;  // tickets issued per second, over all kiosks
    Percentiles issue, call, park_ms, return_ms;
    double steps_share = 0, park_share = 0;  // the visit mix (counter_loop)
    std::map<int64_t, double> call_sent;  // ticket id -> when its call-next was sent
    std::map<size_t, int64_t> held;       // counter -> the ticket it serves now (finished when a run ends)
    int errors = 0;
    std::map<int, int> error_statuses;  // status -> how many (0: the connection failed)
    void failed(int status) {
        ++errors;
        ++error_statuses[status];
    }

    bool ended(unsigned chain) const { return !running || chain != run; }

    void kiosk_loop(size_t k, std::shared_ptr<asio::steady_timer> timer, unsigned chain) {
        if (ended(chain)) return;
        const double interval_ms = 1000.0 * static_cast<double>(kiosks.size()) / rate;
        std::exponential_distribution<double> gap(1.0 / interval_ms);  // Poisson arrivals
        timer->expires_after(std::chrono::microseconds(static_cast<int64_t>(gap(rng) * 1000)));
        timer->async_wait([this, k, timer, chain](beast::error_code) {
            if (ended(chain)) return;
            const double t0 = now_ms();
            const std::string body = "{\"service\":\"S" + std::to_string(rng() % services) + "\"}";
            kiosks[k]->request(http::verb::post, "/api/tickets", body, [this, t0](int status, const std::string&) {
                if (status == 201) issue.add(now_ms() - t0);
                else failed(status);
            });
            kiosk_loop(k, timer, chain);
        });
    }

    // A counter calls the next ticket, holds it a moment, finishes it; idles when nobody waits.
    // With `steps_share`, that share of visits is sent on at its first finish to two more
    // services (a visit of 3 steps, issue 22); with `park_share`, that share is parked at
    // its first call and called back by the same counter a moment later.
    void counter_loop(size_t k, std::shared_ptr<asio::steady_timer> timer, int think_ms, unsigned chain) {
        if (ended(chain)) return;
        const double t0 = now_ms();
        const std::string target = "/api/counters/" + std::to_string(k + 1) + "/next";
        counters[k]->request(http::verb::post, target, "", [this, k, t0, timer, think_ms, chain](int status, const std::string& body) {
            if (status != 200) {  // counted, and the counter tries again after its think time
                failed(status);
                return after(timer, think_ms, [this, k, timer, think_ms, chain] { counter_loop(k, timer, think_ms, chain); });
            }
            call.add(now_ms() - t0);
            auto j = json::parse(body);
            if (!j["ticket"].is_object()) return after(timer, think_ms, [this, k, timer, think_ms, chain] { counter_loop(k, timer, think_ms, chain); });
            const int64_t id = j["ticket"]["id"].get<int64_t>();
            const int step = j["ticket"].value("step", 0);
            held[k] = id;
            // Fan-out is timed on a visit's first call: a display counts each ticket once.
            if (step == 0) call_sent[id] = t0;
            const bool park = step == 0 && chance(park_share);
            after(timer, think_ms, [this, k, timer, think_ms, chain, id, step, park] {
                if (ended(chain)) return counter_loop(k, timer, think_ms, chain);
                if (park) return park_then_return(k, id, timer, think_ms, chain);
                finish(k, id, step, timer, think_ms, chain);
            });
        });
    }

    void finish(size_t k, int64_t id, int step, std::shared_ptr<asio::steady_timer> timer, int think_ms, unsigned chain) {
        held.erase(k);
        std::string body;
        if (step == 0 && chance(steps_share)) {
            const int a = static_cast<int>(rng() % static_cast<unsigned>(services));
            body = "{\"next_steps\":[\"S" + std::to_string(a) + "\",\"S" + std::to_string((a + 1) % services) + "\"]}";
        }
        counters[k]->request(http::verb::post, "/api/tickets/" + std::to_string(id) + "/finish", body,
                             [this, k, timer, think_ms, chain](int status, const std::string&) {
                                 if (status != 200) failed(status);
                                 counter_loop(k, timer, think_ms, chain);
                             });
    }

    // Park the ticket in hand ("gone for a paper"), come back after a think time, call it back, go on with it.
    void park_then_return(size_t k, int64_t id, std::shared_ptr<asio::steady_timer> timer, int think_ms, unsigned chain) {
        held.erase(k);
        const std::string ticket = "/api/tickets/" + std::to_string(id);
        const double t0 = now_ms();
        counters[k]->request(http::verb::post, ticket + "/park", "{\"minutes\":20,\"reason\":\"bench\"}",
            [this, k, id, ticket, t0, timer, think_ms, chain](int status, const std::string&) {
                if (status != 200) {
                    failed(status);
                    return counter_loop(k, timer, think_ms, chain);
                }
                park_ms.add(now_ms() - t0);
                after(timer, think_ms, [this, k, id, ticket, timer, think_ms, chain] {
                    const double t1 = now_ms();
                    counters[k]->request(http::verb::post, ticket + "/return", "",
                        [this, k, id, t1, timer, think_ms, chain](int returned, const std::string&) {
                            if (returned != 200) {  // still parked: the next run's counters leave it to time out
                                failed(returned);
                                return counter_loop(k, timer, think_ms, chain);
                            }
                            return_ms.add(now_ms() - t1);
                            held[k] = id;
                            after(timer, think_ms, [this, k, id, timer, think_ms, chain] { finish(k, id, 0, timer, think_ms, chain); });
                        });
                });
            });
    }

    // Counters are not in step: each waits a jittered time around its think time.
    template <class F>
    void after(const std::shared_ptr<asio::steady_timer>& timer, int think_ms, F then) {
        timer->expires_after(std::chrono::milliseconds(think_ms / 2 + static_cast<int>(rng() % static_cast<unsigned>(think_ms + 1))));
        timer->async_wait([then = std::move(then)](beast::error_code) { then(); });
    }

    bool chance(double share) { return share > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < share; }

    void run_for(double seconds, double tickets_per_s) {
        rate = tickets_per_s;
        issue = {};
        call = {};
        park_ms = {};
        return_ms = {};
        call_sent.clear();
        running = true;
        const unsigned chain = ++run;
        // Enough counter capacity for twice the arrival rate.
        const int think_ms = std::max(1, static_cast<int>(1000.0 * static_cast<double>(counters.size()) / (2 * rate)) / 2);
        for (size_t k = 0; k < kiosks.size(); ++k) kiosk_loop(k, std::make_shared<asio::steady_timer>(io), chain);
        for (size_t k = 0; k < counters.size(); ++k) {
            auto timer = std::make_shared<asio::steady_timer>(io);
            timer->expires_after(std::chrono::milliseconds(rng() % static_cast<unsigned>(think_ms + 1)));
            timer->async_wait([this, k, timer, think_ms, chain](beast::error_code) { counter_loop(k, timer, think_ms, chain); });
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
        finish_held();
    }

    // The tickets counters still hold when a run ends are finished, so the next
    // run's first call-next at each counter is not refused (409) for a ticket in hand.
    void finish_held() {
        size_t pending = held.size();
        for (const auto& [k, id] : held)
            counters[k]->request(http::verb::post, "/api/tickets/" + std::to_string(id) + "/finish", "",
                                 [&pending](int, const std::string&) { --pending; });
        held.clear();
        while (pending > 0) io.run_one();
    }
};

// The load's clients, each from its own address: kiosks, every counter's staff
// logged in, and displays on the stream (returned: they live as
// long as the caller keeps them). Returns once all are connected.
inline std::vector<std::shared_ptr<Display>> connect_clients(Load& load, const json& creds, int counters, int displays,
                                                             int kiosk_count, FanOut& fan) {
    size_t address = 0;
    for (int k = 0; k < kiosk_count; ++k) {
        load.kiosks.push_back(std::make_shared<HttpConn>(load.io, load.port, client_address(address++)));
        load.kiosks.back()->token = creds["kiosk_token"];
    }
    for (int k = 0; k < counters; ++k)
        load.counters.push_back(std::make_shared<HttpConn>(load.io, load.port, client_address(address++)));
    // 16 logins in flight at a time: the server queues at most 32 (503 busy beyond).
    int logged_in = 0, next = 0;
    std::function<void()> log_in_next = [&] {
        if (next >= counters) return;
        auto conn = load.counters[static_cast<size_t>(next)];
        const auto& s = creds["staff"][static_cast<size_t>(next++)];
        conn->request(http::verb::post, "/api/login", json{{"user", s["user"]}, {"password", s["password"]}}.dump(),
                      [conn, &logged_in, &log_in_next](int status, const std::string& body) {
                          if (status != 200) throw std::runtime_error("login failed: " + body);
                          conn->token = json::parse(body)["token"];
                          ++logged_in;
                          log_in_next();
                      });
    };
    for (int k = 0; k < 16; ++k) log_in_next();
    while (logged_in < counters) load.io.run_one();
    int ready = 0;
    std::vector<std::shared_ptr<Display>> boards;
    for (int d = 0; d < displays; ++d) {
        boards.push_back(std::make_shared<Display>(load.io, fan));
        boards.back()->start(load.port, creds["display_token"], [&ready] { ++ready; }, client_address(address++));
    }
    while (ready < displays) load.io.run_one();
    return boards;
}

}  // namespace load
