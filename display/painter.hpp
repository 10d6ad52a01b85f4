// painter: draws a BoardView into an SDL window with SDL2_ttf and Noto Sans.
//
// Why a cache of text textures: an idle board redraws only its clock once a
// minute, and a busy one mostly the same service names and numbers; rendering
// glyphs is the costly part, copying a texture is not. A texture unused for a
// while is dropped, and beyond a budget of pixels every text the last frame did
// not use is dropped, so a long day of new numbers does not grow the memory.
// Text is fitted to its box: the font shrinks before anything is clipped.
#pragma once
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "display/board.hpp"
#include "display/layout.hpp"

namespace display {

enum class Align { left, center, right };

class Painter {
public:
    using Log = std::function<void(const std::string&)>;
    // Falls back to the default Noto fonts (with a log line) when a configured
    // font cannot be opened; throws std::runtime_error when none can.
    Painter(SDL_Renderer* renderer, const DisplayConfig& config, Log log);
    ~Painter();
    Painter(const Painter&) = delete;
    Painter& operator=(const Painter&) = delete;

    // One whole frame; `now_ms` moves the ticker.
    void draw(const BoardView& view, const Layout& layout, int64_t now_ms);
    // Only the ticker band, over the last whole frame (nothing else moved).
    void draw_ticker(const BoardView& view, const Layout& layout, int64_t now_ms) { ticker(view, layout, now_ms); }

private:
    struct Text {
        SDL_Texture* texture = nullptr;
        int w = 0, h = 0;
        uint64_t used = 0;
        size_t bytes() const { return static_cast<size_t>(w) * static_cast<size_t>(h) * 4; }
    };
    using Key = std::tuple<std::string, int, bool, uint32_t>;

    TTF_Font* font(int px, bool bold);
    const Text& text(const std::string& s, int px, bool bold, SDL_Color color);
    // Largest size ≤ max_px (and ≤ the box's height) at which `s` fits the box's width.
    int fit(const std::string& s, int max_px, bool bold, const Rect& box);
    // Returns the width drawn (0 when nothing was).
    int label(const std::string& s, const Rect& box, bool bold, SDL_Color color, Align align, double height_share = 0.8);
    // As label(), but a text that would shrink below 60% is set on two lines.
    void label_wrapped(const std::string& s, const Rect& box, bool bold, SDL_Color color, double height_share);
    void fill(const Rect& r, SDL_Color c);
    // A mark on a call: dark text on an amber pill as wide as its text, in `box`.
    void badge(const std::string& s, const Rect& box, Align align);

    void header(const BoardView& v, const Layout& l);
    void newest(const BoardView& v, const Layout& l);
    void counter_board(const BoardView& v, const Layout& l);
    void calls(const BoardView& v, const Layout& l);
    void waiting(const BoardView& v, const Layout& l);
    void ticker(const BoardView& v, const Layout& l, int64_t now_ms);
    void marks(const BoardView& v, const Layout& l);
    void phone_qr(const BoardView& v, const Layout& l);
    void make_qr(const std::string& text, int side);
    void qr_caption(const BoardView& v, const Rect& box, int pad);
    void sweep();

    SDL_Renderer* renderer_;
    std::filesystem::path regular_, bold_;
    int ticker_speed_;
    SDL_Texture* logo_ = nullptr;
    SDL_Texture* qr_ = nullptr;  // the phone QR for qr_text_ at qr_side_ pixels
    std::string qr_text_;
    int qr_side_ = 0;
    std::map<std::pair<int, bool>, TTF_Font*> fonts_;
    std::map<Key, Text> texts_;
    uint64_t frame_ = 0;
    size_t text_bytes_ = 0;  // pixels held by texts_
    Log log_;
};

// The window's pixels as a PNG (SDL_RenderReadPixels); false with SDL's reason logged.
bool save_screenshot(SDL_Renderer* renderer, const std::filesystem::path& file, std::string& error);

}  // namespace display
