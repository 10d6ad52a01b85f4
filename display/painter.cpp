// painter: BoardView → pixels (see painter.hpp).
#include "display/painter.hpp"

#include <SDL2/SDL_image.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "display/phone_qr.hpp"

namespace display {

namespace {

constexpr SDL_Color kBackground{11, 25, 44, 255};
constexpr SDL_Color kPanel{22, 48, 82, 255};
constexpr SDL_Color kPanelAlt{17, 38, 66, 255};
constexpr SDL_Color kWhite{255, 255, 255, 255};
constexpr SDL_Color kMuted{170, 190, 215, 255};
constexpr SDL_Color kNumber{255, 210, 20, 255};
constexpr SDL_Color kAlert{200, 28, 44, 255};
constexpr SDL_Color kTickerBg{255, 210, 20, 255};
constexpr SDL_Color kTickerText{11, 25, 44, 255};
constexpr SDL_Color kAmber{255, 170, 0, 255};

uint32_t rgba(SDL_Color c) { return (uint32_t{c.r} << 24) | (uint32_t{c.g} << 16) | (uint32_t{c.b} << 8) | c.a; }

// Font sizes in steps of about 6%: a new number seldom needs a new font (opening
// one and hinting its glyphs costs milliseconds at 4K), and the glyph cache of
// the one in use is warm.
int quantized(int px) {
    if (px <= 32) return std::max(6, px - px % 2);
    const int step = 1 << (std::bit_width(static_cast<unsigned>(px)) - 5);
    return px - px % step;
}

// Ticker text is drawn in pieces: one texture for 2,000 characters would be wider
// than any renderer allows.
std::vector<std::string> pieces(const std::string& text, size_t target_bytes) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = std::min(text.size(), start + target_bytes);
        if (end < text.size()) {
            const auto space = text.rfind(' ', end);
            end = space != std::string::npos && space > start ? space + 1 : end;
            while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;  // whole letters
        }
        out.push_back(text.substr(start, end - start));
        start = end;
    }
    return out;
}

// Under the newest call: its service, or at a visit's later step that it is the next
// step ("Bước tiếp theo: Thu phí"), so a citizen who just left a desk knows this call is theirs.
std::string service_line(const BoardView& v, const CallLine& c) {
    const bool en = v.english && !c.service_en.empty();
    if (c.step > 0) return "Bước tiếp theo: " + c.service_vi + (en ? " · Next step: " + c.service_en : "");
    return en ? c.service_vi + " · " + c.service_en : c.service_vi;
}

}  // namespace

Painter::Painter(SDL_Renderer* renderer, const DisplayConfig& config, Log log)
    : renderer_(renderer), regular_(config.font_regular), bold_(config.font_bold), ticker_speed_(config.ticker_speed),
      log_(std::move(log)) {
    if (!TTF_WasInit() && TTF_Init() != 0) throw std::runtime_error(std::string("SDL_ttf: ") + TTF_GetError());
    const DisplayConfig defaults;
    for (auto* path : {&regular_, &bold_}) {
        TTF_Font* probe = TTF_OpenFont(path->c_str(), 12);
        if (probe) {
            TTF_CloseFont(probe);
            continue;
        }
        const auto fallback = path == &regular_ ? defaults.font_regular : defaults.font_bold;
        log_("font " + path->string() + " cannot be opened (" + TTF_GetError() + "): using " + fallback.string());
        *path = fallback;
        probe = TTF_OpenFont(path->c_str(), 12);
        if (!probe) throw std::runtime_error("no font: " + path->string() + " cannot be opened either (install fonts-noto-core)");
        TTF_CloseFont(probe);
    }
    if (!config.logo.empty()) {
        logo_ = IMG_LoadTexture(renderer_, config.logo.c_str());
        if (!logo_) log_("logo " + config.logo.string() + " cannot be loaded (" + IMG_GetError() + "): none shown");
    }
}

Painter::~Painter() {
    for (auto& [key, t] : texts_) SDL_DestroyTexture(t.texture);
    for (auto& [key, f] : fonts_) TTF_CloseFont(f);
    if (logo_) SDL_DestroyTexture(logo_);
    if (qr_) SDL_DestroyTexture(qr_);
}

TTF_Font* Painter::font(int px, bool bold) {
    auto& f = fonts_[{px, bold}];
    if (!f) f = TTF_OpenFont((bold ? bold_ : regular_).c_str(), px);
    return f;
}

// One texture per colour: tinting a white one on each copy (colour mod) makes
// the software renderer's blits slower than the second texture costs.
const Painter::Text& Painter::text(const std::string& s, int px, bool bold, SDL_Color color) {
    Text& t = texts_[{s, px, bold, rgba(color)}];
    t.used = frame_;
    if (t.texture || s.empty()) return t;
    TTF_Font* f = font(px, bold);
    SDL_Surface* surface = f ? TTF_RenderUTF8_Blended(f, s.c_str(), color) : nullptr;
    if (!surface) return t;
    t.texture = SDL_CreateTextureFromSurface(renderer_, surface);
    t.w = surface->w;
    t.h = surface->h;
    text_bytes_ += t.bytes();
    SDL_FreeSurface(surface);
    return t;
}

int Painter::fit(const std::string& s, int max_px, bool bold, const Rect& box) {
    int px = quantized(std::min(max_px, box.h));
    int w = 0, h = 0;
    for (int tries = 0; tries < 4; ++tries) {
        TTF_Font* f = font(px, bold);
        if (!f || TTF_SizeUTF8(f, s.c_str(), &w, &h) != 0 || w <= box.w || px <= 6) break;
        px = quantized(std::min(px - 1, px * box.w / w));
    }
    return px;
}

int Painter::label(const std::string& s, const Rect& box, bool bold, SDL_Color color, Align align, double height_share) {
    if (s.empty() || box.w <= 0 || box.h <= 0) return 0;
    const int px = fit(s, static_cast<int>(box.h * height_share), bold, box);
    const Text& t = text(s, px, bold, color);
    if (!t.texture) return 0;
    const int x = align == Align::left ? box.x : align == Align::center ? box.x + (box.w - t.w) / 2 : box.x + box.w - t.w;
    SDL_Rect dst{x, box.y + (box.h - t.h) / 2, t.w, t.h};
    SDL_RenderCopy(renderer_, t.texture, nullptr, &dst);
    return t.w;
}

void Painter::badge(const std::string& s, const Rect& box, Align align) {
    const int pad = box.h / 3;
    if (s.empty() || box.w <= 2 * pad || box.h <= 0) return;
    const Rect inner{box.x + pad, box.y, box.w - 2 * pad, box.h};
    const Text& t = text(s, fit(s, box.h * 7 / 10, true, inner), true, kTickerText);
    if (!t.texture) return;
    const int w = t.w + 2 * pad;
    const int x = align == Align::left ? box.x : align == Align::center ? box.x + (box.w - w) / 2 : box.x + box.w - w;
    fill({x, box.y, w, box.h}, kAmber);
    SDL_Rect dst{x + pad, box.y + (box.h - t.h) / 2, t.w, t.h};
    SDL_RenderCopy(renderer_, t.texture, nullptr, &dst);
}

void Painter::label_wrapped(const std::string& s, const Rect& box, bool bold, SDL_Color color, double height_share) {
    const int wanted = static_cast<int>(box.h * height_share);
    const auto middle = s.size() / 2;
    const auto before = s.rfind(' ', middle), after = s.find(' ', middle);
    if (fit(s, wanted, bold, box) >= wanted * 6 / 10 || (before == std::string::npos && after == std::string::npos)) {
        label(s, box, bold, color, Align::left, height_share);
        return;
    }
    // Break at the space nearest the middle; each line gets half the box.
    const auto cut = before == std::string::npos ? after
                     : after == std::string::npos ? before
                     : (middle - before <= after - middle ? before : after);
    const Rect top{box.x, box.y, box.w, box.h / 2}, bottom{box.x, box.y + box.h / 2, box.w, box.h - box.h / 2};
    label(s.substr(0, cut), top, bold, color, Align::left, 0.95);
    label(s.substr(cut + 1), bottom, bold, color, Align::left, 0.95);
}

void Painter::fill(const Rect& r, SDL_Color c) {
    SDL_SetRenderDrawColor(renderer_, c.r, c.g, c.b, c.a);
    SDL_Rect rect{r.x, r.y, r.w, r.h};
    SDL_RenderFillRect(renderer_, &rect);
}

void Painter::draw(const BoardView& v, const Layout& l, int64_t now_ms) {
    ++frame_;
    fill(l.window, kBackground);
    header(v, l);
    if (v.kind == LayoutKind::hall) {
        newest(v, l);
        calls(v, l);
        waiting(v, l);
    } else {
        counter_board(v, l);
    }
    phone_qr(v, l);
    ticker(v, l, now_ms);
    marks(v, l);
    sweep();
}

void Painter::header(const BoardView& v, const Layout& l) {
    fill(l.header, kPanel);
    Rect title = l.title;
    if (logo_) {
        SDL_Rect dst{l.logo.x, l.logo.y, l.logo.w, l.logo.h};
        SDL_RenderCopy(renderer_, logo_, nullptr, &dst);
    } else {
        title.x = l.logo.x;
        title.w += l.logo.w + l.margin;
    }
    const std::string& name = v.kind == LayoutKind::counter ? v.counter_name : v.center_name;
    if (v.kind == LayoutKind::counter) label(name, title, true, kWhite, Align::left, 0.75);
    else label_wrapped(name, title, true, kWhite, 0.5);  // a long center name on a narrow board: two lines
    label(v.clock, l.clock, true, kWhite, Align::right, 0.95);
    if (!v.status.offline) label(v.english ? v.date_vi + " · " + v.date_en : v.date_vi, l.date, false, kMuted, Align::right, 0.8);
}

void Painter::newest(const BoardView& v, const Layout& l) {
    const bool bright = v.newest && v.status.highlight;
    fill(l.newest, bright ? kAlert : kPanel);
    if (!v.newest) {
        label("Xin mời quý khách lấy số thứ tự", l.newest_number, true, kMuted, Align::center, 0.25);
        if (v.english) label("Please take a number", l.newest_counter, false, kMuted, Align::center, 0.4);
        return;
    }
    const CallLine& c = *v.newest;
    if (c.returned)  // back from being parked: the mark takes the invitation's place
        badge(v.english ? "Quay lại · Returning" : "Quay lại", l.newest_label, Align::center);
    else
        label(v.english ? "Mời công dân có số · Now serving" : "Mời công dân có số", l.newest_label, false, kWhite, Align::center);
    label(c.number, l.newest_number, true, bright ? kWhite : kNumber, Align::center, 0.98);
    label("đến " + c.counter_name, l.newest_counter, true, kWhite, Align::center, 0.85);
    label(service_line(v, c), l.newest_service, false, kMuted, Align::center, 0.55);
}

void Painter::counter_board(const BoardView& v, const Layout& l) {
    fill(l.newest, v.status.highlight ? kAlert : kPanel);
    if (v.counter_paused) {
        label("Tạm nghỉ", l.newest_number, true, kMuted, Align::center, 0.6);
        if (v.english) label("Closed", l.newest_counter, false, kMuted, Align::center, 0.6);
        return;
    }
    if (!v.counter_ticket) {
        label("Xin mời chờ", l.newest_number, true, kMuted, Align::center, 0.45);
        if (v.english) label("Please wait", l.newest_counter, false, kMuted, Align::center, 0.6);
        return;
    }
    label(v.english ? "Đang phục vụ số · Now serving" : "Đang phục vụ số", l.newest_label, false, kWhite, Align::center);
    label(v.counter_ticket->number, l.newest_number, true, v.status.highlight ? kWhite : kNumber, Align::center, 0.98);
    label(v.counter_ticket->service_vi, l.newest_counter, false, kWhite, Align::center, 0.6);
    if (v.english) label(v.counter_ticket->service_en, l.newest_service, false, kMuted, Align::center, 0.5);
}

void Painter::calls(const BoardView& v, const Layout& l) {
    if (l.call_rows == 0) return;
    const Rect title = call_row(l, 0);
    fill(title, kPanel);
    const int pad = l.margin;
    auto halves = [&](const Rect& r) {
        return std::pair<Rect, Rect>{{r.x + pad, r.y, r.w / 2 - pad, r.h}, {r.x + r.w / 2, r.y, r.w / 2 - pad, r.h}};
    };
    auto [left, right] = halves(title);
    label(v.english ? "Số · Number" : "Số", left, true, kMuted, Align::left, 0.5);
    label(v.english ? "Quầy · Counter" : "Quầy", right, true, kMuted, Align::right, 0.5);
    for (int i = 0; i < l.call_rows && i < static_cast<int>(v.previous.size()); ++i) {
        const Rect row = call_row(l, i + 1);
        fill(row, i % 2 ? kPanelAlt : kBackground);
        auto [number, counter] = halves(row);
        const CallLine& c = v.previous[static_cast<size_t>(i)];
        const int w = label(c.number, number, true, kNumber, Align::left, 0.7);
        if (c.returned)  // beside its number, before the counter's half: never over either
            badge("Quay lại", {number.x + w + pad, row.y + row.h / 4, number.w - w - pad, row.h / 2}, Align::left);
        label(c.place, counter, true, kWhite, Align::right, 0.6);
    }
}

void Painter::waiting(const BoardView& v, const Layout& l) {
    if (l.waiting.h <= 0) return;
    for (size_t i = 0; i < v.waiting.size(); ++i) {
        const Rect tile = waiting_tile(l, i, v.waiting.size());
        fill(tile, kPanel);
        const int pad = l.margin / 2;
        const Rect name{tile.x + pad, tile.y, tile.w * 3 / 4 - pad, tile.h * 6 / 10};
        const Rect caption{tile.x + pad, name.y + name.h, name.w, tile.h - name.h};
        const Rect count{tile.x + tile.w * 3 / 4, tile.y, tile.w / 4 - pad, tile.h};
        label_wrapped(v.waiting[i].name_vi, name, false, kWhite, 0.7);
        label(v.english ? "người đang chờ · waiting" : "người đang chờ", caption, false, kMuted, Align::left, 0.6);
        label(std::to_string(v.waiting[i].waiting), count, true, kNumber, Align::right, 0.6);
    }
}

void Painter::ticker(const BoardView& v, const Layout& l, int64_t now_ms) {
    if (l.ticker.h <= 0) return;
    fill(l.ticker, kTickerBg);
    if (v.status.skipped_calls) {
        label(v.english ? "Một số lượt gọi chưa kịp đọc — xin xem bảng · Some calls were not read aloud — please watch the screen"
                        : "Một số lượt gọi chưa kịp đọc — xin xem bảng",
              l.ticker, true, kTickerText, Align::center, 0.6);
        return;
    }
    if (v.ticker.empty()) return;
    const int px = std::max(6, l.ticker.h * 6 / 10);
    std::vector<const Text*> parts;
    int total = 0;
    for (const auto& piece : pieces(v.ticker, 200)) {
        parts.push_back(&text(piece, px, false, kTickerText));
        total += parts.back()->w;
    }
    const int gap = l.window.w / 3;
    const int speed = ticker_speed_ * l.window.h / 1080;
    int x = l.margin;
    if (speed > 0 && total > l.ticker.w - 2 * l.margin)
        x = l.window.w - static_cast<int>((now_ms * speed / 1000) % (total + gap + l.window.w));
    SDL_Rect clip{l.ticker.x, l.ticker.y, l.ticker.w, l.ticker.h};
    SDL_RenderSetClipRect(renderer_, &clip);
    for (const Text* t : parts) {
        if (t->texture && x + t->w > 0 && x < l.window.w) {
            SDL_Rect dst{x, l.ticker.y + (l.ticker.h - t->h) / 2, t->w, t->h};
            SDL_RenderCopy(renderer_, t->texture, nullptr, &dst);
        }
        x += t->w;
    }
    SDL_RenderSetClipRect(renderer_, nullptr);
}

void Painter::marks(const BoardView& v, const Layout& l) {
    if (!v.status.offline) return;
    const int dot = l.mark.h / 2;
    fill({l.mark.x + l.mark.w - dot, l.mark.y + (l.mark.h - dot) / 2, dot, dot}, kAmber);
    const Rect words{l.mark.x, l.mark.y, l.mark.w - dot * 2, l.mark.h};
    label(v.english ? "Đang kết nối lại… · Reconnecting…" : "Đang kết nối lại…", words, false, kAmber, Align::right, 0.8);
}

// The QR is made once for its text and size (a new snapshot with another URL, or
// a resized window, makes it again) and copied 1:1: no scaling, crisp modules.
void Painter::phone_qr(const BoardView& v, const Layout& l) {
    if (v.qr.empty() || l.qr.w <= 0) return;
    if (qr_text_ != v.qr || qr_side_ != l.qr.w) make_qr(v.qr, l.qr.w);
    if (qr_) {
        SDL_Rect dst{l.qr.x, l.qr.y, l.qr.w, l.qr.h};
        SDL_RenderCopy(renderer_, qr_, nullptr, &dst);
    }
    if (l.qr_caption.w > 0 && l.qr_caption.h > 0) qr_caption(v, l.qr_caption, l.margin);
}

// Black modules of a whole number of pixels on white, the quiet zone (at least
// four modules) inside the square.
void Painter::make_qr(const std::string& text, int side) {
    if (qr_) SDL_DestroyTexture(qr_);
    qr_ = nullptr;
    qr_text_ = text;
    qr_side_ = side;
    const auto code = encode_qr(text);
    const int px = code ? qr_module_px(side, code->size) : 0;
    if (px == 0) {
        log_("the phone QR for " + text + (code ? " does not fit " + std::to_string(side) + " px" : " cannot be encoded") +
             ": none shown");
        return;
    }
    SDL_Surface* s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_RGB888);
    if (!s) return;
    SDL_FillRect(s, nullptr, SDL_MapRGB(s->format, 255, 255, 255));
    const Uint32 black = SDL_MapRGB(s->format, 0, 0, 0);
    const int offset = (side - px * code->size) / 2;
    for (int y = 0; y < code->size; ++y)
        for (int x = 0; x < code->size; ++x)
            if (code->at(x, y)) {
                SDL_Rect r{offset + x * px, offset + y * px, px, px};
                SDL_FillRect(s, &r, black);
            }
    qr_ = SDL_CreateTextureFromSurface(renderer_, s);
    SDL_FreeSurface(s);
}

// "Quét để theo dõi / hàng chờ" on two lines of one size, the English smaller under it.
void Painter::qr_caption(const BoardView& v, const Rect& box, int pad) {
    fill(box, kPanel);
    const Rect inner{box.x + pad, box.y + pad, box.w - 2 * pad, box.h - 2 * pad};
    const std::vector<std::string> vi = {"Quét để theo dõi", "hàng chờ"};
    const std::string en = "Scan to follow the queue";
    const Rect line{inner.x, inner.y, inner.w, std::max(1, inner.h * 3 / 10)};
    const int px = std::min(fit(vi[0], line.h, true, line), fit(vi[1], line.h, true, line));
    std::vector<const Text*> lines = {&text(vi[0], px, true, kWhite), &text(vi[1], px, true, kWhite)};
    if (v.english) lines.push_back(&text(en, fit(en, px * 6 / 10, false, line), false, kMuted));
    int total = 0;
    for (const Text* t : lines) total += t->h;
    int y = inner.y + std::max(0, (inner.h - total) / 2);
    for (const Text* t : lines) {
        if (!t->texture) continue;
        SDL_Rect dst{inner.x + (inner.w - t->w) / 2, y, t->w, t->h};
        SDL_RenderCopy(renderer_, t->texture, nullptr, &dst);
        y += t->h;
    }
}

void Painter::sweep() {
    constexpr uint64_t kKeepFrames = 600;
    constexpr size_t kBudgetBytes = 24u << 20;
    const uint64_t keep = text_bytes_ > kBudgetBytes ? 0 : kKeepFrames;
    for (auto it = texts_.begin(); it != texts_.end();) {
        if (frame_ - it->second.used > keep) {
            text_bytes_ -= it->second.bytes();
            SDL_DestroyTexture(it->second.texture);
            it = texts_.erase(it);
        } else {
            ++it;
        }
    }
}

bool save_screenshot(SDL_Renderer* renderer, const std::filesystem::path& file, std::string& error) {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer, &w, &h);
    SDL_Surface* s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    bool ok = s && SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGB888, s->pixels, s->pitch) == 0 &&
              IMG_SavePNG(s, file.c_str()) == 0;
    if (!ok) error = SDL_GetError();
    if (s) SDL_FreeSurface(s);
    return ok;
}

}  // namespace display
