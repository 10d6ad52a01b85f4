// qr: text → QR modules with libqrencode, and modules → SVG (see qr.hpp).
#include "common/qr.hpp"

#include <qrencode.h>

#include <memory>

namespace common {

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

std::string qr_svg(const QrModules& code) {
    const std::string side = std::to_string(code.size + 8);
    std::string path;
    for (int y = 0; y < code.size; ++y)
        for (int x = 0; x < code.size; ++x)
            if (code.at(x, y)) path += "M" + std::to_string(x + 4) + " " + std::to_string(y + 4) + "h1v1h-1z";
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + " " + side +
           "\" shape-rendering=\"crispEdges\"><rect width=\"" + side + "\" height=\"" + side + "\" fill=\"#fff\"/><path d=\"" +
           path + "\" fill=\"#000\"/></svg>";
}

}  // namespace common
