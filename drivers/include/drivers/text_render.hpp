// text_render: Vietnamese text to 1-bit lines with SDL2_ttf and Noto Sans.
//
// Why SDL2_ttf: it is what the kiosk and display already use for the screen, so
// paper and screen show the same letter shapes; FreeType's hinting keeps small
// print crisp at 203 dpi. Text is NFC-normalised first so that a decomposed
// "ậ" (a + combining marks) draws as the font's single precomposed glyph, marks
// stacked by the type designer rather than guessed by the renderer.
#pragma once
#include <SDL2/SDL_ttf.h>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "drivers/bitmap.hpp"

namespace drivers {

struct FontFiles {
    std::filesystem::path regular = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
    std::filesystem::path bold = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";
};

// Not thread-safe: one renderer per printing thread (it caches fonts and drawn lines).
class TextRenderer {
public:
    // Throws LayoutError naming the file when a font is missing or unreadable.
    explicit TextRenderer(FontFiles files = {});
    ~TextRenderer();
    TextRenderer(const TextRenderer&) = delete;
    TextRenderer& operator=(const TextRenderer&) = delete;

    // One line of text, `px` pixels per em; the bitmap is line_height() tall: the
    // font's ascent + descent and a little room on top, so stacked marks above
    // capitals (Ẫ, Ừ) are never clipped and never touch the line above.
    Bitmap render(std::string_view text, int px, bool bold) const;
    int width(std::string_view text, int px, bool bold) const;
    int line_height(int px, bool bold) const;

    // Greedy word wrap to `max_width`; a word longer than a line is broken
    // between letters; '\n' forces a break. Input must be valid UTF-8.
    std::vector<std::string> wrap(std::string_view text, int px, bool bold, int max_width) const;
    // At most `max_lines` lines; the last one ends in "…" when text was cut.
    std::vector<std::string> wrap_at_most(std::string_view text, int px, bool bold, int max_width,
                                          size_t max_lines) const;

private:
    using LineKey = std::tuple<std::string, int, bool>;
    static int top_padding(int px);
    Bitmap draw(std::string_view text, int px, bool bold) const;
    TTF_Font* font(int px, bool bold) const;
    std::vector<std::string> wrap_paragraph(const std::string& text, TTF_Font* f, int max_width) const;

    FontFiles files_;
    mutable std::map<std::pair<int, bool>, TTF_Font*> fonts_;
    mutable std::map<LineKey, Bitmap> lines_;
};

// NFC form of `text`; throws LayoutError("<what> is not valid UTF-8").
std::string checked_nfc(std::string_view text, std::string_view what);

}  // namespace drivers
