// drivers_usb_test: the USB transport against a printer emulated at the kernel
// interface (umockdev: fake sysfs + usbdevfs ioctls), through the real libusb.
// Runs under umockdev-wrapper (set as the test launcher in CMake).
#include <catch2/catch.hpp>

#include "drivers/layout.hpp"
#include "drivers/printer.hpp"
#include "drivers/samples.hpp"
#include "drivers/usb_transport.hpp"
#include "escpos_decoder.hpp"
#include "usb_printer_emulator.hpp"

using namespace drivers;
using testing::EmulatedUsbPrinter;

namespace {

UsbOptions quick() {
    UsbOptions o;
    o.write_timeout = std::chrono::milliseconds(300);
    o.status_timeout = std::chrono::milliseconds(200);
    return o;
}

const Bitmap& ticket() {
    static const Bitmap t = Layout(LayoutConfig{}).ticket(samples::ticket());
    return t;
}

}  // namespace

TEST_CASE("a ticket goes over USB to a printer-class device, usblp detached, bytes decode to the raster") {
    EmulatedUsbPrinter device;
    Printer printer(std::make_unique<UsbTransport>(quick()), EscPosOptions{});
    const auto report = printer.print({ticket()}, "ticket-A105");
    INFO(report.error);
    REQUIRE(report.printed);
    CHECK(report.status.state == PrinterState::ready);
    CHECK(device.driver_detached());
    CHECK(device.status_requests() >= 8);  // four before the job, four after
    CHECK(report.bytes_sent == report.bytes_total);
    const auto job = testing::decode_escpos(device.printed());
    REQUIRE(job.pages.size() == 1);
    CHECK(job.pages[0] == ticket());
    CHECK(job.partial_cuts == 1);
    CHECK(printer.describe() == "usb 0416:5011 on bus 1 device 2");
}

TEST_CASE("a multi-page checklist prints over USB with one cut per page") {
    EmulatedUsbPrinter device;
    LayoutConfig config;
    config.paper.max_page_dots = 600;
    const auto pages = Layout(config).checklist(samples::checklist());
    REQUIRE(pages.size() >= 2);
    Printer printer(std::make_unique<UsbTransport>(quick()), EscPosOptions{});
    REQUIRE(printer.print(pages, "checklist").printed);
    const auto job = testing::decode_escpos(device.printed());
    CHECK(job.pages == pages);
    CHECK(job.partial_cuts == static_cast<int>(pages.size()));
}

TEST_CASE("a USB printer named by vendor and product id is found, an unknown id is reported") {
    EmulatedUsbPrinter device(0x0fe6, 0x811e);
    auto named = open_transport("usb:0fe6:811e");
    CHECK(named->status().state == PrinterState::ready);
    auto other = open_transport("usb:1234:5678");
    const auto status = other->status();
    CHECK(status.state == PrinterState::offline);
    CHECK_THAT(status.detail, Catch::Contains("1234:5678 not found"));
    CHECK_THROWS_WITH(open_transport("usb:12345"), Catch::Contains("VID:PID"));
}

TEST_CASE("paper and cover state come from DLE EOT, and nothing is sent to a printer that cannot print") {
    EmulatedUsbPrinter device;
    Printer printer(std::make_unique<UsbTransport>(quick()), EscPosOptions{});

    device.set_paper(EmulatedUsbPrinter::Paper::low);
    auto report = printer.print({ticket()}, "low");
    CHECK(report.printed);
    CHECK(report.status.state == PrinterState::paper_low);

    device.clear_printed();
    device.set_paper(EmulatedUsbPrinter::Paper::out);
    report = printer.print({ticket()}, "out");
    CHECK_FALSE(report.printed);
    CHECK(report.status.state == PrinterState::paper_out);
    CHECK_THAT(report.error, Catch::Contains("paper out"));
    CHECK(report.bytes_sent == 0);
    CHECK(device.printed().empty());

    device.set_paper(EmulatedUsbPrinter::Paper::ok);
    device.set_cover_open(true);
    CHECK(printer.status().state == PrinterState::cover_open);
    device.set_cover_open(false);
    CHECK(printer.status().state == PrinterState::ready);
}

TEST_CASE("paper running out in the middle of a ticket is reported with what was sent") {
    EmulatedUsbPrinter device;
    Printer printer(std::make_unique<UsbTransport>(quick()), EscPosOptions{});
    device.run_out_of_paper_after(20000);
    const auto report = printer.print({ticket()}, "mid");
    CHECK_FALSE(report.printed);
    CHECK_THAT(report.error, Catch::Contains("stopped taking data"));
    CHECK(report.bytes_sent < report.bytes_total);
    CHECK(report.status.state == PrinterState::paper_out);
    CHECK(device.printed().size() == 20000);

    device.set_paper(EmulatedUsbPrinter::Paper::ok);  // a new roll: the next ticket prints whole
    device.clear_printed();
    REQUIRE(printer.print({ticket()}, "again").printed);
    CHECK(testing::decode_escpos(device.printed()).pages.at(0) == ticket());
}

TEST_CASE("unplugging is reported and a replugged printer is used again without a restart") {
    EmulatedUsbPrinter device;
    Printer printer(std::make_unique<UsbTransport>(quick()), EscPosOptions{});
    REQUIRE(printer.print({ticket()}, "before").printed);

    device.unplug();
    const auto status = printer.status();
    CHECK(status.state == PrinterState::offline);
    auto report = printer.print({ticket()}, "unplugged");
    CHECK_FALSE(report.printed);
    CHECK_THAT(report.error, Catch::Contains("printer not ready"));

    device.plug_in();
    device.clear_printed();
    report = printer.print({ticket()}, "after");
    INFO(report.error);
    REQUIRE(report.printed);
    CHECK(printer.describe() == "usb 0416:5011 on bus 1 device 3");  // a new address, as after a real replug
    CHECK(testing::decode_escpos(device.printed()).pages.at(0) == ticket());
}
