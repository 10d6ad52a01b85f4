// center-print: prints a ticket or a document checklist on any printer address,
// or asks a printer's state. For installers checking a kiosk printer, and for
// the demo (file:DIR gives the ESC/POS bytes and a PNG of each job).
//   center-print --printer usb: status
//   center-print --printer file:data/prints --paper 58 ticket --number B012
#include <CLI/CLI.hpp>

#include <iostream>

#include "drivers/errors.hpp"
#include "drivers/layout.hpp"
#include "drivers/printer.hpp"
#include "drivers/samples.hpp"

int main(int argc, char** argv) {
    CLI::App cli{"center-print: ticket printing for the public-service center"};
    std::string address = "file:prints", logo;
    int paper_mm = 80;
    bool full_cut = false;
    drivers::TicketContent ticket = drivers::samples::ticket();
    cli.add_option("--printer", address, "usb:, usb:VID:PID, cups:QUEUE[@SERVER], tcp:HOST[:PORT], file:DIR")->capture_default_str();
    cli.add_option("--paper", paper_mm, "paper width in mm")->check(CLI::IsMember({58, 80}))->capture_default_str();
    cli.add_option("--logo", logo, "logo image (PNG, JPEG, BMP)");
    cli.add_flag("--full-cut", full_cut, "cut through instead of leaving a hinge");
    auto* ticket_cmd = cli.add_subcommand("ticket", "print a ticket (the sample, with these changes)");
    ticket_cmd->add_option("--number", ticket.number);
    ticket_cmd->add_option("--service", ticket.service);
    ticket_cmd->add_option("--priority", ticket.priority);
    ticket_cmd->add_option("--center", ticket.center_name);
    auto* checklist_cmd = cli.add_subcommand("checklist", "print the sample document checklist");
    cli.add_subcommand("status", "ask the printer's state");
    cli.require_subcommand(1);
    CLI11_PARSE(cli, argc, argv);

    try {
        drivers::LayoutConfig config;
        config.paper.width_dots = paper_mm == 58 ? 384 : 576;
        if (!logo.empty()) config.logo = logo;
        drivers::EscPosOptions options;
        options.cut = full_cut ? drivers::Cut::full : drivers::Cut::partial;
        drivers::Printer printer(drivers::open_transport(address), options);
        if (cli.got_subcommand("status")) {
            const auto status = printer.status();
            std::cout << printer.describe() << ": " << to_string(status.state) << " (" << status.detail << ")\n";
            return status.ok() ? 0 : 1;
        }
        const drivers::Layout layout(config);
        const auto pages = ticket_cmd->parsed() ? std::vector{layout.ticket(ticket)}
                                                : layout.checklist(drivers::samples::checklist());
        const auto report = printer.print(pages, checklist_cmd->parsed() ? "checklist" : "ticket-" + ticket.number);
        if (!report.printed) {
            std::cerr << "center-print: " << report.error << "\n";
            return 1;
        }
        std::cout << "printed " << report.bytes_sent << " bytes on " << printer.describe() << " in "
                  << report.done_ms << " ms; printer " << to_string(report.status.state) << "\n";
        return 0;
    } catch (const std::exception& e) {  // LayoutError, TransportError: bad input, said plainly
        std::cerr << "center-print: " << e.what() << "\n";
        return 2;
    }
}
