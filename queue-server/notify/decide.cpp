// decide: N-ahead and called messages from the engine state (see decide.hpp).
#include "notify/decide.hpp"

#include <type_traits>
#include <unordered_map>

namespace notify {

std::optional<int> people_ahead(const engine::State& state, int64_t ticket) {
    auto it = state.tickets.find(ticket);
    if (it == state.tickets.end() || it->second.state != engine::TicketState::waiting) return std::nullopt;
    return engine::people_ahead_of(state, it->second);
}

std::string ahead_text(const std::string& number, int ahead, const std::string& center) {
    const std::string place = ahead > 0 ? "còn " + std::to_string(ahead) + " người phía trước" : "quý khách là người tiếp theo";
    return "Sắp đến lượt số " + number + " — " + place + ". Mời quý khách quay lại " + center + ".";
}

std::string called_text(const std::string& number, const std::string& counter) {
    return "Mời số " + number + " đến " + counter + ".";
}

std::string counter_name(const engine::Center& center, int counter) {
    const engine::Counter* c = center.counter(counter);
    return c && !c->name.empty() ? c->name : "Quầy " + std::to_string(counter);
}

std::string counter_name(const engine::State& state, int counter) { return counter_name(state.center, counter); }

namespace {

Message message_for(const api::Subscription& s, const char* kind, const std::string& id_tail, int64_t now_ms) {
    Message m;
    m.day = s.day;
    m.ticket = s.ticket;
    m.id = std::to_string(m.day) + "-" + std::to_string(m.ticket) + "-" + id_tail;
    m.kind = kind;
    m.phone = s.phone;
    m.email = m.phone.empty() ? s.email : "";  // one channel per subscription: the phone first
    m.number = s.number;
    m.created_at = now_ms;
    return m;
}

}  // namespace

Message called_message(const api::Subscription& s, int64_t seq, const std::string& counter, int64_t now_ms) {
    Message m = message_for(s, "called", "called-" + std::to_string(seq), now_ms);
    m.counter = counter;
    m.text = called_text(m.number, m.counter);
    m.subject = m.text;
    m.text_en = "Number " + m.number + ", please go to " + m.counter + ".";
    return m;
}

void Decider::watch(const api::Subscription& s, bool ahead_done) { watches_[s.ticket] = {s, ahead_done}; }

const api::Subscription* Decider::find(int64_t ticket) const {
    auto it = watches_.find(ticket);
    return it == watches_.end() ? nullptr : &it->second.sub;
}

Decider::Result Decider::decide(const engine::State& state, const std::vector<engine::Event>& events, int64_t now_ms) {
    Result r;
    for (const engine::Event& e : events) {
        std::visit(
            [&](const auto& body) {
                using T = std::decay_t<decltype(body)>;
                if constexpr (std::is_same_v<T, engine::DayOpened>) {
                    r.day_opened = body.day;
                    std::erase_if(watches_, [&](const auto& kv) { return kv.second.sub.day < body.day; });
                } else if constexpr (std::is_same_v<T, engine::TicketCalled> || std::is_same_v<T, engine::TicketRecalled>) {
                    auto it = watches_.find(body.ticket);
                    if (it == watches_.end() || it->second.sub.day != e.day) return;
                    r.messages.push_back(called_message(it->second.sub, e.seq, counter_name(state, body.counter), now_ms));
                    it->second.ahead_done = true;  // called: "your turn is near" would come too late
                }
            },
            e.body);
    }
    check_ahead(state, now_ms, r.messages);
    return r;
}

void Decider::check_ahead(const engine::State& state, int64_t now_ms, std::vector<Message>& out) {
    for (auto& [ticket, w] : watches_) {
        if (w.ahead_done || w.sub.day != state.day) continue;
        const std::optional<int> ahead = people_ahead(state, ticket);
        if (!ahead) {
            if (state.tickets.count(ticket)) w.ahead_done = true;  // called, cancelled or done: nothing to announce
            continue;
        }
        if (*ahead > w.sub.ahead) continue;
        Message m = message_for(w.sub, "ahead", "ahead", now_ms);
        m.ahead = *ahead;
        m.text = ahead_text(m.number, *ahead, center_);
        m.subject = "Sắp đến lượt số " + m.number;
        m.text_en = "Your turn is near, number " + m.number + ": " +
                    (*ahead > 0 ? std::to_string(*ahead) + (*ahead == 1 ? " person" : " people") + " ahead"
                                : std::string("you are next")) +
                    ". Please come back to " + center_ + ".";
        out.push_back(std::move(m));
        w.ahead_done = true;
    }
}

}  // namespace notify
