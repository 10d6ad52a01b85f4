// transport: how printer bytes leave this process. One interface over USB, CUPS,
// raw TCP 9100 and a folder of files, so the kiosk doesn't care which it has.
//
// A job is begin → write… → finish. Any step may throw TransportError with a
// message a person can act on; after that the caller calls abort() and asks
// status() what the printer now says (paper out, cover open, unplugged...).
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/bitmap.hpp"
#include "drivers/escpos.hpp"

namespace drivers {

struct JobInfo {
    std::string name;                           // "ticket-A105"; file names and CUPS titles
    const std::vector<Bitmap>* pages = nullptr;  // the raster, for transports that keep a PNG
};

class Transport {
public:
    virtual ~Transport() = default;
    virtual std::string describe() const = 0;  // "usb 0416:5011", "cups queue ve", ...
    // Asks the printer (or the spooler) now; never throws.
    virtual PrinterStatus status() = 0;
    virtual void begin(const JobInfo& job) = 0;
    virtual void write(std::span<const uint8_t> bytes) = 0;
    // Returns once the bytes are with the printer (USB, TCP), or the spooler
    // says the job completed (CUPS), or the file is complete on disk.
    virtual void finish() = 0;
    virtual void abort() noexcept = 0;
};

// A transport from a printer address:
//   usb:            the first USB printer-class device (interface class 7)
//   usb:VID:PID     a given vendor/product id, hex ("usb:0416:5011")
//   cups:QUEUE      a raw CUPS queue; cups:QUEUE@SERVER for another cupsd
//                   (SERVER may be host[:port] or a local socket path)
//   tcp:HOST[:PORT] raw TCP, port 9100 by default
//   file:DIR        bytes and PNG files in a folder (demo, tests)
// Throws TransportError for an address it doesn't know.
std::unique_ptr<Transport> open_transport(std::string_view address);

}  // namespace drivers
