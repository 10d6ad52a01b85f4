// escpos: GS v 0 raster bands, feed, cut, and DLE EOT status bits (see escpos.hpp).
#include "drivers/escpos.hpp"

#include <algorithm>

namespace drivers {

namespace {

constexpr uint8_t ESC = 0x1B, GS = 0x1D, DLE = 0x10, EOT = 0x04;

void append_band(Bytes& out, const Bitmap& page, int top, int rows) {
    const int stride = page.stride();
    // GS v 0 m xL xH yL yH: m = 0 (normal size), x in bytes, y in dots.
    out.insert(out.end(), {GS, 'v', '0', 0, static_cast<uint8_t>(stride & 0xFF),
                           static_cast<uint8_t>(stride >> 8), static_cast<uint8_t>(rows & 0xFF),
                           static_cast<uint8_t>(rows >> 8)});
    out.insert(out.end(), page.row(top), page.row(top) + static_cast<size_t>(rows) * stride);
}

void append_tail(Bytes& out, const EscPosOptions& o) {
    if (o.feed_lines > 0) out.insert(out.end(), {ESC, 'd', static_cast<uint8_t>(std::min(o.feed_lines, 255))});
    if (o.cut == Cut::partial) out.insert(out.end(), {GS, 'V', 66, 0});
    if (o.cut == Cut::full) out.insert(out.end(), {GS, 'V', 65, 0});
    if (o.beep) out.insert(out.end(), {ESC, 'B', 2, 2});
    if (o.open_drawer) out.insert(out.end(), {ESC, 'p', 0, 25, 250});
}

bool is_status_byte(uint8_t b) { return (b & 0x93) == 0x12; }  // bits 1,4 set; 0,7 clear

}  // namespace

void encode_job(const std::vector<Bitmap>& pages, const EscPosOptions& options,
                const std::function<void(std::span<const uint8_t>)>& sink) {
    const int band = std::clamp(options.band_rows, 1, 2047);
    Bytes chunk{ESC, '@'};
    sink(chunk);
    for (const Bitmap& page : pages) {
        for (int top = 0; top < page.height(); top += band) {
            chunk.clear();
            append_band(chunk, page, top, std::min(band, page.height() - top));
            sink(chunk);
        }
        chunk.clear();
        append_tail(chunk, options);
        sink(chunk);
    }
}

Bytes encode_job(const std::vector<Bitmap>& pages, const EscPosOptions& options) {
    Bytes out;
    encode_job(pages, options, [&](std::span<const uint8_t> piece) { out.insert(out.end(), piece.begin(), piece.end()); });
    return out;
}

Bytes status_request(int n) { return {DLE, EOT, static_cast<uint8_t>(n)}; }

std::string to_string(PrinterState s) {
    switch (s) {
        case PrinterState::ready: return "ready";
        case PrinterState::paper_low: return "paper_low";
        case PrinterState::paper_out: return "paper_out";
        case PrinterState::cover_open: return "cover_open";
        case PrinterState::offline: return "offline";
        case PrinterState::error: return "error";
    }
    return "unknown";
}

std::optional<PrinterStatus> parse_status(std::optional<uint8_t> printer, std::optional<uint8_t> offline,
                                          std::optional<uint8_t> error, std::optional<uint8_t> paper) {
    for (auto b : {printer, offline, error, paper})
        if (b && !is_status_byte(*b)) return std::nullopt;
    auto bit = [](std::optional<uint8_t> b, uint8_t mask) { return b && (*b & mask); };
    if (bit(offline, 0x04)) return PrinterStatus{PrinterState::cover_open, "cover open"};
    if (bit(paper, 0x60) || bit(offline, 0x20)) return PrinterStatus{PrinterState::paper_out, "paper out"};
    if (bit(error, 0x08)) return PrinterStatus{PrinterState::error, "unrecoverable printer error"};
    if (bit(error, 0x04)) return PrinterStatus{PrinterState::error, "cutter error"};
    if (bit(offline, 0x40) || bit(error, 0x20)) return PrinterStatus{PrinterState::error, "printer error"};
    if (bit(printer, 0x08)) return PrinterStatus{PrinterState::offline, "printer offline"};
    if (bit(paper, 0x0C)) return PrinterStatus{PrinterState::paper_low, "paper near end"};
    return PrinterStatus{PrinterState::ready, "ready"};
}

}  // namespace drivers
