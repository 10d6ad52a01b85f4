// message_sink: what the API asks of the citizens' messages (issue 20), so that the
// server can take a phone number or e-mail address for a ticket without knowing
// how messages are sent. The notify library implements it (queue-server/notify);
// the app wires one in, and with none the notify route answers 409 no_sender.
//
// Every call is made on the event loop and must return at once: an implementation
// keeps what it is given in memory or queues it to a thread of its own, so a
// gateway that is down delays messages, never the queue.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"

namespace api {

// A citizen asked for messages about one ticket (on the phone page or at the kiosk).
struct Subscription {
    int64_t ticket = 0;
    int32_t day = 0;      // the ticket's day: the contact is forgotten when it ends
    std::string number;   // "A105"
    std::string service;  // the service code
    std::string phone;    // normalised "0xxxxxxxxx", or empty
    std::string email;    // or empty
    int ahead = 3;        // message when this many people (or fewer) are ahead; and when called
};

// A booking's reminders (issue 21): a text the day before its slot and an hour
// before, to the phone proven when it was booked. The phone is kept until the
// booking's day ends, and dropped sooner when the booking is cancelled, checked
// in or missed; a move moves its reminders (the sink reads the booking events).
struct Reminder {
    int64_t booking = 0;
    int32_t day = 0;          // the slot's day yyyymmdd
    int start_minute = 0, end_minute = 0;
    std::string phone;        // normalised "0xxxxxxxxx"
    std::string code;         // the booking code, typed at the kiosk
    std::string service_vi, service_en;
    std::string url;          // the booking's page (cancel, move)
};

class MessageSink {
public:
    virtual ~MessageSink() = default;
    // Is there a sender for this kind of contact (SMS/Zalo gateway for phones, SMTP for e-mail)?
    virtual bool can_send(bool email) const = 0;
    // Keeps the contact (for its day only). A second subscription for the ticket replaces the first.
    virtual void subscribe(const Subscription& s) = 0;
    // The masked contact kept for a ticket ("09*****678", "a***@example.vn"), if any: for the phone page.
    virtual std::optional<std::string> masked_contact(int64_t ticket) const = 0;
    // A text of its own to a phone (a booking's one-time code), kept for `day` only.
    virtual void send_text(const std::string& phone, int32_t day, const std::string& text_vi, const std::string& text_en) = 0;
    // Keeps a booking's phone for its reminders (one per booking: a second replaces the first).
    virtual void remind(const Reminder& r) = 0;
    // After each durable batch, with the engine state that includes it: the sink decides
    // who is now N ahead or called, and queues their messages.
    virtual void on_durable(const engine::State& state, const std::vector<engine::Event>& events) = 0;
    // How sending is going, for managers and /metrics: {"queued", "sent", "oldest_unsent_age_s",
    // "last_error", "alert", "webhooks": [...]}; "alert" is true when someone should look at a gateway.
    // Memory only: asked on the loop.
    virtual nlohmann::json status() const = 0;
};

}  // namespace api
