// device_view: what the hall's own devices — kiosks, boards, rating tablets — are
// not sent of the stream and the state: the staff's free-text reasons (why a
// ticket was called out of turn, why it was parked) and the dossier code said at
// finish. Those may name a citizen's hearing aid or a paper of theirs, and the
// devices stand in the public hall and show a number beside any of it; staff,
// managers and admins get them whole. One event is encoded once more only when
// it carries such a field (a call out of order, a park, a finish with a dossier).
#pragma once
#include <nlohmann/json.hpp>

#include "api/event_hub.hpp"
#include "api/roles.hpp"
#include "engine/events.hpp"

namespace api {

bool is_hall_device(Role role);
// The event's text for hall devices, or nullptr when it is the same as everyone's.
Text device_text(const engine::Event& e);
// A snapshot (the engine's state as JSON) without what hall devices are not sent.
void strip_for_devices(nlohmann::json& snapshot);

}  // namespace api
