// canvas: boxes, fitted and wrapped text, QR codes (see canvas.hpp).
#include "kiosk/canvas.hpp"

#include <algorithm>
#include <stdexcept>

#include "drivers/errors.hpp"
#include "drivers/images.hpp"

namespace kiosk {

namespace {

const std::filesystem::path kDefaultRegular = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
const std::filesystem::path kDefaultBold = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";

uint32_t rgba(SDL_Color c) { return (uint32_t{c.r} << 24) | (uint32_t{c.g} << 16) | (uint32_t{c.b} << 8) | c.a; }


int stepped(int px) { return Canvas::stepped_size(px); }

bool font_opens(const std::filesystem::path& path) {
    TTF_Font* probe = TTF_OpenFont(path.c_str(), 12);
    if (probe) TTF_CloseFont(probe);
    return probe != nullptr;
}

}  // namespace

// Sizes in steps, so a shrinking label reuses a font already open.
int Canvas::stepped_size(int px) { return px <= 24 ? std::max(8, px) : px - px % 4; }

Canvas::Canvas(SDL_Renderer* renderer, std::filesystem::path regular, std::filesystem::path bold, Log log)
    : renderer_(renderer), regular_(std::move(regular)), bold_(std::move(bold)), log_(std::move(log)) {
    if (!TTF_WasInit() && TTF_Init() != 0) throw std::runtime_error(std::string("SDL_ttf: ") + TTF_GetError());
    for (auto* path : {&regular_, &bold_}) {
        if (font_opens(*path)) continue;
        const auto fallback = path == &regular_ ? kDefaultRegular : kDefaultBold;
        log_("font " + path->string() + " cannot be opened: using " + fallback.string());
        *path = fallback;
        if (!font_opens(*path)) throw std::runtime_error("no font: " + path->string() + " cannot be opened (install fonts-noto-core)");
    }
}

Canvas::~Canvas() {
    for (auto& [key, t] : texts_) SDL_DestroyTexture(t.texture);
    for (auto& [key, f] : fonts_) TTF_CloseFont(f);
}

TTF_Font* Canvas::font(int px, bool bold) {
    auto& f = fonts_[{px, bold}];
    if (!f) f = TTF_OpenFont((bold ? bold_ : regular_).c_str(), px);
    return f;
}

const Canvas::Text& Canvas::texture(const std::string& s, int px, bool bold, SDL_Color c) {
    Text& t = texts_[{s, px, bold, rgba(c)}];
    t.used = frame_;
    if (t.texture || s.empty()) return t;
    TTF_Font* f = font(px, bold);
    SDL_Surface* surface = f ? TTF_RenderUTF8_Blended(f, s.c_str(), c) : nullptr;
    if (!surface) return t;
    t.texture = SDL_CreateTextureFromSurface(renderer_, surface);
    t.w = surface->w;
    t.h = surface->h;
    text_bytes_ += t.bytes();
    SDL_FreeSurface(surface);
    return t;
}

int Canvas::width_of(const std::string& s, int px, bool bold) {
    auto [it, fresh] = widths_.try_emplace({s, px, bold}, 0);
    if (fresh) {
        int w = 0, h = 0;
        TTF_Font* f = font(px, bold);
        if (f && TTF_SizeUTF8(f, s.c_str(), &w, &h) == 0) it->second = w;
    }
    return it->second;
}

int Canvas::line_height(int px, bool bold) {
    TTF_Font* f = font(stepped(px), bold);
    return f ? TTF_FontLineSkip(f) : px;
}

void Canvas::end_frame() {
    constexpr uint64_t kKeepFrames = 300;
    constexpr size_t kBudgetBytes = 16u << 20;
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
    if (widths_.size() > 20'000) widths_.clear();
}

void Canvas::fill(const Box& b, SDL_Color c) {
    SDL_SetRenderDrawColor(renderer_, c.r, c.g, c.b, c.a);
    const SDL_Rect r{b.x, b.y, b.w, b.h};
    SDL_RenderFillRect(renderer_, &r);
}

void Canvas::outline(const Box& b, SDL_Color c, int t) {
    fill({b.x, b.y, b.w, t}, c);
    fill({b.x, b.y + b.h - t, b.w, t}, c);
    fill({b.x, b.y, t, b.h}, c);
    fill({b.x + b.w - t, b.y, t, b.h}, c);
}

void Canvas::text(const std::string& s, const Box& b, int px, bool bold, SDL_Color c, Align align) {
    if (s.empty() || b.w <= 0 || b.h <= 0) return;
    int size = stepped(std::min(px, b.h));
    for (int tries = 0; tries < 6; ++tries) {
        const int w = width_of(s, size, bold);
        if (w <= b.w || size <= 8) break;
        size = stepped(std::max(8, size * b.w / w));
    }
    const Text& t = texture(s, size, bold, c);
    if (!t.texture) return;
    const int x = align == Align::left ? b.x : align == Align::center ? b.x + (b.w - t.w) / 2 : b.x + b.w - t.w;
    const SDL_Rect dst{x, b.y + (b.h - t.h) / 2, t.w, t.h};
    const SDL_Rect clip{b.x, b.y - t.h, b.w, b.h + 2 * t.h};
    SDL_RenderSetClipRect(renderer_, &clip);
    SDL_RenderCopy(renderer_, t.texture, nullptr, &dst);
    SDL_RenderSetClipRect(renderer_, nullptr);
}

// Greedy, at spaces; a word wider than the line is left to be shrunk by text().
// Measured at the size text() draws (the stepped one), so lines are as full as they can be.
std::vector<std::string> Canvas::wrap(const std::string& s, int width, int px, bool bold) {
    px = stepped(px);
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= s.size()) {
        const size_t newline = s.find('\n', start);
        const std::string para = s.substr(start, newline == std::string::npos ? std::string::npos : newline - start);
        std::string line;
        size_t at = 0;
        while (at < para.size()) {
            size_t space = para.find(' ', at);
            if (space == std::string::npos) space = para.size();
            const std::string word = para.substr(at, space - at);
            const std::string candidate = line.empty() ? word : line + " " + word;
            if (!line.empty() && width_of(candidate, px, bold) > width) {
                lines.push_back(line);
                line = word;
            } else {
                line = candidate;
            }
            at = space + 1;
        }
        lines.push_back(line);
        if (newline == std::string::npos) break;
        start = newline + 1;
    }
    return lines;
}

int Canvas::paragraph_height(const std::string& s, int width, int px, bool bold) {
    if (s.empty()) return 0;
    return static_cast<int>(wrap(s, width, px, bold).size()) * line_height(px, bold);
}

int Canvas::paragraph(const std::string& s, const Box& b, int px, bool bold, SDL_Color c, Align align) {
    if (s.empty()) return 0;
    const auto lines = wrap(s, b.w, px, bold);
    const int lh = line_height(px, bold);
    const int fit = std::max(1, b.h / std::max(1, lh));
    const size_t shown = std::min(lines.size(), static_cast<size_t>(fit));
    for (size_t i = 0; i < shown; ++i) {
        std::string line = lines[i];
        if (i + 1 == shown && shown < lines.size()) line += " …";
        text(line, {b.x, b.y + static_cast<int>(i) * lh, b.w, lh}, px, bold, c, align);
    }
    return static_cast<int>(shown) * lh;
}

void Canvas::qr(const std::string& data, const Box& b) {
    drivers::Bitmap code;
    try {
        code = drivers::qr_code(data, 1);
    } catch (const drivers::LayoutError& e) {
        log_(std::string("QR: ") + e.what());
        return;
    }
    const int side = std::min(b.w, b.h);
    const int module = std::max(1, side / std::max(1, code.width()));
    const int size = module * code.width();
    const int x0 = b.x + (b.w - size) / 2, y0 = b.y + (b.h - size) / 2;
    fill({x0, y0, size, size}, {255, 255, 255, 255});
    SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 255);
    for (int y = 0; y < code.height(); ++y)
        for (int x = 0; x < code.width(); ++x)
            if (code.get(x, y)) {
                const SDL_Rect r{x0 + x * module, y0 + y * module, module, module};
                SDL_RenderFillRect(renderer_, &r);
            }
}

}  // namespace kiosk
