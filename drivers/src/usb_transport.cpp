// usb_transport: find, claim, bulk write, DLE EOT status, re-open after unplug
// (see usb_transport.hpp).
#include "drivers/usb_transport.hpp"

#include <libusb.h>

#include <cstdio>

#include "drivers/errors.hpp"

namespace drivers {

namespace {

std::string hex4(uint16_t v) {
    char b[8];
    std::snprintf(b, sizeof b, "%04x", v);
    return b;
}

struct Endpoints {
    int interface = -1;
    uint8_t out = 0, in = 0;
};

// The first interface that is a printer (class 7), or any interface with a
// bulk-out pipe when the device was named by id (many cheap printers say 0xFF).
Endpoints find_endpoints(const libusb_config_descriptor* config, bool any_class) {
    for (int i = 0; i < config->bNumInterfaces; ++i) {
        const libusb_interface& itf = config->interface[i];
        for (int a = 0; a < itf.num_altsetting; ++a) {
            const libusb_interface_descriptor& alt = itf.altsetting[a];
            if (!any_class && alt.bInterfaceClass != LIBUSB_CLASS_PRINTER) continue;
            Endpoints e{alt.bInterfaceNumber};
            for (int k = 0; k < alt.bNumEndpoints; ++k) {
                const libusb_endpoint_descriptor& ep = alt.endpoint[k];
                if ((ep.bmAttributes & 0x03) != LIBUSB_TRANSFER_TYPE_BULK) continue;
                if (ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) {
                    if (!e.in) e.in = ep.bEndpointAddress;
                } else if (!e.out) {
                    e.out = ep.bEndpointAddress;
                }
            }
            if (e.out) return e;
        }
    }
    return {};
}

}  // namespace

UsbTransport::UsbTransport(UsbOptions options) : options_(options) {
    if (options_.vendor.has_value() != options_.product.has_value())
        throw TransportError("a USB printer is named by both vendor and product id, or by neither");
}

UsbTransport::~UsbTransport() {
    close();
    if (context_) libusb_exit(context_);
}

std::string UsbTransport::describe() const {
    if (!found_.empty()) return "usb " + found_;
    if (options_.vendor) return "usb " + hex4(*options_.vendor) + ":" + hex4(*options_.product);
    return "usb printer";
}

void UsbTransport::close() {
    if (!handle_) return;
    libusb_release_interface(handle_, interface_);
    libusb_close(handle_);
    handle_ = nullptr;
}

bool UsbTransport::try_claim(libusb_device* device) {
    libusb_device_descriptor desc{};
    if (libusb_get_device_descriptor(device, &desc) != 0) return false;
    const bool named = options_.vendor.has_value();
    if (named && (desc.idVendor != *options_.vendor || desc.idProduct != *options_.product)) return false;
    libusb_config_descriptor* config = nullptr;
    if (libusb_get_active_config_descriptor(device, &config) != 0) return false;
    const Endpoints e = find_endpoints(config, named);
    libusb_free_config_descriptor(config);
    if (!e.out) return false;

    libusb_device_handle* h = nullptr;
    if (libusb_open(device, &h) != 0) return false;
    // usblp binds to every printer-class interface; it must let go before we claim.
    if (libusb_kernel_driver_active(h, e.interface) == 1 && libusb_detach_kernel_driver(h, e.interface) != 0) {
        libusb_close(h);
        return false;
    }
    if (libusb_claim_interface(h, e.interface) != 0) {
        libusb_close(h);
        return false;
    }
    handle_ = h;
    interface_ = e.interface;
    out_endpoint_ = e.out;
    in_endpoint_ = e.in;
    found_ = hex4(desc.idVendor) + ":" + hex4(desc.idProduct) + " on bus " +
             std::to_string(libusb_get_bus_number(device)) + " device " +
             std::to_string(libusb_get_device_address(device));
    return true;
}

std::optional<std::string> UsbTransport::open() {
    if (handle_) return std::nullopt;
    // A fresh context re-reads the bus, so a printer plugged back in is seen
    // even if its hotplug event was missed.
    if (context_) libusb_exit(context_);
    context_ = nullptr;
    if (int rc = libusb_init(&context_); rc != 0) {
        context_ = nullptr;
        return std::string("cannot start libusb: ") + libusb_strerror(rc);
    }
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(context_, &list);
    for (ssize_t i = 0; i < n && !handle_; ++i) try_claim(list[i]);
    if (n >= 0) libusb_free_device_list(list, 1);
    if (handle_) return std::nullopt;
    return options_.vendor ? "USB printer " + hex4(*options_.vendor) + ":" + hex4(*options_.product) +
                                 " not found or busy (plugged in? powered on?)"
                           : std::string("no USB printer found (plugged in? powered on?)");
}

void UsbTransport::fail(int libusb_error, const std::string& doing) {
    const std::string what = describe();
    if (libusb_error == LIBUSB_ERROR_NO_DEVICE || libusb_error == LIBUSB_ERROR_IO ||
        libusb_error == LIBUSB_ERROR_PIPE) {
        close();
        if (libusb_error == LIBUSB_ERROR_NO_DEVICE)
            throw TransportError("printer " + what + " was unplugged while " + doing);
    }
    throw TransportError("printer " + what + ": " + doing + " failed: " + libusb_strerror(libusb_error));
}

std::optional<uint8_t> UsbTransport::ask_status(int n) {
    const Bytes request = status_request(n);
    int moved = 0;
    int rc = libusb_bulk_transfer(handle_, out_endpoint_, const_cast<uint8_t*>(request.data()),
                                  static_cast<int>(request.size()), &moved,
                                  static_cast<unsigned>(options_.status_timeout.count()));
    if (rc == LIBUSB_ERROR_NO_DEVICE) fail(rc, "asking its status");
    if (rc != 0) return std::nullopt;
    uint8_t answer[64];
    rc = libusb_bulk_transfer(handle_, in_endpoint_, answer, sizeof answer, &moved,
                              static_cast<unsigned>(options_.status_timeout.count()));
    if (rc == LIBUSB_ERROR_NO_DEVICE) fail(rc, "asking its status");
    if (rc != 0 || moved < 1) return std::nullopt;
    return answer[moved - 1];
}

PrinterStatus UsbTransport::status() {
    if (auto why = open()) return {PrinterState::offline, *why};
    if (!in_endpoint_) return {PrinterState::ready, "ready (the printer has no status channel)"};
    try {
        const auto printer = ask_status(1);
        if (!printer) return {PrinterState::ready, "ready (the printer does not report its status)"};
        const auto offline = ask_status(2), error = ask_status(3), paper = ask_status(4);
        auto parsed = parse_status(printer, offline, error, paper);
        if (!parsed) return {PrinterState::error, "printer " + describe() + " sent a malformed status byte"};
        return *parsed;
    } catch (const TransportError& e) {
        return {PrinterState::offline, e.what()};
    }
}

void UsbTransport::begin(const JobInfo&) {
    if (auto why = open()) throw TransportError(*why);
}

void UsbTransport::write(std::span<const uint8_t> bytes) {
    if (!handle_) throw TransportError("printer " + describe() + " is not open");
    size_t done = 0;
    while (done < bytes.size()) {
        const int len = static_cast<int>(std::min(options_.chunk_bytes, bytes.size() - done));
        int moved = 0;
        const int rc = libusb_bulk_transfer(handle_, out_endpoint_, const_cast<uint8_t*>(bytes.data() + done), len,
                                            &moved, static_cast<unsigned>(options_.write_timeout.count()));
        done += static_cast<size_t>(std::max(moved, 0));
        if (rc == LIBUSB_ERROR_TIMEOUT)
            throw TransportError("printer " + describe() + " stopped taking data for " +
                                 std::to_string(options_.write_timeout.count()) + " ms (paper out or jammed?)");
        if (rc != 0) fail(rc, "printing");
    }
}

}  // namespace drivers
