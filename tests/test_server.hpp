// test_server: a real queue server on a loopback port inside the test process,
// with an injected clock, plus a small blocking HTTP and WebSocket client.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <boost/beast/websocket.hpp>
#include <sodium.h>
#include <future>
#include <thread>

#include "api/auth.hpp"
#include "api/core.hpp"
#include "http_client.hpp"
#include "api/server.hpp"
#include "temp_dir.hpp"
#include "test_center.hpp"

namespace testing {

struct TestServer {
    TempDir dir;
    static constexpr int64_t kStartMs = kClockStartMs;
    std::atomic<int64_t> clock_ms{kStartMs};
    engine::Center center = [] {
        auto c = small_center();
        c.timezone = "UTC+07:00";
        return c;
    }();
    std::unique_ptr<store::Store> store;
    std::unique_ptr<catalog::Catalog> procedures;
    std::unique_ptr<dossier::Store> dossiers;
    std::string feed_secret = "test-feed-secret-0123456789";
    std::unique_ptr<api::Core> core;
    std::unique_ptr<asio::io_context> io;
    std::unique_ptr<api::Server> server;
    std::thread thread;
    uint16_t port = 0;
    size_t replay_window = 10'000;
    api::ServerLimits limits;
    const api::WebFiles* web = nullptr;  // set before start() to serve a UI folder
    // Changes to the Core's options (queue sizes, Argon2 cost...), applied by start(): set, then restart().
    std::function<void(api::Core::Options&)> tune;
    // The monotonic clock server time moves by while the wall clock is behind: the real
    // steady clock until a test sets a value (then restart()), so clock tests are exact.
    static constexpr int64_t kRealMonotonic = INT64_MIN;
    std::atomic<int64_t> mono_ms{kRealMonotonic};
    std::string kiosk, display, admin_password = "admin-password";
    // Set, then restart(): what the Core asks to run later (the followers' rounds) is
    // kept in `held` (on the loop) until the test runs it, instead of on a timer.
    bool hold_later = false;
    std::vector<api::Task> held;

    TestServer() : TestServer(kStartMs) {}
    explicit TestServer(int64_t start_ms) : clock_ms(start_ms) {
        REQUIRE(sodium_init() >= 0);
        start(true);
    }
    ~TestServer() { stop(); }

    static api::PasswordCost cheap() { return {1, 8 * 1024}; }  // tests only: the real default is 19 MiB

    void start(bool seed) {
        store = std::make_unique<store::Store>(dir / "center.db");
        api::Core::Options o;
        o.clock = [this] { return clock_ms.load(); };
        o.monotonic = [this] {
            const int64_t ms = mono_ms.load();
            return ms == kRealMonotonic ? api::steady_now_ms() : ms;
        };
        o.timezone = center.timezone;
        o.password_cost = cheap();
        o.replay_window = replay_window;
        procedures = std::make_unique<catalog::Catalog>((dir / "catalog.db").string(), catalog::kSynonymsTsv);
        o.catalog = procedures.get();
        dossiers = std::make_unique<dossier::Store>((dir / "dossiers.db").string(), (dir / "dossier-key").string());
        o.dossiers = dossiers.get();
        o.feed_secret = feed_secret;
        o.web = web;
        o.stats_db = dir / "center.db";
        if (tune) tune(o);
        core = std::make_unique<api::Core>(*store, o);
        if (seed) {
            REQUIRE_FALSE(core->run_startup(engine::Configure{center}));
            core->add_user_now({"admin", "admin", 0, api::hash_password(admin_password, cheap())});
            core->add_user_now({"manager", "manager", 0, api::hash_password("manager-password", cheap())});
            for (int k = 1; k <= 3; ++k)
                core->add_user_now({"staff" + std::to_string(k), "staff", k, api::hash_password("staff-password", cheap())});
            kiosk = core->add_device_now("kiosk", "Kiosk 1");
            display = core->add_device_now("display", "Board 1");
        }
        io = std::make_unique<asio::io_context>(1);
        server = std::make_unique<api::Server>(*io, *core, "127.0.0.1", port, limits);
        port = server->port();
        core->start({.post = [this](api::Task t) { asio::post(*io, std::move(t)); },
                     .fatal = [] {},
                     .later = [this](std::chrono::milliseconds after, api::Task t) {
                         if (hold_later) return held.push_back(std::move(t));
                         api::run_later(*io, after, std::move(t));
                     }});
        thread = std::thread([this] {
            auto guard = asio::make_work_guard(*io);
            io->run();
        });
    }

    void stop() {
        if (!io) return;
        asio::post(*io, [this] { server->stop(); io->stop(); });
        thread.join();
        core->stop();
        server.reset();
        io.reset();  // closes the sessions left
        core.reset();
        procedures.reset();
        dossiers.reset();
        store.reset();
    }

    void restart() {
        stop();
        start(false);
    }

    HttpReply call(const std::string& method, const std::string& target, const std::string& body = "", const std::string& token = "",
                   const std::map<std::string, std::string>& headers = {}) {
        return http_call(port, method, target, body, token, headers);
    }
    HttpReply post(const std::string& target, const json& body, const std::string& token) {
        return call("POST", target, body.dump(), token);
    }
    std::string login(const std::string& user, const std::string& password) {
        auto r = post("/api/login", {{"user", user}, {"password", password}}, "");
        REQUIRE(r.status == 200);
        return r.body["token"].get<std::string>();
    }
    // Runs f on the server's event loop and returns what it returned.
    template <class F>
    auto on_loop(F f) {
        std::promise<decltype(f())> promise;
        asio::post(*io, [&] { promise.set_value(f()); });
        return promise.get_future().get();
    }
    size_t held_count() {
        return on_loop([this] { return held.size(); });
    }
    void run_held() {
        on_loop([this] {
            for (auto& task : std::exchange(held, {})) task();
            return 0;
        });
    }
    std::string staff(int k) { return login("staff" + std::to_string(k), "staff-password"); }
    int64_t seq() { return call("GET", "/healthz").body["seq"].get<int64_t>(); }
};

// A blocking WebSocket client for /api/events.
struct WsClient {
    asio::io_context io;
    beast::websocket::stream<tcp::socket> ws{io};
    WsClient(uint16_t port, const std::string& token, int64_t since) {
        ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
        ws.handshake("127.0.0.1", "/api/events?since=" + std::to_string(since) + "&token=" + token);
    }
    json next() {
        beast::flat_buffer b;
        ws.read(b);
        return json::parse(beast::buffers_to_string(b.data()));
    }
};

}  // namespace testing
