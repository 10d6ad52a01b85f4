// usb_transport: a thermal printer on USB, driven directly with libusb-1.0.
//
// Why not the kernel's usblp and /dev/usb/lp0: usblp hides the printer's status
// channel and a replugged printer comes back under another name. With libusb we
// find the printer by class (7) or by vendor/product, take the interface from
// usblp, write in bulk chunks with a deadline, and ask `DLE EOT` on the bulk-in
// pipe for paper and cover state. Unplugging closes the handle; the next call
// (status or a job) looks for the printer again, so a replug needs no restart.
#pragma once
#include <chrono>
#include <optional>

#include "drivers/transport.hpp"

struct libusb_context;
struct libusb_device_handle;
struct libusb_device;

namespace drivers {

struct UsbOptions {
    std::optional<uint16_t> vendor;  // both set: that device; none: first printer-class device
    std::optional<uint16_t> product;
    std::chrono::milliseconds write_timeout{5000};  // per chunk; a stalled printer is an error after it
    std::chrono::milliseconds status_timeout{300};  // per status byte
    size_t chunk_bytes = 16384;
};

class UsbTransport : public Transport {
public:
    explicit UsbTransport(UsbOptions options = {});
    ~UsbTransport() override;
    UsbTransport(const UsbTransport&) = delete;
    UsbTransport& operator=(const UsbTransport&) = delete;

    std::string describe() const override;
    PrinterStatus status() override;
    void begin(const JobInfo& job) override;
    void write(std::span<const uint8_t> bytes) override;
    void finish() override {}
    void abort() noexcept override {}

    bool is_open() const { return handle_ != nullptr; }

private:
    // Finds and claims the printer; returns why not when it can't.
    std::optional<std::string> open();
    bool try_claim(libusb_device* device);
    void close();
    std::optional<uint8_t> ask_status(int n);
    [[noreturn]] void fail(int libusb_error, const std::string& doing);

    UsbOptions options_;
    libusb_context* context_ = nullptr;
    libusb_device_handle* handle_ = nullptr;
    int interface_ = -1;
    uint8_t out_endpoint_ = 0;
    uint8_t in_endpoint_ = 0;  // 0: the printer has no status channel
    std::string found_;        // "0416:5011 on bus 1 device 2"
};

}  // namespace drivers
