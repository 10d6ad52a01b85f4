// server: Beast listener, HTTP sessions and WebSocket sessions (see server.hpp).
#include "server.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <spdlog/spdlog.h>

namespace api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct Server::Shared {
    Core& core;
    ServerLimits limits;
    size_t connections = 0;
};

namespace {

// Keeps the connection count honest whatever way a session ends.
struct Slot {
    std::shared_ptr<Server::Shared> shared;
    explicit Slot(std::shared_ptr<Server::Shared> s) : shared(std::move(s)) { ++shared->connections; }
    ~Slot() { --shared->connections; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
};

std::string bearer_token(const http::request<http::string_body>& req, const std::string& target) {
    const auto auth = req[http::field::authorization];
    if (auth.size() > 7 && (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer ")) return std::string(auth.substr(7));
    // Browsers cannot set headers on a WebSocket: the token may come as ?token=.
    const auto q = target.find("token=");
    if (q != std::string::npos && (target[q - 1] == '?' || target[q - 1] == '&')) {
        const auto end = target.find('&', q);
        return target.substr(q + 6, end == std::string::npos ? std::string::npos : end - q - 6);
    }
    return {};
}

int64_t since_param(const std::string& target) {
    const auto q = target.find("since=");
    if (q == std::string::npos || (target[q - 1] != '?' && target[q - 1] != '&')) return 0;
    int64_t v = 0;
    for (size_t i = q + 6; i < target.size() && i < q + 24 && std::isdigit(static_cast<unsigned char>(target[i])); ++i)
        v = v * 10 + (target[i] - '0');
    return v;
}

// ---------------------------------------------------------------- WebSocket

class WsSession : public Subscriber, public std::enable_shared_from_this<WsSession> {
public:
    WsSession(tcp::socket&& socket, std::shared_ptr<Server::Shared> shared, std::unique_ptr<Slot> slot)
        : ws_(std::move(socket)), shared_(std::move(shared)), slot_(std::move(slot)) {}

    void run(http::request<http::string_body> req, int64_t since) {
        since_ = since;
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.read_message_max(4096);
        ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
    }

    void send(std::shared_ptr<const std::string> text) override {
        if (closed_) return;
        if (queue_.size() >= shared_->limits.ws_backlog) {
            spdlog::warn("closing a WebSocket client that fell {} events behind", queue_.size());
            close();
            return;
        }
        queue_.push_back(std::move(text));
        if (queue_.size() == 1) write_next();
    }

private:
    void on_accept(beast::error_code ec) {
        if (ec) return;
        shared_->core.subscribe(shared_from_this(), since_);
        read_next();
    }

    // Clients have nothing to say; reading keeps pings and close frames flowing.
    void read_next() {
        ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return self->finish();
            self->in_.consume(self->in_.size());
            self->read_next();
        });
    }

    void write_next() {
        ws_.text(true);
        // The handler owns the text it writes: closing the session never frees a buffer under a write.
        auto text = queue_.front();
        ws_.async_write(asio::buffer(*text), [self = shared_from_this(), text](beast::error_code ec, size_t) {
            if (ec || self->closed_) return self->finish();
            self->queue_.pop_front();
            if (!self->queue_.empty()) self->write_next();
        });
    }

    void close() {
        closed_ = true;
        shared_->core.unsubscribe(this);
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

    void finish() {
        if (!closed_) {
            closed_ = true;
            shared_->core.unsubscribe(this);
        }
    }

    websocket::stream<beast::tcp_stream> ws_;
    std::shared_ptr<Server::Shared> shared_;
    std::unique_ptr<Slot> slot_;
    beast::flat_buffer in_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    int64_t since_ = 0;
    bool closed_ = false;
};

// ---------------------------------------------------------------- HTTP

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket&& socket, std::shared_ptr<Server::Shared> shared)
        : stream_(std::move(socket)), shared_(std::move(shared)), slot_(std::make_unique<Slot>(shared_)) {}

    void run() { read_next(std::chrono::seconds(shared_->limits.request_seconds)); }

private:
    void read_next(std::chrono::seconds timeout) {
        parser_.emplace();
        parser_->header_limit(static_cast<uint32_t>(shared_->limits.header_bytes));
        parser_->body_limit(std::max(shared_->limits.body_bytes, shared_->limits.upload_bytes));  // see on_header
        stream_.expires_after(timeout);
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
    }

    // Only an admin's catalog upload may be larger than the usual body limit;
    // the token is checked before a byte of the large body is read. (Beast
    // checks a Content-Length against the limit as the header ends, so the
    // header is read with the large limit and the usual one applied here.)
    void on_header(beast::error_code ec) {
        if (ec) return on_read(ec);
        const auto& req = parser_->get();
        const std::string target(req.target());
        size_t limit = shared_->limits.body_bytes;
        if (req.method() == http::verb::post && target.rfind("/api/admin/catalog", 0) == 0) {
            const auto who = shared_->core.authenticate(bearer_token(req, target));
            if (who && who->role == "admin") limit = shared_->limits.upload_bytes;
        }
        // The feed's signature covers the body, so it can only be checked after
        // reading it; a signed-looking request may bring a batch of updates.
        if (req.method() == http::verb::post && target.rfind("/api/feed/dossiers", 0) == 0 && !req["X-Signature"].empty())
            limit = shared_->limits.feed_bytes;
        if (parser_->content_length().value_or(0) > limit) return on_read(http::error::body_limit);
        parser_->body_limit(limit);
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code e, size_t) { self->on_read(e); });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset || ec == asio::error::eof)
            return shutdown();
        if (ec == http::error::body_limit)
            return reply_and_close(error_reply(413, "too_large", "the body is larger than the server takes"));
        if (ec == http::error::header_limit)
            return reply_and_close(error_reply(431, "headers_too_large", "the headers are too large"));
        if (ec) return reply_and_close(error_reply(400, "bad_request", "malformed HTTP request: " + ec.message()));

        auto req = parser_->release();
        const std::string target(req.target());
        if (websocket::is_upgrade(req)) return upgrade(std::move(req), target);

        Request r{std::string(req.method_string()), target, std::move(req.body()), bearer_token(req, target),
                  std::string(req["X-Signature"]), std::string(req["X-Timestamp"])};
        if (r.target.rfind("/api/events", 0) == 0)
            return respond(error_reply(426, "upgrade_required", "/api/events is a WebSocket"), req.version(), req.keep_alive());
        const unsigned version = req.version();
        const bool keep_alive = req.keep_alive();
        stream_.expires_never();  // the reply may wait for the disk; the read timeout starts again after it
        shared_->core.handle(r, [self = shared_from_this(), version, keep_alive](Reply reply) {
            self->respond(std::move(reply), version, keep_alive);
        });
    }

    void upgrade(http::request<http::string_body> req, const std::string& target) {
        if (target.rfind("/api/events", 0) != 0)
            return reply_and_close(error_reply(404, "not_found", "WebSocket is served at /api/events"));
        if (!shared_->core.authenticate(bearer_token(req, target)))
            return reply_and_close(error_reply(401, "unauthorized", "a valid token is needed (?token= or Authorization)"));
        stream_.expires_never();
        std::make_shared<WsSession>(stream_.release_socket(), shared_, std::move(slot_))->run(std::move(req), since_param(target));
    }

    void respond(Reply reply, unsigned version, bool keep_alive) {
        auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(reply.status), version);
        res->set(http::field::server, "queue-server");
        res->set(http::field::content_type, reply.content_type);
        res->set(http::field::cache_control, reply.cache_control);
        res->keep_alive(keep_alive);
        res->body() = std::move(reply.body);
        res->prepare_payload();
        stream_.expires_after(std::chrono::seconds(shared_->limits.request_seconds));
        http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, size_t) {
            if (ec || !res->keep_alive()) return self->shutdown();
            self->read_next(std::chrono::seconds(self->shared_->limits.idle_seconds));
        });
    }

    void reply_and_close(Reply reply) { respond(std::move(reply), 11, false); }

    void shutdown() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        if (!ec) drain(0);
    }

    // After a reply that ends the connection (a 413 before the body was read),
    // the client may still be sending. Closing with its bytes unread would make
    // the kernel answer with a reset that can destroy our reply before the
    // client reads it, so what comes is read and dropped for a moment first
    // (Apache's "lingering close"): up to 8 MiB, 2 s at a time.
    void drain(size_t dropped) {
        if (dropped > 8 * 1024 * 1024) return;
        buffer_.consume(buffer_.size());
        stream_.expires_after(std::chrono::seconds(2));
        stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this(), dropped](beast::error_code ec, size_t n) {
            if (!ec) self->drain(dropped + n);
        });
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<Server::Shared> shared_;
    std::unique_ptr<Slot> slot_;
};

}  // namespace

// ---------------------------------------------------------------- listener

class Server::Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(asio::io_context& io, std::shared_ptr<Shared> shared, const tcp::endpoint& at)
        : acceptor_(io), shared_(std::move(shared)) {
        acceptor_.open(at.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind(at);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    }
    void accept_next() {
        acceptor_.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted) return;
            if (!ec) {
                if (self->shared_->connections >= self->shared_->limits.max_connections) {
                    socket.close();  // full: refuse early rather than slow everyone down
                } else {
                    socket.set_option(tcp::no_delay(true));
                    std::make_shared<HttpSession>(std::move(socket), self->shared_)->run();
                }
            }
            self->accept_next();
        });
    }
    uint16_t port() const { return acceptor_.local_endpoint().port(); }
    void stop() {
        beast::error_code ec;
        acceptor_.close(ec);
    }

private:
    tcp::acceptor acceptor_;
    std::shared_ptr<Shared> shared_;
};

Server::Server(asio::io_context& io, Core& core, const std::string& host, uint16_t port, ServerLimits limits)
    : shared_(std::make_shared<Shared>(Shared{core, limits, 0})) {
    listener_ = std::make_shared<Listener>(io, shared_, tcp::endpoint(asio::ip::make_address(host), port));
    listener_->accept_next();
}

Server::~Server() { stop(); }

uint16_t Server::port() const { return listener_->port(); }

void Server::stop() { listener_->stop(); }

}  // namespace api
