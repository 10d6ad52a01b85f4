// event_hub: recent events, resume with flow control, and closing ended clients (see event_hub.hpp).
#include "api/event_hub.hpp"

#include "api/device_view.hpp"

#include <vector>

namespace api {

EventHub::Sub EventHub::sub_of(const std::shared_ptr<Subscriber>& s, const Principal& who, int64_t last_sent) {
    return {s, who, last_sent, is_hall_device(who.role)};
}

void EventHub::remember(int64_t seq, Text text, Text devices) {
    if (recent_.empty()) first_seq_ = seq;
    recent_.push_back({std::move(text), std::move(devices)});
    if (recent_.size() > window_) {
        recent_.pop_front();
        ++first_seq_;
    }
}

bool EventHub::holds_after(int64_t since) const {
    const int64_t newest = first_seq_ + static_cast<int64_t>(recent_.size()) - 1;
    return since == newest || (!recent_.empty() && since + 1 >= first_seq_ && since < newest);
}

void EventHub::publish(int64_t seq, Text text, Text devices) {
    remember(seq, text, devices);
    const Kept& kept = recent_.back();
    // Pick the targets first: a send may end a session, which unsubscribes it.
    std::vector<std::pair<std::shared_ptr<Subscriber>, bool>> targets;
    for (auto it = subs_.begin(); it != subs_.end();) {
        auto who = it->second.who.lock();
        if (!who) {
            it = subs_.erase(it);
            continue;
        }
        // Only a caught-up client gets it now; one behind gets it in order as it drains.
        if (it->second.last_sent == seq - 1 && who->room() > 0) {
            it->second.last_sent = seq;
            targets.emplace_back(std::move(who), it->second.device);
        }
        ++it;
    }
    for (auto& [who, device] : targets) who->send(kept.for_(device));
}

void EventHub::broadcast(Text text) {
    std::vector<std::shared_ptr<Subscriber>> targets;
    for (auto& [key, sub] : subs_)
        if (auto who = sub.who.lock()) targets.push_back(std::move(who));
    for (auto& who : targets) who->send(text);
}

bool EventHub::resume(const std::shared_ptr<Subscriber>& s, const Principal& who, int64_t since, int64_t durable_seq) {
    if (since <= 0 || since > durable_seq || !holds_after(since)) return false;
    Sub& sub = subs_[s.get()];
    sub = sub_of(s, who, since);
    pump(sub, *s);
    return true;
}

void EventHub::join_at(const std::shared_ptr<Subscriber>& s, const Principal& who, int64_t seq) {
    subs_[s.get()] = sub_of(s, who, seq);
}

void EventHub::drained(Subscriber* s) {
    auto it = subs_.find(s);
    if (it == subs_.end()) return;
    if (auto who = it->second.who.lock()) pump(it->second, *who);
}

void EventHub::pump(Sub& sub, Subscriber& s) {
    std::vector<Text> batch;  // sent after the loop: a send may end the session and erase `sub`
    int64_t next = sub.last_sent + 1;
    const int64_t end = first_seq_ + static_cast<int64_t>(recent_.size());
    if (next < first_seq_) {  // it fell out of the window while catching up: it reconnects for a snapshot
        s.close();
        return;
    }
    for (size_t room = s.room(); next < end && batch.size() < room; ++next)
        batch.push_back(recent_[static_cast<size_t>(next - first_seq_)].for_(sub.device));
    sub.last_sent = next - 1;
    for (auto& text : batch) s.send(std::move(text));
}

void EventHub::close_if(const std::function<bool(const Principal&)>& ended) {
    std::vector<std::shared_ptr<Subscriber>> closing;
    for (auto& [key, sub] : subs_)
        if (ended(sub.principal))
            if (auto who = sub.who.lock()) closing.push_back(std::move(who));
    for (auto& who : closing) who->close();
}

}  // namespace api
