// follow_hub: the phones that follow one ticket each (GET /api/public/tickets/{key}/events).
//
// A follower is sent its own ticket's public view and nothing else: not the
// event stream (that carries every ticket), not the broadcasts. The hub works
// out what each followed ticket's view depends on (state, counter, place in
// line, estimate...) and rebuilds a view only where that changed.
//
// Two paces (Core decides when, public_view.cpp): a ticket an event names (it
// was called, recalled, cancelled...) gets its view at once, by update_one; the
// places of everyone else — every call moves every phone of its line — are
// brought up to date in rounds, by update over a slice of the followed tickets
// at a time, each slice one walk over the waiting lines (each followed
// ticket's place read off the ordered sets as they are walked) plus one view
// per changed ticket.
//
// A phone that does not read is not queued view after view: only the newest
// view waits for it (older ones are worth nothing), sent as it drains.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "api/event_hub.hpp"
#include "engine/engine.hpp"

namespace api {

class FollowHub {
public:
    using json = nlohmann::json;
    // The public view of a ticket with `ahead` people before it.
    using ViewOf = std::function<json(const engine::Ticket&, int ahead, int est_wait_s)>;

    // What to send once the state it shows is durable.
    struct Delivery {
        int64_t ticket = 0;
        Text text;
        bool last = false;  // the ticket is gone (a new day): its followers are forgotten after this
    };

    // A new follower of `t`, whose first view (`view`, computed now) the caller sends,
    // then calls mark_ready(); views of later batches follow from there.
    void add(const std::shared_ptr<Subscriber>& s, const engine::Engine& engine, const engine::Ticket& t, int ahead,
             const json& view);
    void mark_ready(Subscriber* s);
    void remove(Subscriber* s);
    void drained(Subscriber* s);

    // A part of a round: the followed tickets from `from` on, at most `most` of them.
    struct Slice {
        int64_t from = 0;
        size_t most = SIZE_MAX;
        bool done = false;  // set by update when no followed ticket is left after this slice
    };
    // The views that changed in `slice` (moved on to the next one). `all`: rebuild
    // each one even if its facts look the same (the center changed).
    std::vector<Delivery> update(const engine::Engine& engine, const ViewOf& view, bool all, Slice& slice);
    // The view of `t` alone (an event named it), `ahead` and its estimate computed by the caller.
    std::optional<Delivery> update_one(const engine::Ticket& t, int ahead, int est, const ViewOf& view);
    // One ticket's view, rebuilt for another reason (a contact was added): a delivery if it changed.
    std::optional<Delivery> refresh(const engine::Engine& engine, const engine::Ticket& t, int ahead, const json& view);
    void deliver(const std::vector<Delivery>& deliveries);

    size_t size() const { return by_subscriber_.size(); }
    size_t tickets() const { return entries_.size(); }
    bool follows(int64_t ticket) const { return entries_.contains(ticket); }

private:
    // What a view depends on, compared before a view is built.
    struct Facts {
        int state = 0, counter = 0, recalls = 0, ahead = 0, est = 0, step = 0;
        int64_t called_at = 0, parked_until = 0;
        bool late = false;
        std::string service;
        bool operator==(const Facts&) const = default;
    };
    struct Follower {
        std::weak_ptr<Subscriber> who;
        size_t full_room = 0;  // its room when nothing was queued: what is queued is full_room - room()
        bool ready = false;    // its first view went out: later ones may follow
        Text pending;          // the newest view, waiting for it to drain
    };
    struct Entry {
        Facts facts;
        json view;
        Text text;
        std::map<Subscriber*, Follower> followers;
    };

    static Facts facts_of(const engine::Engine& engine, const engine::Ticket& t, int ahead);
    static Facts facts_of(const engine::Ticket& t, int ahead, int est);
    // The followed waiting tickets of [from, to) → people ahead.
    std::map<int64_t, int> places(const engine::Engine& engine, int64_t from, int64_t to) const;
    // Stores the facts; a delivery if the view they make differs from the last one sent.
    std::optional<Delivery> change(int64_t ticket, Entry& e, Facts facts, const engine::Ticket& t, int ahead, int est,
                                   const ViewOf& view);
    void send(Follower& f, const Text& text);

    std::map<int64_t, Entry> entries_;  // by ticket id
    std::map<Subscriber*, int64_t> by_subscriber_;
};

}  // namespace api
