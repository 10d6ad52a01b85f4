// qr: the modules of a QR code from libqrencode (error correction M, the
// smallest version that holds the text), and the same as an SVG picture — the
// hall display paints the modules itself (phone queue QR, issue 20), the
// server hands a booking's QR to the phone page as SVG (issue 21).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace common {

struct QrModules {
    int size = 0;                // modules a side, without the quiet zone
    std::vector<uint8_t> dark;   // size × size, row by row; 1 = dark
    bool at(int x, int y) const { return dark[static_cast<size_t>(y) * static_cast<size_t>(size) + static_cast<size_t>(x)] != 0; }
};

// Nothing when libqrencode cannot encode the text (too long).
std::optional<QrModules> encode_qr(const std::string& text);

// An SVG of the modules with the quiet zone of 4 modules each side, one path
// of unit squares: scales to any size and stays crisp.
std::string qr_svg(const QrModules& code);

}  // namespace common
