// decide: who gets a message after a durable batch, and what it says. Pure: it
// runs on the server's event loop, so it only reads the engine state it is
// given and the subscriptions it holds; storing and sending are the outbox's.
//
// A subscribed ticket gets one "ahead" message, the first time the people
// before it are `ahead` or fewer while it waits, and a "called" message for
// each TicketCalled or TicketRecalled of it. Every message id is stable (made
// of the day, the ticket and the event's seq), so deciding the same thing twice,
// after a restart or a replay, names the same message and the outbox keeps one.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/message_sink.hpp"
#include "engine/engine.hpp"

namespace notify {

struct Message {
    std::string id;       // "20261202-17-ahead", "20261202-17-called-345"
    int32_t day = 0;
    int64_t ticket = 0;
    std::string kind;     // "ahead" | "called"
    std::string phone;    // one of phone and email is set
    std::string email;
    std::string number;   // "A105"
    std::string counter;  // the counter's name for a call ("Quầy 3"), else empty
    int ahead = 0;        // people ahead when decided
    std::string text;     // Vietnamese: the SMS / Zalo text, the e-mail's first paragraph
    std::string text_en;  // English, the e-mail's second paragraph
    std::string subject;  // e-mail subject (Vietnamese)
    int64_t created_at = 0;
};

// People before a waiting ticket in the line the counters take it from: its
// place in its counter's own queue after a transfer; otherwise the priority
// tickets of its service, then (for a normal ticket) the normal ones before it.
// nullopt when the ticket is not waiting.
std::optional<int> people_ahead(const engine::State& state, int64_t ticket);

// The texts (contract, Vietnamese first).
std::string ahead_text(const std::string& number, int ahead, const std::string& center);
std::string called_text(const std::string& number, const std::string& counter);
// The counter's name from the center config, else "Quầy N".
std::string counter_name(const engine::State& state, int counter);
std::string counter_name(const engine::Center& center, int counter);

// The message for a call (or recall) of a subscribed ticket, by the event's seq:
// the same id whoever decides it (the loop after a batch, the catch-up at start).
Message called_message(const api::Subscription& s, int64_t seq, const std::string& counter, int64_t now_ms);

class Decider {
public:
    explicit Decider(std::string center_name) : center_(std::move(center_name)) {}

    // Replaces any subscription of the ticket; `ahead_done`: its ahead message was already decided.
    void watch(const api::Subscription& s, bool ahead_done = false);
    const api::Subscription* find(int64_t ticket) const;
    size_t size() const { return watches_.size(); }

    struct Result {
        std::vector<Message> messages;
        std::optional<int32_t> day_opened;  // a later day began: forget the days before
    };
    Result decide(const engine::State& state, const std::vector<engine::Event>& events, int64_t now_ms);

private:
    struct Watch {
        api::Subscription sub;
        bool ahead_done = false;
    };
    void check_ahead(const engine::State& state, int64_t now_ms, std::vector<Message>& out);

    std::string center_;
    std::map<int64_t, Watch> watches_;
};

}  // namespace notify
