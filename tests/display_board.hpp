// display_board: a hall board in the test process for the display tests — a
// real SDL window under the dummy video driver (software renderer), the voice
// heard through the app's hooks, the clock turned by hand, and its frames
// compared with committed golden images (tests/golden/display-*.png;
// UPDATE_GOLDEN=1 rewrites them — look at them before committing).
#pragma once
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "display/app.hpp"
#include "golden_image.hpp"

namespace testing {

constexpr int64_t kBoardStart = 1795488060'000;  // 2026-11-24 02:41 UTC: 09:41 in Hà Nội, the test server's day

inline void headless() {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    setenv("SDL_RENDER_DRIVER", "software", 1);
}

inline display::DisplayConfig config_for(uint16_t port, const std::string& token, int w, int h) {
    display::DisplayConfig c;
    c.server = "127.0.0.1:" + std::to_string(port);
    c.token = token;
    c.fullscreen = false;
    c.width = w;
    c.height = h;
    c.timezone = "UTC+07:00";
    c.voice.pack = VOICE_PACK_DIR;
    c.ticker = "Giờ làm việc: sáng 7:30–11:30, chiều 13:30–17:00 · Xin giữ trật tự";
    c.ticker_speed = 0;
    return c;
}

// A board in this process. Its clock is turned by hand; waiting is on events
// (the stream's wake-ups), with a generous wall-clock limit only as a failure guard.
struct Board {
    std::atomic<int64_t> now{kBoardStart};
    std::vector<std::string> log;
    std::vector<client::Call> spoken;
    std::vector<std::vector<std::string>> said;  // each announcement's clips, in order
    std::unique_ptr<display::DisplayApp> app;

    explicit Board(display::DisplayConfig c) {
        headless();
        client::StreamOptions fast;
        fast.backoff_first = std::chrono::milliseconds(20);
        fast.backoff_most = std::chrono::milliseconds(200);
        app = std::make_unique<display::DisplayApp>(std::move(c), [this] { return now.load(); },
                                                    [this](const std::string& m) { log.push_back(m); }, fast);
        app->set_hooks({{},
                        [this](const client::Call& call, const display::Pcm&) { spoken.push_back(call); },
                        [this](const client::Call&, const std::vector<std::string>& clips) { said.push_back(clips); }});
        app->start();
    }
    template <class P>
    void until(P done, const char* what) {
        const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!done()) {
            INFO("waiting for: " << what);
            REQUIRE(std::chrono::steady_clock::now() < limit);
            app->run_once(50);
        }
    }
    void sync(int64_t seq) {
        until([&] { return app->online() && app->mirror().seq() >= seq; }, "the board to apply the server's events");
        app->run_once(0);
    }
    // Lets the board's clock run, half a second a turn, until `n` announcements were
    // made: one is spoken only once the one before has had its time.
    void hear(size_t n) {
        until([&] {
            if (said.size() < n) now += 500;
            return said.size() >= n;
        }, "the announcements");
    }
    // Puts the board's clock forward to `at` (a golden frame shows the same minute
    // however long the announcements before it took).
    void advance_to(int64_t at) {
        REQUIRE(now.load() <= at);
        advance(at - now.load());
    }
    void advance(int64_t ms) {
        now += ms;
        app->run_once(0);
    }
    const display::BoardView& view() const { return app->last_view(); }
};

// The board's frame now, against tests/golden/NAME.png.
inline void check_golden(Board& board, const std::string& name) {
    const auto actual = std::filesystem::path(ACTUAL_DIR) / (name + ".png");
    std::string error;
    REQUIRE(board.app->screenshot(actual, error));
    check_against_golden(actual, std::filesystem::path(GOLDEN_DIR) / (name + ".png"));
}

}  // namespace testing
