// canvas: the kiosk's drawing primitives over an SDL renderer — boxes, text
// that fits its box or wraps into it, a QR code — with Noto Sans from SDL2_ttf.
//
// Why a cache of text textures: a kiosk screen is mostly the same words frame
// after frame (a key's letter, a service's name), and rendering glyphs is the
// costly part; copying a texture is not. A texture unused for a few hundred
// frames is dropped, and past a budget of pixels every text the last frame did
// not draw is dropped (each ticket's big number is new), so a day of tickets and
// searches does not grow the memory.
#pragma once
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace kiosk {

struct Box {
    int x = 0, y = 0, w = 0, h = 0;
    bool contains(int px, int py) const { return px >= x && py >= y && px < x + w && py < y + h; }
    Box inset(int d) const { return {x + d, y + d, w - 2 * d, h - 2 * d}; }
    Box top(int height) const { return {x, y, w, height}; }
    Box below(int height) const { return {x, y + height, w, h - height}; }  // what is left under top(height)
    Box left(int width) const { return {x, y, width, h}; }
    Box right_of(int width) const { return {x + width, y, w - width, h}; }
    int bottom() const { return y + h; }
    bool operator==(const Box&) const = default;
};

enum class Align { left, center, right };

class Canvas {
public:
    using Log = std::function<void(const std::string&)>;
    // Falls back to the default Noto fonts (with a log line); throws std::runtime_error when none opens.
    Canvas(SDL_Renderer* renderer, std::filesystem::path regular, std::filesystem::path bold, Log log);
    ~Canvas();
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;

    void begin_frame() { ++frame_; }
    void end_frame();  // drops what has not been used for a while

    void fill(const Box& b, SDL_Color c);
    void outline(const Box& b, SDL_Color c, int thickness);
    // One line, shrunk until it fits the box's width, centred vertically.
    void text(const std::string& s, const Box& b, int px, bool bold, SDL_Color c, Align align = Align::left);
    // Wrapped into the box's width from its top; lines past its bottom are cut
    // (the last shown ends in "…"). Returns the height drawn.
    int paragraph(const std::string& s, const Box& b, int px, bool bold, SDL_Color c, Align align = Align::left);
    // The height paragraph() would take in `width`.
    int paragraph_height(const std::string& s, int width, int px, bool bold);
    int line_height(int px, bool bold);
    // The width of one line as text() draws it when it fits (not shrunk).
    int text_width(const std::string& s, int px, bool bold) { return width_of(s, stepped_size(px), bold); }
    static int stepped_size(int px);
    // A QR code, as large as fits the box, black on white with its quiet zone.
    void qr(const std::string& data, const Box& b);

private:
    struct Text {
        SDL_Texture* texture = nullptr;
        int w = 0, h = 0;
        uint64_t used = 0;
        size_t bytes() const { return static_cast<size_t>(w) * static_cast<size_t>(h) * 4; }
    };
    TTF_Font* font(int px, bool bold);
    const Text& texture(const std::string& s, int px, bool bold, SDL_Color c);
    std::vector<std::string> wrap(const std::string& s, int width, int px, bool bold);
    int width_of(const std::string& s, int px, bool bold);

    SDL_Renderer* renderer_;
    std::filesystem::path regular_, bold_;
    std::map<std::pair<int, bool>, TTF_Font*> fonts_;
    std::map<std::tuple<std::string, int, bool, uint32_t>, Text> texts_;
    std::map<std::tuple<std::string, int, bool>, int> widths_;
    uint64_t frame_ = 0;
    size_t text_bytes_ = 0;  // held by texts_
    Log log_;
};

}  // namespace kiosk
