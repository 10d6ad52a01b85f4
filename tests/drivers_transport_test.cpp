// drivers_transport_test: tickets through the file, raw TCP and CUPS transports
// against real peers (a folder, a TCP server in a thread, a cupsd started here),
// the bytes each received decoded back to the raster, and every failure reported.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "cups_server.hpp"
#include "drivers/cups_transport.hpp"
#include "drivers/errors.hpp"
#include "drivers/file_transport.hpp"
#include "drivers/layout.hpp"
#include "drivers/printer.hpp"
#include "drivers/samples.hpp"
#include "drivers/tcp_transport.hpp"
#include "escpos_decoder.hpp"
#include "fake_network_printer.hpp"
#include "temp_dir.hpp"

using namespace drivers;
using testing::FakeNetworkPrinter;

namespace {

const Layout& layout() {
    static const Layout l{LayoutConfig{}};
    return l;
}

const Bitmap& ticket() {
    static const Bitmap t = layout().ticket(samples::ticket());
    return t;
}

std::vector<uint8_t> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TcpTimeouts quick_tcp() {
    TcpTimeouts t;
    t.write = std::chrono::milliseconds(300);
    t.status = std::chrono::milliseconds(200);
    return t;
}

}  // namespace

TEST_CASE("the file transport keeps each job's bytes and PNG, numbered across restarts") {
    testing::TempDir dir;
    auto transport = std::make_unique<FileTransport>(dir / "prints");
    FileTransport* files = transport.get();
    Printer printer(std::move(transport), EscPosOptions{});
    const auto report = printer.print({ticket()}, "ticket A105/../x");
    REQUIRE(report.printed);
    CHECK(files->last_file() == dir / "prints" / "000001-ticket_A105____x.bin");
    CHECK(testing::decode_escpos(read_file(files->last_file())).pages.at(0) == ticket());
    CHECK(load_png(dir / "prints" / "000001-ticket_A105____x.png") == ticket());

    const auto pages = Layout([] { LayoutConfig c; c.paper.max_page_dots = 600; return c; }()).checklist(samples::checklist());
    FileTransport again(dir / "prints");  // a restarted kiosk continues the numbering
    Printer second(std::make_unique<FileTransport>(dir / "prints"), EscPosOptions{});
    REQUIRE(second.print(pages, "checklist").printed);
    CHECK(std::filesystem::exists(dir / "prints" / "000002-checklist.bin"));
    CHECK(load_png(dir / "prints" / "000002-checklist-p2.png") == pages[1]);
    CHECK(testing::decode_escpos(read_file(dir / "prints" / "000002-checklist.bin")).pages == pages);
}

TEST_CASE("a file printer whose folder is gone reports offline and writes nothing") {
    testing::TempDir dir;
    Printer printer(std::make_unique<FileTransport>(dir / "prints"), EscPosOptions{});
    std::filesystem::remove_all(dir / "prints");
    const auto report = printer.print({ticket()}, "lost");
    CHECK_FALSE(report.printed);
    CHECK(report.status.state == PrinterState::offline);
    CHECK_THAT(report.error, Catch::Contains("does not exist"));
    CHECK_FALSE(std::filesystem::exists(dir / "prints"));
}

TEST_CASE("raw TCP: a ticket reaches the printer whole and its status is read back") {
    FakeNetworkPrinter device;
    Printer printer(std::make_unique<TcpTransport>("127.0.0.1", device.port(), quick_tcp()), EscPosOptions{});
    auto report = printer.print({ticket()}, "A105");
    INFO(report.error);
    REQUIRE(report.printed);
    REQUIRE(device.wait_for_jobs(1));
    CHECK(testing::decode_escpos(device.jobs()[0]).pages.at(0) == ticket());

    device.set_status({0x12, 0x12, 0x12, 0x1E});
    CHECK(printer.status().state == PrinterState::paper_low);
    device.set_status({0x1A, 0x32, 0x12, 0x72});
    report = printer.print({ticket()}, "out");
    CHECK_FALSE(report.printed);
    CHECK(report.status.state == PrinterState::paper_out);
    CHECK(device.jobs().size() == 1);  // nothing was sent
}

TEST_CASE("raw TCP: a printer that never answers status is taken as ready and still prints") {
    FakeNetworkPrinter device(FakeNetworkPrinter::Mode::silent);
    Printer printer(std::make_unique<TcpTransport>("127.0.0.1", device.port(), quick_tcp()), EscPosOptions{});
    REQUIRE(printer.print({ticket()}, "one").printed);
    REQUIRE(printer.print({ticket()}, "two").printed);
    REQUIRE(device.wait_for_jobs(2));
    CHECK(testing::decode_escpos(device.jobs()[1]).pages.at(0) == ticket());
}

TEST_CASE("raw TCP: a stalled printer, a dropped connection and no printer at all are errors, not hangs") {
    SECTION("the printer stops reading") {
        FakeNetworkPrinter device(FakeNetworkPrinter::Mode::stall);
        TcpTimeouts t = quick_tcp();
        Printer printer(std::make_unique<TcpTransport>("127.0.0.1", device.port(), t), EscPosOptions{});
        // A stalled printer also leaves status requests unanswered: taken as ready, then the write
        // times out. 7 MB: more than the kernel's largest socket send buffer (4 MB) can swallow.
        const std::vector<Bitmap> long_job(100, ticket());
        const auto report = printer.print(long_job, "stall");
        CHECK_FALSE(report.printed);
        CHECK_THAT(report.error, Catch::Contains("stopped taking data"));
        CHECK(report.bytes_sent < report.bytes_total);
    }
    SECTION("the connection drops mid-ticket") {
        FakeNetworkPrinter device(FakeNetworkPrinter::Mode::drop, 10000);
        Printer printer(std::make_unique<TcpTransport>("127.0.0.1", device.port(), quick_tcp()), EscPosOptions{});
        // Larger than the kernel's socket buffers, so the reset always meets a write still going.
        const std::vector<Bitmap> long_job(100, ticket());
        const auto report = printer.print(long_job, "drop");
        CHECK_FALSE(report.printed);
        CHECK_THAT(report.error, Catch::Contains("connection lost"));
    }
    SECTION("nobody listens") {
        uint16_t port = 0;
        { FakeNetworkPrinter gone; port = gone.port(); }
        Printer printer(std::make_unique<TcpTransport>("127.0.0.1", port, quick_tcp()), EscPosOptions{});
        const auto report = printer.print({ticket()}, "none");
        CHECK_FALSE(report.printed);
        CHECK(report.status.state == PrinterState::offline);
        CHECK_THAT(report.error, Catch::Contains("cannot connect"));
    }
}

TEST_CASE("CUPS: a ticket and a checklist go through a raw queue of a real cupsd, byte for byte") {
    testing::CupsServer cups;
    cups.add_queue("kiosk");
    Printer printer(std::make_unique<CupsTransport>(CupsOptions{"kiosk", cups.socket()}), EscPosOptions{});
    CHECK(printer.status().state == PrinterState::ready);
    auto report = printer.print({ticket()}, "ticket-A105");
    INFO(report.error);
    REQUIRE(report.printed);
    CHECK(testing::decode_escpos(read_file(cups.output("kiosk"))).pages.at(0) == ticket());

    const auto pages = Layout([] { LayoutConfig c; c.paper.max_page_dots = 600; return c; }()).checklist(samples::checklist());
    report = printer.print(pages, "checklist");
    REQUIRE(report.printed);
    CHECK(testing::decode_escpos(read_file(cups.output("kiosk"))).pages == pages);
}

TEST_CASE("CUPS: an unknown queue, a failed job and a stopped queue are reported with CUPS's reason") {
    testing::CupsServer cups;
    cups.add_queue("kiosk");
    SECTION("unknown queue") {
        Printer printer(open_transport("cups:nosuchqueue@" + cups.socket()), EscPosOptions{});
        const auto report = printer.print({ticket()}, "x");
        CHECK_FALSE(report.printed);
        CHECK(report.status.state == PrinterState::offline);
        CHECK_THAT(report.error, Catch::Contains("nosuchqueue"));
    }
    SECTION("the backend runs out of paper: the job is aborted, the queue says media-empty") {
        Printer printer(std::make_unique<CupsTransport>(CupsOptions{"kiosk", cups.socket()}), EscPosOptions{});
        cups.set_paper_out("kiosk", true);
        const auto report = printer.print({ticket()}, "no-paper");
        CHECK_FALSE(report.printed);
        CHECK_THAT(report.error, Catch::Contains("did not print"));
        CHECK(report.status.state == PrinterState::paper_out);
        CHECK_FALSE(std::filesystem::exists(cups.output("kiosk")));
    }
    SECTION("a stopped queue gets no job") {
        cups.run({"/usr/sbin/cupsdisable", "-h", cups.socket(), "kiosk"});
        Printer printer(std::make_unique<CupsTransport>(CupsOptions{"kiosk", cups.socket()}), EscPosOptions{});
        const auto report = printer.print({ticket()}, "stopped");
        CHECK_FALSE(report.printed);
        CHECK(report.status.state == PrinterState::offline);
        CHECK_THAT(report.error, Catch::Contains("stopped"));
    }
}

TEST_CASE("printer addresses: each kind is understood, a wrong one is refused clearly") {
    testing::TempDir dir;
    CHECK(open_transport("file:" + (dir / "out").string())->describe() == "file " + (dir / "out").string());
    CHECK(open_transport("tcp:192.0.2.7")->describe() == "tcp 192.0.2.7:9100");
    CHECK(open_transport("tcp:printer.local:9101")->describe() == "tcp printer.local:9101");
    CHECK(open_transport("cups:kiosk")->describe() == "cups queue kiosk");
    CHECK(open_transport("usb:")->describe() == "usb printer");
    CHECK_THROWS_WITH(open_transport("lpt1"), Catch::Contains("no kind of printer"));
    CHECK_THROWS_WITH(open_transport("serial:/dev/ttyS0"), Catch::Contains("unknown kind of printer 'serial'"));
    CHECK_THROWS_WITH(open_transport("tcp:host:99999"), Catch::Contains("port"));
    CHECK_THROWS_AS(open_transport("cups:"), TransportError);
    CHECK_THROWS_AS(open_transport("file:"), TransportError);
}
