// event_stream: connect → handshake → read, and again after a backoff (see event_stream.hpp).
//
// Each attempt has its own socket and a generation number; a failure closes the
// socket, and handlers of an older generation return without acting, so a late
// callback from a dead link can never touch the new one.
#include "client/event_stream.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "common/backoff.hpp"
#include "common/http_url.hpp"

namespace client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
// One connection attempt: its socket and its read buffer die together.
struct Link {
    explicit Link(asio::io_context& io) : ws(io) {}
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
};

void parse_server_address(const std::string& address, StreamOptions& options) {
    const std::string url = address.find("://") == std::string::npos ? "http://" + address : address;
    const common::HttpUrl u = common::parse_http_url(url, "the server address '" + address + "'", "8080");
    if (u.target != "/")
        throw common::UrlError("server address '" + address + "': expected http://HOST:PORT or HOST:PORT");
    options.host = u.host;
    options.port = u.port;
}

class EventStream::Impl {
public:
    Impl(StreamOptions o, Handlers h, std::atomic<int64_t>& since)
        : options_(std::move(o)), handlers_(std::move(h)), since_(since),
          backoff_(options_.backoff_first, options_.backoff_most, std::hash<std::string>{}(options_.token)) {}

    asio::io_context io;

    void connect() {
        const uint64_t gen = ++generation_;
        auto link = std::make_shared<Link>(io);
        link_ = link;
        link->ws.read_message_max(64 * 1024 * 1024);
        beast::get_lowest_layer(link->ws).expires_after(options_.connect_timeout);
        resolver_.async_resolve(options_.host, options_.port, [this, link, gen](beast::error_code ec, tcp::resolver::results_type r) {
            if (stale(gen)) return;
            if (ec) return fail(gen, "cannot resolve " + options_.host + ": " + ec.message());
            beast::get_lowest_layer(link->ws).async_connect(r, [this, link, gen](beast::error_code ec2, const tcp::endpoint&) {
                if (stale(gen)) return;
                if (ec2) return fail(gen, "cannot connect to " + options_.host + ":" + options_.port + ": " + ec2.message());
                handshake(link, gen);
            });
        });
    }

    void resync() {
        if (link_) fail(generation_, "events missing: resuming from " + std::to_string(since_.load()));
    }

    void stop() {
        stopped_ = true;
        ++generation_;
        timer_.cancel();
        resolver_.cancel();
        if (link_) beast::get_lowest_layer(link_->ws).close();
        link_.reset();
    }

private:
    bool stale(uint64_t gen) const { return stopped_ || gen != generation_; }

    void handshake(const std::shared_ptr<Link>& link, uint64_t gen) {
        beast::get_lowest_layer(link->ws).expires_never();  // the websocket's own timeouts from here
        websocket::stream_base::timeout t{};
        t.handshake_timeout = options_.connect_timeout;
        t.idle_timeout = options_.idle_timeout;
        t.keep_alive_pings = true;
        link->ws.set_option(t);
        const int64_t since = since_.load();
        const std::string target = "/api/events?token=" + options_.token + (since > 0 ? "&since=" + std::to_string(since) : "");
        link->ws.async_handshake(options_.host + ":" + options_.port, target, [this, link, gen](beast::error_code ec) {
            if (stale(gen)) return;
            if (ec) return fail(gen, "the server refused the event stream: " + ec.message());
            backoff_.reset();
            if (handlers_.link) handlers_.link(true, "");
            read(link, gen);
        });
    }

    void read(const std::shared_ptr<Link>& link, uint64_t gen) {
        link->ws.async_read(link->buffer, [this, link, gen](beast::error_code ec, size_t) {
            if (stale(gen)) return;
            if (ec) return fail(gen, "the event stream closed: " + ec.message());
            auto message = nlohmann::json::parse(beast::buffers_to_string(link->buffer.data()), nullptr, false);
            link->buffer.consume(link->buffer.size());
            if (!message.is_discarded() && handlers_.message) handlers_.message(std::move(message));
            read(link, gen);
        });
    }

    void fail(uint64_t gen, const std::string& why) {
        if (stale(gen)) return;
        ++generation_;
        if (link_) beast::get_lowest_layer(link_->ws).close();
        link_.reset();
        if (handlers_.link) handlers_.link(false, why);
        timer_.expires_after(backoff_.next());
        timer_.async_wait([this](beast::error_code ec) {
            if (!ec && !stopped_) connect();
        });
    }

    StreamOptions options_;
    Handlers handlers_;
    std::atomic<int64_t>& since_;
    common::Backoff backoff_;
    tcp::resolver resolver_{io};
    asio::steady_timer timer_{io};
    std::shared_ptr<Link> link_;
    uint64_t generation_ = 0;
    bool stopped_ = false;
};

EventStream::EventStream(StreamOptions options, Handlers handlers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers), since_)) {}

EventStream::~EventStream() { stop(); }

void EventStream::start(int64_t since) {
    if (thread_.joinable()) return;
    since_.store(since);
    asio::post(impl_->io, [this] { impl_->connect(); });
    thread_ = std::thread([this] {
        auto guard = asio::make_work_guard(impl_->io);
        impl_->io.run();
    });
}

void EventStream::resync() {
    asio::post(impl_->io, [this] { impl_->resync(); });
}

void EventStream::stop() {
    if (!thread_.joinable()) return;
    asio::post(impl_->io, [this] {
        impl_->stop();
        impl_->io.stop();
    });
    thread_.join();
}

}  // namespace client
