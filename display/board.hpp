// board: what a display shows at one instant, from the mirrored queue state.
//
// Pure: the mirror, the config's filters, the local time and the board's own
// state (blinking, offline, skipped announcements) go in; a BoardView comes out,
// plain strings and numbers that the painter draws. So what a board shows can be
// tested without a window, and the painter has no decisions to make.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/local_time.hpp"
#include "display/config.hpp"
#include "client/mirror.hpp"

namespace display {

struct CallLine {
    int64_t ticket = 0;
    std::string number;
    int counter = 0;
    std::string counter_name;  // "Quầy 3"
    std::string service_vi, service_en;
    bool recall = false;
    // Issue 22: the visit's step it is called for (0: its first), whether it is back
    // from being parked (the board marks it), and the place as rows write it (place.hpp).
    int step = 0;
    bool returned = false;
    std::string place;
    bool operator==(const CallLine&) const = default;
};

struct WaitingLine {
    std::string code, name_vi, name_en;
    int waiting = 0;
    bool operator==(const WaitingLine&) const = default;
};

struct BoardStatus {
    bool highlight = false;     // the newest call's blink is in its bright phase
    bool offline = false;       // the server has been unreachable for a while
    bool skipped_calls = false; // announcements were dropped recently
    bool operator==(const BoardStatus&) const = default;
};

struct BoardView {
    LayoutKind kind = LayoutKind::hall;
    bool english = true;
    std::string center_name;
    std::string clock;           // "09:41"
    std::string date_vi, date_en;  // "Thứ Tư, 25/11/2026", "Wed 25/11/2026"
    std::optional<CallLine> newest;
    std::vector<CallLine> previous;
    std::vector<WaitingLine> waiting;
    // The counter layout: one counter's state.
    std::string counter_name;
    std::optional<CallLine> counter_ticket;
    bool counter_paused = false;
    BoardStatus status;
    std::string ticker;
    std::string qr;  // the phone QR's text ({public_url}/m/q); empty: no QR

    bool operator==(const BoardView&) const = default;
};

// `local` is the center's local reading of now.
BoardView make_view(const client::Mirror& mirror, const DisplayConfig& config, const BoardStatus& status,
                    const common::Instant& local);

// The phone QR's text from the server's snapshot ("phone": {public_url, display_qr})
// and the display's own `qr` setting; empty when no QR is to be shown.
std::string phone_qr_text(QrMode mode, const std::string& public_url, bool display_qr);

// Whether a call passes the display's service and counter filters.
bool shown(const DisplayConfig& config, const std::string& service, int counter);

}  // namespace display
