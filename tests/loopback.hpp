// loopback: TCP listeners on 127.0.0.1 for the tests' fake peers (a network
// printer, a lossy relay, a PostgreSQL port): bound to a free port the kernel
// picks, so tests never collide on a fixed one.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace testing {

inline sockaddr_in loopback_address(uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
}

// Binds `fd` to 127.0.0.1 on a free port and listens; returns the port. Throws naming `who`.
inline uint16_t listen_on_loopback(int fd, int backlog, const std::string& who) {
    sockaddr_in addr = loopback_address(0);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd, backlog) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error(who + ": cannot listen");
    return ntohs(addr.sin_port);
}

// A port free at this moment, for a program that must be told its port (postgres -p).
inline uint16_t free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const uint16_t port = listen_on_loopback(fd, 1, "free port");
    ::close(fd);
    return port;
}

}  // namespace testing
