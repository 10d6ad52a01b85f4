// text_render: SDL2_ttf glyphs thresholded to dots, and word wrap (see text_render.hpp).
#include "drivers/text_render.hpp"

#include <memory>
#include <sstream>

#include "common/text.hpp"
#include "drivers/errors.hpp"

namespace drivers {

namespace {

struct SurfaceFree {
    void operator()(SDL_Surface* s) const { SDL_FreeSurface(s); }
};

// A shaded glyph run uses a 256-entry palette from white to black; a dot is
// burnt where the palette colour is darker than half grey.
Bitmap threshold(SDL_Surface* s) {
    Bitmap out(s->w, s->h);
    const SDL_Palette* palette = s->format->palette;
    const auto* pixels = static_cast<const uint8_t*>(s->pixels);
    for (int y = 0; y < s->h; ++y)
        for (int x = 0; x < s->w; ++x) {
            const SDL_Color c = palette->colors[pixels[y * s->pitch + x]];
            if (c.r + c.g + c.b < 3 * 128) out.set(x, y);
        }
    return out;
}

// Byte offset after the first `count` code points of UTF-8 text.
size_t code_point_offset(std::string_view s, int count) {
    size_t i = 0;
    while (i < s.size() && count > 0) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
        --count;
    }
    return i;
}

int text_width(TTF_Font* f, const std::string& text) {
    int w = 0, h = 0;
    if (text.empty() || TTF_SizeUTF8(f, text.c_str(), &w, &h) != 0) return 0;
    return w;
}

}  // namespace

std::string checked_nfc(std::string_view text, std::string_view what) {
    auto nfc = common::to_nfc(text);
    if (!nfc) throw LayoutError(std::string(what) + " is not valid UTF-8");
    return *nfc;
}

TextRenderer::TextRenderer(FontFiles files) : files_(std::move(files)) {
    if (TTF_Init() != 0) throw LayoutError(std::string("cannot start SDL_ttf: ") + TTF_GetError());
    for (const auto& path : {files_.regular, files_.bold})
        if (!std::filesystem::is_regular_file(path)) {
            TTF_Quit();
            throw LayoutError("font file not found: " + path.string() +
                              " (install fonts-noto-core or set the font path)");
        }
    try {
        font(24, false);
        font(24, true);
    } catch (...) {
        TTF_Quit();
        throw;
    }
}

TextRenderer::~TextRenderer() {
    for (auto& [key, f] : fonts_) TTF_CloseFont(f);
    TTF_Quit();
}

TTF_Font* TextRenderer::font(int px, bool bold) const {
    auto it = fonts_.find({px, bold});
    if (it != fonts_.end()) return it->second;
    const auto& path = bold ? files_.bold : files_.regular;
    TTF_Font* f = TTF_OpenFont(path.c_str(), px);
    if (!f) throw LayoutError("cannot open font " + path.string() + ": " + TTF_GetError());
    fonts_.emplace(std::pair{px, bold}, f);
    return f;
}

// Noto's tallest stacked marks (Ẫ, Ỗ) reach exactly the font's ascent, so
// SDL_ttf draws them on the line's first row; a few blank rows on top keep them
// clear of the line above and of the paper edge.
int TextRenderer::top_padding(int px) { return std::max(1, px / 12); }

int TextRenderer::line_height(int px, bool bold) const {
    return TTF_FontHeight(font(px, bold)) + top_padding(px);
}

int TextRenderer::width(std::string_view text, int px, bool bold) const {
    return text_width(font(px, bold), checked_nfc(text, "text"));
}

// Most of a ticket's lines are the same on every ticket (center name, labels,
// footer), so drawn lines are kept; the cache is emptied when it grows past a
// bound, which costs one slower ticket and keeps memory flat.
Bitmap TextRenderer::render(std::string_view text, int px, bool bold) const {
    const LineKey key{std::string(text), px, bold};
    if (auto it = lines_.find(key); it != lines_.end()) return it->second;
    if (lines_.size() >= 512) lines_.clear();
    return lines_.emplace(key, draw(text, px, bold)).first->second;
}

Bitmap TextRenderer::draw(std::string_view text, int px, bool bold) const {
    TTF_Font* f = font(px, bold);
    const std::string nfc = checked_nfc(text, "text");
    if (nfc.empty()) return Bitmap(0, line_height(px, bold));
    std::unique_ptr<SDL_Surface, SurfaceFree> s(
        TTF_RenderUTF8_Shaded(f, nfc.c_str(), SDL_Color{0, 0, 0, 255}, SDL_Color{255, 255, 255, 255}));
    if (!s) throw LayoutError(std::string("cannot draw text: ") + TTF_GetError());
    const Bitmap glyphs = threshold(s.get());
    Bitmap line(glyphs.width(), glyphs.height() + top_padding(px));
    line.draw(glyphs, 0, top_padding(px));
    return line;
}

std::vector<std::string> TextRenderer::wrap(std::string_view text, int px, bool bold,
                                            int max_width) const {
    TTF_Font* f = font(px, bold);
    std::vector<std::string> lines;
    std::istringstream paragraphs(checked_nfc(text, "text"));
    for (std::string paragraph; std::getline(paragraphs, paragraph);) {
        auto more = wrap_paragraph(paragraph, f, max_width);
        lines.insert(lines.end(), more.begin(), more.end());
    }
    return lines;
}

std::vector<std::string> TextRenderer::wrap_paragraph(const std::string& text, TTF_Font* f,
                                                      int max_width) const {
    std::vector<std::string> lines;
    std::string line;
    std::istringstream words(text);
    for (std::string word; words >> word;) {
        const std::string joined = line.empty() ? word : line + " " + word;
        if (text_width(f, joined) <= max_width) {
            line = joined;
            continue;
        }
        if (!line.empty()) lines.push_back(line);
        line = word;
        // A word wider than the paper (a long code, a URL) is cut between letters.
        while (text_width(f, line) > max_width) {
            int extent = 0, count = 0;
            TTF_MeasureUTF8(f, line.c_str(), max_width, &extent, &count);
            const size_t cut = code_point_offset(line, std::max(count, 1));
            lines.push_back(line.substr(0, cut));
            line.erase(0, cut);
        }
    }
    if (!line.empty() || lines.empty()) lines.push_back(line);
    return lines;
}

std::vector<std::string> TextRenderer::wrap_at_most(std::string_view text, int px, bool bold,
                                                     int max_width, size_t max_lines) const {
    auto lines = wrap(text, px, bold, max_width);
    if (lines.size() <= max_lines || max_lines == 0) return lines;
    lines.resize(max_lines);
    std::string& last = lines.back();
    TTF_Font* f = font(px, bold);
    while (!last.empty() && text_width(f, last + "…") > max_width) {
        size_t cut = last.size() - 1;
        while (cut > 0 && (static_cast<unsigned char>(last[cut]) & 0xC0) == 0x80) --cut;
        last.erase(cut);
    }
    while (!last.empty() && last.back() == ' ') last.pop_back();
    last += "…";
    return lines;
}

}  // namespace drivers
