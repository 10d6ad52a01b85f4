// printer: status check, streamed encoding into the transport, a report (see printer.hpp).
#include "drivers/printer.hpp"

#include <chrono>

#include "drivers/errors.hpp"

namespace drivers {

namespace {
double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

Printer::Printer(std::unique_ptr<Transport> transport, EscPosOptions options)
    : transport_(std::move(transport)), options_(options) {}

PrintReport Printer::print(const std::vector<Bitmap>& pages, const std::string& job_name) {
    const auto t0 = std::chrono::steady_clock::now();
    PrintReport report;
    report.status = transport_->status();
    if (!report.status.ok()) {
        report.error = "printer not ready (" + transport_->describe() + "): " + report.status.detail;
        return report;
    }
    try {
        transport_->begin(JobInfo{job_name, &pages});
        encode_job(pages, options_, [&](std::span<const uint8_t> piece) {
            if (report.bytes_total == 0) report.first_byte_ms = ms_since(t0);
            report.bytes_total += piece.size();
            transport_->write(piece);
            report.bytes_sent += piece.size();
        });
        report.last_byte_ms = ms_since(t0);
        transport_->finish();
        report.done_ms = ms_since(t0);
        report.printed = true;
        report.status = transport_->status();
    } catch (const TransportError& e) {
        transport_->abort();
        report.error = e.what();
        if (report.bytes_sent > 0)
            report.error += " (stopped after " + std::to_string(report.bytes_sent) + " bytes)";
        report.status = transport_->status();
    }
    return report;
}

}  // namespace drivers
