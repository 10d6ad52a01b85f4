// printing: tickets and checklists for the kiosk's printer (see printing.hpp).
#include "kiosk/printing.hpp"

#include <cstdio>

#include "client/mirror.hpp"
#include "kiosk/strings.hpp"
#include "drivers/transport.hpp"

namespace kiosk {

namespace {

using client::field;
using client::list;
using client::member;

drivers::LayoutConfig layout_config(const KioskConfig& config) {
    drivers::LayoutConfig c;
    c.paper.width_dots = config.paper_mm == 58 ? 384 : 576;
    c.fonts.regular = config.font_regular;
    c.fonts.bold = config.font_bold;
    if (!config.logo.empty()) c.logo = config.logo;
    return c;
}

}  // namespace

std::string ticket_follow_url(const nlohmann::json& ticket, const KioskConfig& config) {
    const std::string key = field<std::string>(ticket, "follow_key", "");
    if (!config.follow_url.empty()) {
        // A template that names the key needs one: without it the address leads nowhere.
        if (config.follow_url.find("{key}") != std::string::npos && key.empty()) return "";
        return filled(config.follow_url, {{"number", field<std::string>(ticket, "number", "")},
                                          {"id", std::to_string(field<int64_t>(ticket, "id", 0))},
                                          {"day", std::to_string(field<int>(ticket, "day", 0))},
                                          {"key", key}});
    }
    const std::string url = field<std::string>(ticket, "follow_url", "");
    if (url.starts_with("https://") || url.starts_with("http://")) return url;
    if (!url.starts_with("/")) return "";  // none (a ticket seen only on the event stream), or not an address
    std::string base = config.server;
    while (base.ends_with("/")) base.pop_back();
    return base + url;
}

drivers::TicketContent ticket_content(const nlohmann::json& ticket, const std::string& center_name,
                                      const std::string& category_name, const KioskConfig& config,
                                      const common::LocalCalendar& calendar) {
    drivers::TicketContent t;
    t.center_name = center_name;
    t.number = field<std::string>(ticket, "number", "");
    t.service = field<std::string>(ticket, "service_name_vi", field<std::string>(ticket, "service", ""));
    if (field<bool>(ticket, "priority", false)) t.priority = category_name;
    t.issued_at = local_time_text(field<int64_t>(ticket, "issued_at", 0), calendar);
    t.people_ahead = field<int>(ticket, "people_ahead", -1);
    const int est = field<int>(ticket, "est_wait_s", -1);
    t.estimated_wait_minutes = est <= 0 ? -1 : (est + 59) / 60;  // no estimate yet: not printed as "~0 minutes"
    t.follow_url = ticket_follow_url(ticket, config);
    t.footer = config.ticket_footer;
    return t;
}

std::string ticket_proof(const nlohmann::json& ticket, const common::LocalCalendar& calendar) {
    return field<std::string>(ticket, "number", "") + " · " + field<std::string>(ticket, "service_name_vi", "") + " · " +
           local_time_text(field<int64_t>(ticket, "issued_at", 0), calendar) + " · #" +
           std::to_string(field<int64_t>(ticket, "id", 0));
}

drivers::ChecklistContent checklist_content(const nlohmann::json& p, const std::string& center_name, int64_t now_ms,
                                            const common::LocalCalendar& calendar) {
    drivers::ChecklistContent c;
    c.center_name = center_name;
    c.procedure_code = field<std::string>(p, "code", "");
    c.procedure_name = field<std::string>(p, "name", "");
    for (const auto& d : list(p, "documents"))
        c.documents.push_back({field<std::string>(d, "name", ""), field<int>(d, "originals", 0), field<int>(d, "copies", 0),
                               field<std::string>(d, "note", "")});
    const auto days = member(p, "processing_days");
    c.processing_time = field<std::string>(p, "processing_time", "");
    if (c.processing_time.empty() && days.is_number_integer()) c.processing_time = std::to_string(days.get<int>()) + " ngày làm việc";
    c.fee = field<std::string>(p, "fee", "");
    c.printed_at = local_time_text(now_ms, calendar);
    c.footer = "Tra cứu thủ tục và hồ sơ tại ki-ốt hoặc dichvucong.gov.vn";
    return c;
}

KioskPrinter::KioskPrinter(const KioskConfig& config)
    : layout_(layout_config(config)), printer_(drivers::open_transport(config.printer), drivers::EscPosOptions{}) {}

std::vector<drivers::Bitmap> KioskPrinter::ticket_pages(const drivers::TicketContent& content) const {
    return {layout_.ticket(content)};
}

std::vector<drivers::Bitmap> KioskPrinter::checklist_pages(const drivers::ChecklistContent& content) const {
    return layout_.checklist(content);
}

drivers::PrintReport KioskPrinter::print(const std::vector<drivers::Bitmap>& pages, const std::string& job_name) {
    return printer_.print(pages, job_name);
}

drivers::PrinterStatus KioskPrinter::status() { return printer_.status(); }

std::string server_printer_word(drivers::PrinterState state) {
    switch (state) {
        case drivers::PrinterState::ready: return "ok";
        case drivers::PrinterState::paper_low: return "paper_low";
        case drivers::PrinterState::paper_out: return "paper_out";
        case drivers::PrinterState::offline: return "offline";
        case drivers::PrinterState::cover_open:
        case drivers::PrinterState::error: return "error";
    }
    return "error";
}

}  // namespace kiosk
