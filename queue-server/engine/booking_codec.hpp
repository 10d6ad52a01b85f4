// booking_codec: JSON of the booking side (issue 21) — a service's booking
// rules, the center's booking policy, a booking, and the booking events. Used by
// codec.cpp, which owns the event envelope; same strictness (CodecError).
#pragma once
#include <optional>

#include "engine/codec.hpp"

namespace engine {

json booking_rules_to_json(const BookingRules& b);
BookingRules booking_rules_from_json(const json& j, const std::string& where);
json booking_policy_to_json(const BookingPolicy& p);
BookingPolicy booking_policy_from_json(const json& j);

// Clients get no person hash, no key hash and no code: the log keeps those (`for_log`).
json booking_to_json(const Booking& b, bool for_log);
Booking booking_from_json(const json& j);

json booking_event_to_json(const BookingMade& e, bool for_log);
json booking_event_to_json(const BookingMoved& e);
json booking_event_to_json(const BookingCancelled& e);
json booking_event_to_json(const BookingCheckedIn& e);
json booking_event_to_json(const BookingNoShow& e);
// The booking event of this type, or nullopt when the type is not one.
std::optional<EventBody> booking_event_from_json(const std::string& type, const json& j);

}  // namespace engine
