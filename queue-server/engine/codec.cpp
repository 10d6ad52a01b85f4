// codec: JSON for the center setup, tickets and events (see codec.hpp).
#include "engine/codec.hpp"
#include "common/overloaded.hpp"
#include "engine/booking_codec.hpp"

#include <initializer_list>

namespace engine {
namespace {

using Reader = common::JsonReader;

std::vector<std::string> string_list(const json& j, const std::string& where) { return Reader::strings(j, where); }

OutcomeRule outcome_rule_from_text(const std::string& s, const std::string& where) {
    for (auto r : {OutcomeRule::none, OutcomeRule::optional, OutcomeRule::required})
        if (s == to_string(r)) return r;
    throw CodecError(where + ": one of none, optional, required");
}

Service service_from_json(const json& j, const std::string& where) {
    Reader r(j, where, {"code", "name_vi", "name_en", "prefix", "first", "last", "open", "close", "daily_cap", "wrap", "avg_handle_s",
                        "booking", "next_steps", "outcome"});
    Service s;
    s.code = r.get<std::string>("code");
    s.name_vi = r.get<std::string>("name_vi");
    s.name_en = r.get<std::string>("name_en", "");
    s.prefix = r.get<std::string>("prefix", s.code);
    s.first = r.get<int>("first", 1);
    s.last = r.get<int>("last", 999);
    try {
        s.open_minute = minute_from_text(r.get<std::string>("open", "00:00"));
        s.close_minute = minute_from_text(r.get<std::string>("close", "24:00"));
    } catch (const CodecError& e) {
        throw CodecError(where + ": " + e.what());
    }
    s.daily_cap = r.get<int>("daily_cap", 0);
    s.wrap = r.get<bool>("wrap", false);
    s.avg_handle_s = r.get<int>("avg_handle_s", 300);
    if (r.has("booking")) s.booking = booking_rules_from_json(r.raw("booking"), r.path("booking"));
    if (r.has("next_steps")) s.next_steps = string_list(r.raw("next_steps"), r.path("next_steps"));
    const std::string outcome = r.get<std::string>("outcome", "none");
    s.outcome = outcome_rule_from_text(outcome, r.path("outcome"));
    return s;
}

Counter counter_from_json(const json& j, const std::string& where) {
    Reader r(j, where, {"id", "name", "tiers", "services"});
    Counter k;
    k.id = r.get<int>("id");
    k.name = r.get<std::string>("name", "Quầy " + std::to_string(k.id));
    // "services": ["A","B"] is shorthand for one tier.
    if (r.has("services")) k.tiers.push_back(string_list(r.raw("services"), r.path("services")));
    if (r.has("tiers")) {
        const json& tiers = r.raw("tiers");
        if (!tiers.is_array()) throw CodecError(r.path("tiers") + ": expected a list of lists");
        for (const auto& tier : tiers) k.tiers.push_back(string_list(tier, r.path("tiers")));
    }
    return k;
}

Category category_from_json(const json& j, const std::string& where) {
    Reader r(j, where, {"code", "name_vi", "name_en", "priority"});
    return {r.get<std::string>("code"), r.get<std::string>("name_vi"), r.get<std::string>("name_en", ""),
            r.get<bool>("priority", true)};
}

Policy policy_from_json(const json& j) {
    Reader r(j, "policy", {"max_priority_streak", "ageing_minutes", "no_show_after_recalls", "no_show_after_minutes", "recent_calls",
                           "step_boost_minutes", "park_max_minutes"});
    Policy p;
    p.max_priority_streak = r.get<int>("max_priority_streak", p.max_priority_streak);
    p.ageing_minutes = r.get<int>("ageing_minutes", p.ageing_minutes);
    p.no_show_after_recalls = r.get<int>("no_show_after_recalls", p.no_show_after_recalls);
    p.no_show_after_minutes = r.get<int>("no_show_after_minutes", p.no_show_after_minutes);
    p.recent_calls = r.get<int>("recent_calls", p.recent_calls);
    p.step_boost_minutes = r.get<int>("step_boost_minutes", p.step_boost_minutes);
    p.park_max_minutes = r.get<int>("park_max_minutes", p.park_max_minutes);
    return p;
}

template <class T, class F>
std::vector<T> list_from_json(const json& j, const std::string& where, F read) {
    if (!j.is_array()) throw CodecError(where + ": expected a list");
    std::vector<T> out;
    for (size_t i = 0; i < j.size(); ++i) out.push_back(read(j[i], where + "[" + std::to_string(i) + "]"));
    return out;
}

TicketState state_from_text(const std::string& s) {
    for (auto st : {TicketState::waiting, TicketState::called, TicketState::serving, TicketState::done,
                    TicketState::no_show, TicketState::cancelled, TicketState::expired, TicketState::parked})
        if (s == to_string(st)) return st;
    throw CodecError("unknown ticket state '" + s + "'");
}

}  // namespace

int minute_from_text(const std::string& t) {
    if (t.size() != 5 || t[2] != ':' || !isdigit(static_cast<unsigned char>(t[0])) || !isdigit(static_cast<unsigned char>(t[1])) ||
        !isdigit(static_cast<unsigned char>(t[3])) || !isdigit(static_cast<unsigned char>(t[4])))
        throw CodecError("time '" + t + "' is not HH:MM");
    const int h = (t[0] - '0') * 10 + (t[1] - '0');
    const int m = (t[3] - '0') * 10 + (t[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) throw CodecError("time '" + t + "' is not HH:MM");
    return h * 60 + m;
}

std::string minute_to_text(int minute) {
    const int h = minute / 60 % 100, m = minute % 60;
    return {char('0' + h / 10), char('0' + h % 10), ':', char('0' + m / 10), char('0' + m % 10)};
}

json center_to_json(const Center& c) {
    json services = json::array(), counters = json::array(), categories = json::array();
    for (const auto& s : c.services) {
        services.push_back({{"code", s.code}, {"name_vi", s.name_vi}, {"name_en", s.name_en}, {"prefix", s.prefix},
                            {"first", s.first}, {"last", s.last}, {"open", minute_to_text(s.open_minute)},
                            {"close", minute_to_text(s.close_minute)}, {"daily_cap", s.daily_cap}, {"wrap", s.wrap},
                            {"avg_handle_s", s.avg_handle_s}});
        // Always, bookable or not: bookings made before a service stopped taking
        // them still follow its rules, and the log must give them back whole.
        services.back()["booking"] = booking_rules_to_json(s.booking);
        if (!s.next_steps.empty()) services.back()["next_steps"] = s.next_steps;
        if (s.outcome != OutcomeRule::none) services.back()["outcome"] = to_string(s.outcome);
    }
    for (const auto& k : c.counters) counters.push_back({{"id", k.id}, {"name", k.name}, {"tiers", k.tiers}});
    for (const auto& k : c.categories)
        categories.push_back({{"code", k.code}, {"name_vi", k.name_vi}, {"name_en", k.name_en}, {"priority", k.priority}});
    const Policy& p = c.policy;
    json out = {{"name", c.name}, {"level", c.level}, {"timezone", c.timezone}, {"services", services},
            {"counters", counters}, {"categories", categories},
            {"policy", {{"max_priority_streak", p.max_priority_streak}, {"ageing_minutes", p.ageing_minutes},
                        {"no_show_after_recalls", p.no_show_after_recalls}, {"no_show_after_minutes", p.no_show_after_minutes},
                        {"recent_calls", p.recent_calls}, {"step_boost_minutes", p.step_boost_minutes},
                        {"park_max_minutes", p.park_max_minutes}}}};
    out["booking"] = booking_policy_to_json(c.booking);
    return out;
}

Center center_from_json(const json& j) {
    Reader r(j, "center", {"name", "level", "timezone", "services", "counters", "categories", "policy", "booking"});
    Center c;
    c.name = r.get<std::string>("name");
    c.level = r.get<std::string>("level", "");
    c.timezone = r.get<std::string>("timezone", c.timezone);
    c.services = list_from_json<Service>(r.raw("services"), "services", service_from_json);
    c.counters = list_from_json<Counter>(r.raw("counters"), "counters", counter_from_json);
    c.categories = r.has("categories") ? list_from_json<Category>(r.raw("categories"), "categories", category_from_json)
                                       : default_categories();
    if (r.has("policy")) c.policy = policy_from_json(r.raw("policy"));
    if (r.has("booking")) c.booking = booking_policy_from_json(r.raw("booking"));
    return c;
}

json ticket_to_json(const Ticket& t) {
    json j = {{"id", t.id}, {"number", t.number}, {"serial", t.serial}, {"service", t.service}, {"category", t.category},
            {"priority", t.priority}, {"source", t.source}, {"day", t.day}, {"issued_at", t.issued_at},
            {"state", to_string(t.state)}, {"counter", t.counter}, {"target_counter", t.target_counter},
            {"called_at", t.called_at}, {"started_at", t.started_at}, {"finished_at", t.finished_at},
            {"recalls", t.recalls}, {"transfers", t.transfers}, {"people_ahead", t.people_ahead},
            {"est_wait_s", t.est_wait_s}, {"rating", t.rating}};
    if (t.late) j["late"] = true;  // moved back once ("I'll be late"); its new place came with ticket_postponed
    if (t.booking) {  // from a booking (issue 21)
        j["booking"] = t.booking;
        j["booked"] = t.booked;
        j["slot_at"] = t.slot_at;
    }
    if (t.booking || !t.masked_name.empty()) j["masked_name"] = t.masked_name;  // booked, or a walk-in's chip ID card
    if (t.step || !t.next_steps.empty()) {  // a visit of several steps (issue 22)
        j["step"] = t.step;
        j["next_steps"] = t.next_steps;
        if (t.step) j["step_since"] = t.step_since;
    }
    if (t.queued_at != t.issued_at) j["queued_at"] = t.queued_at;
    if (t.state == TicketState::parked || t.returns) {
        j["parked_by"] = t.parked_by;
        j["parked_until"] = t.parked_until;
        j["park_reason"] = t.park_reason;
        j["returns"] = t.returns;
    }
    return j;
}

Ticket ticket_from_json(const json& j) {
    Reader r(j, "ticket", {"id", "number", "serial", "service", "category", "priority", "source", "day", "issued_at", "state",
                           "counter", "target_counter", "called_at", "started_at", "finished_at", "recalls", "transfers",
                           "people_ahead", "est_wait_s", "rating", "late", "follow_hash", "booking", "booked", "slot_at",
                           "masked_name", "person", "step", "next_steps", "step_since", "queued_at", "parked_by", "parked_until",
                           "park_reason", "returns"});
    Ticket t;
    t.id = r.get<int64_t>("id");
    t.number = r.get<std::string>("number");
    t.serial = r.get<int>("serial");
    t.service = r.get<std::string>("service");
    t.category = r.get<std::string>("category");
    t.priority = r.get<bool>("priority");
    t.source = r.get<std::string>("source", "");
    t.day = r.get<int32_t>("day");
    t.issued_at = r.get<int64_t>("issued_at");
    t.state = state_from_text(r.get<std::string>("state", "waiting"));
    t.counter = r.get<int>("counter", 0);
    t.target_counter = r.get<int>("target_counter", 0);
    t.called_at = r.get<int64_t>("called_at", 0);
    t.started_at = r.get<int64_t>("started_at", 0);
    t.finished_at = r.get<int64_t>("finished_at", 0);
    t.recalls = r.get<int>("recalls", 0);
    t.transfers = r.get<int>("transfers", 0);
    t.people_ahead = r.get<int>("people_ahead", 0);
    t.est_wait_s = r.get<int>("est_wait_s", 0);
    t.rating = r.get<int>("rating", 0);
    t.late = r.get<bool>("late", false);
    t.follow_hash = r.get<std::string>("follow_hash", "");  // only in the log, and only since issue 20
    t.booking = r.get<int64_t>("booking", 0);
    t.booked = r.get<bool>("booked", false);
    t.slot_at = r.get<int64_t>("slot_at", 0);
    t.masked_name = r.get<std::string>("masked_name", "");
    t.person = r.get<std::string>("person", "");  // only in the log
    t.step = r.get<int>("step", 0);
    if (r.has("next_steps")) t.next_steps = string_list(r.raw("next_steps"), r.path("next_steps"));
    t.step_since = r.get<int64_t>("step_since", 0);
    t.queued_at = r.get<int64_t>("queued_at", t.issued_at);
    t.parked_by = r.get<int>("parked_by", 0);
    t.parked_until = r.get<int64_t>("parked_until", 0);
    t.park_reason = r.get<std::string>("park_reason", "");
    t.returns = r.get<int>("returns", 0);
    return t;
}

json outcome_to_json(const VisitOutcome& o) { return {{"procedure", o.procedure}, {"dossier", o.dossier}, {"result", o.result}}; }

VisitOutcome outcome_from_json(const json& j) {
    Reader r(j, "outcome", {"procedure", "dossier", "result"});
    return {r.get<std::string>("procedure", ""), r.get<std::string>("dossier", ""), r.get<std::string>("result", "")};
}

namespace {

// The body alone (no seq/at/day/by). `for_log`: with the follow hash and the
// person's keyed hash, which the log keeps (a key must still work after a
// restart, the limits must still count) and no client is ever sent.
json body_to_json(const EventBody& body, bool for_log) {
    auto ref = [](int64_t ticket, const std::string& number, const std::string& service) {
        return json{{"ticket", ticket}, {"number", number}, {"service", service}};
    };
    return std::visit(common::overloaded{
        [&](const CenterConfigured& e) { return json{{"center", center_to_json(e.center)}}; },
        [&](const DayOpened& e) { return json{{"opened", e.day}}; },
        [&](const TicketIssued& e) {
            json t = ticket_to_json(e.ticket);
            if (for_log && !e.ticket.follow_hash.empty()) t["follow_hash"] = e.ticket.follow_hash;
            if (for_log && !e.ticket.person.empty()) t["person"] = e.ticket.person;
            return json{{"ticket", t}};
        },
        [&](const TicketCalled& e) {
            auto j = ref(e.ticket, e.number, e.service);
            j["counter"] = e.counter;
            j["priority_streak"] = e.priority_streak;
            if (e.booked_streak) j["booked_streak"] = e.booked_streak;  // since issue 21
            if (e.out_of_order) {  // since issue 22
                j["out_of_order"] = true;
                j["reason"] = e.reason;
            }
            if (e.idle_ms) j["idle_ms"] = e.idle_ms;
            return j;
        },
        [&](const TicketRecalled& e) {
            auto j = ref(e.ticket, e.number, e.service);
            j["counter"] = e.counter;
            j["recalls"] = e.recalls;
            return j;
        },
        [&](const TicketStarted& e) { auto j = ref(e.ticket, e.number, e.service); j["counter"] = e.counter; return j; },
        [&](const TicketFinished& e) {
            auto j = ref(e.ticket, e.number, e.service);
            j["counter"] = e.counter;
            if (!e.outcome.empty()) j["outcome"] = outcome_to_json(e.outcome);
            if (!e.next_step.empty()) {
                j["next_step"] = e.next_step;
                j["later_steps"] = e.later_steps;
                j["step_since"] = e.step_since;
            }
            return j;
        },
        [&](const TicketNoShow& e) {
            auto j = ref(e.ticket, e.number, e.service);
            j["counter"] = e.counter;
            if (e.parked) j["parked"] = true;
            return j;
        },
        [&](const TicketReactivated& e) { return ref(e.ticket, e.number, e.service); },
        [&](const TicketTransferred& e) {
            auto j = ref(e.ticket, e.number, e.service);
            j["from_counter"] = e.from_counter;
            j["to_service"] = e.to_service;
            j["to_counter"] = e.to_counter;
            j["note"] = e.note;
            return j;
        },
        [&](const TicketCancelled& e) { auto j = ref(e.ticket, e.number, e.service); j["counter"] = e.counter; return j; },
        [&](const CounterPaused& e) {
            json j{{"counter", e.counter}};
            if (!e.reason.empty()) j["reason"] = e.reason;
            return j;
        },
        [&](const CounterResumed& e) { return json{{"counter", e.counter}}; },
        [&](const TicketRated& e) {
            auto j = ref(e.ticket, e.number, e.service);
            j["counter"] = e.counter;
            j["rating"] = e.rating;
            j["reason"] = e.reason;
            return j;
        },
        [&](const TicketPostponed& e) {
            auto j = ref(e.ticket, e.number, e.service);
            j["places"] = e.places;
            j["since"] = e.since;
            j["tie"] = e.tie;
            return j;
        },
        [&](const BookingMade& e) { return booking_event_to_json(e, for_log); },
        [&](const BookingMoved& e) { return booking_event_to_json(e); },
        [&](const BookingCancelled& e) { return booking_event_to_json(e); },
        [&](const BookingCheckedIn& e) { return booking_event_to_json(e); },
        [&](const BookingNoShow& e) { return booking_event_to_json(e); },
        [&](const TicketParked& e) {
            auto j = ref(e.ticket, e.number, e.service);
            j["counter"] = e.counter;
            j["until"] = e.until;
            j["reason"] = e.reason;
            return j;
        },
        [&](const TicketReturned& e) {
            auto j = ref(e.ticket, e.number, e.service);
            j["counter"] = e.counter;
            if (e.idle_ms) j["idle_ms"] = e.idle_ms;
            return j;
        },
        [&](const StaffSignedIn& e) { return json{{"counter", e.counter}, {"staff", e.staff}}; },
        [&](const StaffSignedOut& e) { return json{{"counter", e.counter}, {"staff", e.staff}}; },
    }, body);
}

EventBody body_from_json(const std::string& type, const json& j) {
    if (!j.is_object()) throw CodecError("event " + type + ": expected an object");
    auto i64 = [&](const char* k) { return j.at(k).get<int64_t>(); };
    auto i32 = [&](const char* k) { return j.at(k).get<int>(); };
    auto str = [&](const char* k) { return j.at(k).get<std::string>(); };
    try {
        if (type == "center_configured") return CenterConfigured{center_from_json(j.at("center"))};
        if (type == "day_opened") return DayOpened{i32("opened")};
        if (type == "ticket_issued") return TicketIssued{ticket_from_json(j.at("ticket"))};
        auto opt_i64 = [&](const char* k) { return j.contains(k) ? i64(k) : int64_t{0}; };
        if (type == "ticket_called")
            return TicketCalled{i64("ticket"), str("number"), str("service"), i32("counter"), i32("priority_streak"),
                                j.contains("booked_streak") ? i32("booked_streak") : 0, j.value("out_of_order", false),
                                j.contains("reason") ? str("reason") : "", opt_i64("idle_ms")};
        if (type == "ticket_recalled")
            return TicketRecalled{i64("ticket"), str("number"), str("service"), i32("counter"), i32("recalls")};
        if (type == "ticket_started") return TicketStarted{i64("ticket"), str("number"), str("service"), i32("counter")};
        if (type == "ticket_finished") {
            TicketFinished e{i64("ticket"), str("number"), str("service"), i32("counter")};
            if (j.contains("outcome")) e.outcome = outcome_from_json(j.at("outcome"));
            if (j.contains("next_step")) {
                e.next_step = str("next_step");
                e.later_steps = j.at("later_steps").get<std::vector<std::string>>();
                e.step_since = i64("step_since");
            }
            return e;
        }
        if (type == "ticket_no_show")
            return TicketNoShow{i64("ticket"), str("number"), str("service"), i32("counter"), j.value("parked", false)};
        if (type == "ticket_reactivated") return TicketReactivated{i64("ticket"), str("number"), str("service")};
        if (type == "ticket_transferred")
            return TicketTransferred{i64("ticket"), str("number"), str("service"), i32("from_counter"),
                                     str("to_service"), i32("to_counter"), str("note")};
        if (type == "ticket_cancelled") return TicketCancelled{i64("ticket"), str("number"), str("service"), i32("counter")};
        if (type == "counter_paused") return CounterPaused{i32("counter"), j.contains("reason") ? str("reason") : ""};
        if (type == "ticket_parked")
            return TicketParked{i64("ticket"), str("number"), str("service"), i32("counter"), i64("until"), str("reason")};
        if (type == "ticket_returned") return TicketReturned{i64("ticket"), str("number"), str("service"), i32("counter"), opt_i64("idle_ms")};
        if (type == "staff_signed_in") return StaffSignedIn{i32("counter"), str("staff")};
        if (type == "staff_signed_out") return StaffSignedOut{i32("counter"), str("staff")};
        if (type == "counter_resumed") return CounterResumed{i32("counter")};
        if (type == "ticket_rated")
            return TicketRated{i64("ticket"), str("number"), str("service"), i32("counter"), i32("rating"), str("reason")};
        if (type == "ticket_postponed")
            return TicketPostponed{i64("ticket"), str("number"), str("service"), i32("places"), i64("since"), i64("tie")};
        if (auto booking = booking_event_from_json(type, j)) return *booking;
    } catch (const json::exception& e) {
        throw CodecError("event " + type + ": " + e.what());
    }
    throw CodecError("unknown event type '" + type + "'");
}

}  // namespace

namespace {

json with_by(const Event& e, json j) {
    if (!e.by.empty()) j["by"] = e.by;
    return j;
}

}  // namespace

json stored_json(const Event& e) { return with_by(e, body_to_json(e.body, true)); }

void read_stored_json(Event& e, const std::string& type, json j) {
    if (j.is_object() && j.contains("by")) {
        if (!j["by"].is_string()) throw CodecError("event " + type + ": by is not a text");
        e.by = j["by"].get<std::string>();
        j.erase("by");
    }
    e.body = body_from_json(type, j);
}

json event_to_json(const Event& e) {
    json j = with_by(e, body_to_json(e.body, false));
    j["seq"] = e.seq;
    j["at"] = e.at;
    j["day"] = e.day;
    j["type"] = type_name(e.body);
    return j;
}

Event event_from_json(const json& j) {
    if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) throw CodecError("event: no type");
    json body = j;
    Event e;
    try {
        e.seq = j.at("seq").get<int64_t>();
        e.at = j.at("at").get<int64_t>();
        e.day = j.at("day").get<int32_t>();
    } catch (const json::exception& ex) {
        throw CodecError(std::string("event: ") + ex.what());
    }
    for (const char* k : {"seq", "at", "day", "type"}) body.erase(k);
    read_stored_json(e, j["type"].get<std::string>(), std::move(body));
    return e;
}

json snapshot_json(const Engine& engine) {
    const State& s = engine.state();
    json services = json::array(), counters = json::array(), calls = json::array(), waiting = json::array();
    for (const auto& svc : s.center.services) {
        auto count = [&](const std::map<std::string, Queue>& q) {
            auto it = q.find(svc.code);
            return it == q.end() ? 0 : static_cast<int>(it->second.size());
        };
        services.push_back({{"code", svc.code}, {"name_vi", svc.name_vi}, {"name_en", svc.name_en}, {"prefix", svc.prefix},
                            {"waiting", count(s.normal_queue) + count(s.priority_queue) + count(s.booked_queue)},
                            {"waiting_priority", count(s.priority_queue)},
                            {"est_wait_s", engine.estimate_wait_s(svc.code, static_cast<int>(engine.waiting_count(svc.code)))},
                            {"open", minute_to_text(svc.open_minute)}, {"close", minute_to_text(svc.close_minute)},
                            {"next_steps", svc.next_steps}, {"outcome", to_string(svc.outcome)}});
    }
    for (const auto& k : s.center.counters) {
        const CounterStatus& st = s.counters.at(k.id);
        const Ticket* t = st.ticket ? engine.ticket(st.ticket) : nullptr;
        // `staff` is filled in by the API (the last who acted, when nobody is signed in);
        // `signed_in` is the engine's own word, empty when nobody is.
        counters.push_back({{"id", k.id}, {"name", k.name}, {"tiers", k.tiers}, {"paused", st.paused},
                            {"pause_reason", st.pause_reason}, {"ticket", t ? ticket_to_json(*t) : json(nullptr)},
                            {"staff", st.staff}, {"signed_in", st.staff}});
    }
    for (const auto& c : s.recent_calls)
        calls.push_back({{"ticket", c.ticket}, {"number", c.number}, {"service", c.service}, {"counter", c.counter},
                         {"at", c.at}, {"recall", c.recall}, {"returned", c.returned}, {"step", c.step}});
    for (const auto& [id, t] : s.tickets)
        if (t.state == TicketState::waiting || t.state == TicketState::no_show || t.state == TicketState::parked)
            waiting.push_back(ticket_to_json(t));
    return {{"seq", s.seq}, {"day", s.day}, {"center", {{"name", s.center.name}, {"level", s.center.level}}},
            {"services", services}, {"counters", counters}, {"recent_calls", calls}, {"tickets", waiting},
            {"policy", {{"park_max_minutes", s.center.policy.park_max_minutes}}},  // the console's park dialog
            {"categories", center_to_json(s.center)["categories"]}};
}

}  // namespace engine
