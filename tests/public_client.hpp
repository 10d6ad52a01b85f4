// public_client: a citizen's phone as the public-route tests see it — a ticket
// taken at the kiosk with its follow key, and a blocking WebSocket client of
// that ticket's stream (GET /api/public/tickets/{key}/events) from any
// loopback address, whose reads give up after a bounded time instead of hanging.
#pragma once
#include <sys/socket.h>
#include <sys/time.h>
#include <boost/beast/websocket.hpp>
#include <string>
#include <vector>

#include "test_server.hpp"

namespace testing {

struct Taken {
    int64_t id = 0;
    std::string number, key, url;
};

inline Taken take_ticket(TestServer& s, const std::string& service = "A") {
    const auto r = s.post("/api/tickets", {{"service", service}}, s.kiosk);
    REQUIRE(r.status == 201);
    return {r.body["id"].get<int64_t>(), r.body["number"].get<std::string>(), r.body["follow_key"].get<std::string>(),
            r.body["follow_url"].get<std::string>()};
}

struct PhoneStream {
    asio::io_context io;
    beast::websocket::stream<tcp::socket> ws{io};
    std::vector<json> seen;  // every message received, in order

    PhoneStream(uint16_t port, const std::string& key, const std::string& source = "127.0.0.1") {
        auto& socket = ws.next_layer();
        socket.open(tcp::v4());
        socket.bind({asio::ip::make_address(source), 0});
        const timeval tv{10, 0};  // turns a lost message into a failure, never a wait for time to pass
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        socket.connect({asio::ip::make_address("127.0.0.1"), port});
        ws.handshake("127.0.0.1", "/api/public/tickets/" + key + "/events");
    }
    json next() {
        beast::flat_buffer b;
        ws.read(b);
        seen.push_back(json::parse(beast::buffers_to_string(b.data())));
        REQUIRE(seen.back()["type"] == "ticket");
        return seen.back()["ticket"];
    }
    // The HTTP status a handshake for `key` is answered with (101 when it opens).
    static int status_for(uint16_t port, const std::string& key) {
        const std::map<std::string, std::string> upgrade = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"},
                                                            {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                                            {"Sec-WebSocket-Version", "13"}};
        return http_call(port, "GET", "/api/public/tickets/" + key + "/events", "", "", upgrade).status;
    }
};

// Reads the stream until a view satisfies `done` (a bounded number of messages).
template <class Pred>
json until(PhoneStream& phone, Pred done) {
    for (int i = 0; i < 20; ++i) {
        json v = phone.next();
        if (done(v)) return v;
    }
    FAIL("the view never came");
    return {};
}

}  // namespace testing
