// tcp_transport: a network printer's raw port (9100, "JetDirect"). One TCP
// connection per job, closed at the end, which is how such printers know a job
// is over. Every step has a deadline: a printer that stops reading (paper out
// with a full buffer) or a cable pulled mid-ticket is an error within seconds,
// not a kiosk frozen forever. Status is asked with DLE EOT on a short-lived
// connection; printers that don't answer are taken as ready.
#pragma once
#include <chrono>
#include <optional>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "drivers/transport.hpp"

namespace drivers {

struct TcpTimeouts {
    std::chrono::milliseconds connect{3000};
    std::chrono::milliseconds write{5000};
    std::chrono::milliseconds status{400};  // per status byte
};

class TcpTransport : public Transport {
public:
    TcpTransport(std::string host, uint16_t port, TcpTimeouts timeouts = {});

    std::string describe() const override { return "tcp " + host_ + ":" + std::to_string(port_); }
    PrinterStatus status() override;
    void begin(const JobInfo& job) override;
    void write(std::span<const uint8_t> bytes) override;
    void finish() override;
    void abort() noexcept override;

private:
    void connect();
    // Runs the io_context until the pending operation ends or the deadline passes
    // (then the socket is closed and false returned).
    bool run_until(std::chrono::milliseconds deadline);
    std::optional<uint8_t> ask_status(int n);

    std::string host_;
    uint16_t port_;
    TcpTimeouts timeouts_;
    std::optional<bool> answers_status_;  // learnt at the first status request
    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_{io_};
};

}  // namespace drivers
