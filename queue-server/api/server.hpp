// server: HTTP/1.1 and WebSocket on one port (Boost.Beast), in the shape of
// Beast's async server examples: a listener, a session object per connection
// kept alive by shared_from_this, everything on the one event-loop thread, so
// no handler takes a lock.
//
// Limits that keep a bad client from hurting the others: 8 KiB of headers,
// 64 KiB of body, 30 s to send a request, 120 s idle keep-alive, a cap on
// connections, and a WebSocket that falls 4096 messages behind is closed (it
// reconnects with its last seq and gets what it missed).
#pragma once
#include <boost/asio.hpp>
#include <memory>
#include <string>

#include "core.hpp"

namespace api {

struct ServerLimits {
    size_t max_connections = 4096;
    size_t header_bytes = 8 * 1024;
    size_t body_bytes = 64 * 1024;
    size_t upload_bytes = 64 * 1024 * 1024;  // an admin's catalog file (POST /api/admin/catalog)
    size_t feed_bytes = 8 * 1024 * 1024;     // a signed batch of dossier updates (POST /api/feed/dossiers)
    int request_seconds = 30;
    int idle_seconds = 120;
    size_t ws_backlog = 4096;
};

class Server {
public:
    Server(boost::asio::io_context& io, Core& core, const std::string& host, uint16_t port, ServerLimits limits = {});
    ~Server();
    uint16_t port() const;
    void stop();  // stops accepting; open sessions end with their sockets

    struct Shared;  // what sessions share: the core, the limits, the connection count

private:
    std::shared_ptr<Shared> shared_;
    class Listener;
    std::shared_ptr<Listener> listener_;
};

}  // namespace api
