// server: Beast listener, HTTP sessions and WebSocket sessions (see server.hpp).
#include "api/server.hpp"

#include <algorithm>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <limits>
#include <map>
#include <spdlog/spdlog.h>

namespace api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

void run_later(asio::io_context& io, std::chrono::milliseconds after, Task task) {
    auto timer = std::make_shared<asio::steady_timer>(io, after);
    timer->async_wait([timer, task = std::move(task)](const boost::system::error_code& ec) {
        if (!ec) task();
    });
}

using tcp = asio::ip::tcp;

struct Server::Shared {
    Core& core;
    ServerLimits limits;
    size_t connections = 0;
    std::map<std::string, size_t> per_address;  // open connections by client address
};

namespace {

// Keeps the connection counts honest whatever way a session ends.
struct Slot {
    std::shared_ptr<Server::Shared> shared;
    std::string address;
    Slot(std::shared_ptr<Server::Shared> s, std::string a) : shared(std::move(s)), address(std::move(a)) {
        ++shared->connections;
        ++shared->per_address[address];
    }
    ~Slot() {
        --shared->connections;
        if (auto it = shared->per_address.find(address); it != shared->per_address.end() && --it->second == 0)
            shared->per_address.erase(it);
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
};

// Only the Authorization header carries a token; ?token= is read, for the
// event stream alone, by Core::admit.
std::string bearer_token(const http::request_parser<http::string_body>::value_type& req) {
    const auto auth = req[http::field::authorization];
    if (auth.size() > 7 && (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer ")) return std::string(auth.substr(7));
    return {};
}

int64_t since_param(const std::string& target) {
    const auto query = parse_query(target);
    const auto it = query.find("since");
    if (it == query.end()) return 0;
    int64_t v = 0;
    for (size_t i = 0; i < it->second.size() && i < 18 && std::isdigit(static_cast<unsigned char>(it->second[i])); ++i)
        v = v * 10 + (it->second[i] - '0');
    return v;
}

// Served pages may run only our own scripts, in no one else's frame.
void set_security_headers(http::response<http::string_body>& res) {
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'");
    res.set("X-Frame-Options", "DENY");
    res.set("Referrer-Policy", "no-referrer");
}

// ---------------------------------------------------------------- WebSocket

class WsSession : public Subscriber, public std::enable_shared_from_this<WsSession> {
public:
    WsSession(tcp::socket&& socket, std::shared_ptr<Server::Shared> shared, std::unique_ptr<Slot> slot)
        : ws_(std::move(socket)), shared_(std::move(shared)), slot_(std::move(slot)) {}

    void run(http::request<http::string_body> req, Core::Admission admitted, int64_t since) {
        admitted_ = std::move(admitted);
        since_ = since;
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.read_message_max(4096);
        ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
    }

    // Events come only while there is room (the hub waits for drained()); notices
    // may come beyond it, and a client that lets even those pile up is cut off.
    void send(Text text) override {
        if (closed_) return;
        if (queue_.size() >= 2 * shared_->limits.ws_backlog) {
            spdlog::warn("closing a WebSocket client that left {} messages unread", queue_.size());
            close();
            return;
        }
        queue_.push_back(std::move(text));
        if (queue_.size() == 1) write_next();
    }

    size_t room() const override {
        return closed_ || queue_.size() >= shared_->limits.ws_backlog ? 0 : shared_->limits.ws_backlog - queue_.size();
    }

    void close() override {
        if (closed_) return;
        closed_ = true;
        shared_->core.unsubscribe(this);
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

private:
    void on_accept(beast::error_code ec) {
        if (ec) return;
        shared_->core.open_stream(admitted_, shared_from_this(), since_);
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
            // Half empty: time for more of what it missed (flow-controlled resume).
            if (self->queue_.size() <= self->shared_->limits.ws_backlog / 2) self->shared_->core.drained(self.get());
        });
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
    std::deque<Text> queue_;
    Core::Admission admitted_;  // which stream: the events (and who), or a followed ticket
    int64_t since_ = 0;
    bool closed_ = false;
};

// ---------------------------------------------------------------- HTTP

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket&& socket, std::shared_ptr<Server::Shared> shared, std::string address)
        : stream_(std::move(socket)), shared_(std::move(shared)), address_(address),
          slot_(std::make_unique<Slot>(shared_, std::move(address))) {}

    void run() { read_next(std::chrono::seconds(shared_->limits.request_seconds)); }

private:
    void read_next(std::chrono::seconds timeout) {
        parser_.emplace();
        parser_->header_limit(static_cast<uint32_t>(shared_->limits.header_bytes));
        // The header is read first with no body limit (boost::none would refuse any
        // body); the route's own limit is set in on_header, before a byte of the body.
        parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
        stream_.expires_after(timeout);
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
    }

    // The route table decides from the header alone: who is sending, whether
    // they may, and how large a body this route takes. A refusal is answered
    // before a byte of the body is read.
    void on_header(beast::error_code ec) {
        if (ec) return on_read(ec);
        const auto& req = parser_->get();
        Request head;
        head.method = std::string(req.method_string());
        head.target = std::string(req.target());
        head.token = bearer_token(req);
        const auto query = parse_query(head.target);
        if (auto t = query.find("token"); t != query.end()) head.query_token = t->second;
        head.signature = std::string(req["X-Signature"]);
        head.timestamp = std::string(req["X-Timestamp"]);
        head.peer = address_;
        head.forwarded_for = std::string(req["X-Forwarded-For"]);
        head.upgrade = websocket::is_upgrade(req);
        admitted_ = shared_->core.admit(head);
        if (admitted_.refusal) return reply_and_close(std::move(*admitted_.refusal));
        if (parser_->content_length().value_or(0) > admitted_.body_limit) return on_read(http::error::body_limit);
        parser_->body_limit(admitted_.body_limit);
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this(), head = std::move(head)](beast::error_code e, size_t) mutable {
                             self->on_read(e, std::move(head));
                         });
    }

    void on_read(beast::error_code ec, Request r = {}) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset || ec == asio::error::eof)
            return shutdown();
        if (ec == http::error::body_limit)
            return reply_and_close(error_reply(413, "too_large", "the body is larger than this route takes"));
        if (ec == http::error::header_limit)
            return reply_and_close(error_reply(431, "headers_too_large", "the headers are too large"));
        if (ec) return reply_and_close(error_reply(400, "bad_request", "malformed HTTP request: " + ec.message()));

        auto req = parser_->release();
        if (admitted_.stream()) return upgrade(std::move(req));
        r.body = std::move(req.body());
        const unsigned version = req.version();
        const bool keep_alive = req.keep_alive();
        stream_.expires_never();  // the reply may wait for the disk; the read timeout starts again after it
        shared_->core.dispatch(admitted_, std::move(r), [self = shared_from_this(), version, keep_alive](Reply reply) {
            self->respond(std::move(reply), version, keep_alive);
        });
    }

    void upgrade(http::request<http::string_body> req) {
        stream_.expires_never();
        const int64_t since = since_param(std::string(req.target()));
        std::make_shared<WsSession>(stream_.release_socket(), shared_, std::move(slot_))->run(std::move(req), admitted_, since);
    }

    void respond(Reply reply, unsigned version, bool keep_alive) {
        auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(reply.status), version);
        res->set(http::field::server, "queue-server");
        res->set(http::field::content_type, reply.content_type);
        res->set(http::field::cache_control, reply.cache_control);
        if (reply.retry_after_s > 0) res->set(http::field::retry_after, std::to_string(reply.retry_after_s));
        set_security_headers(*res);
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
        if (!ec) {
            linger_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(shared_->limits.linger_seconds);
            drain(0);
        }
    }

    // After a reply that ends the connection (a 413 before the body was read),
    // the client may still be sending. Closing with its bytes unread would make
    // the kernel answer with a reset that can destroy our reply before the
    // client reads it, so what comes is read and dropped for a moment first
    // (Apache's "lingering close"): up to 8 MiB, and never past a deadline, so
    // a client trickling a byte at a time cannot hold the connection.
    void drain(size_t dropped) {
        if (dropped > 8 * 1024 * 1024 || std::chrono::steady_clock::now() >= linger_until_) return;
        buffer_.consume(buffer_.size());
        stream_.expires_at(linger_until_);
        stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this(), dropped](beast::error_code ec, size_t n) {
            if (!ec) self->drain(dropped + n);
        });
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<Server::Shared> shared_;
    std::string address_;
    std::unique_ptr<Slot> slot_;
    Core::Admission admitted_;
    std::chrono::steady_clock::time_point linger_until_;
};

}  // namespace

// ---------------------------------------------------------------- listener

class Server::Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(asio::io_context& io, std::shared_ptr<Shared> shared, const tcp::endpoint& at)
        : acceptor_(io), retry_(io), shared_(std::move(shared)) {
        acceptor_.open(at.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind(at);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    }
    void accept_next() {
        acceptor_.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted) return;
            if (ec) return self->back_off(ec);
            self->backoff_ms_ = 0;
            self->take(std::move(socket));
            self->accept_next();
        });
    }
    uint16_t port() const { return acceptor_.local_endpoint().port(); }
    void stop() {
        beast::error_code ec;
        acceptor_.close(ec);
        retry_.cancel();
    }

private:
    // Full, or this address holds its share already: refuse early rather than slow everyone down.
    void take(tcp::socket socket) {
        beast::error_code ec;
        const auto peer = socket.remote_endpoint(ec);
        if (ec) return;
        const std::string address = peer.address().to_string();
        const auto held = shared_->per_address.find(address);
        if (shared_->connections >= shared_->limits.max_connections ||
            (held != shared_->per_address.end() && held->second >= shared_->limits.per_address)) {
            socket.close(ec);
            return;
        }
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<HttpSession>(std::move(socket), shared_, address)->run();
    }

    // Out of file descriptors (EMFILE) or another accept error: trying again at
    // once would spin the loop, so wait, longer each time, up to a second.
    void back_off(const beast::error_code& ec) {
        backoff_ms_ = std::min<int>(1000, backoff_ms_ ? backoff_ms_ * 2 : 10);
        spdlog::warn("accept failed ({}); trying again in {} ms", ec.message(), backoff_ms_);
        retry_.expires_after(std::chrono::milliseconds(backoff_ms_));
        retry_.async_wait([self = shared_from_this()](beast::error_code e) {
            if (!e) self->accept_next();
        });
    }

    tcp::acceptor acceptor_;
    asio::steady_timer retry_;
    std::shared_ptr<Shared> shared_;
    int backoff_ms_ = 0;
};

Server::Server(asio::io_context& io, Core& core, const std::string& host, uint16_t port, ServerLimits limits)
    : shared_(std::make_shared<Shared>(Shared{core, limits, 0, {}})) {
    listener_ = std::make_shared<Listener>(io, shared_, tcp::endpoint(asio::ip::make_address(host), port));
    listener_->accept_next();
}

Server::~Server() { stop(); }

uint16_t Server::port() const { return listener_->port(); }

void Server::stop() { listener_->stop(); }

ConnectionCounts Server::connection_counts() const {
    ConnectionCounts c{shared_->connections, 0};
    for (const auto& [address, n] : shared_->per_address) c.busiest_address = std::max(c.busiest_address, n);
    return c;
}

}  // namespace api
