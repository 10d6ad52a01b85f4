// app: one kiosk — the window and its touches, the screens, the server's event
// stream, the catalog cache, the printer — on one SDL thread.
//
// Why this shape (as the display's): SDL wants its window on one thread and a
// kiosk must answer a touch within a frame whatever the network or the printer
// is doing. So slow work runs on three workers — `net_` for what a citizen waits
// for (a ticket, a dossier), `print_` for the printer, `bg_` for the rest (the
// catalog download, printer reports, who-am-I) — and each hands its result back
// through the inbox as a closure that runs here, waking the loop with an SDL
// user event. The loop sleeps until a touch, a message, or the next moment the
// screen changes by itself (the clock's minute, the idle timeout). Time comes
// from an injected clock, so tests decide when "idle" has passed.
//
// The one promise: no ticket is issued without being printed or shown. A ticket
// is asked for only while the server is reachable; its answer is shown at once
// and printed; a paper failure shows it with a QR to photograph and tells the
// server; an answer lost on the way (sent, no reply) is found again in the event
// stream by this kiosk's name and shown then.
#pragma once
#include <SDL2/SDL.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kiosk/canvas.hpp"
#include "kiosk/catalog_cache.hpp"
#include "common/local_time.hpp"
#include "kiosk/config.hpp"
#include "client/event_stream.hpp"
#include "client/mirror.hpp"
#include "kiosk/printing.hpp"
#include "kiosk/server_api.hpp"
#include "kiosk/state.hpp"
#include "kiosk/strings.hpp"
#include "kiosk/ui.hpp"
#include "kiosk/worker.hpp"

namespace kiosk {

struct KioskHooks {
    std::function<void()> presented;  // after each frame is on screen
    // After a print job; `tap_to_first_byte_ms` from the touch that asked for it.
    std::function<void(const drivers::PrintReport&, double tap_to_first_byte_ms)> printed;
};

// What a scanned receipt (or a typed line) says: "CODE", "CODE|CHECK", "CODE CHECK"
// or an address with code= and check= in its query.
struct ScannedDossier {
    std::string code, check;
};
ScannedDossier parse_scan(const std::string& text);

// The booking key in a scanned booking link ("…/b/{key}"), if that is what it is (checkin.cpp).
std::optional<std::string> booking_key_in(const std::string& text);

class KioskApp {
public:
    using Clock = std::function<int64_t()>;  // UTC milliseconds
    using Log = std::function<void(const std::string&)>;

    KioskApp(KioskConfig config, Clock clock, Log log, client::StreamOptions stream = {});
    ~KioskApp();
    KioskApp(const KioskApp&) = delete;
    KioskApp& operator=(const KioskApp&) = delete;

    // Opens the window and the catalog cache and connects. Throws std::runtime_error
    // when there is no window to draw in, no font, or no cache folder.
    void start();
    // Waits for something to do (at most `max_wait_ms`), does it, draws if needed.
    // False once the admin left the kiosk (or, windowed, the window was closed).
    bool run_once(int max_wait_ms);
    void run();
    // A signal handler's way out (systemd stopping the kiosk): thread- and signal-safe.
    static void request_stop() { stop_requested_.store(true); }

    bool screenshot(const std::filesystem::path& file, std::string& error);
    // A PNG of the screen after each change, at most once a second (the demo on a
    // machine without a desktop, where nobody sees the window).
    void screenshot_every_change(std::filesystem::path file) { auto_shot_ = std::move(file); }
    void set_hooks(KioskHooks hooks) { hooks_ = std::move(hooks); }

    // What tests and benchmarks look at.
    const KioskState& state() const { return state_; }
    const std::vector<Target>& targets() const { return targets_; }
    std::optional<Box> target(const std::string& id) const;
    bool online() const { return online_; }
    const client::Mirror& mirror() const { return mirror_; }
    const CatalogCache& catalog() const { return *cache_; }
    std::optional<drivers::PrinterStatus> printer() const { return printer_status_; }
    const std::string& reported_printer() const { return reported_; }
    bool busy() const;  // a request or print job under way
    uint64_t frames() const { return frames_; }
    SDL_Window* window() const { return window_; }

private:
    // app.cpp: the loop, the inbox, input.
    void post_ui(std::function<void()> fn);
    void drain();
    void handle(const SDL_Event& e);
    void press(int x, int y);
    void release(int x, int y);
    void typed(const std::string& text);
    void enter();
    void act(const std::string& id);
    void key(const std::string& k);
    void edit(const std::function<std::string(const std::string&)>& change);
    void back();
    void go(Screen screen);
    void reset(bool full);
    void tick(int64_t now);
    int64_t next_wake(int64_t now) const;
    void draw();
    void keep_screenshot();
    void open_renderer();
    void corner_tap(int64_t now);
    void pin_key(const std::string& k);

    // flows.cpp: what the screens ask for.
    void receive(const nlohmann::json& message);
    void link_changed(bool up, const std::string& why);
    void choose_service(const std::string& code);
    void issue(const std::string& service, const std::string& category);
    void issued(const Reply& reply, const std::string& category, int64_t since_seq);
    void show_ticket(const nlohmann::json& ticket, const std::string& category);
    void print_ticket();
    void printed(int64_t ticket, const drivers::PrintReport& report, std::chrono::steady_clock::time_point tap);
    void noticed_ticket(const nlohmann::json& ticket, int64_t seq);
    void adopt_lost_ticket(nlohmann::json ticket);
    void run_search();
    void open_field(size_t i);
    void open_procedure(const std::string& code, Screen from);
    void print_checklist();
    void lookup_dossier(bool quiet);
    void looked_up(const Reply& reply, bool quiet);
    void sync_catalog();
    void check_printer();
    void printer_changed(const drivers::PrinterStatus& status);
    void report_printer();
    void ask_who_am_i();

    // checkin.cpp: a booking's QR or a chip ID card's QR scanned: today's ticket of a booking.
    bool scanned_arrival(const std::string& text);
    void check_in(const nlohmann::json& body, const std::string& category);
    void check_in_code();  // the code typed on the booking screen

    // phone.cpp: messages about the ticket shown (the citizen's phone number).
    void open_phone();
    void send_phone();
    void phone_replied(const Reply& reply, int64_t ticket);

    KioskConfig config_;
    Clock clock_;
    Log log_;
    common::LocalCalendar calendar_;
    const Strings& words_;
    client::Mirror mirror_;
    client::StreamOptions stream_options_;
    std::unique_ptr<client::EventStream> stream_;
    std::unique_ptr<ServerApi> api_;
    std::unique_ptr<CatalogCache> cache_;
    std::unique_ptr<KioskPrinter> printer_;
    KioskHooks hooks_;

    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    std::unique_ptr<Canvas> canvas_;
    Uint32 wake_event_ = 0;
    bool surface_stale_ = false;

    // The inbox: closures from the workers and the stream's thread.
    std::mutex inbox_lock_;
    std::deque<std::function<void()>> inbox_;

    KioskState state_;
    std::vector<Target> targets_;
    std::string pressed_;
    bool dirty_ = true;
    std::string shown_clock_;
    uint64_t frames_ = 0;
    std::filesystem::path auto_shot_;
    std::chrono::steady_clock::time_point last_shot_{};
    bool shot_pending_ = false;
    std::string scan_buffer_;  // keys typed outside a text field: a scanner
    std::vector<int64_t> corner_taps_;
    int64_t last_input_ = 0, ticket_shown_at_ = 0, next_printer_check_ = 0;
    std::chrono::steady_clock::time_point last_tap_{};

    bool online_ = false;
    bool catalog_fetching_ = false;
    // The server answered 409 no_sender: no message button until the link comes
    // back (a restarted server may have a sender configured by then).
    bool messages_off_ = false;
    std::optional<drivers::PrinterStatus> printer_status_;
    std::string reported_;   // the printer state the server last heard
    std::string my_source_;  // "kiosk:<name>", from GET /api/me
    std::set<int64_t> my_tickets_;
    struct Lost {  // a ticket request sent whose answer never came
        std::string category;
        int64_t since_seq = 0;  // the stream's seq when it was sent
        int64_t refuse_at = 0, forget_at = 0;
    };
    std::optional<Lost> lost_;
    std::deque<std::pair<int64_t, nlohmann::json>> unclaimed_;  // this kiosk's tickets seen on the stream, not shown
    std::atomic<int> jobs_{0};
    bool quit_ = false;
    static std::atomic<bool> stop_requested_;

    // Last: destroyed first, so no job outlives what it uses.
    std::unique_ptr<Worker> net_, print_, bg_;
};

}  // namespace kiosk
