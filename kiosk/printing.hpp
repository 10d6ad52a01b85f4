// printing: what the kiosk prints — a ticket from the server's answer, a
// procedure's document checklist — and the printer that prints it.
//
// Threads: the raster is drawn on the screen's thread (SDL_ttf opens fonts
// there, and FreeType wants faces opened on one thread), then the bytes go to
// the printer on the print worker, which is the only one to touch the transport.
#pragma once
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/local_time.hpp"
#include "kiosk/config.hpp"
#include "drivers/layout.hpp"
#include "drivers/printer.hpp"

namespace kiosk {

// In the center's time: "08:15", "24/11/2026", and both: "08:15 24/11/2026" (common/local_time.hpp).
using common::clock_text;
using common::date_text;
using common::local_time_text;

// The address the ticket's QR says. The kiosk's own `follow_url` template when set
// ({number}, {id}, {day}, {key}); else the server's `follow_url` from the issue
// reply: an absolute one as it is, a path ("/t/KEY") after the kiosk's server
// address. Empty: no QR. The key in it is the citizen's secret: printed, never
// logged or kept.
std::string ticket_follow_url(const nlohmann::json& ticket, const KioskConfig& config);

// A ticket as printed, from POST /api/tickets' answer. `category_name` is the
// category's words for a priority ticket (empty for a normal one).
drivers::TicketContent ticket_content(const nlohmann::json& ticket, const std::string& center_name,
                                      const std::string& category_name, const KioskConfig& config,
                                      const common::LocalCalendar& calendar);
// What the screen's QR says when the paper failed: enough to prove the number
// at the counter ("A012 · Hộ tịch · 08:15 24/11/2026 · #12").
std::string ticket_proof(const nlohmann::json& ticket, const common::LocalCalendar& calendar);

// The documents of a procedure (GET /api/procedures/{code}'s record) to print.
drivers::ChecklistContent checklist_content(const nlohmann::json& procedure, const std::string& center_name,
                                            int64_t now_ms, const common::LocalCalendar& calendar);

class KioskPrinter {
public:
    // Throws drivers::TransportError for an address it does not know, and
    // drivers::LayoutError when the fonts or the logo cannot be used.
    explicit KioskPrinter(const KioskConfig& config);

    // Screen thread.
    std::vector<drivers::Bitmap> ticket_pages(const drivers::TicketContent& content) const;
    std::vector<drivers::Bitmap> checklist_pages(const drivers::ChecklistContent& content) const;

    // Print worker.
    drivers::PrintReport print(const std::vector<drivers::Bitmap>& pages, const std::string& job_name);
    drivers::PrinterStatus status();
    std::string describe() const { return printer_.describe(); }

private:
    drivers::Layout layout_;
    drivers::Printer printer_;
};

// The state word the server takes (POST /api/devices/status).
std::string server_printer_word(drivers::PrinterState state);

}  // namespace kiosk
