// app: the display's loop — inbox, mirror, board, painter, voice (see app.hpp).
#include "display/app.hpp"

#include <malloc.h>

#include <algorithm>
#include <stdexcept>

#include "common/text.hpp"
#include "display/place.hpp"
#include "display/speech.hpp"

namespace display {

namespace {

constexpr int64_t kBlinkHalfMs = 500;
constexpr int64_t kTickerFrameMs = 33;
constexpr int64_t kSkippedNoticeMs = 60'000;

AnnouncerLimits limits_of(const VoiceConfig& v) {
    return {static_cast<size_t>(v.max_pending), int64_t{v.max_delay_s} * 1000, 600, v.quiet};
}

}  // namespace

void keep_frame_memory() {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
}

DisplayApp::DisplayApp(DisplayConfig config, Clock clock, Log log, client::StreamOptions stream)
    : config_(std::move(config)), clock_(std::move(clock)), log_(std::move(log)), calendar_(config_.timezone),
      mirror_(std::max<size_t>(20, static_cast<size_t>(config_.calls_shown) * 3)), announcer_(limits_of(config_.voice)) {
    if (const size_t length = common::utf8_length(config_.ticker); length > kMaxTickerChars) {
        log_("the ticker text has " + std::to_string(length) + " characters: only the first " +
             std::to_string(kMaxTickerChars) + " are shown");
        config_.ticker = std::string(common::utf8_prefix(config_.ticker, kMaxTickerChars)) + "…";
    }
    client::parse_server_address(config_.server, stream);
    stream.token = config_.token;
    stream_ = std::make_unique<client::EventStream>(
        stream, client::EventStream::Handlers{[this](nlohmann::json m) { receive(std::move(m)); },
                                              [this](bool up, const std::string& why) { link_changed(up, why); }});
}

DisplayApp::~DisplayApp() {
    stream_->stop();
    painter_.reset();
    audio_.reset();
    if (renderer_) SDL_DestroyRenderer(renderer_);
    if (window_) SDL_DestroyWindow(window_);
}

void DisplayApp::start() {
    if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
        throw std::runtime_error(std::string("no video: ") + SDL_GetError());
    wake_event_ = SDL_RegisterEvents(1);
    if (config_.software_renderer) SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");  // no GL under the window
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    flags |= config_.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;
    window_ = SDL_CreateWindow("Bảng gọi số", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, config_.width, config_.height, flags);
    if (!window_) throw std::runtime_error(std::string("cannot open the window: ") + SDL_GetError());
    open_renderer();
    if (config_.fullscreen) SDL_ShowCursor(SDL_DISABLE);
    if (config_.voice.enabled) {
        audio_ = std::make_unique<AudioOut>(log_);
        voice_ = std::make_unique<VoicePack>(config_.voice.custom, config_.voice.pack, log_);
    }
    offline_since_ = clock_();
    stream_->start(0);
}

// Software: SDL's renderer draws straight into the window's own surface, and we
// say which part of it to send to the screen — all of it, or only the ticker band
// while nothing else moved. A resized window has a new surface: opened again.
void DisplayApp::open_renderer() {
    painter_.reset();
    if (renderer_) SDL_DestroyRenderer(renderer_);
    SDL_Surface* surface = config_.software_renderer ? SDL_GetWindowSurface(window_) : nullptr;
    renderer_ = surface ? SDL_CreateSoftwareRenderer(surface) : SDL_CreateRenderer(window_, -1, 0);
    if (!renderer_) throw std::runtime_error(std::string("cannot draw in the window: ") + SDL_GetError());
    painter_ = std::make_unique<Painter>(renderer_, config_, log_);
    surface_stale_ = false;
    force_draw_ = true;
}

void DisplayApp::present(const Rect* only) {
    if (!config_.software_renderer) return SDL_RenderPresent(renderer_);
    if (!only) {
        SDL_UpdateWindowSurface(window_);
        return;
    }
    const SDL_Rect r{only->x, only->y, only->w, only->h};
    SDL_UpdateWindowSurfaceRects(window_, &r, 1);
}

void DisplayApp::run() {
    while (run_once(1000)) {
    }
}

bool DisplayApp::run_once(int max_wait_ms) {
    int64_t now = clock_();
    const int64_t wait = std::clamp<int64_t>(next_wake(now) - now, 0, max_wait_ms);
    SDL_Event e;
    if (SDL_WaitEventTimeout(&e, static_cast<int>(wait))) {
        handle(e);
        while (SDL_PollEvent(&e)) handle(e);
    }
    now = clock_();
    drain(now);
    const BoardView v = view(now);
    if (shot_pending_ && now - last_auto_shot_ >= 1000) force_draw_ = true;
    if (surface_stale_) open_renderer();
    if (force_draw_ || !(v == drawn_) || ticker_moving()) draw(v, now);
    speak(now);
    if (!voice_warm_ && voice_ && frames_ > 0) {  // after the first frame: a board shows before it can speak
        for (const auto& clip : pack_clips(config_.voice)) voice_->clip(clip);
        voice_warm_ = true;
    }
    return !quit_;
}

void DisplayApp::handle(const SDL_Event& e) {
    if (e.type == SDL_QUIT) quit_ = true;
    if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_ESCAPE && !config_.fullscreen) quit_ = true;
    if (e.type == SDL_WINDOWEVENT && (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED || e.window.event == SDL_WINDOWEVENT_EXPOSED))
        force_draw_ = true;
    if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED && config_.software_renderer)
        surface_stale_ = true;
}

void DisplayApp::receive(nlohmann::json message) {
    bool wake = false;
    {
        std::lock_guard lock(inbox_lock_);
        wake = inbox_.empty();
        inbox_.push_back(std::move(message));
    }
    if (wake) {
        SDL_Event e{};
        e.type = wake_event_;
        SDL_PushEvent(&e);
    }
}

void DisplayApp::link_changed(bool up, const std::string& why) {
    {
        std::lock_guard lock(inbox_lock_);
        link_news_ = up;
        link_why_ = why;
    }
    SDL_Event e{};
    e.type = wake_event_;
    SDL_PushEvent(&e);
}

void DisplayApp::drain(int64_t now) {
    std::deque<nlohmann::json> messages;
    std::optional<bool> link;
    std::string why;
    {
        std::lock_guard lock(inbox_lock_);
        messages.swap(inbox_);
        link.swap(link_news_);
        why = link_why_;
    }
    if (link && *link != online_) {
        online_ = *link;
        if (!online_) {
            offline_since_ = now;
            log_("offline: " + why);
        } else {
            log_("connected to " + config_.server);
        }
    }
    for (const auto& m : messages) apply(m, now);
}

void DisplayApp::apply(const nlohmann::json& m, int64_t now) {
    const std::string type = client::field<std::string>(m, "type", "");
    if (type == "snapshot") {
        mirror_.apply_snapshot(m);
        read_phone(client::member(client::member(m, "state"), "phone"));
        stream_->applied(mirror_.seq());
        return;
    }
    if (type == "phone_settings") {  // after a resume: the server may have restarted with another [phone]
        read_phone(client::member(m, "phone"));
        return;
    }
    switch (mirror_.apply_event(m)) {
        case client::Mirror::Applied::gap:
            log_("events missing after " + std::to_string(mirror_.seq()) + ": resuming");
            stream_->resync();
            return;
        case client::Mirror::Applied::ignored:
            return;
        case client::Mirror::Applied::changed:
            break;
    }
    stream_->applied(mirror_.seq());
    const auto& call = mirror_.last_call();
    if (!call || !shown(config_, call->service, call->counter)) return;
    if (config_.layout == LayoutKind::counter && call->counter != config_.counter) return;
    blink_from_ = now;
    if (voice_) announcer_.push(*call, now, calendar_.at(now).minute);
}

// The server's [phone] settings ride in each snapshot and follow each resume
// as a phone_settings notice; an older server without them, or odd values,
// mean no QR.
void DisplayApp::read_phone(const nlohmann::json& phone) {
    phone_qr_ = phone_qr_text(config_.qr, client::field<std::string>(phone, "public_url", ""),
                              client::field<bool>(phone, "display_qr", false));
}

void DisplayApp::speak(int64_t now) {
    if (!voice_) return;
    const auto call = announcer_.next(now);
    if (!call) return;
    const auto clips = clips_of(*call);
    const Pcm pcm = voice_->render(clips, config_.voice.volume);
    audio_->play(pcm);
    announcer_.started(now, pcm.duration_ms());
    if (hooks_.spoken) hooks_.spoken(*call, pcm);
    if (hooks_.said) hooks_.said(*call, clips);
}

// A visit's later step and a ticket back from being parked are told where to go
// by name (place.hpp); a first call keeps the center's own wording.
std::vector<std::string> DisplayApp::clips_of(const client::Call& call) const {
    const CallWording kind = call.returned ? CallWording::returned : call.step > 0 ? CallWording::next_step : CallWording::first;
    if (kind == CallWording::first) return call_clips(config_.voice, call.number, call.counter);
    const client::CounterInfo* k = mirror_.counter(call.counter);
    const client::ServiceInfo* s = mirror_.service(call.service);
    const std::string place = spoken_place({k ? k->name : "", call.counter, s ? s->name_vi : "", call.step});
    return call_clips(config_.voice, call.number, call.counter, place, kind);
}

BoardView DisplayApp::view(int64_t now) const {
    BoardStatus status;
    const int64_t blink_ms = int64_t{config_.blink_seconds} * 1000;
    status.highlight = blink_from_ >= 0 && now - blink_from_ < blink_ms && (now - blink_from_) / kBlinkHalfMs % 2 == 0;
    status.offline = !online_ && now - offline_since_ >= int64_t{config_.offline_mark_seconds} * 1000;
    status.skipped_calls = announcer_.skipped() > 0 && now - announcer_.last_skip_at() < kSkippedNoticeMs;
    BoardView v = make_view(mirror_, config_, status, calendar_.at(now));
    v.qr = phone_qr_;
    return v;
}

Layout DisplayApp::layout_for(const BoardView& v) const {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    const bool ticker = !v.ticker.empty() || v.status.skipped_calls;
    return compute_layout(config_.layout, config_.orientation, w, h, v.waiting.size(), ticker, config_.calls_shown,
                          !v.qr.empty());
}

void DisplayApp::draw(const BoardView& v, int64_t now) {
    const Layout layout = layout_for(v);
    const bool changed = !(v == drawn_);
    if (!changed && !force_draw_ && !shot_pending_ && config_.software_renderer) {  // only the ticker moved
        painter_->draw_ticker(v, layout, now);
        present(&layout.ticker);
        ++frames_;
        return;
    }
    painter_->draw(v, layout, now);
    if (auto_shot_ && (changed || shot_pending_)) {
        shot_pending_ = now - last_auto_shot_ < 1000;  // too soon: taken at the next second
        if (!shot_pending_) {
            std::string error;
            if (!save_screenshot(renderer_, *auto_shot_, error)) log_("screenshot: " + error);
            last_auto_shot_ = now;
        }
    }
    present(nullptr);
    drawn_ = v;
    force_draw_ = false;
    ++frames_;
    if (hooks_.presented) hooks_.presented(v);
}

bool DisplayApp::screenshot(const std::filesystem::path& file, std::string& error) {
    const int64_t now = clock_();
    const BoardView v = view(now);
    painter_->draw(v, layout_for(v), now);
    const bool ok = save_screenshot(renderer_, file, error);
    present(nullptr);
    drawn_ = v;
    return ok;
}

bool DisplayApp::ticker_moving() const {
    return !config_.ticker.empty() && config_.ticker_speed > 0 && !drawn_.status.skipped_calls;
}

int64_t DisplayApp::next_wake(int64_t now) const {
    int64_t wake = now + 60'000 - now % 60'000;  // the clock's next minute
    if (ticker_moving()) wake = std::min(wake, now + kTickerFrameMs);
    const int64_t blink_ms = int64_t{config_.blink_seconds} * 1000;
    if (blink_from_ >= 0 && now - blink_from_ < blink_ms)
        wake = std::min(wake, now + kBlinkHalfMs - (now - blink_from_) % kBlinkHalfMs);
    auto soon = [&](int64_t at) {
        if (at > now) wake = std::min(wake, at);
    };
    if (!online_) soon(offline_since_ + int64_t{config_.offline_mark_seconds} * 1000);
    if (auto a = announcer_.wake_at()) soon(*a);
    if (announcer_.skipped() > 0) soon(announcer_.last_skip_at() + kSkippedNoticeMs);
    if (shot_pending_) soon(last_auto_shot_ + 1000);
    return wake;
}

}  // namespace display
