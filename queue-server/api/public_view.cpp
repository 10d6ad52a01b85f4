// public_view: what a citizen's phone is shown of its own ticket, and the
// per-ticket stream of it (Core's part of issue 20; the routes are in
// public_routes.cpp, the followers in follow_hub.hpp).
//
// The view holds the ticket's own facts, its service's names and the center's
// name — never another ticket's number, never the follow hash, never a contact
// in the clear (the messages field is masked by the sink).
#include <sodium.h>

#include <algorithm>
#include <concepts>
#include <utility>

#include "api/core.hpp"
#include "engine/codec.hpp"

namespace api {
namespace {

// Parked: the counter that sent it for a paper, which expects it back.
bool shows_counter(engine::TicketState s) {
    using engine::TicketState;
    return s == TicketState::called || s == TicketState::serving || s == TicketState::done || s == TicketState::no_show ||
           s == TicketState::parked;
}

// The steps of the visit still to come after this one, by their names (issue 22).
json later_steps(const engine::Center& center, const engine::Ticket& t) {
    json out = json::array();
    for (const auto& code : t.next_steps) {
        const engine::Service* s = center.service(code);
        out.push_back({{"service", code}, {"name_vi", s ? s->name_vi : ""}, {"name_en", s ? s->name_en : ""}});
    }
    return out;
}

}  // namespace

// The presented key is hashed and the hash looked up: what a lookup's timing
// could tell is about SHA-256 outputs, which says nothing about other keys. A
// text that is not a key is refused before anything is hashed or looked up.
const engine::Ticket* Core::followed_ticket(const std::string& key) {
    if (!is_follow_key(key)) return nullptr;
    const std::string hash = follow_hash(key);
    const engine::Ticket* t = engine_.followed(hash);
    if (!t || sodium_memcmp(t->follow_hash.data(), hash.data(), hash.size()) != 0) return nullptr;
    // The engine opens a day at its first command; past midnight, yesterday's keys end anyway.
    return t->day == now().day ? t : nullptr;
}

json Core::public_view(const engine::Ticket& t) const { return public_view(t, engine_.people_ahead_of(t)); }

json Core::public_view(const engine::Ticket& t, int ahead) const {
    return public_view(t, ahead, engine_.estimate_wait_s(t.service, ahead));
}

json Core::public_view(const engine::Ticket& t, int ahead, int est_wait_s) const {
    const engine::Center& center = engine_.state().center;
    const engine::Service* s = center.service(t.service);
    const bool waiting = t.state == engine::TicketState::waiting;
    const int counter = shows_counter(t.state) ? t.counter : 0;
    const engine::Counter* k = counter ? center.counter(counter) : nullptr;
    json messages = nullptr;
    if (options_.messages)
        if (auto masked = options_.messages->masked_contact(t.id)) {
            const auto chosen = message_ahead_.find(t.id);
            messages = {{masked->find('@') == std::string::npos ? "phone" : "email", *masked},
                        {"ahead", chosen == message_ahead_.end() ? options_.phone.alert_ahead : chosen->second}};
        }
    const bool parked = t.state == engine::TicketState::parked;
    return {{"number", t.number},
            {"service", t.service},
            {"service_name_vi", s ? s->name_vi : ""},
            {"service_name_en", s ? s->name_en : ""},
            {"state", engine::to_string(t.state)},
            {"people_ahead", waiting ? ahead : 0},
            {"est_wait_s", waiting ? est_wait_s : 0},
            {"counter", counter},
            {"counter_name", k ? k->name : ""},
            {"called_at", t.called_at},
            {"recalls", t.recalls},
            {"day", t.day},
            {"center", center.name},
            {"late_used", t.late},
            {"late_places", options_.phone.late_places},
            {"alert_ahead", options_.phone.alert_ahead},
            {"messages", messages},
            // Issue 22: the visit's step (0: its first service) and those still to
            // come; parked, the time it must be back by, also as the center's HH:MM
            // (a phone's own time zone may not be the center's). Never the park's
            // reason: staff write it, and it may name a person or a paper.
            {"step", t.step},
            {"next_steps", later_steps(center, t)},
            {"returns", t.returns},
            {"parked_until", parked ? t.parked_until : 0},
            {"parked_until_local", parked ? engine::minute_to_text(calendar_.at(t.parked_until).minute) : ""}};
}

void Core::open_stream(const Admission& admitted, const std::shared_ptr<Subscriber>& s, int64_t since) {
    if (admitted.params.empty()) return subscribe(s, *admitted.who, since);
    const engine::Ticket* t = followed_ticket(admitted.params[0]);
    if (!t) return s->close();  // its day ended between the upgrade and now
    follow(s, *t);
}

// The first view at once (once what it shows is durable), then one per change.
void Core::follow(const std::shared_ptr<Subscriber>& s, const engine::Ticket& t) {
    const int ahead = engine_.people_ahead_of(t);
    const json view = public_view(t, ahead);
    follow_.add(s, engine_, t, ahead, view);
    auto text = std::make_shared<const std::string>(dump({{"type", "ticket"}, {"ticket", view}}));
    std::weak_ptr<Subscriber> weak = s;
    durability_.after(engine_.state().seq, [this, weak, text] {
        auto client = weak.lock();
        if (!client) return;
        client->send(text);
        follow_.mark_ready(client.get());
    });
}

void Core::refresh_follower(int64_t ticket) {
    const engine::Ticket* t = engine_.ticket(ticket);
    if (!t) return;
    const int ahead = engine_.people_ahead_of(*t);
    if (auto d = follow_.refresh(engine_, *t, ahead, public_view(*t, ahead)))
        durability_.after(engine_.state().seq, [this, d = std::move(*d)] { follow_.deliver({d}); });
}

// After each batch: the messages at once, then the followers' views (each sent
// once the state it was computed from is durable too), at two paces. A ticket a
// batch names — called, recalled, cancelled, moved — is shown at once, in a task
// posted behind what the loop already has to do, once for all the batches
// published until it runs. Everyone else's place changes with every call of its
// line, which under load is tens of times a second for thousands of phones:
// that is brought up to date in rounds at most once per kFollowRoundMs, each
// round in slices of kFollowSliceTickets with the loop's work between them, so
// the hall's calls never wait behind a crowd of phones (bench/phone_bench).
namespace {
constexpr int64_t kFollowRoundMs = 1000;
constexpr size_t kFollowSliceTickets = 8;

// The ticket an event is about, if it is about one that already was (not a new one).
std::optional<int64_t> ticket_named(const engine::EventBody& body) {
    return std::visit(
        [](const auto& b) -> std::optional<int64_t> {
            if constexpr (requires { { b.ticket } -> std::same_as<const int64_t&>; }) return b.ticket;
            else return std::nullopt;
        },
        body);
}
}  // namespace

void Core::followers_after(const std::vector<engine::Event>& events) {
    for (const auto& e : events) {
        if (std::holds_alternative<engine::CenterConfigured>(e.body)) follow_rebuild_all_ = true;
        if (std::holds_alternative<engine::DayOpened>(e.body)) message_ahead_.clear();
    }
    if (options_.messages) options_.messages->on_durable(engine_.state(), events);
    if (follow_.tickets() == 0) return;
    for (const auto& e : events)
        if (auto id = ticket_named(e.body); id && follow_.follows(*id)) follow_named_.insert(*id);
    if (!follow_named_.empty() && !follow_named_posted_) {
        follow_named_posted_ = true;
        post_ ? post_([this] { update_named(); }) : update_named();
    }
    schedule_round();
}

void Core::update_named() {
    follow_named_posted_ = false;
    std::vector<FollowHub::Delivery> deliveries;
    auto view = [this](const engine::Ticket& t, int ahead, int est) { return public_view(t, ahead, est); };
    for (int64_t id : std::exchange(follow_named_, {})) {
        const engine::Ticket* t = engine_.ticket(id);
        if (!t) continue;  // its day is over: the round says so
        const bool waiting = t->state == engine::TicketState::waiting;
        const int ahead = waiting ? engine_.people_ahead_of(*t) : 0;
        const int est = waiting ? engine_.estimate_wait_s(t->service, ahead) : 0;
        if (auto d = follow_.update_one(*t, ahead, est, view)) deliveries.push_back(std::move(*d));
    }
    deliver_when_durable(std::move(deliveries));
}

void Core::schedule_round() {
    // A batch during a round may have moved places its slices already passed.
    if (follow_round_running_) follow_round_again_ = true;
    if (follow_round_running_ || follow_round_due_) return;
    follow_round_due_ = true;
    // A clock that jumps either way at most shortens or spaces out one round.
    const int64_t wait = std::clamp<int64_t>(follow_round_ms_ + kFollowRoundMs - wall_ms(), 0, kFollowRoundMs);
    auto start = [this] {
        follow_round_due_ = false;
        follow_round_running_ = true;
        follow_round_ms_ = wall_ms();
        follow_round_all_ = std::exchange(follow_rebuild_all_, false);
        follow_slice_ = {.from = 0, .most = kFollowSliceTickets};
        run_round_slice();
    };
    if (wait > 0 && later_) return later_(std::chrono::milliseconds(wait), start);
    post_ ? post_(start) : start();
}

void Core::run_round_slice() {
    auto view = [this](const engine::Ticket& t, int ahead, int est) { return public_view(t, ahead, est); };
    deliver_when_durable(follow_.update(engine_, view, follow_round_all_, follow_slice_));
    if (!follow_slice_.done && post_) return post_([this] { run_round_slice(); });
    if (!follow_slice_.done) return run_round_slice();
    follow_round_running_ = false;
    if (std::exchange(follow_round_again_, false)) schedule_round();
}

void Core::deliver_when_durable(std::vector<FollowHub::Delivery> deliveries) {
    if (deliveries.empty()) return;
    durability_.after(engine_.state().seq, [this, d = std::move(deliveries)] { follow_.deliver(d); });
}

}  // namespace api
