// images: logo scaling and dithering, QR codes (see images.hpp).
#include "drivers/images.hpp"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <qrencode.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "drivers/errors.hpp"

namespace drivers {

namespace {

struct SurfaceFree {
    void operator()(SDL_Surface* s) const { SDL_FreeSurface(s); }
};
using SurfacePtr = std::unique_ptr<SDL_Surface, SurfaceFree>;

// Grey levels 0 (black) .. 255 (white), row-major.
struct Grey {
    int width = 0, height = 0;
    std::vector<float> v;
    float& at(int x, int y) { return v[static_cast<size_t>(y) * width + x]; }
};

Grey to_grey_on_white(SDL_Surface* rgba) {
    Grey g{rgba->w, rgba->h, std::vector<float>(static_cast<size_t>(rgba->w) * rgba->h)};
    const auto* px = static_cast<const uint8_t*>(rgba->pixels);
    for (int y = 0; y < rgba->h; ++y)
        for (int x = 0; x < rgba->w; ++x) {
            const uint8_t* p = px + y * rgba->pitch + x * 4;  // R G B A in memory (ABGR8888 LE)
            const float alpha = p[3] / 255.0f;
            const float lum = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
            g.at(x, y) = lum * alpha + 255.0f * (1.0f - alpha);
        }
    return g;
}

// Area-average downscale: each target dot is the mean of the source pixels it covers.
Grey shrink(Grey& src, int w, int h) {
    Grey out{w, h, std::vector<float>(static_cast<size_t>(w) * h, 0.0f)};
    for (int y = 0; y < h; ++y) {
        const int y0 = y * src.height / h, y1 = std::max(y0 + 1, (y + 1) * src.height / h);
        for (int x = 0; x < w; ++x) {
            const int x0 = x * src.width / w, x1 = std::max(x0 + 1, (x + 1) * src.width / w);
            float sum = 0;
            for (int sy = y0; sy < y1; ++sy)
                for (int sx = x0; sx < x1; ++sx) sum += src.at(sx, sy);
            out.at(x, y) = sum / static_cast<float>((y1 - y0) * (x1 - x0));
        }
    }
    return out;
}

Bitmap to_dots(Grey g, LogoMode mode) {
    Bitmap out(g.width, g.height);
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x) {
            const float old = g.at(x, y);
            const bool black = old < 128.0f;
            if (black) out.set(x, y);
            if (mode != LogoMode::dither) continue;
            const float err = old - (black ? 0.0f : 255.0f);
            if (x + 1 < g.width) g.at(x + 1, y) += err * 7 / 16;
            if (y + 1 < g.height) {
                if (x > 0) g.at(x - 1, y + 1) += err * 3 / 16;
                g.at(x, y + 1) += err * 5 / 16;
                if (x + 1 < g.width) g.at(x + 1, y + 1) += err * 1 / 16;
            }
        }
    return out;
}

}  // namespace

Bitmap load_logo(const std::filesystem::path& path, int max_width, int max_height, LogoMode mode) {
    if (!std::filesystem::is_regular_file(path)) throw LayoutError("logo file not found: " + path.string());
    SurfacePtr loaded(IMG_Load(path.c_str()));
    if (!loaded) throw LayoutError("logo " + path.string() + " is not an image: " + IMG_GetError());
    SurfacePtr rgba(SDL_ConvertSurfaceFormat(loaded.get(), SDL_PIXELFORMAT_ABGR8888, 0));
    if (!rgba || rgba->w <= 0 || rgba->h <= 0) throw LayoutError("logo " + path.string() + " is empty");
    Grey grey = to_grey_on_white(rgba.get());
    const double scale = std::min({1.0, static_cast<double>(max_width) / grey.width,
                                   static_cast<double>(max_height) / grey.height});
    const int w = std::max(1, static_cast<int>(grey.width * scale));
    const int h = std::max(1, static_cast<int>(grey.height * scale));
    return to_dots(scale < 1.0 ? shrink(grey, w, h) : std::move(grey), mode);
}

Bitmap qr_code(std::string_view text, int module_dots) {
    const std::string data(text);
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code) throw LayoutError("QR code text is too long (" + std::to_string(data.size()) + " bytes)");
    const int quiet = 2, n = code->width;
    Bitmap out((n + 2 * quiet) * module_dots, (n + 2 * quiet) * module_dots);
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            if (code->data[y * n + x] & 1)
                out.fill_rect((x + quiet) * module_dots, (y + quiet) * module_dots, module_dots, module_dots);
    return out;
}

}  // namespace drivers
