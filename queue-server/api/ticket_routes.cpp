// ticket_routes: the kiosk family and the counters' work on tickets — taking a
// number, reading one, the counter's actions on it, the citizen's rating, and
// what kiosks report of their printers.
#include <charconv>
#include <set>
#include <spdlog/spdlog.h>

#include "api/core.hpp"
#include "api/handlers.hpp"
#include "api/identity.hpp"
#include "common/json_reader.hpp"
#include "common/text.hpp"
#include "dossier/dossier.hpp"
#include "engine/codec.hpp"

namespace api::handlers {

using common::FieldError;
using common::JsonReader;

namespace {

std::optional<int64_t> ticket_id(const Call& call) {
    const std::string& s = call.params.at(0);
    int64_t v = 0;
    if (s.empty() || s.size() > 18) return std::nullopt;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

Reply bad_ticket_id() { return error_reply(404, "unknown_ticket", "ticket ids are positive whole numbers"); }

// The chip ID card a walk-in scanned (its number, the holder's name) becomes the
// keyed hash the limits count and the masked name; neither the number nor the
// full name goes further. A center that asks for the card refuses kiosks without one.
std::optional<Reply> walk_in_card(Core& core, const Call& call, const JsonReader& r, engine::IssueTicket& c) {
    if (!r.has("id_number")) {
        if (call.who->role == Role::kiosk && core.engine().state().center.booking.walk_in_identity)
            return error_reply(409, "identity_required", "this center gives numbers to those who scan their chip ID card");
        return std::nullopt;
    }
    const std::string id = r.get<std::string>("id_number");
    if (!is_id_number(id)) return error_reply(400, "bad_id_number", "a chip ID card number has 12 digits");
    c.person = core.identity().person_of_id_number(id);
    c.masked_name = dossier::mask_name(common::utf8_prefix(common::to_nfc(r.get<std::string>("name", std::string())).value_or(""), 100));
    return std::nullopt;
}

// Staff act for their counter (the engine checks the ticket is held there);
// managers and admins act for no counter in particular.
int acting_counter(const Principal& who) { return who.role == Role::staff ? who.counter : 0; }

// Staff may cancel or bring back only tickets of the services their counter serves.
std::optional<Reply> outside_counter(const Core& core, const Principal& who, int64_t id) {
    if (who.role != Role::staff) return std::nullopt;
    const engine::Ticket* t = core.engine().ticket(id);
    const engine::Counter* k = core.engine().state().center.counter(who.counter);
    if (!t || !k) return std::nullopt;  // the engine answers unknown_ticket
    const bool held = t->state == engine::TicketState::called || t->state == engine::TicketState::serving;
    if (held) return std::nullopt;  // held at a counter: the engine answers whether it is this one
    if (k->serves(t->service)) return std::nullopt;
    return error_reply(403, "not_your_service", "counter " + std::to_string(who.counter) + " does not serve " + t->service);
}

void act(Core& core, const Call& call, engine::Action action, Respond respond) {
    const auto id = ticket_id(call);
    if (!id) return respond(bad_ticket_id());
    if (action == engine::Action::cancel || action == engine::Action::reactivate)
        if (auto refused = outside_counter(core, *call.who, *id)) return respond(*refused);
    JsonReader(call.body, "body", {});
    core.execute(engine::TicketAction{action, *id, acting_counter(*call.who)},
                 [&core, id = *id](const engine::Outcome&) { return core.ticket_reply(id); }, std::move(respond), call.who->name);
}

}  // namespace

// The follow key is made here and answered once, in this reply; the engine and
// the log get only its hash (follow.hpp).
void issue_ticket(Core& core, const Call& call, Respond respond) {
    JsonReader r(call.body, "body", {"service", "category", "id_number", "name"});
    const std::string key = new_follow_key();
    engine::IssueTicket c{r.get<std::string>("service"), r.get<std::string>("category", std::string("normal")),
                          std::string(role_name(call.who->role)) + ":" + call.who->name, follow_hash(key)};
    if (auto refused = walk_in_card(core, call, r, c)) return respond(*refused);
    core.execute(c, [&core, key](const engine::Outcome& out) {
        json j = core.ticket_json(*core.engine().ticket(std::get<engine::TicketIssued>(out.events.back().body).ticket.id));
        j["follow_key"] = key;
        j["follow_url"] = follow_url(core.options().phone, key);
        return ok_json(j, 201);
    }, std::move(respond));
}

void get_ticket(Core& core, const Call& call, Respond respond) {
    const auto id = ticket_id(call);
    if (!id) return respond(bad_ticket_id());
    core.reply_when_durable(core.ticket_reply(*id), std::move(respond));
}

void recall(Core& core, const Call& call, Respond respond) { act(core, call, engine::Action::recall, std::move(respond)); }
void start(Core& core, const Call& call, Respond respond) { act(core, call, engine::Action::start, std::move(respond)); }
void no_show(Core& core, const Call& call, Respond respond) { act(core, call, engine::Action::no_show, std::move(respond)); }
void cancel(Core& core, const Call& call, Respond respond) { act(core, call, engine::Action::cancel, std::move(respond)); }
void reactivate(Core& core, const Call& call, Respond respond) { act(core, call, engine::Action::reactivate, std::move(respond)); }

// Finish, with what the visit came to and, when the counter knows better, the
// steps still to come (issue 22). A procedure named must be in the catalog.
void finish(Core& core, const Call& call, Respond respond) {
    const auto id = ticket_id(call);
    if (!id) return respond(bad_ticket_id());
    JsonReader r(call.body, "body", {"outcome", "next_steps"});
    engine::FinishTicket c{*id, acting_counter(*call.who), {}, std::nullopt};
    if (r.has("outcome")) c.outcome = engine::outcome_from_json(r.raw("outcome"));
    if (r.has("next_steps")) c.next_steps = JsonReader::strings(r.raw("next_steps"), r.path("next_steps"));
    if (const auto* cat = core.options().catalog; cat && !c.outcome.procedure.empty() && !cat->procedure(c.outcome.procedure))
        return respond(error_reply(400, "unknown_procedure", "no procedure " + c.outcome.procedure + " in the catalog"));
    core.execute(c, [&core, id = *id](const engine::Outcome&) { return core.ticket_reply(id); }, std::move(respond), call.who->name);
}

// "Đi bổ sung giấy tờ, quay lại sau": out of every line for `minutes`.
void park(Core& core, const Call& call, Respond respond) {
    const auto id = ticket_id(call);
    if (!id) return respond(bad_ticket_id());
    JsonReader r(call.body, "body", {"minutes", "reason"});
    engine::Park c{*id, acting_counter(*call.who), r.get<int>("minutes", 20), text_field(r, "reason", 200)};
    core.execute(c, [&core, id = *id](const engine::Outcome&) { return core.ticket_reply(id); }, std::move(respond), call.who->name);
}

// Back from being parked: called at the staff's own counter (a manager names one).
void return_parked(Core& core, const Call& call, Respond respond) {
    const auto id = ticket_id(call);
    if (!id) return respond(bad_ticket_id());
    JsonReader r(call.body, "body", {"counter"});
    const int counter = call.who->role == Role::staff ? call.who->counter : r.get<int>("counter", 0);
    core.execute(engine::ReturnParked{*id, counter}, [&core, id = *id](const engine::Outcome&) { return core.ticket_reply(id); },
                 core.timed_call(std::move(respond)), call.who->name);
}

void transfer(Core& core, const Call& call, Respond respond) {
    const auto id = ticket_id(call);
    if (!id) return respond(bad_ticket_id());
    JsonReader r(call.body, "body", {"to_service", "to_counter", "note"});
    engine::Transfer c{*id, acting_counter(*call.who), r.get<std::string>("to_service", std::string()), r.get<int>("to_counter", 0),
                       text_field(r, "note", 500)};
    core.execute(c, [&core, id = *id](const engine::Outcome&) { return core.ticket_reply(id); }, std::move(respond), call.who->name);
}

// The tablet at a counter: one rating per finished ticket of that counter.
void rate_ticket(Core& core, const Call& call, Respond respond) {
    static const std::map<std::string, int> ratings = {
        {"bad", engine::kRatingBad}, {"neutral", engine::kRatingNeutral}, {"good", engine::kRatingGood}};
    const auto id = ticket_id(call);
    if (!id) return respond(bad_ticket_id());
    JsonReader r(call.body, "body", {"rating", "reason"});
    const auto rating = ratings.find(r.get<std::string>("rating"));
    if (rating == ratings.end()) throw FieldError("body.rating: one of good, neutral, bad");
    engine::RateTicket c{*id, call.who->role == Role::rating ? call.who->counter : 0, rating->second, text_field(r, "reason", 300)};
    core.execute(c, [&core, id = *id](const engine::Outcome&) { return core.ticket_reply(id); }, std::move(respond));
}

// A kiosk says how its printer is (paper low, out, offline): kept in memory,
// shown to managers live (a notice outside the log: it is not queue history).
void device_status(Core& core, const Call& call, Respond respond) {
    static const std::set<std::string> states = {"ok", "paper_low", "paper_out", "offline", "error"};
    const Principal& who = *call.who;
    JsonReader r(call.body, "body", {"printer", "detail"});
    Core::DeviceReport report{std::string(role_name(who.role)), r.get<std::string>("printer"), text_field(r, "detail", 200), core.wall_ms()};
    if (!states.contains(report.printer)) throw FieldError("body.printer: one of ok, paper_low, paper_out, offline, error");
    auto& kept = core.device_reports()[who.name];
    const bool changed = kept.printer != report.printer || kept.detail != report.detail;
    kept = report;
    if (changed) {
        if (report.printer != "ok") spdlog::warn("device '{}': printer {} {}", who.name, report.printer, report.detail);
        core.broadcast({{"type", "device_status"}, {"device", who.name}, {"role", report.role}, {"printer", report.printer},
                        {"detail", report.detail}, {"at", report.at}});
    }
    respond(ok_json({{"device", who.name}, {"printer", report.printer}}));
}

}  // namespace api::handlers
