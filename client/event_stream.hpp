// event_stream: the WebSocket to the queue server's /api/events, kept open.
//
// Why a thread of its own: a display or kiosk draws on its main thread (SDL
// wants that) and must never freeze while the network is slow or gone. So the
// link lives on one Asio thread: connect, handshake, read; on any failure it
// tells the client the link is down and tries again after a backoff, resuming
// from the last sequence number the client says it applied, so nothing is
// missed and nothing is shown twice. A link that goes quiet is found dead by
// WebSocket pings within `idle_timeout`, not after TCP's minutes.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

namespace client {

struct StreamOptions {
    std::string host = "127.0.0.1";
    std::string port = "8080";
    std::string token;
    std::chrono::milliseconds backoff_first{500}, backoff_most{10'000};
    std::chrono::milliseconds idle_timeout{10'000};
    std::chrono::milliseconds connect_timeout{5'000};
};

// "http://host:port", "host:port" or "host" (port 8080) → options' host and port.
// Throws common::UrlError (an std::invalid_argument) for anything else: https, a path, no host.
void parse_server_address(const std::string& address, StreamOptions& options);

class EventStream {
public:
    struct Handlers {
        // Both run on the stream's thread; hand the work to your own thread.
        std::function<void(nlohmann::json message)> message;
        std::function<void(bool up, const std::string& why)> link;
    };

    EventStream(StreamOptions options, Handlers handlers);
    ~EventStream();
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;

    void start(int64_t since);
    // Thread-safe: the last seq the client applied; a reconnect resumes after it.
    void applied(int64_t seq) { since_.store(seq); }
    // Thread-safe: drop the link and resume from the last applied seq (after a gap).
    void resync();
    void stop();

private:
    class Impl;
    std::atomic<int64_t> since_{0};
    std::unique_ptr<Impl> impl_;
    std::thread thread_;
};

}  // namespace client
