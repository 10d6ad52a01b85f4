// admin_routes: what admins change besides the queue — accounts, device
// tokens, the center's setup.
//
// Accounts and devices are not queue events: they hold secrets and are not
// replayed, so they are written to their own tables through the same writer
// and take effect in memory at once (a deleted user's next request is refused,
// and their open event streams end). The center's setup is an event
// (center_configured), so every console and board follows it live.
#include "api/core.hpp"
#include "api/handlers.hpp"
#include "common/http_url.hpp"
#include "engine/codec.hpp"

namespace api::handlers {

using common::FieldError;
using common::JsonReader;

namespace {

// The role and counter an account is given, added or changed.
void check_account(const store::User& u, const engine::Center& center) {
    const auto role = role_from_name(u.role);
    if (!role || !is_user_role(*role)) throw FieldError("body.role: one of staff, manager, admin");
    if (role == Role::staff && !center.counter(u.counter)) throw FieldError("body.counter: staff need an existing counter");
}

void check_password(const std::string& password) {
    if (password.size() < 8 || password.size() > 256) throw FieldError("body.password: 8 to 256 bytes");
}

json account_json(const store::User& u) { return {{"user", u.name}, {"role", u.role}, {"counter", u.counter}}; }

// The user named in the path (%-decoded), or null after answering 404.
const store::User* named_user(Core& core, const Call& call, Respond& respond) {
    const auto name = common::percent_decode(call.params.at(0));
    const store::User* u = name ? core.auth().user(*name) : nullptr;
    if (!u) respond(error_reply(404, "unknown_user", "no user '" + call.params.at(0).substr(0, 64) + "'"));
    return u;
}

// Hashes the password (if any) on the logins queue, then saves the account on the loop.
void save_account(Core& core, store::User u, std::string password, bool end_sessions, int status, Respond respond) {
    const bool taken = core.queue(Work::logins).try_post([&core, u, password, end_sessions, status, respond]() mutable {
        if (!password.empty()) u.password_hash = hash_password(password, core.options().password_cost);
        core.post([&core, u, end_sessions, status, respond] {
            core.auth().remember(u);
            if (end_sessions) {
                core.auth().end_sessions_of(u.name);
                core.close_streams_if([&](const Principal& p) { return is_user_role(p.role) && p.name == u.name; });
            }
            core.durability().write([u, end_sessions](store::Store& st) {
                st.put_user(u);
                if (end_sessions) st.delete_sessions_of(u.name);
            }, [respond, u, status] { respond(ok_json(account_json(u), status)); });
        });
    });
    if (!taken) respond(busy_reply("logins"));
}

}  // namespace

void list_users(Core& core, const Call&, Respond respond) {
    json out = json::array();
    for (const auto& [name, u] : core.auth().users()) out.push_back(account_json(u));
    respond(ok_json({{"users", out}}));
}

// A name that exists is refused: replacing an account is PUT, on purpose.
void add_user(Core& core, const Call& call, Respond respond) {
    JsonReader r(call.body, "body", {"user", "password", "role", "counter"});
    store::User u;
    u.name = text_field(r, "user", 64);
    u.role = r.get<std::string>("role");
    u.counter = r.get<int>("counter", 0);
    const std::string password = r.get<std::string>("password");
    if (u.name.empty()) throw FieldError("body.user: empty");
    check_account(u, core.engine().state().center);
    check_password(password);
    if (core.auth().user(u.name)) return respond(error_reply(409, "user_exists", "a user '" + u.name + "' exists; change it with PUT"));
    save_account(core, u, password, false, 201, std::move(respond));
}

// A new role, counter or password. A new password or role ends the user's
// sessions: whoever was logged in as them logs in again.
void change_user(Core& core, const Call& call, Respond respond) {
    const store::User* found = named_user(core, call, respond);
    if (!found) return;
    JsonReader r(call.body, "body", {"password", "role", "counter"});
    store::User u = *found;
    u.role = r.get<std::string>("role", u.role);
    u.counter = r.get<int>("counter", u.counter);
    const auto password = r.get<std::string>("password", std::string());
    check_account(u, core.engine().state().center);
    if (!password.empty()) check_password(password);
    const bool end_sessions = !password.empty() || u.role != found->role;
    save_account(core, u, password, end_sessions, 200, std::move(respond));
}

void delete_user(Core& core, const Call& call, Respond respond) {
    const store::User* found = named_user(core, call, respond);
    if (!found) return;
    const std::string name = found->name;
    core.auth().forget_user(name);
    core.close_streams_if([&](const Principal& p) { return is_user_role(p.role) && p.name == name; });
    core.durability().write([name](store::Store& st) { st.delete_user(name); },
                            [respond = std::move(respond), name] { respond(ok_json({{"deleted", name}})); });
}

void end_sessions(Core& core, const Call& call, Respond respond) {
    const store::User* found = named_user(core, call, respond);
    if (!found) return;
    const std::string name = found->name;
    core.auth().end_sessions_of(name);
    core.close_streams_if([&](const Principal& p) { return is_user_role(p.role) && p.name == name; });
    core.durability().write([name](store::Store& st) { st.delete_sessions_of(name); },
                            [respond = std::move(respond), name] { respond(ok_json({{"logged_out", name}})); });
}

void list_devices(Core& core, const Call&, Respond respond) {
    json out = json::array();
    for (const auto& [hash, d] : core.auth().devices()) {
        json j = {{"id", Auth::device_id(d)}, {"role", d.role}, {"name", d.name}, {"counter", d.counter}};
        if (auto it = core.device_reports().find(d.name); it != core.device_reports().end())
            j["printer"] = {{"state", it->second.printer}, {"detail", it->second.detail}, {"at", it->second.at}};
        out.push_back(j);
    }
    respond(ok_json({{"devices", out}}));
}

void add_device(Core& core, const Call& call, Respond respond) {
    JsonReader r(call.body, "body", {"role", "name", "counter"});
    const std::string role_text = r.get<std::string>("role");
    const std::string name = text_field(r, "name", 64);
    const int counter = r.get<int>("counter", 0);
    const auto role = role_from_name(role_text);
    if (!role || !is_device_role(*role)) throw FieldError("body.role: one of kiosk, display, rating");
    if (name.empty()) throw FieldError("body.name: empty");
    if (role == Role::rating && !core.engine().state().center.counter(counter))
        throw FieldError("body.counter: a rating tablet stands at an existing counter");
    const std::string token = new_token();
    store::Device d{token_hash(token), role_text, name, role == Role::rating ? counter : 0};
    core.auth().remember(d);
    core.durability().write([d](store::Store& st) { st.put_device(d); }, [respond = std::move(respond), token, d] {
        respond(ok_json({{"token", token}, {"id", Auth::device_id(d)}, {"role", d.role}, {"name", d.name}, {"counter", d.counter}}, 201));
    });
}

// A revoked token is refused from the next request on, and its open streams end now.
void revoke_device(Core& core, const Call& call, Respond respond) {
    const std::string& id = call.params.at(0);
    const store::Device* d = core.auth().device(id);
    if (!d) return respond(error_reply(404, "unknown_device", "no device with id '" + id.substr(0, 32) + "'"));
    const std::string hash = d->token_hash;
    core.auth().forget_device(hash);
    core.close_streams_if([&](const Principal& p) { return p.token_hash == hash; });
    core.durability().write([hash](store::Store& st) { st.delete_device(hash); },
                            [respond = std::move(respond), id] { respond(ok_json({{"revoked", id}})); });
}

void get_center(Core& core, const Call&, Respond respond) { respond(ok_json(engine::center_to_json(core.engine().state().center))); }

void configure(Core& core, const Call& call, Respond respond) {
    engine::Center center = engine::center_from_json(call.body);
    if (center.timezone != core.calendar().zone())
        throw FieldError("center.timezone: changing the time zone needs a restart with the new config file");
    core.execute(engine::Configure{std::move(center)}, [&core](const engine::Outcome&) {
        return ok_json({{"seq", core.engine().state().seq}});
    }, std::move(respond));
}

}  // namespace api::handlers
