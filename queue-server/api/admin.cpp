// admin: what admins change besides the queue — accounts, device tokens, the
// center's setup — and what devices tell the server (a kiosk's printer, a
// citizen's rating from the tablet at a counter).
//
// Accounts and devices are not queue events: they hold secrets and are not
// replayed, so they are written to their own tables through the same writer
// and take effect in memory at once (a deleted user's next request is refused).
// The center's setup is an event (center_configured), so every console and
// board follows it live.
#include <spdlog/spdlog.h>

#include "core.hpp"

namespace api {

using common::FieldError;
using common::JsonReader;

namespace {

// The role and counter an account is given, added or changed.
void check_account(const store::User& u, const engine::Center& center) {
    if (!is_user_role(u.role)) throw FieldError("body.role: one of staff, manager, admin");
    if (u.role == "staff" && !center.counter(u.counter)) throw FieldError("body.counter: staff need an existing counter");
}

void check_password(const std::string& password) {
    if (password.size() < 8 || password.size() > 256) throw FieldError("body.password: 8 to 256 bytes");
}

}  // namespace

// /api/admin/...: the caller is an admin. False when no route matched.
bool Core::admin_request(const std::string& method, const std::vector<std::string>& p, const json& body, Respond& respond) {
    const bool get = method == "GET", post = method == "POST", put = method == "PUT", del = method == "DELETE";
    const std::string& what = p[2];
    if (p.size() == 3) {
        if (what == "users" && get) return respond(ok_json({{"users", users_json()}})), true;
        if (what == "users" && post) return add_user(body, respond), true;
        if (what == "devices" && get) return respond(ok_json({{"devices", devices_json()}})), true;
        if (what == "devices" && post) return add_device(body, respond), true;
        if (what == "center" && put) return configure(body, respond), true;
        if (what == "center" && get) return respond(ok_json(engine::center_to_json(engine_.state().center))), true;
        return false;
    }
    if (what == "users" && p.size() == 4 && put) return change_user(p[3], body, respond), true;
    if (what == "users" && p.size() == 4 && del) return delete_user(p[3], respond), true;
    if (what == "users" && p.size() == 5 && p[4] == "logout" && post) return end_sessions(p[3], respond), true;
    if (what == "devices" && p.size() == 4 && del) return revoke_device(p[3], respond), true;
    return false;
}

json Core::users_json() const {
    json out = json::array();
    for (const auto& [name, u] : auth_.users()) out.push_back({{"user", name}, {"role", u.role}, {"counter", u.counter}});
    return out;
}

void Core::add_user(const json& body, Respond respond) {
    JsonReader r(body, "body", {"user", "password", "role", "counter"});
    store::User u;
    u.name = text_field(r, "user", 64);
    u.role = r.get<std::string>("role");
    u.counter = r.get<int>("counter", 0);
    const std::string password = r.get<std::string>("password");
    if (u.name.empty()) throw FieldError("body.user: empty");
    check_account(u, engine_.state().center);
    check_password(password);
    offload_([this, u, password, respond = std::move(respond)]() mutable {
        u.password_hash = hash_password(password, options_.password_cost);
        post_([this, u, respond = std::move(respond)] {
            auth_.remember(u);
            write_job([u](store::Store& st) { st.put_user(u); },
                      [respond, u] { respond(ok_json({{"user", u.name}, {"role", u.role}, {"counter", u.counter}}, 201)); });
        });
    });
}

// A new role, counter or password. A new password or role ends the user's
// sessions: whoever was logged in as them logs in again.
void Core::change_user(const std::string& name, const json& body, Respond respond) {
    const store::User* found = auth_.user(name);
    if (!found) return respond(error_reply(404, "unknown_user", "no user '" + name.substr(0, 64) + "'"));
    JsonReader r(body, "body", {"password", "role", "counter"});
    store::User u = *found;
    u.role = r.get<std::string>("role", u.role);
    u.counter = r.get<int>("counter", u.counter);
    const auto password = r.get<std::string>("password", std::string());
    check_account(u, engine_.state().center);
    if (!password.empty()) check_password(password);
    const bool end_sessions = !password.empty() || u.role != found->role;
    offload_([this, u, password, end_sessions, respond = std::move(respond)]() mutable {
        if (!password.empty()) u.password_hash = hash_password(password, options_.password_cost);
        post_([this, u, end_sessions, respond = std::move(respond)] {
            auth_.remember(u);
            if (end_sessions) auth_.end_sessions_of(u.name);
            write_job([u, end_sessions](store::Store& st) {
                st.put_user(u);
                if (end_sessions) st.delete_sessions_of(u.name);
            }, [respond, u] { respond(ok_json({{"user", u.name}, {"role", u.role}, {"counter", u.counter}})); });
        });
    });
}

void Core::delete_user(const std::string& name, Respond respond) {
    if (!auth_.user(name)) return respond(error_reply(404, "unknown_user", "no user '" + name.substr(0, 64) + "'"));
    auth_.forget_user(name);
    write_job([name](store::Store& st) { st.delete_user(name); },
              [respond = std::move(respond), name] { respond(ok_json({{"deleted", name}})); });
}

void Core::end_sessions(const std::string& name, Respond respond) {
    if (!auth_.user(name)) return respond(error_reply(404, "unknown_user", "no user '" + name.substr(0, 64) + "'"));
    auth_.end_sessions_of(name);
    write_job([name](store::Store& st) { st.delete_sessions_of(name); },
              [respond = std::move(respond), name] { respond(ok_json({{"logged_out", name}})); });
}

json Core::devices_json() const {
    json out = json::array();
    for (const auto& [hash, d] : auth_.devices()) {
        json j = {{"id", Auth::device_id(d)}, {"role", d.role}, {"name", d.name}, {"counter", d.counter}};
        if (auto it = device_reports_.find(d.name); it != device_reports_.end())
            j["printer"] = {{"state", it->second.printer}, {"detail", it->second.detail}, {"at", it->second.at}};
        out.push_back(j);
    }
    return out;
}

void Core::add_device(const json& body, Respond respond) {
    JsonReader r(body, "body", {"role", "name", "counter"});
    const std::string role = r.get<std::string>("role");
    const std::string name = text_field(r, "name", 64);
    const int counter = r.get<int>("counter", 0);
    if (!is_device_role(role)) throw FieldError("body.role: one of kiosk, display, rating");
    if (name.empty()) throw FieldError("body.name: empty");
    if (role == "rating" && !engine_.state().center.counter(counter))
        throw FieldError("body.counter: a rating tablet stands at an existing counter");
    const std::string token = new_token();
    store::Device d{token_hash(token), role, name, role == "rating" ? counter : 0};
    auth_.remember(d);
    write_job([d](store::Store& st) { st.put_device(d); }, [respond = std::move(respond), token, d] {
        respond(ok_json({{"token", token}, {"id", Auth::device_id(d)}, {"role", d.role}, {"name", d.name}, {"counter", d.counter}}, 201));
    });
}

// A revoked token is refused from the next request on; a board or kiosk still
// connected keeps its stream until it reconnects, and then is refused.
void Core::revoke_device(const std::string& id, Respond respond) {
    const store::Device* d = auth_.device(id);
    if (!d) return respond(error_reply(404, "unknown_device", "no device with id '" + id.substr(0, 32) + "'"));
    const std::string hash = d->token_hash;
    auth_.forget_device(hash);
    write_job([hash](store::Store& st) { st.delete_device(hash); },
              [respond = std::move(respond), id] { respond(ok_json({{"revoked", id}})); });
}

void Core::configure(const json& body, Respond respond) {
    engine::Center center = engine::center_from_json(body);
    if (center.timezone != calendar_.zone())
        throw FieldError("center.timezone: changing the time zone needs a restart with the new config file");
    execute(engine::Configure{std::move(center)}, [this](const engine::Outcome&) {
        return ok_json({{"seq", engine_.state().seq}});
    }, std::move(respond));
}

// A kiosk says how its printer is (paper low, out, offline): kept in memory,
// shown to managers live (a notice outside the log: it is not queue history).
void Core::device_status(const Principal& who, const json& body, Respond respond) {
    static const std::set<std::string> states = {"ok", "paper_low", "paper_out", "offline", "error"};
    JsonReader r(body, "body", {"printer", "detail"});
    DeviceReport report{who.role, r.get<std::string>("printer"), text_field(r, "detail", 200), options_.clock()};
    if (!states.contains(report.printer)) throw FieldError("body.printer: one of ok, paper_low, paper_out, offline, error");
    auto& kept = device_reports_[who.name];
    const bool changed = kept.printer != report.printer || kept.detail != report.detail;
    kept = report;
    if (changed) {
        if (report.printer != "ok") spdlog::warn("device '{}': printer {} {}", who.name, report.printer, report.detail);
        broadcast({{"type", "device_status"}, {"device", who.name}, {"role", who.role}, {"printer", report.printer},
                   {"detail", report.detail}, {"at", report.at}});
    }
    respond(ok_json({{"device", who.name}, {"printer", report.printer}}));
}

// The tablet at a counter: one rating per finished ticket of that counter.
void Core::rate_ticket(const Principal& who, int64_t id, const json& body, Respond respond) {
    static const std::map<std::string, int> ratings = {
        {"bad", engine::kRatingBad}, {"neutral", engine::kRatingNeutral}, {"good", engine::kRatingGood}};
    JsonReader r(body, "body", {"rating", "reason"});
    const auto rating = ratings.find(r.get<std::string>("rating"));
    if (rating == ratings.end()) throw FieldError("body.rating: one of good, neutral, bad");
    engine::RateTicket c{id, who.role == "rating" ? who.counter : 0, rating->second, text_field(r, "reason", 300)};
    execute(c, [this, id](const engine::Outcome&) { return ticket_reply(id); }, std::move(respond));
}

}  // namespace api
