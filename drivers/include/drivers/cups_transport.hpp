// cups_transport: a raw queue of a CUPS spooler (libcups). Used where a center
// already runs CUPS (a counter's printer shared by several PCs) or wants its
// job history. The job is followed until CUPS says it completed, so "printed"
// means the backend handed every byte to the device, and an aborted or stopped
// job is reported with CUPS's own reason.
#pragma once
#include <chrono>
#include <cups/cups.h>

#include "drivers/transport.hpp"

namespace drivers {

struct CupsOptions {
    std::string queue;
    std::string server;  // empty: the default cupsd; else host[:port] or a socket path
    std::chrono::milliseconds job_timeout{30000};
};

class CupsTransport : public Transport {
public:
    explicit CupsTransport(CupsOptions options);
    ~CupsTransport() override;

    std::string describe() const override { return "cups queue " + options_.queue; }
    PrinterStatus status() override;
    void begin(const JobInfo& job) override;
    void write(std::span<const uint8_t> bytes) override;
    void finish() override;
    void abort() noexcept override;

    int last_job_id() const { return job_id_; }

private:
    http_t* connection();  // (re)connects; throws TransportError
    ipp_t* request(ipp_op_t op);
    void wait_for_job();

    CupsOptions options_;
    http_t* http_ = nullptr;
    int job_id_ = 0;
};

}  // namespace drivers
