// refusals: the errors the engine's decisions answer, by HTTP status, and the
// ticket states they test most. Internal to the engine's .cpp files.
#pragma once
#include "engine/events.hpp"

namespace engine {

inline Error bad_request(std::string code, std::string message) { return {std::move(code), std::move(message), 400}; }
inline Error not_found(std::string code, std::string message) { return {std::move(code), std::move(message), 404}; }
inline Error conflict(std::string code, std::string message) { return {std::move(code), std::move(message), 409}; }
inline Error forbidden(std::string message) { return {"not_your_ticket", std::move(message), 403}; }

inline bool is_held(TicketState s) { return s == TicketState::called || s == TicketState::serving; }

}  // namespace engine
