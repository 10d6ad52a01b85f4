// pull: one HTTP GET at a time, a deadline over the whole of it, backoff
// after a failure (see pull.hpp).
#include "feed/pull.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <spdlog/spdlog.h>

namespace feed {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

}  // namespace

nlohmann::json PullStatus::to_json() const {
    return {{"url", url},
            {"cursor", cursor},
            {"polls", polls},
            {"pages", pages},
            {"applied", applied},
            {"duplicates", duplicates},
            {"failed_polls", failed_polls},
            {"failures_in_a_row", failures_in_a_row},
            {"last_error", last_error},
            {"last_success_ms", last_success_ms},
            {"last_failure_ms", last_failure_ms}};
}

// One request: its socket, its buffers, and the deadline over all of it.
struct PullConnector::Attempt {
    explicit Attempt(asio::io_context& io) : resolver(io), stream(io), deadline(io) {}
    tcp::resolver resolver;
    beast::tcp_stream stream;
    asio::steady_timer deadline;
    beast::flat_buffer buffer;
    http::request<http::empty_body> request;
    std::optional<http::response_parser<http::string_body>> parser;
    bool timed_out = false;

    void cancel() {
        resolver.cancel();
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream.close();
        deadline.cancel();
    }
};

PullConnector::PullConnector(asio::io_context& io, PullConfig config, std::string cursor, Sink sink,
                             std::function<int64_t()> clock)
    : io_(io),
      config_(std::move(config)),
      url_(parse_http_url(config_.url)),
      cursor_(std::move(cursor)),
      sink_(std::move(sink)),
      clock_(std::move(clock)),
      backoff_(config_.backoff_first, config_.backoff_most, std::hash<std::string>{}(config_.url)),
      next_poll_(io) {
    status_.url = config_.url;
    status_.cursor = cursor_;
}

PullConnector::~PullConnector() = default;

void PullConnector::start() {
    stopped_ = false;
    schedule(std::chrono::milliseconds(0));
}

void PullConnector::stop() {
    stopped_ = true;
    next_poll_.cancel();
    if (attempt_) attempt_->cancel();
    attempt_.reset();
}

void PullConnector::schedule(std::chrono::milliseconds delay) {
    if (stopped_) return;
    next_poll_.expires_after(delay);
    next_poll_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (!ec && !self->stopped_) self->poll();
    });
}

// Resolve, connect, send, read: each step first checks that its attempt is
// still the current one (the deadline or stop() may have ended it).
void PullConnector::poll() {
    ++status_.polls;
    auto a = std::make_shared<Attempt>(io_);
    attempt_ = a;
    const std::string target = url_.target + (url_.target.find('?') == std::string::npos ? "?" : "&") +
                               "cursor=" + common::percent_encode(cursor_) + "&limit=" + std::to_string(config_.page_size);
    a->request = {http::verb::get, target, 11};
    a->request.set(http::field::host, url_.host);
    a->request.set(http::field::accept, "application/json");
    a->request.set(http::field::user_agent, "service-center-queue-server");
    if (!config_.token.empty()) a->request.set(http::field::authorization, "Bearer " + config_.token);
    a->parser.emplace();
    a->parser->body_limit(config_.max_body);
    a->deadline.expires_after(config_.timeout);
    a->deadline.async_wait([self = shared_from_this(), a](const boost::system::error_code& ec) {
        if (ec || !self->current(a)) return;
        a->timed_out = true;
        a->cancel();
    });
    a->resolver.async_resolve(url_.host, url_.port, [self = shared_from_this(), a](auto ec, tcp::resolver::results_type hosts) {
        if (ec) return self->failed(a, "resolve", ec);
        self->connect(a, hosts);
    });
}

bool PullConnector::current(const std::shared_ptr<Attempt>& a) const { return attempt_ == a && !stopped_; }

void PullConnector::connect(const std::shared_ptr<Attempt>& a, const tcp::resolver::results_type& hosts) {
    if (!current(a)) return;
    a->stream.async_connect(hosts, [self = shared_from_this(), a](const boost::system::error_code& ec, const tcp::endpoint&) {
        if (ec) return self->failed(a, "connect", ec);
        if (!self->current(a)) return;
        http::async_write(a->stream, a->request, [self, a](const boost::system::error_code& wec, size_t) {
            if (wec) return self->failed(a, "send", wec);
            self->receive(a);
        });
    });
}

void PullConnector::receive(const std::shared_ptr<Attempt>& a) {
    if (!current(a)) return;
    http::async_read(a->stream, a->buffer, *a->parser, [self = shared_from_this(), a](const boost::system::error_code& ec, size_t) {
        if (ec) return self->failed(a, "read", ec);
        if (!self->current(a)) return;
        a->cancel();
        self->attempt_.reset();
        auto& response = a->parser->get();
        if (response.result() != http::status::ok)
            return self->fail("the backend answered HTTP " + std::to_string(response.result_int()) + " " +
                              std::string(response.reason()));
        self->take(std::move(response.body()));
    });
}

void PullConnector::failed(const std::shared_ptr<Attempt>& a, const char* step, const boost::system::error_code& ec) {
    if (!current(a)) return;
    a->cancel();
    if (a->timed_out) fail("no answer within " + std::to_string(config_.timeout.count()) + " ms");
    else fail(std::string(step) + ": " + ec.message());
}

void PullConnector::take(std::string body) {
    // Weak: a page still being saved must not keep a stopped connector alive.
    sink_(std::move(body), [weak = weak_from_this()](PageOutcome outcome) {
        auto self = weak.lock();
        if (!self || self->stopped_) return;
        if (!outcome.error.empty()) return self->fail("the page was refused: " + outcome.error);
        self->on_saved(outcome);
    });
}

void PullConnector::on_saved(const PageOutcome& outcome) {
    cursor_ = outcome.cursor;
    backoff_.reset();
    ++status_.pages;
    status_.cursor = cursor_;
    status_.applied += outcome.applied;
    status_.duplicates += outcome.duplicates;
    status_.failures_in_a_row = 0;
    status_.last_success_ms = clock_();
    schedule(outcome.more ? std::chrono::milliseconds(0) : config_.interval);
}

void PullConnector::fail(const std::string& why) {
    attempt_.reset();
    ++status_.failed_polls;
    status_.failures_in_a_row = backoff_.failures() + 1;
    status_.last_error = why;
    status_.last_failure_ms = clock_();
    const auto delay = backoff_.next();
    if (status_.failures_in_a_row == 1 || status_.failures_in_a_row % 10 == 0)
        spdlog::warn("dossier pull from {}: {} (failure {} in a row; next try in {} ms)", config_.url, why,
                     status_.failures_in_a_row, delay.count());
    schedule(delay);
}

}  // namespace feed
