// tcp_transport: blocking steps with deadlines over Asio (see tcp_transport.hpp).
#include "drivers/tcp_transport.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "drivers/errors.hpp"

namespace drivers {

namespace asio = boost::asio;
using boost::system::error_code;

TcpTransport::TcpTransport(std::string host, uint16_t port, TcpTimeouts timeouts)
    : host_(std::move(host)), port_(port), timeouts_(timeouts) {}

bool TcpTransport::run_until(std::chrono::milliseconds deadline) {
    io_.restart();
    io_.run_for(deadline);
    if (io_.stopped()) return true;
    error_code ignored;
    socket_.close(ignored);  // cancels the operation; its handler runs below
    io_.restart();
    io_.run();
    return false;
}

void TcpTransport::connect() {
    error_code ec;
    socket_.close(ec);
    asio::ip::tcp::resolver resolver(io_);
    auto endpoints = resolver.resolve(host_, std::to_string(port_), ec);
    if (ec) throw TransportError("printer " + describe() + ": cannot resolve the host: " + ec.message());
    error_code result = asio::error::would_block;
    asio::async_connect(socket_, endpoints, [&](error_code e, const auto&) { result = e; });
    if (!run_until(timeouts_.connect))
        throw TransportError("printer " + describe() + " did not answer within " +
                             std::to_string(timeouts_.connect.count()) + " ms");
    if (result) throw TransportError("printer " + describe() + ": cannot connect: " + result.message());
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

std::optional<uint8_t> TcpTransport::ask_status(int n) {
    const Bytes request = status_request(n);
    error_code result = asio::error::would_block;
    uint8_t answer = 0;
    asio::async_write(socket_, asio::buffer(request), [&](error_code e, size_t) {
        if (e) {
            result = e;
            return;
        }
        asio::async_read(socket_, asio::buffer(&answer, 1), [&](error_code e2, size_t) { result = e2; });
    });
    if (!run_until(timeouts_.status) || result) return std::nullopt;
    return answer;
}

PrinterStatus TcpTransport::status() {
    // A printer that never answered costs no extra connection per ticket.
    if (answers_status_ == false) return {PrinterState::ready, "ready (the printer does not report its status)"};
    try {
        connect();
    } catch (const TransportError& e) {
        return {PrinterState::offline, e.what()};
    }
    const auto printer = ask_status(1);
    if (!printer) {
        abort();
        answers_status_ = false;
        return {PrinterState::ready, "ready (the printer does not report its status)"};
    }
    answers_status_ = true;
    const auto offline = ask_status(2), error = ask_status(3), paper = ask_status(4);
    abort();
    auto parsed = parse_status(printer, offline, error, paper);
    if (!parsed) return {PrinterState::error, "printer " + describe() + " sent a malformed status byte"};
    return *parsed;
}

void TcpTransport::begin(const JobInfo&) { connect(); }

void TcpTransport::write(std::span<const uint8_t> bytes) {
    if (!socket_.is_open()) throw TransportError("printer " + describe() + ": connection closed");
    error_code result = asio::error::would_block;
    asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()), [&](error_code e, size_t) { result = e; });
    if (!run_until(timeouts_.write))
        throw TransportError("printer " + describe() + " stopped taking data for " +
                             std::to_string(timeouts_.write.count()) + " ms (paper out or jammed?)");
    if (result) throw TransportError("printer " + describe() + ": connection lost: " + result.message());
}

void TcpTransport::finish() {
    error_code ec;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    socket_.close(ec);
    if (ec) throw TransportError("printer " + describe() + ": " + ec.message());
}

void TcpTransport::abort() noexcept {
    error_code ignored;
    socket_.close(ignored);
}

}  // namespace drivers
