// lines: what the lines look like — who is before a ticket, how many wait, and
// how long the wait is likely to be. Queries only; the decisions are in engine.cpp.
#include "engine/engine.hpp"

#include <algorithm>
#include <cmath>

namespace engine {

const Ticket* Engine::followed(const std::string& follow_hash) const {
    auto it = state_.followed.find(follow_hash);
    return it == state_.followed.end() ? nullptr : ticket(it->second);
}

namespace {

int size_of(const std::map<std::string, Queue>& queues, const std::string& service) {
    auto it = queues.find(service);
    return it == queues.end() ? 0 : static_cast<int>(it->second.size());
}

}  // namespace

const Queue* queue_of(const State& s, const Ticket& t) {
    if (t.state != TicketState::waiting) return nullptr;
    auto in = [](const auto& queues, const auto& key) -> const Queue* {
        auto it = queues.find(key);
        return it == queues.end() ? nullptr : &it->second;
    };
    if (t.target_counter) return in(s.counter_queue, t.target_counter);
    if (t.booked) return in(s.booked_queue, t.service);
    return t.priority ? in(s.priority_queue, t.service) : in(s.normal_queue, t.service);
}

// Those ahead in its line; before a walk-in also the booked ones on time of its
// service, and before a normal ticket the priority ones (the order of pick_next,
// but for the streaks that let a walk-in through now and then).
int people_ahead_of(const State& s, const Ticket& t) {
    const Queue* q = queue_of(s, t);
    if (!q) return 0;
    int ahead = static_cast<int>(std::distance(q->begin(), q->lower_bound(place_of(t))));
    if (t.target_counter || t.booked) return ahead;
    ahead += size_of(s.booked_queue, t.service);
    if (!t.priority) ahead += size_of(s.priority_queue, t.service);
    return ahead;
}

const Queue* Engine::queue_of(const Ticket& t) const { return engine::queue_of(state_, t); }

int Engine::priority_waiting(const std::string& service) const { return size_of(state_.priority_queue, service); }

int Engine::booked_waiting(const std::string& service) const { return size_of(state_.booked_queue, service); }

int Engine::people_ahead_of(const Ticket& t) const { return engine::people_ahead_of(state_, t); }

size_t Engine::waiting_count(const std::string& service) const {
    return static_cast<size_t>(people_ahead(service, false));
}

Engine::WaitRate Engine::wait_rate(const std::string& service) const {
    const Service* s = state_.center.service(service);
    if (!s) return {};
    WaitRate r;
    for (const auto& k : state_.center.counters) {
        auto st = state_.counters.find(k.id);
        if (st == state_.counters.end() || st->second.paused) continue;
        for (const auto& tier : k.tiers)
            if (std::find(tier.begin(), tier.end(), service) != tier.end()) ++r.open;
    }
    auto avg = state_.handle_avg_s.find(service);
    r.per_ticket_s = avg == state_.handle_avg_s.end() ? s->avg_handle_s : avg->second;
    return r;
}

int Engine::estimate_wait_s(const WaitRate& rate, int ahead) {
    if (ahead <= 0) return 0;
    return static_cast<int>(std::lround(ahead * rate.per_ticket_s / std::max(1, rate.open)));
}

int Engine::estimate_wait_s(const std::string& service, int ahead) const {
    if (ahead <= 0) return 0;
    return estimate_wait_s(wait_rate(service), ahead);
}

// Before a new walk-in: the booked citizens on time, the priority ones, and for a
// normal ticket the normal ones of its service.
int Engine::people_ahead(const std::string& service, bool priority) const {
    const int ahead = booked_waiting(service) + priority_waiting(service);
    return priority ? ahead : ahead + size_of(state_.normal_queue, service);
}

}  // namespace engine
