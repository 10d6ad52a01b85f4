// phone_qr: the QR that a hall display shows for the phone's queue page
// ({public_url}/m/q): its modules from common/qr (libqrencode, as the printed tickets' QR).
//
// Pure and small: the painter turns the modules into a texture at a whole number
// of pixels a module, so every module is a crisp square on any board.
#pragma once
#include "common/qr.hpp"

namespace display {

using common::encode_qr;
using common::QrModules;

// The modules' pixel size that fits a code and a quiet zone of 4 modules each
// side into `side` pixels (0: it does not fit).
inline int qr_module_px(int side, int modules) { return modules > 0 ? side / (modules + 8) : 0; }

}  // namespace display
