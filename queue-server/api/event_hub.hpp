// event_hub: every durable event, as the text sent to WebSocket clients, and the
// clients that follow them. A client that reconnects says the last seq it has;
// what it missed is streamed from the recent events as its send queue drains
// (flow control), so one 9,999 events behind catches up in one connection
// instead of being cut off for overrunning its queue. One too far behind gets
// a snapshot instead (Core decides, as only it knows the state).
//
// Clients are remembered with who they are, so that a logout, an expired
// session, a deleted user or a revoked device ends their stream too, and so
// that hall devices get an event's text without the staff's words when it has
// one of its own (device_view.hpp).
#pragma once
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "api/auth.hpp"

namespace api {

using Text = std::shared_ptr<const std::string>;

// A WebSocket client as the hub sees it.
class Subscriber {
public:
    virtual ~Subscriber() = default;
    virtual void send(Text text) = 0;   // queue it; over a hard cap the session ends itself
    virtual size_t room() const = 0;    // how many more events it may queue now
    virtual void close() = 0;           // end the connection (the caller's access ended)
};

class EventHub {
public:
    explicit EventHub(size_t window) : window_(window) {}

    // `devices`: the text for hall devices when it differs (nullptr: the same).
    void remember(int64_t seq, Text text, Text devices = nullptr);  // at start: the log's newest events, sent to nobody
    void publish(int64_t seq, Text text, Text devices = nullptr);   // a durable event: kept, and sent to whoever is caught up
    void broadcast(Text text);              // a notice outside the log (no seq), to live clients
    // Streams what the client missed after `since`, if the recent events still hold it; false if not.
    bool resume(const std::shared_ptr<Subscriber>& s, const Principal& who, int64_t since, int64_t durable_seq);
    // Registers a client that a snapshot at `seq` is about to be sent to; it goes live from there.
    void join_at(const std::shared_ptr<Subscriber>& s, const Principal& who, int64_t seq);
    void drained(Subscriber* s);  // its queue has room again: send more of what it missed
    void unsubscribe(Subscriber* s) { subs_.erase(s); }
    // Closes every client whose access ended (a logout, a revoked device, ...).
    void close_if(const std::function<bool(const Principal&)>& ended);

    size_t size() const { return subs_.size(); }
    bool holds_after(int64_t since) const;  // can a client at `since` resume from memory?

private:
    struct Sub {
        std::weak_ptr<Subscriber> who;
        Principal principal;
        int64_t last_sent = 0;
        bool device = false;  // a hall device: gets the devices' text where there is one
    };
    struct Kept {
        Text all, devices;  // devices: nullptr when the same as all
        const Text& for_(bool device) const { return device && devices ? devices : all; }
    };
    static Sub sub_of(const std::shared_ptr<Subscriber>& s, const Principal& who, int64_t last_sent);
    void pump(Sub& sub, Subscriber& s);  // sends what `sub` missed while it has room

    size_t window_;
    std::deque<Kept> recent_;  // events first_seq_, first_seq_ + 1, ...
    int64_t first_seq_ = 1;
    std::map<Subscriber*, Sub> subs_;
};

}  // namespace api
