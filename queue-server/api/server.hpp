// server: HTTP/1.1 and WebSocket on one port (Boost.Beast), in the shape of
// Beast's async server examples: a listener, a session object per connection
// kept alive by shared_from_this, everything on the one event-loop thread, so
// no handler takes a lock.
//
// Limits that keep a bad client from hurting the others: 8 KiB of headers,
// each route's own body limit (routes.hpp), 30 s to send a request, 120 s
// idle keep-alive, a cap on connections overall and per client address, a
// deadline on the lingering close, and a WebSocket that is sent events only
// while it has room for them (it catches up as it reads).
#pragma once
#include <boost/asio.hpp>
#include <memory>
#include <string>

#include "api/core.hpp"

namespace api {

struct ServerLimits {
    size_t max_connections = 4096;
    size_t per_address = 256;  // one address (a phone network's NAT holds many citizens) may not take them all
    size_t header_bytes = 8 * 1024;
    int request_seconds = 30;
    int linger_seconds = 5;  // reading what a refused client still sends, at most this long
    int idle_seconds = 120;
    size_t ws_backlog = 4096;  // events queued for one WebSocket client
};

// Runs `task` on `io` once `after` has passed (Core::Executors::later).
void run_later(boost::asio::io_context& io, std::chrono::milliseconds after, Task task);

class Server {
public:
    Server(boost::asio::io_context& io, Core& core, const std::string& host, uint16_t port, ServerLimits limits = {});
    ~Server();
    uint16_t port() const;
    void stop();  // stops accepting; open sessions end with their sockets
    ConnectionCounts connection_counts() const;

    struct Shared;  // what sessions share: the core, the limits, the connection count

private:
    std::shared_ptr<Shared> shared_;
    class Listener;
    std::shared_ptr<Listener> listener_;
};

}  // namespace api
