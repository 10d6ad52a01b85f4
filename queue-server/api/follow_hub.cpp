// follow_hub: per-ticket followers and their views (see follow_hub.hpp).
#include "api/follow_hub.hpp"

#include <cstdint>

#include "api/reply.hpp"

namespace api {
namespace {

constexpr size_t kMostQueued = 2;  // views queued to one phone before only the newest is kept

Text text_of(const nlohmann::json& view) { return std::make_shared<const std::string>(dump({{"type", "ticket"}, {"ticket", view}})); }

}  // namespace

FollowHub::Facts FollowHub::facts_of(const engine::Ticket& t, int ahead, int est) {
    const bool waiting = t.state == engine::TicketState::waiting;
    return {static_cast<int>(t.state), t.counter, t.recalls, waiting ? ahead : 0, waiting ? est : 0, t.step, t.called_at,
            t.parked_until, t.late, t.service};
}

FollowHub::Facts FollowHub::facts_of(const engine::Engine& engine, const engine::Ticket& t, int ahead) {
    return facts_of(t, ahead, engine.estimate_wait_s(t.service, ahead));
}

void FollowHub::add(const std::shared_ptr<Subscriber>& s, const engine::Engine& engine, const engine::Ticket& t, int ahead,
                    const json& view) {
    remove(s.get());
    // A second phone on a ticket joins the first one's entry as it is: what the
    // entry last sent is what the next batch compares with, for both.
    auto [it, fresh] = entries_.try_emplace(t.id);
    Entry& e = it->second;
    if (fresh) {
        e.facts = facts_of(engine, t, ahead);
        e.view = view;
        e.text = text_of(view);
    }
    e.followers[s.get()] = Follower{s, s->room(), false, nullptr};
    by_subscriber_[s.get()] = t.id;
}

void FollowHub::mark_ready(Subscriber* s) {
    auto at = by_subscriber_.find(s);
    if (at == by_subscriber_.end()) return;
    auto& followers = entries_.at(at->second).followers;
    if (auto f = followers.find(s); f != followers.end()) f->second.ready = true;
}

void FollowHub::remove(Subscriber* s) {
    auto at = by_subscriber_.find(s);
    if (at == by_subscriber_.end()) return;
    auto e = entries_.find(at->second);
    e->second.followers.erase(s);
    if (e->second.followers.empty()) entries_.erase(e);
    by_subscriber_.erase(at);
}

void FollowHub::drained(Subscriber* s) {
    auto at = by_subscriber_.find(s);
    if (at == by_subscriber_.end()) return;
    auto& followers = entries_.at(at->second).followers;
    auto f = followers.find(s);
    if (f == followers.end() || !f->second.pending) return;
    Text text = std::move(f->second.pending);
    f->second.pending = nullptr;
    send(f->second, text);
}

void FollowHub::send(Follower& f, const Text& text) {
    auto who = f.who.lock();
    if (!who) return;
    const size_t room = who->room();
    const size_t queued = f.full_room > room ? f.full_room - room : 0;
    if (queued >= kMostQueued) {
        f.pending = text;  // it still reads the older ones: it gets the newest when it drains
        return;
    }
    who->send(text);  // may end the session, which removes this follower: nothing of `f` is used after
}

// One walk over the waiting lines, in order: each followed ticket's place is its
// index in its line, plus those before its line (engine::people_ahead_of).
std::map<int64_t, int> FollowHub::places(const engine::Engine& engine, int64_t from, int64_t to) const {
    std::map<int64_t, int> out;
    const engine::State& st = engine.state();
    auto walk = [&](const engine::Queue& q, int before) {
        int i = 0;
        for (const auto& key : q) {
            if (key.ticket >= from && key.ticket < to && entries_.contains(key.ticket)) out[key.ticket] = before + i;
            ++i;
        }
    };
    for (const auto& [service, q] : st.booked_queue) walk(q, 0);
    for (const auto& [service, q] : st.priority_queue) walk(q, engine.booked_waiting(service));
    for (const auto& [service, q] : st.normal_queue) walk(q, engine.booked_waiting(service) + engine.priority_waiting(service));
    for (const auto& [counter, q] : st.counter_queue) walk(q, 0);
    return out;
}

std::optional<FollowHub::Delivery> FollowHub::change(int64_t ticket, Entry& e, Facts facts, const engine::Ticket& t, int ahead,
                                                     int est, const ViewOf& view) {
    json v = view(t, ahead, est);
    e.facts = std::move(facts);
    if (v == e.view) return std::nullopt;
    e.view = std::move(v);
    e.text = text_of(e.view);
    return Delivery{ticket, e.text, false};
}

std::optional<FollowHub::Delivery> FollowHub::update_one(const engine::Ticket& t, int ahead, int est, const ViewOf& view) {
    auto it = entries_.find(t.id);
    if (it == entries_.end()) return std::nullopt;
    Facts facts = facts_of(t, ahead, est);
    if (facts == it->second.facts) return std::nullopt;
    return change(t.id, it->second, std::move(facts), t, ahead, est, view);
}

std::vector<FollowHub::Delivery> FollowHub::update(const engine::Engine& engine, const ViewOf& view, bool all, Slice& slice) {
    std::vector<Delivery> out;
    auto begin = entries_.lower_bound(slice.from), end = begin;
    for (size_t n = 0; end != entries_.end() && n < slice.most; ++n) ++end;
    slice.done = end == entries_.end();
    slice.from = slice.done ? INT64_MAX : end->first;
    if (begin == end) return out;
    const auto ahead = places(engine, begin->first, slice.from);
    // Each service's rate once per slice: it walks every counter's tiers, and a
    // hall of phones would otherwise walk them once per phone (bench/phone_bench).
    std::map<std::string, engine::Engine::WaitRate> rates;
    auto estimate = [&](const engine::Ticket& t, int n) {
        if (t.state != engine::TicketState::waiting || n <= 0) return 0;
        auto rate = rates.find(t.service);
        if (rate == rates.end()) rate = rates.emplace(t.service, engine.wait_rate(t.service)).first;
        return engine::Engine::estimate_wait_s(rate->second, n);
    };
    for (auto it = begin; it != end; ++it) {
        Entry& e = it->second;
        const engine::Ticket* t = engine.ticket(it->first);
        if (!t) {
            // Its day is over: one last view saying so, then these phones are forgotten.
            json last = e.view;
            last["state"] = "expired";
            last["people_ahead"] = 0;
            last["est_wait_s"] = 0;
            out.push_back({it->first, text_of(last), true});
            continue;
        }
        const auto place = ahead.find(t->id);
        const int n = place == ahead.end() ? 0 : place->second;
        const int est = estimate(*t, n);
        Facts facts = facts_of(*t, n, est);
        if (!all && facts == e.facts) continue;
        if (auto d = change(it->first, e, std::move(facts), *t, n, est, view)) out.push_back(std::move(*d));
    }
    return out;
}

std::optional<FollowHub::Delivery> FollowHub::refresh(const engine::Engine& engine, const engine::Ticket& t, int ahead,
                                                      const json& view) {
    auto it = entries_.find(t.id);
    if (it == entries_.end() || it->second.view == view) return std::nullopt;
    it->second.facts = facts_of(engine, t, ahead);
    it->second.view = view;
    it->second.text = text_of(view);
    return Delivery{t.id, it->second.text, false};
}

void FollowHub::deliver(const std::vector<Delivery>& deliveries) {
    for (const auto& d : deliveries) {
        auto it = entries_.find(d.ticket);
        if (it == entries_.end()) continue;
        // Sends may end sessions (which remove followers): pick the targets first.
        std::vector<Subscriber*> targets;
        for (auto& [key, f] : it->second.followers)
            if (f.ready) targets.push_back(key);
        for (Subscriber* key : targets) {
            auto entry = entries_.find(d.ticket);
            if (entry == entries_.end()) break;
            auto f = entry->second.followers.find(key);
            if (f != entry->second.followers.end()) send(f->second, d.text);
        }
        if (!d.last) continue;
        if (auto entry = entries_.find(d.ticket); entry != entries_.end()) {
            for (const auto& [key, f] : entry->second.followers) by_subscriber_.erase(key);
            entries_.erase(entry);
        }
    }
}

}  // namespace api
