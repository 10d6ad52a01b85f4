// usb_printer_emulator: a USB thermal printer at the kernel interface, for tests.
//
// umockdev builds a fake sysfs entry (descriptors: one printer-class interface
// with bulk out 0x01 and bulk in 0x82) and a fake /dev/bus/usb node whose ioctls
// come here: the usbdevfs calls libusb makes (claim, the usblp driver detach,
// submit/reap/discard URBs). Bytes written are captured; `DLE EOT n` gets the
// answer a real printer would give for the current paper and cover state; with
// paper out the printer stops taking data, as real ones do. The test program
// must run under `umockdev-wrapper` (LD_PRELOAD of libumockdev-preload).
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

typedef struct _UMockdevTestbed UMockdevTestbed;
typedef struct _UMockdevIoctlBase UMockdevIoctlBase;
typedef struct _UMockdevIoctlClient UMockdevIoctlClient;
typedef struct _UMockdevIoctlData UMockdevIoctlData;

namespace testing {

class EmulatedUsbPrinter {
public:
    enum class Paper { ok, low, out };

    explicit EmulatedUsbPrinter(uint16_t vendor = 0x0416, uint16_t product = 0x5011);
    ~EmulatedUsbPrinter();

    void unplug();   // the node goes away; open handles get ENODEV
    void plug_in();  // back, at the next device address, as after a real replug
    void set_paper(Paper paper);
    void set_cover_open(bool open);
    // The paper runs out after this many more raster bytes are taken.
    void run_out_of_paper_after(size_t bytes);

    std::vector<uint8_t> printed() const;  // everything taken, status requests removed
    void clear_printed();
    int status_requests() const;
    bool driver_detached() const;  // usblp was asked to let go
    bool wait_for_printed(size_t bytes, std::chrono::milliseconds timeout) const;

    // Called from umockdev's worker thread.
    bool handle_ioctl(UMockdevIoctlClient* client);

private:
    void add_device();
    uint8_t status_byte(int n) const;
    void complete_pending_reads();
    bool take_out_urb(UMockdevIoctlData* urb);

    UMockdevTestbed* testbed_ = nullptr;
    UMockdevIoctlBase* handler_ = nullptr;
    uint16_t vendor_, product_;
    int device_number_ = 1;
    std::string syspath_, devnode_;

    mutable std::mutex mutex_;
    mutable std::condition_variable printed_changed_;
    bool plugged_ = false, driver_bound_ = true, cover_open_ = false;
    Paper paper_ = Paper::ok;
    size_t paper_left_ = SIZE_MAX;
    int status_requests_ = 0;
    std::vector<uint8_t> printed_;
    std::deque<uint8_t> answers_;                  // status bytes waiting for a read
    std::deque<UMockdevIoctlData*> pending_reads_;  // bulk-in URBs not yet answered
    std::deque<UMockdevIoctlData*> stalled_writes_;
    std::deque<UMockdevIoctlData*> reapable_;
};

}  // namespace testing
