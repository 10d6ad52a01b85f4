// printer: one print job from raster pages to a transport, with a report that
// always says what happened.
//
// Why a report and not only exceptions: a kiosk must tell the citizen what to
// do ("take your number from the screen, the printer is out of paper") and the
// server must know the printer's state; so every outcome, good or bad, comes
// back as data, with timings for the benchmark.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "drivers/bitmap.hpp"
#include "drivers/escpos.hpp"
#include "drivers/transport.hpp"

namespace drivers {

struct PrintReport {
    bool printed = false;
    PrinterStatus status;      // the printer's state after the job (or before, if not started)
    std::string error;         // empty when printed
    size_t bytes_total = 0;    // the job's size
    size_t bytes_sent = 0;     // what the transport took before an error
    double first_byte_ms = 0;  // from print() to the first byte handed to the transport
    double last_byte_ms = 0;   // ... to the last byte handed over
    double done_ms = 0;        // ... to finish() returning
};

class Printer {
public:
    Printer(std::unique_ptr<Transport> transport, EscPosOptions options);

    // Checks the status first: a printer without paper or with its cover open
    // gets nothing, so a ticket is never half printed without the report saying so.
    PrintReport print(const std::vector<Bitmap>& pages, const std::string& job_name);
    PrinterStatus status() { return transport_->status(); }
    std::string describe() const { return transport_->describe(); }

private:
    std::unique_ptr<Transport> transport_;
    EscPosOptions options_;
};

}  // namespace drivers
