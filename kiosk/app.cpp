// app: the kiosk's loop — inbox, touches, keys, screens, idle (see app.hpp).
#include "kiosk/app.hpp"

#include <SDL2/SDL_image.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "common/booking_code.hpp"
#include "common/http_url.hpp"
#include "common/text.hpp"
#include "kiosk/screens.hpp"
#include "kiosk/telex.hpp"

namespace kiosk {

std::atomic<bool> KioskApp::stop_requested_{false};

namespace {

constexpr int kCornerTaps = 5;
constexpr int64_t kCornerWindowMs = 3000;

std::string query_param(const std::string& url, const std::string& name) {
    for (size_t at = url.find(name + "="); at != std::string::npos; at = url.find(name + "=", at + 1)) {
        if (at > 0 && url[at - 1] != '?' && url[at - 1] != '&') continue;
        const size_t start = at + name.size() + 1;
        const std::string value = url.substr(start, url.find('&', start) - start);
        return common::percent_decode(value).value_or(value);  // a bad escape: the text as scanned
    }
    return "";
}

std::string trimmed(const std::string& s) {
    const auto a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

bool save_png(SDL_Renderer* renderer, const std::filesystem::path& file, std::string& error) {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer, &w, &h);
    SDL_Surface* s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    const bool ok = s && SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGB888, s->pixels, s->pitch) == 0 &&
                    IMG_SavePNG(s, file.c_str()) == 0;
    if (!ok) error = SDL_GetError();
    if (s) SDL_FreeSurface(s);
    return ok;
}

}  // namespace

ScannedDossier parse_scan(const std::string& raw) {
    const std::string text = trimmed(raw);
    if (text.find("code=") != std::string::npos) return {trimmed(query_param(text, "code")), trimmed(query_param(text, "check"))};
    const auto cut = text.find_first_of("|; \t");
    if (cut == std::string::npos) return {text, ""};
    return {trimmed(text.substr(0, cut)), trimmed(text.substr(cut + 1))};
}

KioskApp::KioskApp(KioskConfig config, Clock clock, Log log, client::StreamOptions stream)
    : config_(std::move(config)), clock_(std::move(clock)), log_(std::move(log)), calendar_(config_.timezone),
      words_(builtin_strings()), stream_options_(std::move(stream)) {
    client::parse_server_address(config_.server, stream_options_);
    stream_options_.token = config_.token;
    api_ = std::make_unique<ServerApi>(config_.server, config_.token, std::chrono::milliseconds(config_.request_timeout_ms));
    state_.lang = config_.english_first ? Lang::en : Lang::vi;
    net_ = std::make_unique<Worker>();
    print_ = std::make_unique<Worker>();
    bg_ = std::make_unique<Worker>();
}

KioskApp::~KioskApp() {
    if (stream_) stream_->stop();
    net_.reset();
    print_.reset();
    bg_.reset();
    canvas_.reset();
    if (renderer_) SDL_DestroyRenderer(renderer_);
    if (window_) SDL_DestroyWindow(window_);
}

void KioskApp::start() {
    if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) throw std::runtime_error(std::string("no video: ") + SDL_GetError());
    wake_event_ = SDL_RegisterEvents(1);
    cache_ = std::make_unique<CatalogCache>(config_.cache_dir);
    try {
        printer_ = std::make_unique<KioskPrinter>(config_);
    } catch (const std::exception& e) {  // a bad address or font: the kiosk runs, tickets show on screen
        log_(std::string("printer: ") + e.what() + " (tickets will be shown on screen only)");
        printer_status_ = drivers::PrinterStatus{drivers::PrinterState::offline, e.what()};
    }
    if (config_.software_renderer) SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI | (config_.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE);
    window_ = SDL_CreateWindow("Ki-ốt", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, config_.width, config_.height, flags);
    if (!window_) throw std::runtime_error(std::string("cannot open the window: ") + SDL_GetError());
    if (config_.fullscreen) SDL_ShowCursor(SDL_DISABLE);
    open_renderer();
    SDL_StartTextInput();
    last_input_ = clock_();
    stream_ = std::make_unique<client::EventStream>(
        stream_options_, client::EventStream::Handlers{
                             [this](nlohmann::json m) { post_ui([this, m = std::move(m)] { receive(m); }); },
                             [this](bool up, const std::string& why) { post_ui([this, up, why] { link_changed(up, why); }); }});
    stream_->start(0);
    check_printer();
}

void KioskApp::open_renderer() {
    canvas_.reset();
    if (renderer_) SDL_DestroyRenderer(renderer_);
    SDL_Surface* surface = config_.software_renderer ? SDL_GetWindowSurface(window_) : nullptr;
    renderer_ = surface ? SDL_CreateSoftwareRenderer(surface) : SDL_CreateRenderer(window_, -1, 0);
    if (!renderer_) throw std::runtime_error(std::string("cannot draw in the window: ") + SDL_GetError());
    canvas_ = std::make_unique<Canvas>(renderer_, config_.font_regular, config_.font_bold, log_);
    surface_stale_ = false;
    dirty_ = true;
}

void KioskApp::run() {
    while (run_once(1000)) {
    }
}

bool KioskApp::run_once(int max_wait_ms) {
    int64_t now = clock_();
    const int64_t wait = std::clamp<int64_t>(next_wake(now) - now, 0, max_wait_ms);
    SDL_Event e;
    if (SDL_WaitEventTimeout(&e, static_cast<int>(wait))) {
        handle(e);
        while (SDL_PollEvent(&e)) handle(e);
    }
    drain();
    tick(clock_());
    if (surface_stale_) open_renderer();
    if (dirty_) draw();
    keep_screenshot();
    return !quit_ && !stop_requested_.load();
}

void KioskApp::post_ui(std::function<void()> fn) {
    bool wake = false;
    {
        std::lock_guard guard(inbox_lock_);
        wake = inbox_.empty();
        inbox_.push_back(std::move(fn));
    }
    if (wake) {
        SDL_Event e{};
        e.type = wake_event_;
        SDL_PushEvent(&e);
    }
}

void KioskApp::drain() {
    std::deque<std::function<void()>> work;
    {
        std::lock_guard guard(inbox_lock_);
        work.swap(inbox_);
    }
    for (auto& fn : work) fn();
}

bool KioskApp::busy() const { return jobs_.load() > 0; }

void KioskApp::handle(const SDL_Event& e) {
    int w = 0, h = 0;
    if (renderer_) SDL_GetRendererOutputSize(renderer_, &w, &h);
    switch (e.type) {
        case SDL_QUIT:
            if (!config_.fullscreen) quit_ = true;  // a kiosk is left only through the admin PIN
            break;
        case SDL_FINGERDOWN: press(static_cast<int>(e.tfinger.x * w), static_cast<int>(e.tfinger.y * h)); break;
        case SDL_FINGERUP: release(static_cast<int>(e.tfinger.x * w), static_cast<int>(e.tfinger.y * h)); break;
        case SDL_MOUSEBUTTONDOWN:
            if (e.button.which != SDL_TOUCH_MOUSEID) press(e.button.x, e.button.y);
            break;
        case SDL_MOUSEBUTTONUP:
            if (e.button.which != SDL_TOUCH_MOUSEID) release(e.button.x, e.button.y);
            break;
        case SDL_TEXTINPUT: typed(e.text.text); break;
        case SDL_KEYDOWN:
            if (e.key.keysym.sym == SDLK_BACKSPACE) key("back");
            if (e.key.keysym.sym == SDLK_RETURN || e.key.keysym.sym == SDLK_KP_ENTER) enter();
            if (e.key.keysym.sym == SDLK_ESCAPE && !config_.fullscreen) quit_ = true;
            if (e.key.keysym.sym == SDLK_q && (e.key.keysym.mod & KMOD_CTRL) && (e.key.keysym.mod & KMOD_ALT)) go(Screen::admin);
            break;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED || e.window.event == SDL_WINDOWEVENT_EXPOSED) dirty_ = true;
            if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED && config_.software_renderer) surface_stale_ = true;
            break;
        default: break;
    }
}

void KioskApp::press(int x, int y) {
    const int64_t now = clock_();
    last_input_ = now;
    last_tap_ = std::chrono::steady_clock::now();
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    const int corner = std::min(w, h) / 12;
    if (x < corner && y < corner) corner_tap(now);
    const auto t = target_at(targets_, x, y);
    pressed_ = t && t->enabled ? t->id : "";
    dirty_ = true;  // the pressed look, in the next frame
}

void KioskApp::release(int x, int y) {
    last_input_ = clock_();
    const auto t = target_at(targets_, x, y);
    const std::string was = pressed_;
    pressed_.clear();
    dirty_ = true;
    if (t && t->enabled && t->id == was) act(was);
}

// The way out for staff: five taps in the top-left corner within three seconds,
// then the PIN from the config. Without a PIN there is no way out on screen.
void KioskApp::corner_tap(int64_t now) {
    corner_taps_.push_back(now);
    std::erase_if(corner_taps_, [&](int64_t t) { return now - t > kCornerWindowMs; });
    if (static_cast<int>(corner_taps_.size()) >= kCornerTaps && !config_.admin_pin.empty()) {
        corner_taps_.clear();
        state_.pin.clear();
        state_.pin_wrong = false;
        pressed_.clear();
        go(Screen::admin);
    }
}

void KioskApp::act(const std::string& id) {
    const auto arg = id.substr(id.find(':') + 1);
    if (id == "lang") state_.lang = state_.lang == Lang::vi ? Lang::en : Lang::vi;
    else if (id == "large") state_.large_text = !state_.large_text;
    else if (id == "nav:home" || id == "ticket:done") reset(false);
    else if (id == "nav:back") back();
    else if (id == "nav:next") ++state_.page;
    else if (id == "nav:prev") state_.page = std::max(0, state_.page - 1);
    else if (id == "home:take") go(Screen::services);
    else if (id == "home:procedures") go(Screen::search);
    else if (id == "home:dossier") go(Screen::dossier);
    else if (id == "home:booked") go(Screen::booking_code);
    else if (id == "booking:check_in") check_in_code();
    else if (id == "ticket:phone") open_phone();
    else if (id == "phone:send") send_phone();
    else if (id.starts_with("service:")) choose_service(arg);
    else if (id.starts_with("category:")) issue(state_.service, arg);
    else if (id.starts_with("key:")) key(arg);
    else if (id.starts_with("field:")) open_field(std::stoul(arg));
    else if (id.starts_with("hit:") && std::stoul(arg) < state_.hits.size())
        open_procedure(state_.hits[std::stoul(arg)].code, Screen::search);
    else if (id.starts_with("proc:") && std::stoul(arg) < state_.field_list.size())
        open_procedure(state_.field_list[std::stoul(arg)].code, Screen::field);
    else if (id == "procedure:print") print_checklist();
    else if (id == "procedure:take") choose_service(client::field<std::string>(state_.procedure, "service", ""));
    else if (id == "dossier:code") state_.focus = 0;
    else if (id == "dossier:check") state_.focus = 1;
    else if (id == "dossier:search") lookup_dossier(false);
    else if (id.starts_with("pin:")) pin_key(arg);
    dirty_ = true;
}

void KioskApp::pin_key(const std::string& k) {
    state_.pin_wrong = false;
    if (k == "back") state_.pin = drop_last_char(state_.pin);
    else if (k == "ok") {
        if (!config_.admin_pin.empty() && state_.pin == config_.admin_pin) {
            log_("the kiosk was left through the admin PIN");
            quit_ = true;
        } else {
            state_.pin_wrong = true;
            state_.pin.clear();
        }
    } else if (state_.pin.size() < 12) state_.pin += k;
}

// An on-screen key, or Backspace from a keyboard: into the search box or the focused dossier field.
void KioskApp::key(const std::string& k) {
    if (k == "telex") {
        state_.telex = !state_.telex;
        return;
    }
    edit([&](const std::string& text) -> std::string {
        if (k == "back") return drop_last_char(text);
        if (k == "clear") return "";
        if (k == "space") return text.empty() || text.back() == ' ' ? text : text + " ";
        if (k.size() != 1) return text;
        const char c = k[0];
        if (state_.screen == Screen::dossier) return text + static_cast<char>(state_.focus == 0 ? std::toupper(c) : c);
        return state_.telex && std::isalpha(static_cast<unsigned char>(c)) ? telex_type(text, c) : text + c;
    });
}

// Applies a change to the text being typed on this screen.
void KioskApp::edit(const std::function<std::string(const std::string&)>& change) {
    if (state_.screen == Screen::search) {
        const std::string next = change(state_.query);
        if (common::utf8_length(next) > 100) return;
        state_.query = next;
        run_search();
    } else if (state_.screen == Screen::dossier) {
        std::string& text = state_.focus == 0 ? state_.dossier_code : state_.dossier_check;
        const std::string next = change(text);
        if (next.size() <= 200) text = next;
        state_.dossier_message.clear();
    } else if (state_.screen == Screen::phone) {
        // Digits (a '+' first, from a real keyboard): what a phone number is made of, no longer than one.
        std::string next;
        for (const char c : change(state_.phone))
            if (std::isdigit(static_cast<unsigned char>(c)) || (c == '+' && next.empty())) next += c;
        if (next.size() <= 15) state_.phone = next;
        state_.phone_message.clear();
    } else if (state_.screen == Screen::booking_code) {
        state_.booking_code = common::booking_code_typed(change(state_.booking_code));
        state_.booking_message.clear();
    } else if (state_.screen == Screen::admin) {
        state_.pin = change(state_.pin).substr(0, 12);
    }
    dirty_ = true;
}

// Text from a real keyboard or a barcode scanner (it types like one).
void KioskApp::typed(const std::string& raw) {
    last_input_ = clock_();
    const std::string text = common::to_nfc(raw).value_or("");
    if (state_.screen == Screen::search || state_.screen == Screen::dossier || state_.screen == Screen::phone ||
        state_.screen == Screen::booking_code) {
        // The scanner types here too: Enter tells a scanned QR from a typed code.
        if (state_.screen == Screen::booking_code && scan_buffer_.size() < 400) scan_buffer_ += text;
        edit([&](const std::string& before) { return before + text; });
        return;
    }
    if (scan_buffer_.size() < 400) scan_buffer_ += text;
}

// Enter: look the dossier up; on any other screen, a scanned booking or ID card
// checks a booking in (checkin.cpp) and a scanned receipt opens its dossier.
void KioskApp::enter() {
    last_input_ = clock_();
    if (state_.screen == Screen::dossier) {
        if (state_.focus == 0 && state_.dossier_check.empty() && parse_scan(state_.dossier_code).check.empty()) {
            state_.focus = 1;
            dirty_ = true;
            return;
        }
        lookup_dossier(false);
        return;
    }
    if (state_.screen == Screen::phone) return send_phone();
    if (state_.screen == Screen::booking_code) {
        if (scanned_arrival(std::exchange(scan_buffer_, {}))) return;
        return check_in_code();
    }
    if (state_.screen == Screen::search || scan_buffer_.empty()) return;
    const std::string scanned = std::move(scan_buffer_);
    scan_buffer_.clear();
    if (scanned_arrival(scanned)) return;
    const ScannedDossier scan = parse_scan(scanned);
    if (scan.code.empty()) return;
    reset(false);
    go(Screen::dossier);
    state_.dossier_code = scan.code;
    state_.dossier_check = scan.check;
    state_.focus = scan.check.empty() ? 1 : 0;
    if (!scan.check.empty()) lookup_dossier(false);
}

void KioskApp::go(Screen screen) {
    state_.screen = screen;
    state_.page = 0;
    pressed_.clear();
    dirty_ = true;
    if (screen == Screen::search) run_search();
}

void KioskApp::back() {
    switch (state_.screen) {
        case Screen::category: return go(Screen::services);
        case Screen::field: return go(Screen::search);
        case Screen::procedure:
            state_.procedure_note.clear();
            return go(state_.procedure_from);
        case Screen::dossier_result: return go(Screen::dossier);
        case Screen::phone: return go(Screen::ticket);
        default: return reset(false);
    }
}

// Home. `full` (idle): the next person starts afresh — language, text size, everything typed.
void KioskApp::reset(bool full) {
    KioskState fresh;
    fresh.lang = full ? (config_.english_first ? Lang::en : Lang::vi) : state_.lang;
    fresh.large_text = full ? false : state_.large_text;
    fresh.telex = full ? false : state_.telex;
    state_ = std::move(fresh);
    scan_buffer_.clear();
    pressed_.clear();
    run_search();
    dirty_ = true;
}

void KioskApp::tick(int64_t now) {
    const bool idle = now - last_input_ >= int64_t{config_.idle_seconds} * 1000;
    const bool waiting = state_.screen == Screen::issuing || state_.screen == Screen::dossier_looking ||
                         state_.screen == Screen::phone_sending;
    const int64_t ticket_ms = int64_t{config_.ticket_seconds} * 1000;
    if (state_.screen == Screen::ticket && state_.outcome && state_.outcome->print == PrintState::printed &&
        now - ticket_shown_at_ >= ticket_ms && now - last_input_ >= ticket_ms)
        reset(true);
    else if (state_.screen == Screen::phone && !state_.phone_masked.empty() && now - last_input_ >= ticket_ms)
        reset(true);  // signed up: gone as soon as a printed ticket would be
    else if (idle && !waiting && (state_.screen != Screen::home || state_.lang != (config_.english_first ? Lang::en : Lang::vi) ||
                                  state_.large_text))
        reset(true);
    if (lost_ && now >= lost_->refuse_at && state_.screen == Screen::issuing) {
        state_.refusal = "refused.offline";
        go(Screen::refused);
    }
    if (lost_ && now >= lost_->forget_at) lost_.reset();
    if (now >= next_printer_check_) check_printer();
    if (clock_text(calendar_.at(now)) != shown_clock_) dirty_ = true;
}

int64_t KioskApp::next_wake(int64_t now) const {
    int64_t wake = now + 60'000 - now % 60'000;
    auto soon = [&](int64_t at) { wake = std::min(wake, std::max(at, now)); };
    if (state_.screen != Screen::home) soon(last_input_ + int64_t{config_.idle_seconds} * 1000);
    if (state_.screen == Screen::ticket) soon(std::max(ticket_shown_at_, last_input_) + int64_t{config_.ticket_seconds} * 1000);
    if (state_.screen == Screen::phone && !state_.phone_masked.empty()) soon(last_input_ + int64_t{config_.ticket_seconds} * 1000);
    if (lost_) soon(std::min(lost_->refuse_at, lost_->forget_at));
    soon(next_printer_check_);
    if (dirty_) wake = now;
    if (shot_pending_) wake = std::min(wake, now + 1000);
    return wake;
}

void KioskApp::draw() {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    const int64_t now = clock_();
    const auto t = calendar_.at(now);
    shown_clock_ = clock_text(t);
    canvas_->begin_frame();
    Ui ui(*canvas_, metrics_for(w, h, state_.large_text), pressed_);
    const Scene scene{state_, mirror_, words_, online_, printer_status_, shown_clock_, date_text(t), cache_->fields(), cache_->size(), calendar_,
                      !messages_off_};
    draw_scene(ui, scene);
    targets_ = ui.take_targets();
    canvas_->end_frame();
    if (config_.software_renderer) SDL_UpdateWindowSurface(window_);
    else SDL_RenderPresent(renderer_);
    dirty_ = false;
    ++frames_;
    if (hooks_.presented) hooks_.presented();
    shot_pending_ = !auto_shot_.empty();
}

// At most once a second; a change inside that second is kept for the next pass of the loop.
void KioskApp::keep_screenshot() {
    const auto now = std::chrono::steady_clock::now();
    if (!shot_pending_ || now - last_shot_ < std::chrono::seconds(1)) return;
    shot_pending_ = false;
    last_shot_ = now;
    std::string error;
    std::error_code ec;
    const auto part = auto_shot_.string() + ".part";  // renamed whole, so a viewer never reads half a file
    if (save_png(renderer_, part, error)) std::filesystem::rename(part, auto_shot_, ec);
    if (!error.empty() || ec) log_("screenshot " + auto_shot_.string() + ": " + (ec ? ec.message() : error));
}

bool KioskApp::screenshot(const std::filesystem::path& file, std::string& error) {
    draw();
    return save_png(renderer_, file, error);
}

std::optional<Box> KioskApp::target(const std::string& id) const {
    for (const auto& t : targets_)
        if (t.id == id) return t.box;
    return std::nullopt;
}

}  // namespace kiosk
