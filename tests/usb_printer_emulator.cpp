// usb_printer_emulator: usbdevfs ioctls answered like an ESC/POS printer (see the header).
#include "usb_printer_emulator.hpp"

#include <umockdev.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace testing {

namespace {

gboolean on_ioctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self) {
    return static_cast<EmulatedUsbPrinter*>(self)->handle_ioctl(client);
}

usbdevfs_urb* urb_of(UMockdevIoctlData* d) { return reinterpret_cast<usbdevfs_urb*>(d->data); }

UMockdevIoctlData* resolve(UMockdevIoctlData* data, size_t offset, size_t len) {
    GError* error = nullptr;
    UMockdevIoctlData* out = umockdev_ioctl_data_resolve(data, offset, len, &error);
    if (error) {
        std::fprintf(stderr, "usb emulator: cannot read client memory: %s\n", error->message);
        g_error_free(error);
    }
    return out;
}

std::string hex(const std::vector<uint8_t>& bytes) {
    std::string s;
    char b[3];
    for (uint8_t v : bytes) {
        std::snprintf(b, sizeof b, "%02X", v);
        s += b;
    }
    return s;
}

}  // namespace

EmulatedUsbPrinter::EmulatedUsbPrinter(uint16_t vendor, uint16_t product) : vendor_(vendor), product_(product) {
    const char* preload = std::getenv("LD_PRELOAD");
    if (!preload || !std::strstr(preload, "umockdev-preload"))
        throw std::runtime_error("the USB printer emulator needs umockdev-wrapper (LD_PRELOAD of libumockdev-preload)");
    testbed_ = umockdev_testbed_new();
    handler_ = umockdev_ioctl_base_new();
    g_signal_connect(handler_, "handle-ioctl", G_CALLBACK(on_ioctl), this);
    plug_in();
}

EmulatedUsbPrinter::~EmulatedUsbPrinter() {
    unplug();
    g_object_unref(handler_);
    g_object_unref(testbed_);
}

void EmulatedUsbPrinter::add_device() {
    const uint8_t v0 = vendor_ & 0xFF, v1 = vendor_ >> 8, p0 = product_ & 0xFF, p1 = product_ >> 8;
    const std::vector<uint8_t> descriptors = {
        18, 1, 0x00, 0x02, 0, 0, 0, 64, v0, v1, p0, p1, 0x00, 0x01, 1, 2, 3, 1,  // device
        9, 2, 32, 0, 1, 1, 0, 0xC0, 50,                                          // configuration
        9, 4, 0, 0, 2, 7, 1, 2, 0,                                               // interface: printer, bidirectional
        7, 5, 0x01, 2, 64, 0, 0,                                                 // bulk out
        7, 5, 0x82, 2, 64, 0, 0,                                                 // bulk in
    };
    char node[32], id[8];
    std::snprintf(node, sizeof node, "bus/usb/001/%03d", device_number_);
    devnode_ = std::string("/dev/") + node;
    syspath_ = "/sys/devices/usb1/1-1";
    std::string record = "P: /devices/usb1/1-1\nN: " + std::string(node) +
                         "\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DEVNAME=" + devnode_ +
                         "\nE: BUSNUM=001\nE: DEVNUM=" + std::string(node + 12) +
                         "\nA: busnum=1\nA: devnum=" + std::to_string(device_number_) +
                         "\nA: speed=12\nA: bConfigurationValue=1\n";
    std::snprintf(id, sizeof id, "%04x", vendor_);
    record += "A: idVendor=" + std::string(id) + "\n";
    std::snprintf(id, sizeof id, "%04x", product_);
    record += "A: idProduct=" + std::string(id) + "\nH: descriptors=" + hex(descriptors) + "\n";
    GError* error = nullptr;
    if (!umockdev_testbed_add_from_string(testbed_, record.c_str(), &error) ||
        !umockdev_testbed_attach_ioctl(testbed_, devnode_.c_str(), handler_, &error)) {
        const std::string why = error ? error->message : "unknown";
        if (error) g_error_free(error);
        throw std::runtime_error("usb emulator: " + why);
    }
}

void EmulatedUsbPrinter::plug_in() {
    {
        std::lock_guard lock(mutex_);
        if (plugged_) return;
        ++device_number_;
        plugged_ = true;
        driver_bound_ = true;  // the kernel binds usblp again on every plug
    }
    add_device();
    umockdev_testbed_uevent(testbed_, syspath_.c_str(), "add");
}

void EmulatedUsbPrinter::unplug() {
    {
        std::lock_guard lock(mutex_);
        if (!plugged_) return;
        plugged_ = false;
        for (auto* q : {&pending_reads_, &stalled_writes_, &reapable_}) {
            for (UMockdevIoctlData* d : *q) g_object_unref(d);
            q->clear();
        }
        answers_.clear();
    }
    umockdev_testbed_uevent(testbed_, syspath_.c_str(), "remove");
    GError* error = nullptr;
    umockdev_testbed_detach_ioctl(testbed_, devnode_.c_str(), &error);
    if (error) g_error_free(error);
    umockdev_testbed_remove_device(testbed_, syspath_.c_str());
}

void EmulatedUsbPrinter::set_paper(Paper paper) {
    std::lock_guard lock(mutex_);
    paper_ = paper;
    if (paper != Paper::out) paper_left_ = SIZE_MAX;
}

void EmulatedUsbPrinter::set_cover_open(bool open) {
    std::lock_guard lock(mutex_);
    cover_open_ = open;
}

void EmulatedUsbPrinter::run_out_of_paper_after(size_t bytes) {
    std::lock_guard lock(mutex_);
    paper_left_ = bytes;
}

std::vector<uint8_t> EmulatedUsbPrinter::printed() const {
    std::lock_guard lock(mutex_);
    return printed_;
}

void EmulatedUsbPrinter::clear_printed() {
    std::lock_guard lock(mutex_);
    printed_.clear();
}

int EmulatedUsbPrinter::status_requests() const {
    std::lock_guard lock(mutex_);
    return status_requests_;
}

bool EmulatedUsbPrinter::driver_detached() const {
    std::lock_guard lock(mutex_);
    return !driver_bound_;
}

bool EmulatedUsbPrinter::wait_for_printed(size_t bytes, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return printed_changed_.wait_for(lock, timeout, [&] { return printed_.size() >= bytes; });
}

// Answers as an ESC/POS printer does (bits 1 and 4 always set).
uint8_t EmulatedUsbPrinter::status_byte(int n) const {
    const bool out = paper_ == Paper::out;
    switch (n) {
        case 1: return static_cast<uint8_t>(0x12 | ((out || cover_open_) ? 0x08 : 0));
        case 2: return static_cast<uint8_t>(0x12 | (cover_open_ ? 0x04 : 0) | (out ? 0x20 : 0));
        case 3: return 0x12;
        case 4: return static_cast<uint8_t>(0x12 | (out ? 0x60 : 0) | (paper_ == Paper::low ? 0x0C : 0));
        default: return 0x12;
    }
}

void EmulatedUsbPrinter::complete_pending_reads() {
    while (!answers_.empty() && !pending_reads_.empty()) {
        UMockdevIoctlData* urb = pending_reads_.front();
        pending_reads_.pop_front();
        UMockdevIoctlData* buffer = resolve(urb, offsetof(usbdevfs_urb, buffer), urb_of(urb)->buffer_length);
        size_t n = 0;
        while (!answers_.empty() && n < static_cast<size_t>(urb_of(urb)->buffer_length)) {
            buffer->data[n++] = answers_.front();
            answers_.pop_front();
        }
        urb_of(urb)->actual_length = static_cast<int>(n);
        urb_of(urb)->status = 0;
        reapable_.push_back(urb);
    }
}

// Takes the bytes of a bulk-out URB, or leaves it waiting when the printer has
// no paper or its cover is open (it still answers status requests then).
bool EmulatedUsbPrinter::take_out_urb(UMockdevIoctlData* urb) {
    usbdevfs_urb* u = urb_of(urb);
    UMockdevIoctlData* buffer = resolve(urb, offsetof(usbdevfs_urb, buffer), u->buffer_length);
    const uint8_t* b = buffer->data;
    const size_t len = static_cast<size_t>(u->buffer_length);
    if (len == 3 && b[0] == 0x10 && b[1] == 0x04) {
        ++status_requests_;
        answers_.push_back(status_byte(b[2]));
    } else {
        if (paper_ == Paper::out || cover_open_) return false;
        const size_t taken = std::min(len, paper_left_);
        printed_.insert(printed_.end(), b, b + taken);
        if (paper_left_ != SIZE_MAX) paper_left_ -= taken;
        if (taken < len) {
            paper_ = Paper::out;
            return false;  // the rest of this URB never goes through
        }
        printed_changed_.notify_all();
    }
    u->actual_length = u->buffer_length;
    u->status = 0;
    return true;
}

bool EmulatedUsbPrinter::handle_ioctl(UMockdevIoctlClient* client) {
    std::lock_guard lock(mutex_);
    const gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
    auto done = [&](long result, int error) {
        umockdev_ioctl_client_complete(client, result, error);
        return true;
    };
    if (!plugged_) return done(-1, ENODEV);
    switch (request) {
        case USBDEVFS_GET_CAPABILITIES: {
            const uint32_t caps = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM;
            std::memcpy(resolve(arg, 0, sizeof caps)->data, &caps, sizeof caps);
            return done(0, 0);
        }
        case USBDEVFS_GETDRIVER: {
            if (!driver_bound_) return done(-1, ENODATA);
            auto* d = reinterpret_cast<usbdevfs_getdriver*>(resolve(arg, 0, sizeof(usbdevfs_getdriver))->data);
            std::snprintf(d->driver, sizeof d->driver, "usblp");
            return done(0, 0);
        }
        case USBDEVFS_IOCTL: {
            const auto* io = reinterpret_cast<usbdevfs_ioctl*>(resolve(arg, 0, sizeof(usbdevfs_ioctl))->data);
            if (io->ioctl_code == static_cast<int>(USBDEVFS_DISCONNECT)) driver_bound_ = false;
            if (io->ioctl_code == static_cast<int>(USBDEVFS_CONNECT)) driver_bound_ = true;
            return done(0, 0);
        }
        case USBDEVFS_CLAIMINTERFACE:
            return driver_bound_ ? done(-1, EBUSY) : done(0, 0);
        case USBDEVFS_RELEASEINTERFACE:
        case USBDEVFS_CLEAR_HALT:
        case USBDEVFS_SETINTERFACE:
        case USBDEVFS_RESET:
            return done(0, 0);
        case USBDEVFS_SUBMITURB: {
            UMockdevIoctlData* urb = resolve(arg, 0, sizeof(usbdevfs_urb));
            g_object_ref(urb);
            if (urb_of(urb)->endpoint & 0x80) {
                pending_reads_.push_back(urb);
            } else if (take_out_urb(urb)) {
                reapable_.push_back(urb);
            } else {
                stalled_writes_.push_back(urb);
            }
            complete_pending_reads();
            return done(0, 0);
        }
        case USBDEVFS_DISCARDURB: {
            const gulong address = *reinterpret_cast<gulong*>(arg->data);
            for (auto* q : {&pending_reads_, &stalled_writes_})
                for (auto it = q->begin(); it != q->end(); ++it)
                    if ((*it)->client_addr == address) {
                        urb_of(*it)->status = -ENOENT;
                        urb_of(*it)->actual_length = 0;
                        reapable_.push_back(*it);
                        q->erase(it);
                        return done(0, 0);
                    }
            return done(-1, EINVAL);
        }
        case USBDEVFS_REAPURB:
        case USBDEVFS_REAPURBNDELAY: {
            if (reapable_.empty()) return done(-1, EAGAIN);
            UMockdevIoctlData* urb = reapable_.front();
            reapable_.pop_front();
            umockdev_ioctl_data_set_ptr(resolve(arg, 0, sizeof(void*)), 0, urb);
            g_object_unref(urb);
            return done(0, 0);
        }
        default:
            std::fprintf(stderr, "usb emulator: ioctl %lx not emulated\n", request);
            return done(-1, ENOTTY);
    }
}

}  // namespace testing
