// bitmap: a 1-bit raster in the shape a thermal printer burns it.
//
// Why this shape: ESC/POS `GS v 0` takes rows of packed bits, most significant
// bit = leftmost dot, 1 = black. Keeping the raster exactly so makes encoding a
// copy, and lets the test decoder compare printer bytes with the image bit for bit.
#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

namespace drivers {

class Bitmap {
public:
    Bitmap() = default;
    Bitmap(int width, int height);

    int width() const { return width_; }
    int height() const { return height_; }
    int stride() const { return (width_ + 7) / 8; }
    bool empty() const { return width_ == 0 || height_ == 0; }

    bool get(int x, int y) const;
    void set(int x, int y, bool black = true);
    void fill_rect(int x, int y, int w, int h);

    // Copies the black dots of `src` with its top-left corner at (x, y); clipped.
    void draw(const Bitmap& src, int x, int y);
    // Adds `rows` white rows at the bottom.
    void grow(int rows);
    // The rows [top, top + rows) as a new bitmap.
    Bitmap slice(int top, int rows) const;

    const uint8_t* row(int y) const { return bits_.data() + static_cast<size_t>(y) * stride(); }
    uint8_t* row(int y) { return bits_.data() + static_cast<size_t>(y) * stride(); }
    const std::vector<uint8_t>& bits() const { return bits_; }

    // Ink extent: first and last rows holding a black dot (-1 when blank).
    int first_ink_row() const;
    int last_ink_row() const;
    int first_ink_column() const;
    int last_ink_column() const;
    size_t black_dots() const;

    bool operator==(const Bitmap&) const = default;

private:
    void draw_clipped(const Bitmap& src, int x, int y);

    int width_ = 0;
    int height_ = 0;
    std::vector<uint8_t> bits_;
};

// PNG files through SDL2_image: black/white, one pixel a dot.
void save_png(const Bitmap& bitmap, const std::filesystem::path& path);
// Loads any PNG and thresholds it at half grey; throws drivers::LayoutError.
Bitmap load_png(const std::filesystem::path& path);

}  // namespace drivers
