// print_bench: how fast a ticket goes from "print this" to the printer, for 80
// and 58 mm paper, through the file transport and a USB printer emulated at the
// kernel interface (umockdev). Prints figures; passes or fails on nothing.
//
// Baselines run in the same process: a "cold" layout that opens its fonts and
// loads its logo for every ticket (what a kiosk that didn't keep its Layout
// would pay), and the printer's own mechanical time at 250 mm/s.
// USB figures need umockdev-wrapper (./center bench runs it so); without it the
// USB rows are skipped.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <vector>

#include "drivers/file_transport.hpp"
#include "drivers/layout.hpp"
#include "drivers/printer.hpp"
#include "drivers/samples.hpp"
#include "drivers/usb_transport.hpp"
#include "usb_printer_emulator.hpp"

using namespace drivers;
using Clock = std::chrono::steady_clock;

namespace {

struct Figures {
    double p50 = 0, p99 = 0, max = 0;
};

Figures percentiles(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))]; };
    return {at(0.50), at(0.99), v.back()};
}

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

Figures time_it(int runs, const std::function<void()>& body) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        body();
        ms.push_back(ms_since(t0));
    }
    return percentiles(ms);
}

void row(const char* what, const Figures& f) {
    std::printf("  %-44s p50 %7.3f ms   p99 %7.3f ms   max %7.3f ms\n", what, f.p50, f.p99, f.max);
}

// Each ticket of a run differs as real ones do: number, people ahead, wait, time
// (so those lines are drawn anew; the center name, labels and footer are reused).
TicketContent nth_ticket(int i) {
    TicketContent t = samples::ticket();
    t.number = "A" + std::to_string(100 + i % 900);
    t.people_ahead = i % 47;
    t.estimated_wait_minutes = (i % 47) * 2;
    t.issued_at = std::to_string(7 + i / 60 % 10) + ":" + std::to_string(10 + i % 50) + " 24/11/2026";
    t.follow_url = "https://dichvucong.example.vn/q/" + t.number + "-20261124";
    return t;
}

// "Print this ticket" = draw it, then hand it to the printer; first and last byte times.
void print_path(const char* name, const Layout& layout, Printer& printer, int runs) {
    std::vector<double> first, last, done;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        const Bitmap ticket = layout.ticket(nth_ticket(i));
        const double drawn = ms_since(t0);
        const auto report = printer.print({ticket}, "bench");
        if (!report.printed) {
            std::printf("  %s: not printed: %s\n", name, report.error.c_str());
            return;
        }
        first.push_back(drawn + report.first_byte_ms);
        last.push_back(drawn + report.last_byte_ms);
        done.push_back(drawn + report.done_ms);
    }
    std::printf("  %s (%d tickets):\n", name, runs);
    row("    print → first byte to the transport", percentiles(first));
    row("    print → last byte to the transport", percentiles(last));
    row("    print → transport done", percentiles(done));
}

void paper(int width, const std::filesystem::path& dir, const std::filesystem::path& logo, bool usb) {
    const char* mm = width == 576 ? "80 mm" : "58 mm";
    LayoutConfig config;
    config.paper.width_dots = width;
    config.logo = logo;
    const Layout layout(config);
    const Bitmap ticket = layout.ticket(samples::ticket());
    const auto bytes = encode_job({ticket}, EscPosOptions{});
    const double length_mm = ticket.height() / 8.0;  // 203 dpi: 8 dots a millimetre
    const double mechanical_ms = length_mm / 250.0 * 1000.0;

    std::printf("\n%s paper, %d dots wide: ticket %d × %d dots (%.0f mm long), ESC/POS job %zu bytes\n", mm,
                width, ticket.width(), ticket.height(), length_mm, bytes.size());
    int n = 0;
    const auto warm = time_it(1000, [&] { (void)layout.ticket(nth_ticket(n++)); });
    row("draw ticket (Layout kept), 1,000 runs", warm);
    const auto cold = time_it(100, [&] { (void)Layout(config).ticket(nth_ticket(n++)); });
    row("baseline: new Layout per ticket, 100 runs", cold);
    const auto encode = time_it(1000, [&] { (void)encode_job({ticket}, EscPosOptions{}); });
    row("encode ESC/POS, 1,000 runs", encode);
    const auto both = time_it(1000, [&] { (void)encode_job({layout.ticket(nth_ticket(n++))}, EscPosOptions{}); });
    row("draw + encode (whole ticket ready), 1,000 runs", both);
    const auto pages = layout.checklist(samples::checklist());
    row("draw document checklist, 1,000 runs", time_it(1000, [&] { (void)layout.checklist(samples::checklist()); }));
    std::printf("  ratios: cold/warm draw %.1f×; printer mechanical time %.0f ms = %.0f× draw + encode p99\n",
                cold.p50 / warm.p50, mechanical_ms, mechanical_ms / both.p99);

    Printer bytes_only(std::make_unique<FileTransport>(dir / mm / "bin", FileOutput{true, false}), EscPosOptions{});
    print_path("file transport, bytes", layout, bytes_only, 300);
    Printer with_png(std::make_unique<FileTransport>(dir / mm / "png", FileOutput{true, true}), EscPosOptions{});
    print_path("file transport, bytes + PNG", layout, with_png, 100);
    if (usb) {
        testing::EmulatedUsbPrinter device;
        Printer printer(std::make_unique<UsbTransport>(), EscPosOptions{});
        print_path("USB (umockdev-emulated printer)", layout, printer, 100);
    }
}

}  // namespace

int main() {
    const char* preload = std::getenv("LD_PRELOAD");
    const bool usb = preload && std::strstr(preload, "umockdev-preload");
    const auto dir = std::filesystem::temp_directory_path() / ("print-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    // The demo logo shape: a 300 × 300 picture, dithered.
    Bitmap emblem(300, 300);
    for (int y = 0; y < 300; ++y)
        for (int x = 0; x < 300; ++x)
            if ((x - 150) * (x - 150) + (y - 150) * (y - 150) < 140 * 140 && (x + y) % 3) emblem.set(x, y);
    save_png(emblem, dir / "logo.png");

    std::printf("print_bench: ticket printing latency%s\n", usb ? "" : " (USB skipped: run under umockdev-wrapper)");
    for (int width : {576, 384}) paper(width, dir, dir / "logo.png", usb);
    std::filesystem::remove_all(dir);
}
