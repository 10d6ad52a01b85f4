// mirror: folds the server's snapshot and events into what a screen shows (see mirror.hpp).
#include "client/mirror.hpp"

#include <algorithm>

namespace client {

const ServiceInfo* Mirror::service(const std::string& code) const {
    auto it = std::find_if(services_.begin(), services_.end(), [&](const ServiceInfo& s) { return s.code == code; });
    return it == services_.end() ? nullptr : &*it;
}

const CounterInfo* Mirror::counter(int id) const {
    auto it = std::find_if(counters_.begin(), counters_.end(), [&](const CounterInfo& c) { return c.id == id; });
    return it == counters_.end() ? nullptr : &*it;
}

CounterInfo& Mirror::counter_slot(int id) {
    auto it = std::find_if(counters_.begin(), counters_.end(), [&](const CounterInfo& c) { return c.id == id; });
    if (it != counters_.end()) return *it;
    // An event for a counter the snapshot did not list: show it under its number.
    counters_.push_back(CounterInfo::idle(id, "Quầy " + std::to_string(id)));
    return counters_.back();
}

void Mirror::apply_snapshot(const json& message) {
    const json& state = member(message, "state");
    seq_ = field<int64_t>(state, "seq", 0);
    day_ = field<int32_t>(state, "day", 0);
    // Beside the state, not in it: the catalog is not part of the queue.
    catalog_version_ = field<int64_t>(message, "catalog_version", catalog_version_);
    center_name_ = field<std::string>(member(state, "center"), "name", "");
    services_.clear();
    for (const auto& s : list(state, "services"))
        services_.push_back({field<std::string>(s, "code", ""), field<std::string>(s, "name_vi", ""),
                             field<std::string>(s, "name_en", ""), field<std::string>(s, "prefix", ""), 0,
                             field<int>(s, "est_wait_s", 0)});
    read_categories(list(state, "categories"));
    counters_.clear();
    steps_.clear();
    for (const auto& k : list(state, "counters")) {
        CounterInfo c = CounterInfo::idle(field<int>(k, "id", 0), field<std::string>(k, "name", ""), field<bool>(k, "paused", false));
        const json& t = member(k, "ticket");
        if (t.is_object()) {
            if (const int step = field<int>(t, "step", 0)) steps_[field<int64_t>(t, "id", 0)] = step;
            c.ticket = field<int64_t>(t, "id", 0);
            c.number = field<std::string>(t, "number", "");
            c.service = field<std::string>(t, "service", "");
            c.serving = field<std::string>(t, "state", "") == "serving";
        }
        counters_.push_back(c);
    }
    recent_.clear();
    for (const auto& c : list(state, "recent_calls"))
        if (recent_.size() < recent_limit_)
            recent_.push_back({field<int64_t>(c, "ticket", 0), field<std::string>(c, "number", ""),
                               field<std::string>(c, "service", ""), field<int>(c, "counter", 0),
                               field<int64_t>(c, "at", 0), field<bool>(c, "recall", false),
                               field<bool>(c, "returned", false), field<int>(c, "step", 0)});
    waiting_.clear();
    for (const auto& t : list(state, "tickets")) {
        if (field<std::string>(t, "state", "") == "waiting")
            waiting_[field<int64_t>(t, "id", 0)] = field<std::string>(t, "service", "");
        if (const int step = field<int>(t, "step", 0)) steps_[field<int64_t>(t, "id", 0)] = step;  // waiting, parked
    }
    last_call_.reset();
    recount();
}

Mirror::Applied Mirror::apply_event(const json& e) {
    last_call_.reset();
    if (!e.is_object()) return Applied::ignored;
    if (field<std::string>(e, "type", "") == "catalog_updated") {  // a notice outside the log: no seq
        catalog_version_ = field<int64_t>(e, "version", catalog_version_);
        return Applied::ignored;
    }
    const int64_t seq = field<int64_t>(e, "seq", 0);
    if (seq <= seq_) return Applied::ignored;
    if (seq != seq_ + 1) return Applied::gap;
    seq_ = seq;
    day_ = field<int32_t>(e, "day", day_);
    fold(field<std::string>(e, "type", ""), e, field<int64_t>(e, "at", 0));
    recount();
    return Applied::changed;
}

void Mirror::fold(const std::string& type, const json& e, int64_t at) {
    const int64_t ticket = field<int64_t>(e, "ticket", 0);
    const int counter = field<int>(e, "counter", 0);
    const std::string service = field<std::string>(e, "service", "");
    if (type == "ticket_issued") {
        const json& t = member(e, "ticket");
        if (field<std::string>(t, "state", "waiting") == "waiting")
            waiting_[field<int64_t>(t, "id", 0)] = field<std::string>(t, "service", "");
        // The newest ticket's estimate is the wait a ticket taken now would have.
        for (auto& s : services_)
            if (s.code == field<std::string>(t, "service", "")) s.est_wait_s = field<int>(t, "est_wait_s", s.est_wait_s);
    } else if (type == "ticket_called" || type == "ticket_returned") {  // returned: called back from the parked list
        waiting_.erase(ticket);
        hold(e, ticket, counter);
        remember_call(e, at, false, type == "ticket_returned");
    } else if (type == "ticket_recalled") {
        remember_call(e, at, true);
    } else if (type == "ticket_started") {
        CounterInfo& k = counter_slot(counter);
        if (k.ticket == ticket) k.serving = true;
    } else if (type == "ticket_finished" || type == "ticket_no_show" || type == "ticket_parked") {
        free_counter(counter, ticket);
        // The visit goes on: the same ticket waits at once in its next step's line.
        if (const std::string next = field<std::string>(e, "next_step", ""); !next.empty() && type == "ticket_finished") {
            waiting_[ticket] = next;
            ++steps_[ticket];
        }
    } else if (type == "ticket_cancelled") {
        waiting_.erase(ticket);
        free_counter(counter, ticket);
    } else if (type == "ticket_reactivated") {
        waiting_[ticket] = service;
    } else if (type == "ticket_transferred") {
        free_counter(field<int>(e, "from_counter", 0), ticket);
        waiting_[ticket] = field<std::string>(e, "to_service", service);
    } else if (type == "counter_paused" || type == "counter_resumed") {
        counter_slot(counter).paused = type == "counter_paused";
    } else if (type == "day_opened") {
        waiting_.clear();
        recent_.clear();
        steps_.clear();
        for (auto& k : counters_) k = CounterInfo::idle(k.id, k.name, k.paused);
    } else if (type == "center_configured") {
        configure(member(e, "center"));
    }
    // Any other type is from a newer server: its seq is taken, its body skipped.
}

void Mirror::configure(const json& center) {
    center_name_ = field<std::string>(center, "name", center_name_);
    std::vector<ServiceInfo> services;
    for (const auto& s : list(center, "services")) {
        ServiceInfo info{field<std::string>(s, "code", ""), field<std::string>(s, "name_vi", ""),
                         field<std::string>(s, "name_en", ""), field<std::string>(s, "prefix", "")};
        if (const ServiceInfo* old = service(info.code)) info.est_wait_s = old->est_wait_s;
        services.push_back(info);
    }
    services_ = std::move(services);
    if (member(center, "categories").is_array()) read_categories(list(center, "categories"));
    std::vector<CounterInfo> counters;
    for (const auto& k : list(center, "counters")) {
        CounterInfo info = CounterInfo::idle(field<int>(k, "id", 0), field<std::string>(k, "name", ""));
        if (const CounterInfo* old = counter(info.id)) {
            const std::string name = info.name;
            info = *old;
            info.name = name;
        }
        counters.push_back(info);
    }
    counters_ = std::move(counters);
}

void Mirror::read_categories(const json& categories) {
    categories_.clear();
    for (const auto& c : categories)
        categories_.push_back({field<std::string>(c, "code", ""), field<std::string>(c, "name_vi", ""),
                               field<std::string>(c, "name_en", ""), field<bool>(c, "priority", false)});
}

void Mirror::hold(const json& e, int64_t ticket, int counter) {
    CounterInfo& k = counter_slot(counter);
    k.ticket = ticket;
    k.number = field<std::string>(e, "number", "");
    k.service = field<std::string>(e, "service", "");
    k.serving = false;
}

void Mirror::remember_call(const json& e, int64_t at, bool recall, bool returned) {
    const int64_t ticket = field<int64_t>(e, "ticket", 0);
    const auto step = steps_.find(ticket);
    Call call{ticket, field<std::string>(e, "number", ""), field<std::string>(e, "service", ""), field<int>(e, "counter", 0),
              at, recall, returned, step == steps_.end() ? 0 : step->second};
    recent_.insert(recent_.begin(), call);
    if (recent_.size() > recent_limit_) recent_.resize(recent_limit_);
    last_call_ = call;
}

void Mirror::free_counter(int id, int64_t ticket) {
    for (auto& k : counters_)
        if (k.id == id && k.ticket == ticket) k = CounterInfo::idle(k.id, k.name, k.paused);
}

void Mirror::recount() {
    for (auto& s : services_) s.waiting = 0;
    for (const auto& [id, code] : waiting_)
        for (auto& s : services_)
            if (s.code == code) ++s.waiting;
}

}  // namespace client
