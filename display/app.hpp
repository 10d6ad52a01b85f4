// app: one hall display — the event stream, the mirrored state, the board on
// screen and the voice, on one SDL thread.
//
// Why this shape: SDL wants its window on one thread, and a board must never
// freeze, so the network lives on the stream's thread (client/event_stream) and
// hands each message over through a small inbox, waking the SDL loop with a user
// event. The loop sleeps in SDL_WaitEventTimeout until a message, a window event
// or the next moment something on screen moves (a blink, the minute, the
// ticker); it draws only when the BoardView differs from the last one drawn, so
// an idle board costs almost nothing. Time comes from an injected clock: tests
// and benchmarks decide what "now" is.
#pragma once
#include <SDL2/SDL.h>

#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "display/announcer.hpp"
#include "display/audio.hpp"
#include "display/board.hpp"
#include "common/local_time.hpp"
#include "display/config.hpp"
#include "client/event_stream.hpp"
#include "display/layout.hpp"
#include "client/mirror.hpp"
#include "display/painter.hpp"
#include "display/voice.hpp"

namespace display {

struct AppHooks {
    // After a frame is presented, with the state it showed (benchmarks time calls with it).
    std::function<void(const BoardView&)> presented;
    // After an announcement's samples were queued (or would have been, without a device).
    std::function<void(const client::Call&, const Pcm&)> spoken;
    // The same announcement as the clips it was made of (what a test reads the wording from).
    std::function<void(const client::Call&, const std::vector<std::string>&)> said{};
};

// Process-wide: keep freed frame-sized buffers (a 4K number's text is 13 MB) in
// the heap instead of giving them back to the kernel and faulting them in again
// on the next call. Call once at the start of a display process.
void keep_frame_memory();

class DisplayApp {
public:
    using Clock = std::function<int64_t()>;  // UTC milliseconds
    using Log = std::function<void(const std::string&)>;

    DisplayApp(DisplayConfig config, Clock clock, Log log, client::StreamOptions stream = {});
    ~DisplayApp();
    DisplayApp(const DisplayApp&) = delete;
    DisplayApp& operator=(const DisplayApp&) = delete;

    // Opens the window, audio and voice, and connects. Throws std::runtime_error
    // when there is no window to draw in or no font at all.
    void start();
    // Waits for something to do (at most `max_wait_ms`), does it, draws if needed.
    // False once the window was closed or the process asked to quit.
    bool run_once(int max_wait_ms);
    void run();

    // Draws the current view now and saves it as a PNG.
    bool screenshot(const std::filesystem::path& file, std::string& error);
    void set_hooks(AppHooks hooks) { hooks_ = std::move(hooks); }
    // Writes a PNG after every frame whose view changed, at most once a second (the demo).
    void screenshot_every_change(std::filesystem::path file) { auto_shot_ = std::move(file); }

    const client::Mirror& mirror() const { return mirror_; }
    const Announcer& announcer() const { return announcer_; }
    bool online() const { return online_; }
    const BoardView& last_view() const { return drawn_; }
    uint64_t frames() const { return frames_; }
    SDL_Window* window() const { return window_; }
    SDL_Renderer* renderer() const { return renderer_; }

private:
    void receive(nlohmann::json message);
    void link_changed(bool up, const std::string& why);
    void drain(int64_t now);
    void apply(const nlohmann::json& message, int64_t now);
    void read_phone(const nlohmann::json& phone);  // {public_url, display_qr}
    void handle(const SDL_Event& e);
    void speak(int64_t now);
    std::vector<std::string> clips_of(const client::Call& call) const;
    BoardView view(int64_t now) const;
    void open_renderer();
    void present(const Rect* only);
    Layout layout_for(const BoardView& v) const;
    void draw(const BoardView& v, int64_t now);
    int64_t next_wake(int64_t now) const;
    bool ticker_moving() const;

    DisplayConfig config_;
    Clock clock_;
    Log log_;
    common::LocalCalendar calendar_;
    client::Mirror mirror_;
    Announcer announcer_;
    std::unique_ptr<client::EventStream> stream_;
    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    std::unique_ptr<Painter> painter_;
    std::unique_ptr<AudioOut> audio_;
    std::unique_ptr<VoicePack> voice_;
    Uint32 wake_event_ = 0;
    AppHooks hooks_;

    // The inbox: written by the stream's thread, read here.
    std::mutex inbox_lock_;
    std::deque<nlohmann::json> inbox_;
    std::optional<bool> link_news_;
    std::string link_why_;

    std::string phone_qr_;  // what the phone QR says, from the last snapshot; empty: none
    bool online_ = false;
    int64_t offline_since_ = 0;
    int64_t blink_from_ = -1;  // when the newest shown call arrived
    bool quit_ = false;
    bool force_draw_ = true;
    bool voice_warm_ = false;
    BoardView drawn_;
    uint64_t frames_ = 0;
    std::optional<std::filesystem::path> auto_shot_;
    int64_t last_auto_shot_ = 0;
    bool shot_pending_ = false;
    bool surface_stale_ = false;  // the window was resized: its surface is new
};

}  // namespace display
