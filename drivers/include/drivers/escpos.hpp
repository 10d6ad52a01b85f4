// escpos: a raster as the bytes an ESC/POS thermal printer understands, and the
// printer's real-time status bytes as a state a kiosk can show.
//
// Only raster printing is used (`GS v 0`), never the printer's own fonts: no
// ESC/POS code page has all of Vietnamese, and raster output looks the same on
// every brand. The image is sent in bands because cheap printers have small
// receive buffers and start burning the first band while the rest arrives.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "drivers/bitmap.hpp"

namespace drivers {

enum class Cut { none, partial, full };

struct EscPosOptions {
    int band_rows = 128;   // rows per GS v 0 command
    int feed_lines = 4;    // ESC d n before the cut, so the tail clears the blade
    Cut cut = Cut::partial;
    bool beep = false;     // ESC B: buzzer, on printers that have one
    bool open_drawer = false;  // ESC p: cash drawer kick (bank counters)
};

using Bytes = std::vector<uint8_t>;

// Appends the whole job: ESC @, then for each page its bands, feed and cut.
Bytes encode_job(const std::vector<Bitmap>& pages, const EscPosOptions& options);

// Streams the same bytes in pieces (initialise, each band, each page's tail) so
// the first band can go to the printer before the last one is encoded.
void encode_job(const std::vector<Bitmap>& pages, const EscPosOptions& options,
                const std::function<void(std::span<const uint8_t>)>& sink);

// Real-time status request `DLE EOT n` (n = 1 printer, 2 offline cause,
// 3 error cause, 4 roll paper sensor).
Bytes status_request(int n);

enum class PrinterState { ready, paper_low, paper_out, cover_open, offline, error };
std::string to_string(PrinterState s);

struct PrinterStatus {
    PrinterState state = PrinterState::offline;
    std::string detail;  // for people: "paper out", "no USB printer found"...
    bool ok() const { return state == PrinterState::ready || state == PrinterState::paper_low; }
};

// The four answers to DLE EOT 1..4 (any may be missing: a printer that answers
// only some). Returns nullopt when a byte is not a valid status byte.
std::optional<PrinterStatus> parse_status(std::optional<uint8_t> printer, std::optional<uint8_t> offline,
                                          std::optional<uint8_t> error, std::optional<uint8_t> paper);

}  // namespace drivers
