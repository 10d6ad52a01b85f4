// codec: the engine's values as JSON — the center setup, tickets, events and the
// state snapshot. One shape serves the log, the API and the WebSocket stream, so a
// stored event is byte for byte what a display receives.
//
// Decoding is strict: unknown keys, wrong types and missing fields throw
// CodecError with the path of the bad field; nothing half-read is ever used.
#pragma once
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/json_reader.hpp"

#include "engine.hpp"

namespace engine {

using json = nlohmann::json;

using CodecError = common::FieldError;

json center_to_json(const Center& c);
Center center_from_json(const json& j);  // throws CodecError

json ticket_to_json(const Ticket& t);
Ticket ticket_from_json(const json& j);

json event_to_json(const Event& e);
Event event_from_json(const json& j);  // throws CodecError
// The body alone (no seq/at/day) for the log's json column.
json body_to_json(const EventBody& body);
EventBody body_from_json(const std::string& type, const json& j);

// What a board or a console needs to draw the hall now.
json snapshot_json(const Engine& engine);

// "07:30" <-> 450
int minute_from_text(const std::string& hhmm);  // throws CodecError
std::string minute_to_text(int minute);

}  // namespace engine
