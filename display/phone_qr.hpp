// phone_qr: the modules of the QR that a hall display shows for the phone's
// queue page ({public_url}/m/q), from libqrencode (as the printed tickets' QR).
//
// Pure and small: the painter turns the modules into a texture at a whole number
// of pixels a module, so every module is a crisp square on any board.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace display {

struct QrModules {
    int size = 0;                // modules a side, without the quiet zone
    std::vector<uint8_t> dark;   // size × size, row by row; 1 = dark
    bool at(int x, int y) const { return dark[static_cast<size_t>(y) * static_cast<size_t>(size) + static_cast<size_t>(x)] != 0; }
};

// Error correction M, the smallest version that holds the text; nothing when
// libqrencode cannot encode it (too long).
std::optional<QrModules> encode_qr(const std::string& text);

// The modules' pixel size that fits a code and a quiet zone of 4 modules each
// side into `side` pixels (0: it does not fit).
inline int qr_module_px(int side, int modules) { return modules > 0 ? side / (modules + 8) : 0; }

}  // namespace display
