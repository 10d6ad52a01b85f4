// booking_codec: JSON of bookings and their rules (see booking_codec.hpp).
#include "engine/booking_codec.hpp"

#include <cmath>

namespace engine {
namespace {

using Reader = common::JsonReader;

BookingState booking_state_from_text(const std::string& s) {
    for (auto st : {BookingState::booked, BookingState::checked_in, BookingState::cancelled, BookingState::no_show})
        if (s == to_string(st)) return st;
    throw CodecError("unknown booking state '" + s + "'");
}

}  // namespace

json booking_rules_to_json(const BookingRules& b) {
    return {{"bookable", b.bookable},           {"days_ahead", b.days_ahead},       {"slot_minutes", b.slot_minutes},
            {"capacity", b.slot_capacity > 0 ? json(b.slot_capacity) : json("auto")},
            {"walk_in_share", b.walk_in_percent / 100.0}, {"early_minutes", b.early_minutes},
            {"grace_minutes", b.grace_minutes}, {"late_as_walk_in", b.late_as_walk_in}};
}

BookingRules booking_rules_from_json(const json& j, const std::string& where) {
    Reader r(j, where,
             {"bookable", "days_ahead", "slot_minutes", "capacity", "walk_in_share", "early_minutes", "grace_minutes", "late_as_walk_in"});
    BookingRules b;
    b.bookable = r.get<bool>("bookable", true);
    b.days_ahead = r.get<int>("days_ahead", b.days_ahead);
    b.slot_minutes = r.get<int>("slot_minutes", b.slot_minutes);
    // A number, or "auto": derived from the service's counters and handling time (Engine::slot_capacity).
    if (r.has("capacity") && r.raw("capacity").is_string()) {
        if (r.raw("capacity") != "auto") throw CodecError(r.path("capacity") + ": a number of bookings, or \"auto\"");
        b.slot_capacity = 0;
    } else {
        b.slot_capacity = r.get<int>("capacity", b.slot_capacity);
        if (b.slot_capacity == 0) b.slot_capacity = -1;  // 0 stands for "auto" inside: a written 0 must reach validate()'s refusal
    }
    if (r.has("walk_in_share")) {  // of the counters' time, when the capacity is derived
        if (!r.raw("walk_in_share").is_number()) throw CodecError(r.path("walk_in_share") + ": a share, 0 to 0.9");
        b.walk_in_percent = static_cast<int>(std::lround(r.raw("walk_in_share").get<double>() * 100));
    }
    b.early_minutes = r.get<int>("early_minutes", b.early_minutes);
    b.grace_minutes = r.get<int>("grace_minutes", b.grace_minutes);
    b.late_as_walk_in = r.get<bool>("late_as_walk_in", b.late_as_walk_in);
    return b;
}

json booking_policy_to_json(const BookingPolicy& p) {
    return {{"per_service_per_day", p.per_service_per_day}, {"per_day", p.per_day}, {"max_booked_streak", p.max_booked_streak},
            {"open_weekdays", p.open_weekdays},             {"closed_days", p.closed_days},
            {"walk_in_identity", p.walk_in_identity}};
}

BookingPolicy booking_policy_from_json(const json& j) {
    Reader r(j, "booking", {"per_service_per_day", "per_day", "max_booked_streak", "open_weekdays", "closed_days", "walk_in_identity"});
    BookingPolicy p;
    p.per_service_per_day = r.get<int>("per_service_per_day", p.per_service_per_day);
    p.per_day = r.get<int>("per_day", p.per_day);
    p.max_booked_streak = r.get<int>("max_booked_streak", p.max_booked_streak);
    p.walk_in_identity = r.get<bool>("walk_in_identity", p.walk_in_identity);
    auto ints = [&](const char* key, auto& out) {
        if (!r.has(key)) return;
        const json& list = r.raw(key);
        if (!list.is_array()) throw CodecError(r.path(key) + ": expected a list of whole numbers");
        out.clear();
        for (const auto& v : list) out.push_back(Reader::as<typename std::decay_t<decltype(out)>::value_type>(v, r.path(key)));
    };
    ints("open_weekdays", p.open_weekdays);
    ints("closed_days", p.closed_days);
    return p;
}

json booking_to_json(const Booking& b, bool for_log) {
    json j = {{"id", b.id},
              {"service", b.service},
              {"day", b.day},
              {"start", minute_to_text(b.start_minute)},
              {"end", minute_to_text(b.end_minute)},
              {"masked_name", b.masked_name},
              {"source", b.source},
              {"state", to_string(b.state)},
              {"made_at", b.made_at},
              {"ticket", b.ticket},
              {"checked_in_at", b.checked_in_at}};
    if (for_log) {
        j["code"] = b.code;
        j["person"] = b.person;
        j["key_hash"] = b.key_hash;
    }
    return j;
}

Booking booking_from_json(const json& j) {
    Reader r(j, "booking", {"id", "service", "day", "start", "end", "masked_name", "source", "state", "made_at", "ticket",
                            "checked_in_at", "code", "person", "key_hash"});
    Booking b;
    b.id = r.get<int64_t>("id");
    b.service = r.get<std::string>("service");
    b.day = r.get<int32_t>("day");
    b.start_minute = minute_from_text(r.get<std::string>("start"));
    b.end_minute = minute_from_text(r.get<std::string>("end"));
    b.masked_name = r.get<std::string>("masked_name", "");
    b.source = r.get<std::string>("source", "");
    b.state = booking_state_from_text(r.get<std::string>("state", "booked"));
    b.made_at = r.get<int64_t>("made_at", 0);
    b.ticket = r.get<int64_t>("ticket", 0);
    b.checked_in_at = r.get<int64_t>("checked_in_at", 0);
    b.code = r.get<std::string>("code", "");
    b.person = r.get<std::string>("person", "");
    b.key_hash = r.get<std::string>("key_hash", "");
    return b;
}

json booking_event_to_json(const BookingMade& e, bool for_log) { return {{"booking", booking_to_json(e.booking, for_log)}}; }

json booking_event_to_json(const BookingMoved& e) {
    return {{"booking", e.booking}, {"service", e.service}, {"day", e.day}, {"start", minute_to_text(e.start_minute)},
            {"end", minute_to_text(e.end_minute)}};
}

json booking_event_to_json(const BookingCancelled& e) { return {{"booking", e.booking}, {"service", e.service}}; }

json booking_event_to_json(const BookingCheckedIn& e) {
    return {{"booking", e.booking}, {"service", e.service}, {"ticket", e.ticket}, {"on_time", e.on_time},
            {"lateness_s", e.lateness_s}};
}

json booking_event_to_json(const BookingNoShow& e) { return {{"booking", e.booking}, {"service", e.service}}; }

std::optional<EventBody> booking_event_from_json(const std::string& type, const json& j) {
    if (!type.starts_with("booking_")) return std::nullopt;
    Reader r(j, "event " + type, {"booking", "service", "day", "start", "end", "ticket", "on_time", "lateness_s"});
    if (type == "booking_made") return BookingMade{booking_from_json(r.raw("booking"))};
    const auto id = r.get<int64_t>("booking");
    const auto service = r.get<std::string>("service");
    if (type == "booking_moved")
        return BookingMoved{id, service, r.get<int32_t>("day"), minute_from_text(r.get<std::string>("start")),
                            minute_from_text(r.get<std::string>("end"))};
    if (type == "booking_cancelled") return BookingCancelled{id, service};
    if (type == "booking_checked_in")
        return BookingCheckedIn{id, service, r.get<int64_t>("ticket"), r.get<bool>("on_time"), r.get<int64_t>("lateness_s")};
    if (type == "booking_no_show") return BookingNoShow{id, service};
    return std::nullopt;
}

}  // namespace engine
