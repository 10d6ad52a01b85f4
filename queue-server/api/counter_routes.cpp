// counter_routes: a counter calls the next ticket or a chosen one, pauses (a
// break, with its reason) and resumes, and its staff sign in and out. Staff act
// only at their own counter; managers and admins at any.
#include <charconv>

#include "api/core.hpp"
#include "common/json_reader.hpp"
#include "api/handlers.hpp"
#include "engine/codec.hpp"

namespace api::handlers {

using common::JsonReader;

namespace {

// The counter in the path, if the caller may act there; otherwise the answer to give.
std::variant<int, Reply> counter_for(const Call& call) {
    const std::string& s = call.params.at(0);
    int id = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (s.empty() || s.size() > 9 || ec != std::errc() || p != s.data() + s.size() || id <= 0)
        return error_reply(404, "unknown_counter", "counter ids are positive whole numbers");
    if (call.who->role == Role::staff && call.who->counter != id)
        return error_reply(403, "forbidden", "you work at counter " + std::to_string(call.who->counter));
    return id;
}

void set_paused(Core& core, const Call& call, bool paused, Respond respond) {
    const auto counter = counter_for(call);
    if (auto* refused = std::get_if<Reply>(&counter)) return respond(*refused);
    const int id = std::get<int>(counter);
    JsonReader r(call.body, "body", paused ? std::initializer_list<const char*>{"reason"} : std::initializer_list<const char*>{});
    core.execute(engine::SetCounterPaused{id, paused, paused ? text_field(r, "reason", 100) : ""}, [&core, id](const engine::Outcome&) {
        return ok_json({{"counter", id}, {"paused", core.engine().state().counters.at(id).paused}});
    }, std::move(respond), call.who->name);
}

// The answer to a call, by next or by choice: the ticket called, and the one it finished.
Reply called(Core& core, const engine::Outcome& out) {
    json j = {{"ticket", nullptr}, {"finished", nullptr}};
    for (const auto& e : out.events) {
        if (auto* c = std::get_if<engine::TicketCalled>(&e.body)) j["ticket"] = engine::ticket_to_json(*core.engine().ticket(c->ticket));
        if (auto* f = std::get_if<engine::TicketFinished>(&e.body)) j["finished"] = f->ticket;
    }
    return ok_json(j);
}

void sign(Core& core, const Call& call, bool in, Respond respond) {
    const auto counter = counter_for(call);
    if (auto* refused = std::get_if<Reply>(&counter)) return respond(*refused);
    JsonReader(call.body, "body", {});
    const int id = std::get<int>(counter);
    const engine::Command c = in ? engine::Command{engine::SignIn{id, call.who->name}} : engine::Command{engine::SignOut{id}};
    core.execute(c, [&core, id](const engine::Outcome&) {
        return ok_json({{"counter", id}, {"staff", core.engine().state().counters.at(id).staff}});
    }, std::move(respond), call.who->name);
}

}  // namespace

void call_next(Core& core, const Call& call, Respond respond) {
    const auto counter = counter_for(call);
    if (auto* refused = std::get_if<Reply>(&counter)) return respond(*refused);
    JsonReader(call.body, "body", {});
    core.execute(engine::CallNext{std::get<int>(counter)}, [&core](const engine::Outcome& out) { return called(core, out); },
                 core.timed_call(std::move(respond)), call.who->name);
}

// A chosen waiting ticket, out of order: the reason is required, and managers see it.
void call_ticket(Core& core, const Call& call, Respond respond) {
    const auto counter = counter_for(call);
    if (auto* refused = std::get_if<Reply>(&counter)) return respond(*refused);
    JsonReader r(call.body, "body", {"ticket", "reason"});
    engine::CallTicket c{std::get<int>(counter), r.get<int64_t>("ticket"), text_field(r, "reason", 200)};
    core.execute(c, [&core](const engine::Outcome& out) { return called(core, out); }, core.timed_call(std::move(respond)),
                 call.who->name);
}

void sign_in(Core& core, const Call& call, Respond respond) { sign(core, call, true, std::move(respond)); }
void sign_out(Core& core, const Call& call, Respond respond) { sign(core, call, false, std::move(respond)); }

void pause_counter(Core& core, const Call& call, Respond respond) { set_paused(core, call, true, std::move(respond)); }
void resume_counter(Core& core, const Call& call, Respond respond) { set_paused(core, call, false, std::move(respond)); }

}  // namespace api::handlers
