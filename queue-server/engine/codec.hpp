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

#include "engine/engine.hpp"

namespace engine {

using json = nlohmann::json;

using CodecError = common::FieldError;

json center_to_json(const Center& c);
Center center_from_json(const json& j);  // throws CodecError

// Without the follow hash: this is what clients see (the log adds it, stored_json).
json ticket_to_json(const Ticket& t);
Ticket ticket_from_json(const json& j);

// What a visit came to (issue 22): {"procedure","dossier","result"}, each optional.
json outcome_to_json(const VisitOutcome& o);
VisitOutcome outcome_from_json(const json& j);  // throws CodecError

// What clients are sent: never a ticket's follow hash (only the log keeps it).
json event_to_json(const Event& e);
Event event_from_json(const json& j);  // throws CodecError
// The log's json column: the body, and `by` when a person gave the command; a
// ticket_issued keeps the ticket's follow hash here.
json stored_json(const Event& e);
// Reads that column back into e.body and e.by; throws CodecError.
void read_stored_json(Event& e, const std::string& type, json j);

// What a board or a console needs to draw the hall now.
json snapshot_json(const Engine& engine);

// "07:30" <-> 450
int minute_from_text(const std::string& hhmm);  // throws CodecError
std::string minute_to_text(int minute);

}  // namespace engine
