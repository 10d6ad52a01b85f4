// display_phone_test: the hall display's QR to the phone's queue page (issue 20).
//
// The real queue-server program runs on loopback with a center TOML whose [phone]
// table has a public_url (and display_qr true or false); the real display program
// runs full screen on a virtual X screen (Xvfb) and writes its screenshots
// (--screenshot). zbar (Debian's libzbar) reads the QR back from them: it must say
// exactly {public_url}/m/q, lie inside the layout's QR square, and leave the called
// numbers as they are drawn without it. With display_qr = false, or the display's
// own qr = "off", there is no QR. The screenshots stay in the build's tests folder
// (display-phone-*.png) for a person to look at.
#include <catch2/catch.hpp>

#include <SDL2/SDL_image.h>
#include <zbar.h>

#include <boost/beast/websocket.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <thread>

#include "display/app.hpp"
#include "display/board.hpp"
#include "display/config.hpp"
#include "display/layout.hpp"
#include "display/phone_qr.hpp"
#include "board_layouts.hpp"
#include "dir_watch.hpp"
#include "golden_image.hpp"
#include "http_client.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

using namespace display;
using json = nlohmann::json;

namespace {

const std::string kPublicUrl = "https://hcc.example.vn";
const std::filesystem::path actual_dir = ACTUAL_DIR;

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write_text(const std::filesystem::path& file, const std::string& text) { std::ofstream(file) << text; }

// A QR zbar found: its text and the box around its corners.
struct Found {
    std::string text;
    Rect box;
};

// Every QR code zbar reads in an RGB screenshot.
std::vector<Found> read_qr_codes(SDL_Surface* rgb) {
    using namespace zbar;  // in C++ its C API is in this namespace
    std::vector<unsigned char> gray(static_cast<size_t>(rgb->w) * static_cast<size_t>(rgb->h));
    for (int y = 0; y < rgb->h; ++y) {
        const auto* row = reinterpret_cast<const Uint32*>(static_cast<const unsigned char*>(rgb->pixels) + y * rgb->pitch);
        for (int x = 0; x < rgb->w; ++x) {
            const Uint32 p = row[x];
            gray[static_cast<size_t>(y) * static_cast<size_t>(rgb->w) + static_cast<size_t>(x)] =
                static_cast<unsigned char>((((p >> 16) & 255) * 299 + ((p >> 8) & 255) * 587 + (p & 255) * 114) / 1000);
        }
    }
    zbar_image_scanner_t* scanner = zbar_image_scanner_create();
    zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_t* image = zbar_image_create();
    zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(image, static_cast<unsigned>(rgb->w), static_cast<unsigned>(rgb->h));
    zbar_image_set_data(image, gray.data(), gray.size(), nullptr);
    std::vector<Found> out;
    if (zbar_scan_image(scanner, image) > 0)
        for (const zbar_symbol_t* s = zbar_image_first_symbol(image); s; s = zbar_symbol_next(s)) {
            int x0 = rgb->w, y0 = rgb->h, x1 = 0, y1 = 0;
            for (unsigned i = 0; i < zbar_symbol_get_loc_size(s); ++i) {
                x0 = std::min(x0, zbar_symbol_get_loc_x(s, i));
                y0 = std::min(y0, zbar_symbol_get_loc_y(s, i));
                x1 = std::max(x1, zbar_symbol_get_loc_x(s, i));
                y1 = std::max(y1, zbar_symbol_get_loc_y(s, i));
            }
            out.push_back({std::string(zbar_symbol_get_data(s), zbar_symbol_get_data_length(s)), {x0, y0, x1 - x0, y1 - y0}});
        }
    zbar_image_destroy(image);
    zbar_image_scanner_destroy(scanner);
    return out;
}

// The display may be writing the file: a PNG is whole once it ends with its IEND chunk.
bool whole_png(const std::filesystem::path& file) {
    const std::string bytes = read_text(file);
    return bytes.size() > 12 && bytes.compare(bytes.size() - 8, 4, "IEND") == 0;
}

Uint32 pixel(SDL_Surface* s, int x, int y) {
    return reinterpret_cast<const Uint32*>(static_cast<const unsigned char*>(s->pixels) + y * s->pitch)[x] & 0xFFFFFF;
}

// Pixels of the numbers' yellow (the painter's kNumber) in a box: a number is drawn there.
int number_pixels(SDL_Surface* s, const Rect& r) {
    int n = 0;
    for (int y = r.y; y < r.y + r.h; ++y)
        for (int x = r.x; x < r.x + r.w; ++x) n += pixel(s, x, y) == 0xFFD214;
    return n;
}

// How many pixels of box `r` differ between two screenshots of one size.
int differing(SDL_Surface* a, SDL_Surface* b, const Rect& r) {
    int n = 0;
    for (int y = r.y; y < r.y + r.h; ++y)
        for (int x = r.x; x < r.x + r.w; ++x) n += pixel(a, x, y) != pixel(b, x, y);
    return n;
}

// A virtual X screen of w×h (Xvfb picks a free display number and says it on stdout).
struct VirtualScreen {
    std::unique_ptr<testing::Process> x;
    std::string name;
    VirtualScreen(int w, int h) {
        x = std::make_unique<testing::Process>(std::vector<std::string>{
            "/usr/bin/Xvfb", "-displayfd", "1", "-screen", "0", std::to_string(w) + "x" + std::to_string(h) + "x24",
            "-nolisten", "tcp", "-noreset"});
        const std::string line = x->wait_for_line("");
        REQUIRE_FALSE(line.empty());
        name = ":" + line.substr(0, line.find_first_of("\r\n"));
    }
};

// The real queue-server with [phone] in its center TOML; three tickets, two of
// them called (A00002 at counter 2 is the newest, A00001 at counter 1 before it).
struct Center {
    testing::TempDir dir;
    std::unique_ptr<testing::Process> server;
    uint16_t port = 0;
    std::filesystem::path token_file;

    explicit Center(bool display_qr) {
        std::filesystem::create_directory(dir / "data");
        start(kPublicUrl, display_qr, "127.0.0.1:0");
        const json creds = json::parse(read_text(dir / "data" / "demo-credentials.json"));
        token_file = dir / "display-token";
        write_text(token_file, creds["display_token"].get<std::string>() + "\n");
        for (int i = 0; i < 3; ++i)
            REQUIRE(testing::http_call(port, "POST", "/api/tickets", json{{"service", "A"}}.dump(),
                                       creds["kiosk_token"].get<std::string>()).status == 201);
        const json admin = creds["admin"];
        const auto login = testing::http_call(port, "POST", "/api/login",
                                              json{{"user", admin["user"]}, {"password", admin["password"]}}.dump());
        REQUIRE(login.status == 200);
        for (int counter : {1, 2})
            REQUIRE(testing::http_call(port, "POST", "/api/counters/" + std::to_string(counter) + "/next", "{}",
                                       login.body["token"].get<std::string>())
                        .status == 200);
        // The phone settings as the display will read them from its snapshot.
        const auto state = testing::http_call(port, "GET", "/api/state", "", creds["display_token"].get<std::string>());
        REQUIRE(state.body["phone"] == json{{"public_url", kPublicUrl}, {"display_qr", display_qr}});
    }

    // The server stopped (killed, as by a power cut) and started again on its
    // port and data with another [phone]; its log is kept, so a display resumes.
    void restart(const std::string& public_url) {
        server.reset();
        start(public_url, true, "127.0.0.1:" + std::to_string(port));
    }

private:
    void start(const std::string& public_url, bool display_qr, const std::string& listen) {
        const auto toml = dir / "center.toml";
        write_text(toml, read_text(CRASH_CENTER_TOML) + "\n[phone]\npublic_url = \"" + public_url +
                             "\"\ndisplay_qr = " + (display_qr ? "true" : "false") + "\n");
        server = std::make_unique<testing::Process>(std::vector<std::string>{
            QUEUE_SERVER_BIN, "--data", (dir / "data").string(), "--listen", listen, "--log-level", "warn",
            "--config", toml.string(), "--demo"});
        port = testing::port_from_banner(server->wait_for_line("listening on"));
    }
};

struct Shot {
    std::string name;  // display-phone-NAME.png
    LayoutKind kind = LayoutKind::hall;
    int w = 1920, h = 1080;
    std::string qr;  // --qr; empty: the config's default (auto)
};

// The real display, full screen on its own virtual screen, until its screenshot
// shows the called number (what the snapshot brought, the phone settings with it).
// Returns the screenshot (the caller frees it) and its path.
SDL_Surface* run_display(const Center& center, const Shot& shot, const Layout& layout, std::filesystem::path& file) {
    VirtualScreen screen(shot.w, shot.h);
    const auto config = center.dir / ("display-" + shot.name + ".toml");
    write_text(config, "[display]\nserver = \"http://127.0.0.1:" + std::to_string(center.port) + "\"\n" +
                           "timezone = \"UTC+07:00\"\n" +
                           (shot.kind == LayoutKind::counter ? "layout = \"counter\"\ncounter = 2\n" : "") +
                           "[voice]\nenabled = false\n");
    file = actual_dir / ("display-phone-" + shot.name + ".png");
    std::filesystem::remove(file);
    setenv("DISPLAY", screen.name.c_str(), 1);
    unsetenv("SDL_VIDEODRIVER");
    std::vector<std::string> argv = {DISPLAY_BIN, "--config", config.string(), "--token-file", center.token_file.string(),
                                     "--screenshot", file.string()};
    if (!shot.qr.empty()) argv.insert(argv.end(), {"--qr", shot.qr});
    // The display is another process: its screenshot is looked at each time it
    // writes one (inotify on the folder, watched before it starts), with a deadline.
    testing::DirWatch written(file.parent_path());
    testing::Process board(argv);
    SDL_Surface* shown = nullptr;
    written.wait_until(
        [&] {
            SDL_Surface* image = whole_png(file) ? testing::load_rgb(file) : nullptr;
            if (image && image->w == shot.w && image->h == shot.h && number_pixels(image, layout.newest_number) > 500)
                shown = image;
            else if (image)
                SDL_FreeSurface(image);
            return shown != nullptr;
        },
        "the display's screenshot " + file.string() + " did not show the called number");
    return shown;
}

Layout layout_of(const Shot& s, bool qr) {
    return compute_layout(s.kind, Orientation::automatic, s.w, s.h, 3, false, DisplayConfig{}.calls_shown, qr);
}

// The screenshot has one QR, zbar reads {public_url}/m/q, and it is where the layout
// put it, away from the numbers.
void check_qr(SDL_Surface* image, const Layout& l) {
    const auto codes = read_qr_codes(image);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].text == kPublicUrl + "/m/q");
    INFO("QR found at " << codes[0].box.x << "," << codes[0].box.y << " " << codes[0].box.w << "x" << codes[0].box.h);
    CHECK(codes[0].box.inside(l.qr));
    CHECK(codes[0].box.w >= std::min(l.window.w, l.window.h) / 6);  // 180 px of code at 1080 lines
    CHECK_FALSE(l.qr.overlaps(l.newest));
    for (int i = 0; i <= l.call_rows; ++i) CHECK_FALSE(l.qr.overlaps(call_row(l, i)));
    // The white quiet zone: the square's corners are white.
    CHECK(pixel(image, l.qr.x + 1, l.qr.y + 1) == 0xFFFFFF);
    CHECK(pixel(image, l.qr.x + l.qr.w - 2, l.qr.y + l.qr.h - 2) == 0xFFFFFF);
}

// A WebSocket event server on loopback for one board: it sends each message when
// the test hands it one (so a second snapshot comes when the test says).
// An in-process display of the server at port, in a window, silent.
DisplayConfig windowed_config(uint16_t port, const std::string& token) {
    DisplayConfig c;
    c.server = "127.0.0.1:" + std::to_string(port);
    c.token = token;
    c.fullscreen = false;
    c.timezone = "UTC+07:00";
    c.voice.enabled = false;
    return c;
}

struct SnapshotFeed {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor{io, {boost::asio::ip::make_address("127.0.0.1"), 0}};
    std::mutex lock;
    std::condition_variable wake;
    std::deque<std::string> out;
    bool done = false;
    std::thread thread;

    SnapshotFeed() {
        thread = std::thread([this] {
            namespace beast = boost::beast;
            boost::asio::ip::tcp::socket socket(io);
            acceptor.accept(socket);
            beast::flat_buffer buffer;
            beast::http::request<beast::http::string_body> req;
            beast::http::read(socket, buffer, req);
            beast::websocket::stream<boost::asio::ip::tcp::socket> ws(std::move(socket));
            ws.accept(req);
            for (;;) {
                std::unique_lock held(lock);
                wake.wait(held, [&] { return done || !out.empty(); });
                if (done) break;
                const std::string m = std::move(out.front());
                out.pop_front();
                held.unlock();
                beast::error_code ec;
                ws.write(boost::asio::buffer(m), ec);
            }
        });
    }
    ~SnapshotFeed() {
        {
            std::lock_guard held(lock);
            done = true;
        }
        wake.notify_one();
        thread.join();
    }
    void send(std::string m) {
        {
            std::lock_guard held(lock);
            out.push_back(std::move(m));
        }
        wake.notify_one();
    }
    uint16_t port() const { return acceptor.local_endpoint().port(); }
};

// A snapshot with one service and, unless null, the server's phone settings.
std::string snapshot(int64_t seq, const json& phone) {
    json state = {{"seq", seq}, {"day", 0}, {"center", {{"name", "Trung tâm Phục vụ hành chính công"}}},
                  {"services", {{{"code", "A"}, {"name_vi", "Hộ tịch"}, {"waiting", 4}}}},
                  {"counters", {{{"id", 1}, {"name", "Quầy 1"}}}}, {"recent_calls", json::array()}, {"tickets", json::array()}};
    if (!phone.is_null()) state["phone"] = phone;
    return json{{"type", "snapshot"}, {"seq", seq}, {"state", state}}.dump();
}

}  // namespace

TEST_CASE("the QR's square and caption fit beside the calls at every size from 720p to 4K - either way round") {
    testing::for_each_board([](int w, int h, LayoutKind kind, bool ticker) {
        const Layout without = compute_layout(kind, Orientation::automatic, w, h, 12, ticker, 8, false);
        const Layout l = compute_layout(kind, Orientation::automatic, w, h, 12, ticker, 8, true);
        CHECK(without.qr.w == 0);
        REQUIRE(l.parts().size() == without.parts().size() + 2);  // the QR and its caption
        testing::check_boxes_apart(l);
        CHECK(l.qr.w == l.qr.h);
        CHECK(l.qr.w >= std::min(w, h) / 5);  // a square board's narrow calls column: a little smaller
        if (w == 1920 && h == 1080) CHECK(l.qr.w >= 270);  // 180 px of code and its quiet zone
        CHECK(l.qr_caption.h >= l.qr.w / 3);
        // The called number keeps its size; the waiting tiles are not touched.
        CHECK(l.newest_number.h >= std::min(w, h) / 6);
        if (kind == LayoutKind::hall) {
            CHECK(l.newest_number.w == without.newest_number.w);
            CHECK(l.newest_number.h == without.newest_number.h);
            CHECK(l.waiting.y == without.waiting.y);
            CHECK(l.waiting.h == without.waiting.h);
            CHECK(call_row(l, l.call_rows).inside(l.calls));
            CHECK(l.call_rows >= 3);
            CHECK(call_row(l, 1).h * 4 >= call_row(without, 1).h * 3);  // rows keep 3/4 of their height
        }
        // A short address's code (25 modules) gets modules of at least 3 px and a 4-module quiet zone.
        const auto code = encode_qr(kPublicUrl + "/m/q");
        REQUIRE(code);
        CHECK(qr_module_px(l.qr.w, code->size) >= 3);
    });
}

TEST_CASE("the display's qr setting: auto follows the server's display_qr - on needs a public_url - off never") {
    const std::string url = kPublicUrl + "/m/q";
    CHECK(phone_qr_text(QrMode::automatic, kPublicUrl, true) == url);
    CHECK(phone_qr_text(QrMode::automatic, kPublicUrl, false).empty());
    CHECK(phone_qr_text(QrMode::on, kPublicUrl, false) == url);
    CHECK(phone_qr_text(QrMode::on, "", false).empty());
    CHECK(phone_qr_text(QrMode::off, kPublicUrl, true).empty());
    CHECK(phone_qr_text(QrMode::automatic, "", true).empty());  // an older or odd server: no address, no QR
    CHECK(parse_display_config("", "d.toml").qr == QrMode::automatic);
    CHECK(parse_display_config("[display]\nqr = \"on\"\n", "d.toml").qr == QrMode::on);
    CHECK(parse_display_config("[display]\nqr = \"off\"\n", "d.toml").qr == QrMode::off);
    CHECK_THROWS_WITH(parse_display_config("[display]\nqr = \"yes\"\n", "d.toml"), Catch::Contains("display.qr"));
    // The sample in deploy/ says the default.
    std::string sample = read_text(EXAMPLE_DISPLAY_TOML);
    sample.replace(sample.find("token_file"), 10, "# token_file");
    CHECK(parse_display_config(sample, "display.example.toml").qr == QrMode::automatic);
}

TEST_CASE("the real display under Xvfb shows the QR that zbar reads as the queue page and the numbers as without it") {
    Center center(true);
    const std::vector<Shot> shots = {{"hall-1920x1080", LayoutKind::hall, 1920, 1080, ""},
                                     {"hall-1080x1920", LayoutKind::hall, 1080, 1920, ""},
                                     {"counter-1280x720", LayoutKind::counter, 1280, 720, ""}};
    for (const Shot& shot : shots) {
        INFO(shot.name);
        const Layout l = layout_of(shot, true);
        std::filesystem::path file;
        SDL_Surface* image = run_display(center, shot, l, file);
        INFO("screenshot " << file);
        check_qr(image, l);
        if (shot.kind == LayoutKind::hall) CHECK(number_pixels(image, call_row(l, 1)) > 100);  // A00001, the call before
        SDL_FreeSurface(image);
    }
    // The same board with qr = "off": no QR, and the called number's box is the same, pixel for pixel.
    const Shot on = shots[0], off{"hall-1920x1080-off", LayoutKind::hall, 1920, 1080, "off"};
    std::filesystem::path with_file, without_file;
    SDL_Surface* with = run_display(center, on, layout_of(on, true), with_file);
    SDL_Surface* without = run_display(center, off, layout_of(off, false), without_file);
    CHECK(read_qr_codes(without).empty());
    const Layout l = layout_of(on, true);
    CHECK(differing(with, without, l.newest) == 0);
    SDL_FreeSurface(with);
    SDL_FreeSurface(without);
}

TEST_CASE("a server with display_qr = false - no QR on a board left at auto - and the QR on a board set to qr = on") {
    Center center(false);
    const Shot automatic{"hall-1920x1080-server-off", LayoutKind::hall, 1920, 1080, ""};
    std::filesystem::path file;
    SDL_Surface* image = run_display(center, automatic, layout_of(automatic, false), file);
    CHECK(read_qr_codes(image).empty());
    SDL_FreeSurface(image);
    const Shot on{"hall-1920x1080-server-off-qr-on", LayoutKind::hall, 1920, 1080, "on"};
    const Layout l = layout_of(on, true);
    image = run_display(center, on, l, file);
    check_qr(image, l);
    SDL_FreeSurface(image);
}

TEST_CASE("a new snapshot with another address redraws the QR - one without phone settings takes it away") {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("SDL_RENDER_DRIVER", "software", 1);
    SnapshotFeed feed;
    std::vector<std::string> log;
    DisplayApp app(windowed_config(feed.port(), "token"), [] { return int64_t{1795488060'000}; },
                   [&](const std::string& m) { log.push_back(m); });
    app.start();
    auto shows = [&](const std::string& qr, const char* name) {
        const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (app.last_view().qr != qr) {
            INFO("waiting for the board to show the QR '" << qr << "'");
            REQUIRE(std::chrono::steady_clock::now() < limit);
            app.run_once(50);
        }
        const auto file = actual_dir / (std::string("display-phone-") + name + ".png");
        std::string error;
        REQUIRE(app.screenshot(file, error));
        SDL_Surface* image = testing::load_rgb(file);
        REQUIRE(image);
        std::vector<std::string> texts;
        for (const auto& f : read_qr_codes(image)) texts.push_back(f.text);
        SDL_FreeSurface(image);
        return texts;
    };
    feed.send(snapshot(5, {{"public_url", kPublicUrl}, {"display_qr", true}}));
    CHECK(shows(kPublicUrl + "/m/q", "snapshot-1") == std::vector<std::string>{kPublicUrl + "/m/q"});
    const std::string moved = "https://dichvucong.example.gov.vn/hcc-phuong-3";
    feed.send(snapshot(6, {{"public_url", moved}, {"display_qr", true}}));
    CHECK(shows(moved + "/m/q", "snapshot-2") == std::vector<std::string>{moved + "/m/q"});
    feed.send(snapshot(7, nullptr));  // an older server: no phone settings
    CHECK(shows("", "snapshot-3").empty());
}

TEST_CASE("a display that resumes after the server restarted with another public_url draws the new QR") {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("SDL_RENDER_DRIVER", "software", 1);
    Center center(true);
    std::vector<std::string> log;
    const std::string token =
        json::parse(read_text(center.dir / "data" / "demo-credentials.json"))["display_token"].get<std::string>();
    DisplayApp app(windowed_config(center.port, token), [] { return int64_t{1795488060'000}; },
                   [&](const std::string& m) { log.push_back(m); });
    app.start();
    auto wait_for_qr = [&](const std::string& qr) {
        const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (app.last_view().qr != qr) {
            INFO("waiting for the board to show the QR '" << qr << "', it shows '" << app.last_view().qr << "'");
            REQUIRE(std::chrono::steady_clock::now() < limit);
            app.run_once(50);
        }
    };
    wait_for_qr(kPublicUrl + "/m/q");
    const std::string moved = "https://dichvucong.example.gov.vn/hcc-phuong-3";
    center.restart(moved);
    // The log still holds the display's last event, so the server resumes its
    // stream rather than sending a snapshot: the settings come as a notice.
    wait_for_qr(moved + "/m/q");
    REQUIRE(app.last_view().newest);  // the calls as before the restart
    CHECK(app.last_view().newest->counter == 2);
}
