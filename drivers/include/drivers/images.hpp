// images: pictures that go on paper besides text, a center's logo and the QR code.
//
// A logo is a colour picture; a thermal head burns dots or nothing. Photos and
// shaded emblems keep their look with Floyd–Steinberg error diffusion; flat
// line-art logos are sharper with a plain threshold. The center's config picks.
#pragma once
#include <filesystem>
#include <string_view>

#include "drivers/bitmap.hpp"

namespace drivers {

enum class LogoMode { dither, threshold };

// Loads any image SDL2_image reads (PNG, JPEG, BMP...), flattens transparency on
// white, scales it down to fit max_width × max_height (never up) and turns it
// into dots. Throws LayoutError when the file is missing or is not an image.
Bitmap load_logo(const std::filesystem::path& path, int max_width, int max_height, LogoMode mode);

// A QR code (libqrencode, error correction M) with `module_dots` dots per
// module and a two-module quiet zone. Throws LayoutError if the text is too long.
Bitmap qr_code(std::string_view text, int module_dots);

}  // namespace drivers
