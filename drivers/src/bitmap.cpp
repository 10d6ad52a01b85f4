// bitmap: the 1-bit raster and its PNG form (see bitmap.hpp).
#include "drivers/bitmap.hpp"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>

#include <algorithm>
#include <bit>
#include <memory>

#include "drivers/errors.hpp"

namespace drivers {

Bitmap::Bitmap(int width, int height)
    : width_(std::max(width, 0)), height_(std::max(height, 0)),
      bits_(static_cast<size_t>(stride()) * static_cast<size_t>(height_), 0) {}

bool Bitmap::get(int x, int y) const {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return false;
    return (row(y)[x / 8] >> (7 - x % 8)) & 1;
}

void Bitmap::set(int x, int y, bool black) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
    const auto mask = static_cast<uint8_t>(0x80 >> (x % 8));
    if (black)
        row(y)[x / 8] |= mask;
    else
        row(y)[x / 8] &= static_cast<uint8_t>(~mask);
}

void Bitmap::fill_rect(int x, int y, int w, int h) {
    for (int yy = std::max(y, 0); yy < std::min(y + h, height_); ++yy)
        for (int xx = std::max(x, 0); xx < std::min(x + w, width_); ++xx) set(xx, yy);
}

// ORs whole bytes, shifted into place: drawing text lines is most of a ticket's
// drawing time, and bit-by-bit copying was a third of it. Bits past a bitmap's
// width are always 0, so they can be ORed along.
void Bitmap::draw(const Bitmap& src, int x, int y) {
    if (x < 0 || x + src.width() > width_) return draw_clipped(src, x, y);
    const int shift = x % 8;
    for (int sy = std::max(0, -y); sy < src.height() && y + sy < height_; ++sy) {
        const uint8_t* from = src.row(sy);
        uint8_t* to = row(y + sy) + x / 8;
        const int last = stride() - x / 8;  // bytes left in the destination row
        for (int i = 0; i < src.stride(); ++i) {
            to[i] |= static_cast<uint8_t>(from[i] >> shift);
            if (shift && i + 1 < last) to[i + 1] |= static_cast<uint8_t>(from[i] << (8 - shift));
        }
    }
}

void Bitmap::draw_clipped(const Bitmap& src, int x, int y) {
    for (int sy = 0; sy < src.height(); ++sy) {
        const int ty = y + sy;
        if (ty < 0 || ty >= height_) continue;
        for (int sx = 0; sx < src.width(); ++sx)
            if (src.get(sx, sy)) set(x + sx, ty);
    }
}

void Bitmap::grow(int rows) {
    if (rows <= 0) return;
    height_ += rows;
    bits_.resize(static_cast<size_t>(stride()) * static_cast<size_t>(height_), 0);
}

Bitmap Bitmap::slice(int top, int rows) const {
    top = std::clamp(top, 0, height_);
    rows = std::clamp(rows, 0, height_ - top);
    Bitmap out(width_, rows);
    std::copy_n(row(top), static_cast<size_t>(rows) * stride(), out.bits_.begin());
    return out;
}

namespace {
bool row_has_ink(const Bitmap& b, int y) {
    const uint8_t* r = b.row(y);
    return std::any_of(r, r + b.stride(), [](uint8_t v) { return v != 0; });
}
bool column_has_ink(const Bitmap& b, int x) {
    for (int y = 0; y < b.height(); ++y)
        if (b.get(x, y)) return true;
    return false;
}
// The first index from `from` towards `to` (exclusive) where `has_ink` holds, or -1.
template <class HasInk>
int scan(int from, int to, HasInk has_ink) {
    const int step = from <= to ? 1 : -1;
    for (int i = from; i != to; i += step)
        if (has_ink(i)) return i;
    return -1;
}

}  // namespace

int Bitmap::first_ink_row() const { return scan(0, height_, [&](int y) { return row_has_ink(*this, y); }); }
int Bitmap::last_ink_row() const { return scan(height_ - 1, -1, [&](int y) { return row_has_ink(*this, y); }); }
int Bitmap::first_ink_column() const { return scan(0, width_, [&](int x) { return column_has_ink(*this, x); }); }
int Bitmap::last_ink_column() const {
    return scan(width_ - 1, -1, [&](int x) { return column_has_ink(*this, x); });
}

size_t Bitmap::black_dots() const {
    size_t n = 0;
    for (uint8_t v : bits_) n += static_cast<size_t>(std::popcount(v));
    return n;
}

namespace {
struct SurfaceFree {
    void operator()(SDL_Surface* s) const { SDL_FreeSurface(s); }
};
using SurfacePtr = std::unique_ptr<SDL_Surface, SurfaceFree>;
}  // namespace

// A two-colour palette image: a third of the data of RGB, so writing is quicker.
void save_png(const Bitmap& bitmap, const std::filesystem::path& path) {
    SurfacePtr surface(SDL_CreateRGBSurfaceWithFormat(0, std::max(bitmap.width(), 1),
                                                      std::max(bitmap.height(), 1), 8,
                                                      SDL_PIXELFORMAT_INDEX8));
    if (!surface) throw LayoutError(std::string("cannot allocate an image: ") + SDL_GetError());
    const SDL_Color colours[2] = {{255, 255, 255, 255}, {0, 0, 0, 255}};
    SDL_SetPaletteColors(surface->format->palette, colours, 0, 2);
    auto* pixels = static_cast<uint8_t*>(surface->pixels);
    for (int y = 0; y < surface->h; ++y) {
        uint8_t* line = pixels + y * surface->pitch;
        std::fill_n(line, surface->w, uint8_t{0});
        for (int x = 0; x < bitmap.width() && y < bitmap.height(); ++x) line[x] = bitmap.get(x, y);
    }
    if (IMG_SavePNG(surface.get(), path.c_str()) != 0)
        throw LayoutError("cannot write " + path.string() + ": " + IMG_GetError());
}

Bitmap load_png(const std::filesystem::path& path) {
    SurfacePtr loaded(IMG_Load(path.c_str()));
    if (!loaded) throw LayoutError("cannot read image " + path.string() + ": " + IMG_GetError());
    SurfacePtr rgb(SDL_ConvertSurfaceFormat(loaded.get(), SDL_PIXELFORMAT_RGB24, 0));
    if (!rgb) throw LayoutError("cannot convert image " + path.string() + ": " + SDL_GetError());
    Bitmap out(rgb->w, rgb->h);
    const auto* pixels = static_cast<const uint8_t*>(rgb->pixels);
    for (int y = 0; y < rgb->h; ++y)
        for (int x = 0; x < rgb->w; ++x) {
            const uint8_t* p = pixels + y * rgb->pitch + x * 3;
            if (p[0] + p[1] + p[2] < 3 * 128) out.set(x, y);
        }
    return out;
}

}  // namespace drivers
