// phone_qr: text → QR modules with libqrencode (see phone_qr.hpp).
#include "display/phone_qr.hpp"

#include <qrencode.h>

#include <memory>

namespace display {

std::optional<QrModules> encode_qr(const std::string& text) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M),
                                                         &QRcode_free);
    if (!code) return std::nullopt;
    QrModules out;
    out.size = code->width;
    out.dark.resize(static_cast<size_t>(code->width) * static_cast<size_t>(code->width));
    for (size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = code->data[i] & 1;  // bit 0: dark module
    return out;
}

}  // namespace display
