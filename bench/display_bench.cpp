// display_bench: the hall board against a real queue server process. Prints
// figures; passes or fails on nothing.
//
//  1. call → frame: 1,000 calls. Each is timed from just before its
//     `POST /counters/1/next` is sent to just after SDL_RenderPresent returned
//     with that number on screen (one steady clock, in this process). The call
//     goes through the server's durable write, its WebSocket push, the board's
//     apply and a full redraw.
//  2. call → audio: 30 calls made while the voice is idle, from the request to
//     the announcement's samples queued to SDL audio (clips joined, not synthesized:
//     the pack is loaded after the first frame). The board's clock is moved past
//     each announcement, so nothing waits for the last one to be heard.
//  3. CPU (user + system of this process: the board's SDL thread, its stream
//     thread and SDL's audio thread; the server is another process) idle for
//     10 s without a ticker, 10 s with a moving ticker, and during a burst of
//     200 calls; peak RSS.
// Run it under Xvfb (./center bench display) for a real X11 window, or with
// SDL_VIDEODRIVER=dummy.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sys/resource.h>
#include <thread>

#include "display/app.hpp"
#include "figures.hpp"
#include "common/local_time.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "http_client.hpp"

using bench::ms_since;
using bench::percentile;
using bench::print_latency;
using bench::status_kib;
using Steady = std::chrono::steady_clock;
using json = nlohmann::json;

namespace {

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// What the board thread reports to the thread making calls.
struct Seen {
    std::mutex m;
    std::condition_variable cv;
    std::string shown;   // newest number on screen
    std::string spoken;  // last number whose samples were queued
    int64_t spoken_ms = 0;
    Steady::time_point shown_at, spoken_at;
    bool stop = false;
};

struct Center {
    testing::Process server;
    uint16_t port;
    std::string kiosk, display, admin;

    Center(const std::string& binary, const std::string& toml, const std::filesystem::path& data)
        : server({binary, "--data", data.string(), "--listen", "127.0.0.1:0", "--log-level", "warn", "--config", toml, "--demo"}),
          port(testing::port_from_banner(server.wait_for_line("listening on"))) {
        std::ifstream f(data / "demo-credentials.json");
        const json creds = json::parse(f);
        kiosk = creds["kiosk_token"];
        display = creds["display_token"];
        admin = testing::http_call(port, "POST", "/api/login",
                                   json{{"user", creds["admin"]["user"]}, {"password", creds["admin"]["password"]}}.dump())
                    .body["token"];
    }
    json post(const std::string& target, const json& body, const std::string& token) {
        return testing::http_call(port, "POST", target, body.dump(), token).body;
    }
};

// One call at counter 1: the ticket it held is started first, so "next" finishes it.
std::string call_next(Center& c, int64_t& held) {
    c.post("/api/tickets", {{"service", "A"}}, c.kiosk);
    if (held) c.post("/api/tickets/" + std::to_string(held) + "/start", json::object(), c.admin);
    const json r = c.post("/api/counters/1/next", json::object(), c.admin);
    held = r["ticket"]["id"].get<int64_t>();
    return r["ticket"]["number"].get<std::string>();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"display_bench: call → frame, call → audio, CPU and RSS of a hall board"};
    std::string server_bin = QUEUE_SERVER_BIN, toml = BENCH_CENTER_TOML, pack = VOICE_PACK_DIR;
    int calls = 1000, audio_calls = 30, idle_seconds = 10, burst = 200, width = 1920, height = 1080;
    cli.add_option("--server", server_bin);
    cli.add_option("--calls", calls);
    cli.add_option("--audio-calls", audio_calls);
    cli.add_option("--idle-seconds", idle_seconds);
    cli.add_option("--burst", burst);
    cli.add_option("--width", width);
    cli.add_option("--height", height);
    CLI11_PARSE(cli, argc, argv);
    display::keep_frame_memory();

    testing::TempDir data;
    Center center(server_bin, toml, data.path);

    display::DisplayConfig config;
    config.server = "127.0.0.1:" + std::to_string(center.port);
    config.token = center.display;
    config.fullscreen = false;
    config.width = width;
    config.height = height;
    config.voice.pack = pack;
    std::atomic<int64_t> skew{0};  // the board's clock runs ahead after each announcement
    Seen seen;
    auto app = std::make_unique<display::DisplayApp>(
        config, [&] { return common::system_now_ms() + skew.load(); },
        [](const std::string& m) { std::fprintf(stderr, "board: %s\n", m.c_str()); });
    app->set_hooks({[&](const display::BoardView& v) {
                       std::lock_guard l(seen.m);
                       seen.shown = v.newest ? v.newest->number : "";
                       seen.shown_at = Steady::now();
                       seen.cv.notify_all();
                   },
                   [&](const client::Call& call, const display::Pcm& pcm) {
                       std::lock_guard l(seen.m);
                       seen.spoken = call.number;
                       seen.spoken_ms = pcm.duration_ms();
                       seen.spoken_at = Steady::now();
                       seen.cv.notify_all();
                   }});
    const auto cold = Steady::now();
    app->start();
    app->run_once(0);
    std::printf("display_bench: %dx%d, SDL video '%s', renderer '%s', audio %s\n", width, height, SDL_GetCurrentVideoDriver(),
                [&] {
                    SDL_RendererInfo info{};
                    SDL_GetRendererInfo(app->renderer(), &info);
                    return info.name ? info.name : "?";
                }(),
                SDL_GetCurrentAudioDriver() ? SDL_GetCurrentAudioDriver() : "none");
    std::printf("  window open and first frame: %.1f ms\n", ms_since(cold));

    std::vector<double> frame_ms, audio_ms, reply_ms;
    double burst_cpu = 0, burst_wall = 0, idle_cpu = 0;
    std::thread caller([&] {
        int64_t held = 0;
        auto wait_shown = [&](const std::string& number, Steady::time_point t0) {
            std::unique_lock l(seen.m);
            seen.cv.wait(l, [&] { return seen.shown == number; });
            return std::chrono::duration<double, std::milli>(seen.shown_at - t0).count();
        };
        for (int i = 0; i < 20; ++i) wait_shown(call_next(center, held), Steady::now());  // warm-up
        // 1. call → frame. The announcements pile up and are skipped: not measured here.
        for (int i = 0; i < calls; ++i) {
            center.post("/api/tickets", {{"service", "A"}}, center.kiosk);
            center.post("/api/tickets/" + std::to_string(held) + "/start", json::object(), center.admin);
            const auto t0 = Steady::now();
            const json r = center.post("/api/counters/1/next", json::object(), center.admin);
            reply_ms.push_back(ms_since(t0));
            held = r["ticket"]["id"].get<int64_t>();
            frame_ms.push_back(wait_shown(r["ticket"]["number"], t0));
        }
        // 2. call → audio, with the voice idle each time.
        skew += 120'000;  // whatever was still being said is over
        for (int i = 0; i < audio_calls; ++i) {
            center.post("/api/tickets", {{"service", "A"}}, center.kiosk);
            center.post("/api/tickets/" + std::to_string(held) + "/start", json::object(), center.admin);
            const auto t0 = Steady::now();
            const json r = center.post("/api/counters/1/next", json::object(), center.admin);
            held = r["ticket"]["id"].get<int64_t>();
            std::unique_lock l(seen.m);
            seen.cv.wait(l, [&] { return seen.spoken == r["ticket"]["number"]; });
            audio_ms.push_back(std::chrono::duration<double, std::milli>(seen.spoken_at - t0).count());
            skew += seen.spoken_ms + 1000;
        }
        // 3. idle (the bench's own thread sleeps: it is measured, not waited on), then a burst.
        double c0 = cpu_seconds();
        std::this_thread::sleep_for(std::chrono::seconds(idle_seconds));
        idle_cpu = (cpu_seconds() - c0) / idle_seconds;
        const auto b0 = Steady::now();
        c0 = cpu_seconds();
        std::string last;
        for (int i = 0; i < burst; ++i) last = call_next(center, held);
        wait_shown(last, b0);
        burst_cpu = cpu_seconds() - c0;
        burst_wall = ms_since(b0) / 1000;
        std::lock_guard l(seen.m);
        seen.stop = true;
    });
    for (;;) {
        app->run_once(1000);
        std::lock_guard l(seen.m);
        if (seen.stop) break;
    }
    caller.join();
    const long peak_kib = status_kib("VmHWM:"), rss_kib = status_kib("VmRSS:");
    app.reset();

    // 4. A second board with a moving ticker, idle: frames drawn and CPU.
    config.ticker = "Giờ làm việc: sáng 7:30–11:30, chiều 13:30–17:00 · Xin quý khách giữ trật tự và chờ đến lượt · "
                    "Tra cứu hồ sơ tại ki-ốt ở sảnh chính";
    display::DisplayApp scrolling(config, common::system_now_ms, [](const std::string&) {});
    scrolling.start();
    while (!scrolling.online()) scrolling.run_once(100);
    const uint64_t f0 = scrolling.frames();
    const double c0 = cpu_seconds();
    const auto t0 = Steady::now();
    while (ms_since(t0) < idle_seconds * 1000.0) scrolling.run_once(100);
    const double ticker_cpu = (cpu_seconds() - c0) / (ms_since(t0) / 1000);
    const double fps = static_cast<double>(scrolling.frames() - f0) / (ms_since(t0) / 1000);
    print_latency("call → server's reply (durable; the baseline)", reply_ms);
    print_latency("call → frame presented", frame_ms);
    print_latency("call → announcement samples queued", audio_ms);
    std::printf("  CPU idle board (no ticker):  %.2f%% of a core\n", idle_cpu * 100);
    std::printf("  CPU burst of %d calls:      %.1f%% of a core over %.1f s (%.0f calls/s)\n", burst,
                100 * burst_cpu / burst_wall, burst_wall, burst / burst_wall);
    std::printf("  CPU idle board with a moving ticker: %.1f%% of a core (%.0f frames/s)\n", ticker_cpu * 100, fps);
    std::printf("  RSS after the calls %ld MiB, peak %ld MiB\n", rss_kib / 1024, peak_kib / 1024);
    return 0;
}
