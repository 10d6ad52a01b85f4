// kiosk_bench: the touch kiosk against a real queue server process on loopback.
// Prints figures; passes or fails on nothing.
//
//  1. cold start → first frame: from constructing the kiosk (config read, the
//     catalog cache opened, window, fonts) to its first frame presented, with an
//     empty cache, the demo's 40 procedures, and 10,000.
//  2. tap → frame: a finger down on a button → the frame with its pressed look
//     presented; the finger up → the next screen presented.
//  3. keystroke → results: a key of the on-screen keyboard tapped → the frame
//     with the new search results presented, over 40 and 10,000 procedures;
//     against the same searches asked of the server (GET /api/procedures) from
//     this process, the design the kiosk does not use.
//  4. tap → first printer byte: 500 tickets, each from the tap that asks for it
//     (the category) to the first byte handed to the printer (a file printer, and
//     last, with --usb, an emulated USB printer: run under umockdev-wrapper); tap →
//     the number on screen; against the bare POST /api/tickets from this process.
//  5. the 10,000-procedure catalog copied from the server (announce → installed);
//     RSS of the one kiosk (before the USB phase opens a second).
// Run it under Xvfb (./center bench kiosk) for a real X11 window, or with
// SDL_VIDEODRIVER=dummy.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <malloc.h>

#include "kiosk/app.hpp"
#include "common/local_time.hpp"
#include "figures.hpp"
#include "generated_catalog.hpp"
#include "http_client.hpp"
#include "kiosk_touch.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "usb_printer_emulator.hpp"

using bench::ms_since;
using bench::percentile;
using bench::print_latency;
using Steady = std::chrono::steady_clock;
using json = nlohmann::json;

namespace {

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

struct Server {
    testing::Process process;
    uint16_t port;
    std::string kiosk, admin;

    Server(const std::string& binary, const std::string& toml, const std::filesystem::path& data)
        : process({binary, "--data", data.string(), "--listen", "127.0.0.1:0", "--log-level", "warn", "--config", toml, "--demo"}),
          port(testing::port_from_banner(process.wait_for_line("listening on"))) {
        std::ifstream f(data / "demo-credentials.json");
        const json creds = json::parse(f);
        kiosk = creds["kiosk_token"];
        admin = testing::http_call(port, "POST", "/api/login",
                                   json{{"user", creds["admin"]["user"]}, {"password", creds["admin"]["password"]}}.dump())
                    .body["token"];
    }
};

// One kiosk in this process on the wall clock, and what it presented and printed.
struct Kiosk {
    std::unique_ptr<kiosk::KioskApp> app;
    uint64_t presented = 0;
    Steady::time_point presented_at;
    std::vector<double> tap_to_byte;

    explicit Kiosk(const kiosk::KioskConfig& c) {
        app = std::make_unique<kiosk::KioskApp>(c, common::system_now_ms, [](const std::string& m) {
            if (m.find("printed") == std::string::npos) std::fprintf(stderr, "kiosk: %s\n", m.c_str());
        });
        app->set_hooks({[this] {
                            ++presented;
                            presented_at = Steady::now();
                        },
                        [this](const drivers::PrintReport& r, double ms) {
                            if (r.printed) tap_to_byte.push_back(ms);
                        }});
        app->start();
    }
    template <class P>
    bool until(P done, int seconds = 60) {
        const auto limit = Steady::now() + std::chrono::seconds(seconds);
        while (!done())
            if (Steady::now() > limit || !app->run_once(5)) return false;
        return true;
    }
    void go_home() {
        app->run_once(0);
        if (app->target("nav:home")) tap("nav:home");
    }
    // Finger down and up on a button; the time from each to the frame that followed it.
    std::pair<double, double> tap(const std::string& id) {
        app->run_once(0);
        const auto box = app->target(id);
        if (!box) throw std::runtime_error("no button " + id + " on screen");
        const int x = box->x + box->w / 2, y = box->y + box->h / 2;
        auto one = [&](Uint32 type) {
            const uint64_t before = presented;
            const auto t = Steady::now();
            testing::push_finger(app->window(), type, x, y);
            until([&] { return presented > before; });
            return std::chrono::duration<double, std::milli>(presented_at - t).count();
        };
        const double down = one(SDL_FINGERDOWN);
        return {down, one(SDL_FINGERUP)};
    }
};

kiosk::KioskConfig config_for(const Server& s, const std::filesystem::path& cache, const std::string& printer, int w, int h) {
    kiosk::KioskConfig c;
    c.server = "http://127.0.0.1:" + std::to_string(s.port);
    c.token = s.kiosk;
    c.printer = printer;
    c.cache_dir = cache;
    c.fullscreen = false;
    c.width = w;
    c.height = h;
    return c;
}

double cold_start_ms(const kiosk::KioskConfig& c) {
    const auto t = Steady::now();
    Kiosk k(c);
    k.until([&] { return k.presented > 0; });
    return std::chrono::duration<double, std::milli>(k.presented_at - t).count();
}

void keystrokes(Kiosk& k, const Server& s, const char* what, int rounds) {
    const std::vector<std::string> queries = {"dang ky khai sinh", "so do", "cap giay phep kinh doanh", "ket hon", "can cuoc"};
    std::vector<double> frame, local, remote;
    k.go_home();
    k.tap("home:procedures");
    for (int r = 0; r < rounds; ++r)
        for (const auto& q : queries) {
            k.tap("key:clear");
            for (char c : q) frame.push_back(k.tap(testing::key_for(c)).second);
            for (size_t i = 1; i <= q.size(); ++i) {
                const std::string typed = q.substr(0, i);
                auto t = Steady::now();
                k.app->catalog().search(typed, 60);
                local.push_back(ms_since(t));
                std::string encoded = typed;
                std::replace(encoded.begin(), encoded.end(), ' ', '+');
                t = Steady::now();
                testing::http_call(s.port, "GET", "/api/procedures?limit=60&q=" + encoded);
                remote.push_back(ms_since(t));
            }
        }
    std::printf("keystroke → results on screen, %s:\n", what);
    print_latency("tap on a key → frame with the results", frame);
    print_latency("  of it, the search in the kiosk's cache", local);
    print_latency("baseline: the same search as GET /api/procedures", remote);
    std::printf("  ratio (baseline p50 / cache p50): %.1fx; and the baseline stops when the link does\n",
                percentile(remote, 0.5) / std::max(1e-3, percentile(local, 0.5)));
}

void tickets(Kiosk& k, const Server& s, int count, const char* printer) {
    std::vector<double> on_screen, bare;
    k.tap_to_byte.clear();
    k.go_home();
    for (int i = 0; i < count; ++i) {
        k.tap("home:take");
        k.tap("service:A");
        const uint64_t printed_before = k.tap_to_byte.size();
        const auto t = Steady::now();
        k.tap("category:normal");
        k.until([&] { return k.app->state().screen == kiosk::Screen::ticket && k.presented > 0; });
        on_screen.push_back(std::chrono::duration<double, std::milli>(k.presented_at - t).count());
        if (!k.until([&] { return k.tap_to_byte.size() > printed_before; }, 20)) {
            std::printf("  ticket %d was not printed: stopping\n", i);
            break;
        }
        k.tap("ticket:done");
    }
    for (int i = 0; i < count; ++i) {
        const auto t = Steady::now();
        testing::http_call(s.port, "POST", "/api/tickets", R"({"service":"C"})", s.kiosk);
        bare.push_back(ms_since(t));
    }
    std::printf("tickets (%s printer):\n", printer);
    print_latency("tap → first printer byte", k.tap_to_byte);
    print_latency("tap → the number on screen (frame presented)", on_screen);
    print_latency("baseline: bare POST /api/tickets, durable", bare);
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App cli{"kiosk_bench: cold start, tap → frame, keystroke → results, tap → first printer byte, RSS"};
    std::string server_bin = QUEUE_SERVER_BIN, toml = BENCH_CENTER_TOML, sample = SAMPLE_CATALOG;
    int count = 500, rounds = 4, width = 1080, height = 1920;
    bool usb = false;
    cli.add_option("--server", server_bin);
    cli.add_option("--tickets", count);
    cli.add_option("--rounds", rounds, "rounds of the five search queries");
    cli.add_option("--width", width);
    cli.add_option("--height", height);
    cli.add_flag("--usb", usb, "also print to an emulated USB printer (run under umockdev-wrapper)");
    CLI11_PARSE(cli, argc, argv);

    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures as they come, also into a pipe
    testing::TempDir data, cache, prints;
    Server server(server_bin, toml, data.path);
    std::printf("kiosk_bench: window %dx%d, video driver %s, server on 127.0.0.1:%u\n", width, height,
                std::getenv("SDL_VIDEODRIVER") ? std::getenv("SDL_VIDEODRIVER") : "default", server.port);

    const auto file_config = config_for(server, cache.path, "file:" + prints.path.string(), width, height);
    std::vector<double> cold_empty{cold_start_ms(file_config)};
    {
        Kiosk k(file_config);
        k.until([&] { return k.app->online() && k.app->catalog().size() > 0 && !k.app->busy(); });
        std::printf("the demo catalog: %zu procedures copied\n", k.app->catalog().size());
    }
    std::vector<double> cold_40;
    for (int i = 0; i < 5; ++i) cold_40.push_back(cold_start_ms(file_config));

    Kiosk k(file_config);
    k.until([&] { return k.app->online() && !k.app->busy(); });
    std::vector<double> down, up;
    for (int i = 0; i < 200; ++i) {
        const auto [d, u] = k.tap(i % 2 ? "nav:home" : "home:procedures");
        down.push_back(d);
        up.push_back(u);
    }
    std::printf("tap → frame:\n");
    print_latency("finger down → pressed look presented", down);
    print_latency("finger up → next screen presented", up);
    keystrokes(k, server, "40 procedures", rounds);
    tickets(k, server, count, "file");
    malloc_trim(0);
    const double rss_small = bench::status_kib("VmRSS:") / 1024.0;


    // 10,000 procedures: imported by the admin, announced, copied by the kiosk.
    {
        json all = json::array();
        for (const auto& p : bench::generated_catalog(read_text(sample), 10'000)) all.push_back(catalog::to_json(p));
        if (testing::http_call(server.port, "POST", "/api/admin/catalog", all.dump(), server.admin).status != 200) {
            std::printf("the 10,000-procedure import was refused\n");
            return 1;
        }
    }  // the bench's own copy freed before the kiosk's memory is read
    const auto announced = Steady::now();
    k.until([&] { return k.app->catalog().size() == 10'000 && !k.app->busy(); }, 120);
    std::printf("catalog of %zu procedures: import answered → copied and installed on the kiosk in %.0f ms\n",
                k.app->catalog().size(), ms_since(announced));
    keystrokes(k, server, "10,000 procedures", rounds);
    malloc_trim(0);  // what the earlier kiosks of this process freed, given back, so the figure is the one kiosk's
    const double rss_one = bench::status_kib("VmRSS:") / 1024.0;
    std::vector<double> cold_10k;
    for (int i = 0; i < 3; ++i) cold_10k.push_back(cold_start_ms(file_config));
    std::printf("cold start → first frame:\n");
    print_latency("empty cache", cold_empty);
    print_latency("40 procedures in the cache", cold_40);
    print_latency("10,000 procedures in the cache", cold_10k);
    std::printf("RSS with one kiosk open on the demo's 40 procedures, after %d tickets: %.1f MiB\n", count, rss_small);
    std::printf("RSS with one kiosk open on 10,000 procedures, after %d tickets: %.1f MiB; peak of this process "
                "(it also built the 10,000-procedure import, and had two kiosks open at times; the server is another process): %.1f MiB\n",
                count, rss_one, bench::status_kib("VmHWM:") / 1024.0);
    // Last: a second kiosk in this process would leave the first one's figure above with its freed memory.
    if (usb) {
        testing::EmulatedUsbPrinter device;
        Kiosk u(config_for(server, cache.path, "usb:0416:5011", width, height));
        u.until([&] { return u.app->online() && !u.app->busy(); });
        tickets(u, server, count, "emulated USB");
    }
    return 0;
}

// An error ends the run with its words, and the server process with it.
int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kiosk_bench: %s\n", e.what());
        return 1;
    }
}
