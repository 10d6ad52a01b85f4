// transport: printer addresses to transports (see transport.hpp).
#include "drivers/transport.hpp"

#include <charconv>

#include "drivers/cups_transport.hpp"
#include "drivers/errors.hpp"
#include "drivers/file_transport.hpp"
#include "drivers/tcp_transport.hpp"
#include "drivers/usb_transport.hpp"

namespace drivers {

namespace {

template <class T>
std::optional<T> parse_number(std::string_view s, int base) {
    T value{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return value;
}

[[noreturn]] void unknown(std::string_view address, std::string_view why) {
    throw TransportError("printer address '" + std::string(address) + "': " + std::string(why) +
                         " (use usb:, usb:VID:PID, cups:QUEUE, tcp:HOST[:PORT] or file:DIR)");
}

std::unique_ptr<Transport> usb(std::string_view address, std::string_view rest) {
    UsbOptions options;
    if (rest.empty()) return std::make_unique<UsbTransport>(options);
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) unknown(address, "a USB id is VID:PID in hex");
    options.vendor = parse_number<uint16_t>(rest.substr(0, colon), 16);
    options.product = parse_number<uint16_t>(rest.substr(colon + 1), 16);
    if (!options.vendor || !options.product) unknown(address, "a USB id is VID:PID in hex");
    return std::make_unique<UsbTransport>(options);
}

std::unique_ptr<Transport> tcp(std::string_view address, std::string_view rest) {
    uint16_t port = 9100;
    std::string_view host = rest;
    if (const auto colon = rest.rfind(':'); colon != std::string_view::npos && rest.find(']') == std::string_view::npos) {
        const auto p = parse_number<uint16_t>(rest.substr(colon + 1), 10);
        if (!p || *p == 0) unknown(address, "the port is not a number from 1 to 65535");
        port = *p;
        host = rest.substr(0, colon);
    }
    if (host.empty()) unknown(address, "no host");
    return std::make_unique<TcpTransport>(std::string(host), port);
}

std::unique_ptr<Transport> cups(std::string_view address, std::string_view rest) {
    CupsOptions options;
    const auto at = rest.find('@');
    options.queue = std::string(rest.substr(0, at));
    if (at != std::string_view::npos) options.server = std::string(rest.substr(at + 1));
    if (options.queue.empty()) unknown(address, "no queue name");
    return std::make_unique<CupsTransport>(options);
}

}  // namespace

std::unique_ptr<Transport> open_transport(std::string_view address) {
    const auto colon = address.find(':');
    if (colon == std::string_view::npos) unknown(address, "no kind of printer given");
    const std::string_view kind = address.substr(0, colon), rest = address.substr(colon + 1);
    if (kind == "usb") return usb(address, rest);
    if (kind == "tcp") return tcp(address, rest);
    if (kind == "cups") return cups(address, rest);
    if (kind == "file") {
        if (rest.empty()) unknown(address, "no folder");
        return std::make_unique<FileTransport>(std::string(rest));
    }
    unknown(address, "unknown kind of printer '" + std::string(kind) + "'");
}

}  // namespace drivers
