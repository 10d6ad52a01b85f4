// device_view: the stream and state as hall devices get them (see device_view.hpp).
#include "api/device_view.hpp"

#include "api/reply.hpp"
#include "engine/codec.hpp"

namespace api {
namespace {

bool carries_staff_words(const engine::EventBody& body) {
    if (const auto* c = std::get_if<engine::TicketCalled>(&body)) return !c->reason.empty();
    if (const auto* p = std::get_if<engine::TicketParked>(&body)) return !p->reason.empty();
    if (const auto* f = std::get_if<engine::TicketFinished>(&body)) return !f->outcome.dossier.empty();
    return false;
}

void strip_ticket(nlohmann::json& t) {
    if (!t.is_object()) return;
    t.erase("park_reason");
    if (auto o = t.find("outcome"); o != t.end() && o->is_object()) o->erase("dossier");
}

}  // namespace

bool is_hall_device(Role role) { return role == Role::kiosk || role == Role::display || role == Role::rating; }

Text device_text(const engine::Event& e) {
    if (!carries_staff_words(e.body)) return nullptr;
    nlohmann::json j = engine::event_to_json(e);
    j.erase("reason");
    if (auto o = j.find("outcome"); o != j.end() && o->is_object()) o->erase("dossier");
    return std::make_shared<const std::string>(dump(j));
}

void strip_for_devices(nlohmann::json& snapshot) {
    for (auto& t : snapshot["tickets"]) strip_ticket(t);
    for (auto& k : snapshot["counters"]) strip_ticket(k["ticket"]);
}

}  // namespace api
