// mirror: a client's copy of the queue as far as a screen needs it — services
// and their waiting counts, counters and the ticket each holds, the recent calls.
//
// Why not the server's engine: a display or kiosk must keep running when the
// server sends something it does not know (a newer server, a new event type, an
// extra field). So this reads the snapshot and events tolerantly: unknown types
// and fields are skipped, a missing field takes a default, an event naming an
// unknown counter or ticket still shows what it says. Only the sequence is
// strict: an event after a gap is refused, and the client resumes from seq().
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace client {

using json = nlohmann::json;

struct ServiceInfo {
    std::string code, name_vi, name_en, prefix;
    int waiting = 0;
    int est_wait_s = 0;  // from the last snapshot
};

struct CategoryInfo {
    std::string code, name_vi, name_en;
    bool priority = false;
};

struct CounterInfo {
    int id = 0;
    std::string name;
    bool paused = false;
    bool serving = false;   // started, not only called
    int64_t ticket = 0;     // 0: none
    std::string number;     // of that ticket
    std::string service;

    static CounterInfo idle(int id, std::string name, bool paused = false) {
        CounterInfo c;
        c.id = id;
        c.name = std::move(name);
        c.paused = paused;
        return c;
    }
};

struct Call {
    int64_t ticket = 0;
    std::string number, service;
    int counter = 0;
    int64_t at = 0;  // UTC ms
    bool recall = false;
    bool returned = false;  // back from being parked (ticket_returned): the board marks it
    int step = 0;           // the visit's step it is called for (0: its first service)
};

class Mirror {
public:
    enum class Applied { changed, ignored, gap };

    explicit Mirror(size_t recent_limit = 20) : recent_limit_(recent_limit) {}

    // A snapshot message ({"type":"snapshot","state":{...},"catalog_version":V})
    // replaces everything.
    void apply_snapshot(const json& message);
    // One event from the stream. `ignored`: already applied (seq not newer) or
    // not an object; `gap`: events are missing before it, resume from seq().
    Applied apply_event(const json& event);
    // The call or recall carried by the last applied event, if it was one.
    const std::optional<Call>& last_call() const { return last_call_; }

    int64_t seq() const { return seq_; }
    int32_t day() const { return day_; }
    const std::string& center_name() const { return center_name_; }
    int64_t catalog_version() const { return catalog_version_; }
    const std::vector<ServiceInfo>& services() const { return services_; }
    const std::vector<CategoryInfo>& categories() const { return categories_; }
    const std::vector<CounterInfo>& counters() const { return counters_; }
    const std::vector<Call>& recent_calls() const { return recent_; }  // newest first
    const ServiceInfo* service(const std::string& code) const;
    const CounterInfo* counter(int id) const;

private:
    void fold(const std::string& type, const json& e, int64_t at);
    void configure(const json& center);
    void read_categories(const json& list_of);
    void recount();
    void remember_call(const json& e, int64_t at, bool recall, bool returned = false);
    void hold(const json& e, int64_t ticket, int counter);
    CounterInfo& counter_slot(int id);
    void free_counter(int id, int64_t ticket);

    size_t recent_limit_;
    int64_t seq_ = 0;
    int32_t day_ = 0;
    int64_t catalog_version_ = 0;
    std::string center_name_;
    std::vector<ServiceInfo> services_;
    std::vector<CategoryInfo> categories_;
    std::vector<CounterInfo> counters_;
    std::vector<Call> recent_;
    std::map<int64_t, std::string> waiting_;  // ticket id → service, tickets in line
    // Ticket id → the visit's step it is at, for those past their first (issue 22).
    // Events do not say the step of a call: it is counted here from the snapshot's
    // tickets and each finish that sends a ticket on to its next step.
    std::map<int64_t, int> steps_;
    std::optional<Call> last_call_;
};

// j[key] when j is an object that has it, else null: never throws.
inline const json& member(const json& j, const char* key) {
    static const json none;
    if (!j.is_object()) return none;
    auto it = j.find(key);
    return it == j.end() ? none : *it;
}
// j[key] when it is an array, else an empty one.
inline const json& list(const json& j, const char* key) {
    static const json empty = json::array();
    const json& v = member(j, key);
    return v.is_array() ? v : empty;
}

// Tolerant field access: the value, or `fallback` when missing or of another type.
template <class T>
T field(const json& j, const char* key, T fallback) {
    if (!j.is_object()) return fallback;
    auto it = j.find(key);
    if (it == j.end()) return fallback;
    if constexpr (std::is_same_v<T, std::string>) {
        return it->is_string() ? it->template get<std::string>() : fallback;
    } else if constexpr (std::is_same_v<T, bool>) {
        return it->is_boolean() ? it->template get<bool>() : fallback;
    } else {
        return it->is_number_integer() ? it->template get<T>() : fallback;
    }
}

}  // namespace client
