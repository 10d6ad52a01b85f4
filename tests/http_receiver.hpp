// http_receiver: an SMS/Zalo gateway or a webhook receiver as the notifier sees
// it — a real HTTP server on a loopback port (Boost.Beast, one thread per
// connection) that records every request and answers as the test scripts it.
//
// Scripted answers go first (a 500, a 429, a request held without an answer
// until the client gives up), then the default status. A held request is not
// counted as received: the client never heard back, so it must try again.
// Tests wait on what arrived (condition variable, bounded), never on the clock.
#pragma once
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace testing {

class HttpReceiver {
public:
    struct Request {
        std::string method, target, body;
        std::map<std::string, std::string> headers;  // names in lower case
        int answered = 0;                            // the status sent back
        std::string header(const std::string& name) const {
            auto it = headers.find(name);
            return it == headers.end() ? "" : it->second;
        }
    };
    static constexpr int kHold = -1;  // a scripted "answer": hold the request until the client hangs up

    // Port 0: one the kernel picks. A given port: to come back on the same address after being down.
    explicit HttpReceiver(uint16_t port = 0) : acceptor_(io_) {
        const boost::asio::ip::tcp::endpoint at(boost::asio::ip::make_address("127.0.0.1"), port);
        acceptor_.open(at.protocol());
        acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
        acceptor_.bind(at);
        acceptor_.listen();
        accept_next();
        accepting_ = std::thread([this] { io_.run(); });
    }
    ~HttpReceiver() {
        {
            std::lock_guard lock(mutex_);
            closing_ = true;
        }
        changed_.notify_all();
        boost::asio::post(io_, [this] {
            boost::system::error_code ec;
            acceptor_.close(ec);
        });
        accepting_.join();
        std::vector<std::thread> threads;
        {
            std::lock_guard lock(mutex_);
            threads.swap(connections_);
        }
        for (auto& t : threads) t.join();
    }

    uint16_t port() const { return acceptor_.local_endpoint().port(); }
    std::string url(const std::string& path = "/send") const { return "http://127.0.0.1:" + std::to_string(port()) + path; }

    void script(std::vector<int> answers) {
        std::lock_guard lock(mutex_);
        script_.insert(script_.end(), answers.begin(), answers.end());
    }
    void set_default(int status) {
        std::lock_guard lock(mutex_);
        default_ = status;
    }

    // Blocks until `n` requests were answered with 2xx (or `pred` holds); throws after `limit`.
    std::vector<Request> wait_for_delivered(size_t n, std::chrono::seconds limit = std::chrono::seconds(30)) {
        return wait_until([&](const std::vector<Request>&) { return delivered_count() >= n; }, limit,
                          "fewer than " + std::to_string(n) + " requests delivered");
    }
    std::vector<Request> wait_until(const std::function<bool(const std::vector<Request>&)>& pred,
                                    std::chrono::seconds limit, const std::string& what) {
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, limit, [&] { return pred(seen_); })) throw std::runtime_error("receiver: " + what);
        return seen_;
    }
    // Blocks until a request is being held (the client waits for an answer that will not come).
    void wait_for_held(size_t n = 1, std::chrono::seconds limit = std::chrono::seconds(30)) {
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, limit, [&] { return held_ >= n; }))
            throw std::runtime_error("receiver: no request held");
    }
    size_t holding() {
        std::lock_guard lock(mutex_);
        return holding_;
    }
    std::vector<Request> seen() {
        std::lock_guard lock(mutex_);
        return seen_;
    }
    // The answered 2xx requests only.
    std::vector<Request> delivered() {
        std::lock_guard lock(mutex_);
        std::vector<Request> out;
        for (const auto& r : seen_)
            if (r.answered >= 200 && r.answered < 300) out.push_back(r);
        return out;
    }

private:
    size_t delivered_count() const {
        size_t n = 0;
        for (const auto& r : seen_) n += r.answered >= 200 && r.answered < 300;
        return n;
    }

    void accept_next() {
        acceptor_.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
            if (ec) return;
            {
                std::lock_guard lock(mutex_);
                connections_.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
            }
            accept_next();
        });
    }

    // The client hangs up (its timeout) or the receiver closes: either ends the hold.
    void hold(boost::asio::ip::tcp::socket& socket, std::unique_lock<std::mutex>& lock) {
        ++held_;
        ++holding_;
        changed_.notify_all();
        bool gone = false;
        lock.unlock();
        std::thread watcher([&] {
            char byte;
            boost::system::error_code ec;
            socket.read_some(boost::asio::buffer(&byte, 1), ec);  // returns when the peer closes
            std::lock_guard l(mutex_);
            gone = true;
            changed_.notify_all();
        });
        lock.lock();
        changed_.wait(lock, [&] { return closing_ || gone; });
        lock.unlock();
        boost::system::error_code ec;
        socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
        watcher.join();
        lock.lock();
        --holding_;
        changed_.notify_all();
    }

    void serve(boost::asio::ip::tcp::socket socket) {
        namespace http = boost::beast::http;
        boost::beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> req;
            boost::system::error_code ec;
            http::read(socket, buffer, req, ec);
            if (ec) return;
            Request r{std::string(req.method_string()), std::string(req.target()), req.body(), {}, 0};
            for (const auto& f : req) {
                std::string name(f.name_string());
                for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                r.headers[name] = std::string(f.value());
            }
            std::unique_lock lock(mutex_);
            int status = default_;
            if (!script_.empty()) {
                status = script_.front();
                script_.pop_front();
            }
            if (status == kHold) {
                hold(socket, lock);
                return;
            }
            r.answered = status;
            seen_.push_back(r);
            changed_.notify_all();
            lock.unlock();
            http::response<http::string_body> res{static_cast<http::status>(status), 11};
            res.set(http::field::content_type, "application/json");
            res.body() = status < 300 ? R"({"ok":true})" : R"({"error":"scripted"})";
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            http::write(socket, res, ec);
            if (ec || !req.keep_alive()) return;
        }
    }

    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::thread accepting_;
    std::vector<std::thread> connections_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<int> script_;
    int default_ = 200;
    std::vector<Request> seen_;
    size_t held_ = 0, holding_ = 0;
    bool closing_ = false;
};

}  // namespace testing
