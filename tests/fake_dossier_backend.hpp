// fake_dossier_backend: the province's dossier software as the pull connector
// sees it — a real HTTP server on a loopback port, one thread per connection.
//
// It serves its stream of updates in pages: GET ...?cursor=N&limit=K answers
// updates N..N+K with cursor N+K and "more" while updates remain. A test can
// put scripted answers in front (a 500, a broken body, a page with a bad
// update) and hold an answer back (a slow backend) until it is released. It
// records every request, and a test waits on them: the connector asks for the
// next cursor only after it saved the page before, so "asked with cursor 12"
// means "the first 12 updates are durable".
#pragma once
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace testing {

class FakeDossierBackend {
public:
    struct Answer {
        int status = 200;
        std::string body;
        bool hold = false;  // wait for release() (or the end of the test) before answering
    };
    struct Seen {
        std::string target, cursor, limit, authorization;
    };

    FakeDossierBackend() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        accept_next();
        accepting_ = std::thread([this] { io_.run(); });
    }
    ~FakeDossierBackend() {
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
        for (auto& t : connections_) t.join();
    }

    uint16_t port() const { return acceptor_.local_endpoint().port(); }
    std::string url(const std::string& path = "/api/queue-feed") const {
        return "http://127.0.0.1:" + std::to_string(port()) + path;
    }

    void add_updates(const std::vector<nlohmann::json>& updates) {
        std::lock_guard lock(mutex_);
        stream_.insert(stream_.end(), updates.begin(), updates.end());
    }
    void script(Answer a) {
        std::lock_guard lock(mutex_);
        script_.push_back(std::move(a));
    }
    void release() {
        {
            std::lock_guard lock(mutex_);
            released_ = true;
        }
        changed_.notify_all();
    }

    // Blocks until a request with this cursor came (or throws after a minute:
    // a broken connector fails the test instead of hanging it).
    Seen wait_for_cursor(const std::string& cursor) {
        std::unique_lock lock(mutex_);
        Seen found;
        const bool ok = changed_.wait_for(lock, std::chrono::seconds(60), [&] {
            for (const auto& s : seen_)
                if (s.cursor == cursor) {
                    found = s;
                    return true;
                }
            return false;
        });
        if (!ok) throw std::runtime_error("the backend was never asked with cursor '" + cursor + "'");
        return found;
    }
    void wait_for_requests(size_t n) {
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, std::chrono::seconds(60), [&] { return seen_.size() >= n; }))
            throw std::runtime_error("the backend got fewer than " + std::to_string(n) + " requests");
    }
    std::vector<Seen> seen() {
        std::lock_guard lock(mutex_);
        return seen_;
    }

private:
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

    static std::string param(const std::string& target, const std::string& name) {
        const auto q = target.find('?');
        if (q == std::string::npos) return "";
        std::string query = target.substr(q + 1) + "&";
        for (size_t at = 0, amp; (amp = query.find('&', at)) != std::string::npos; at = amp + 1) {
            const std::string pair = query.substr(at, amp - at);
            if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
        }
        return "";
    }

    Answer answer_for(const Seen& s) {
        if (!script_.empty()) {
            Answer a = script_.front();
            script_.pop_front();
            return a;
        }
        const size_t from = s.cursor.empty() ? 0 : std::stoul(s.cursor);
        const size_t limit = std::stoul(s.limit);
        const size_t to = std::min(stream_.size(), from + limit);
        nlohmann::json page = {{"updates", nlohmann::json::array()}, {"cursor", std::to_string(to)}, {"more", to < stream_.size()}};
        for (size_t i = from; i < to; ++i) page["updates"].push_back(stream_[i]);
        return {200, page.dump(), false};
    }

    void serve(boost::asio::ip::tcp::socket socket) {
        namespace http = boost::beast::http;
        boost::beast::flat_buffer buffer;
        http::request<http::string_body> req;
        boost::system::error_code ec;
        http::read(socket, buffer, req, ec);
        if (ec) return;
        Answer a;
        {
            std::unique_lock lock(mutex_);
            Seen s{std::string(req.target()), param(std::string(req.target()), "cursor"),
                   param(std::string(req.target()), "limit"), std::string(req[http::field::authorization])};
            a = answer_for(s);
            seen_.push_back(s);
            changed_.notify_all();
            if (a.hold) changed_.wait(lock, [&] { return released_ || closing_; });
        }
        http::response<http::string_body> res{static_cast<http::status>(a.status), 11};
        res.set(http::field::content_type, "application/json");
        res.body() = a.body;
        res.prepare_payload();
        http::write(socket, res, ec);
    }

    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::thread accepting_;
    std::vector<std::thread> connections_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Answer> script_;
    std::vector<nlohmann::json> stream_;
    std::vector<Seen> seen_;
    bool released_ = false, closing_ = false;
};

}  // namespace testing
