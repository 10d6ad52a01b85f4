// session_routes: health, metrics, the UI's files, login and logout, who am I,
// and the whole state — what every client needs before anything else.
#include <spdlog/spdlog.h>

#include "api/core.hpp"
#include "api/handlers.hpp"
#include "common/json_reader.hpp"

namespace api::handlers {

using common::FieldError;
using common::JsonReader;

void healthz(Core& core, const Call&, Respond respond) {
    respond(ok_json({{"status", core.durability().failed() ? "failed" : "ok"}, {"seq", core.engine().state().seq},
                     {"durable_seq", core.durable_seq()}, {"day", core.engine().state().day}, {"clock", core.clock_status()}}));
}

void metrics(Core& core, const Call&, Respond respond) {
    respond({200, core.metrics_text(), "text/plain; version=0.0.4; charset=utf-8"});
}

void web_file(Core& core, const Call& call, Respond respond) {
    const std::string path = call.request.target.substr(0, call.request.target.find('?'));
    const WebFile* f = core.options().web && !path.starts_with("/api/") ? core.options().web->find(path) : nullptr;
    if (!f) return respond(error_reply(404, "not_found", "no such path: " + path.substr(0, 200)));
    respond({200, f->body, f->content_type, f->immutable ? "public, max-age=31536000, immutable" : "no-cache"});
}

namespace {

// After the password was checked: a session, written before it is answered.
void open_session(Core& core, const store::User& account, const std::string& address, Respond respond) {
    core.throttle().succeeded(account.name, address);
    const std::string token = new_token();
    store::Session s{token_hash(token), account.name, account.role, account.counter, core.wall_ms() + Auth::kSessionMs};
    core.auth().remember(s);
    json reply = {{"token", token}, {"user", account.name}, {"role", account.role}, {"counter", account.counter},
                  {"expires_at", s.expires_at}};
    core.durability().write([s](store::Store& st) { st.put_session(s); },
                            [respond = std::move(respond), reply] { respond(ok_json(reply)); });
}

}  // namespace

// The attempt is counted by the throttle when it arrives, before Argon2id runs,
// so guesses sent in parallel cannot slip past the limit. Unknown users cost
// the same check against a dummy hash and get the same answers.
void login(Core& core, const Call& call, Respond respond) {
    JsonReader r(call.body, "body", {"user", "password"});
    const std::string user = text_field(r, "user", 64);
    const std::string password = r.get<std::string>("password");
    if (password.size() > 256) throw FieldError("body.password: longer than 256 bytes");
    if (!core.has_room(Work::logins)) return respond(busy_reply("logins"));
    const std::string& address = call.request.peer;
    if (const auto wait = core.throttle().admit(user, address, core.wall_ms())) {
        Reply refused = error_reply(429, "locked", "too many failed logins from here: wait and try again");
        refused.retry_after_s = static_cast<int>((*wait + 999) / 1000);
        return respond(refused);
    }
    const store::User* u = core.auth().user(user);
    const std::string hash = u ? u->password_hash : core.auth().dummy_hash();
    const bool taken = core.queue(Work::logins).try_post([&core, user, password, hash, address, known = u != nullptr, respond]() mutable {
        const bool ok = verify_password(hash, password) && known;
        core.post([&core, ok, user, address, respond = std::move(respond)] {
            const store::User* account = core.auth().user(user);
            if (ok && account) return open_session(core, *account, address, respond);
            core.throttle().failed(user, address, core.wall_ms());
            respond(error_reply(401, "bad_login", "wrong user name or password"));
        });
    });
    if (!taken) respond(busy_reply("logins"));
}

void logout(Core& core, const Call& call, Respond respond) {
    const std::string h = call.who->token_hash;
    core.auth().forget_session(h);
    core.close_streams_if([&](const Principal& p) { return p.token_hash == h; });
    core.durability().write([h](store::Store& st) { st.delete_session(h); }, [respond = std::move(respond)] { respond(ok_json({{"ok", true}})); });
}

void me(Core&, const Call& call, Respond respond) {
    respond(ok_json({{"role", role_name(call.who->role)}, {"name", call.who->name}, {"counter", call.who->counter}}));
}

void state(Core& core, const Call& call, Respond respond) {
    core.reply_when_durable(ok_json(core.snapshot_for(call.who->role)), std::move(respond));
}

}  // namespace api::handlers
