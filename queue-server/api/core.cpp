// core: routing, roles, commands and durable replies (see core.hpp).
#include "core.hpp"

#include "common/http_url.hpp"

#include <charconv>
#include <spdlog/spdlog.h>

#include "common/json_reader.hpp"
#include "common/text.hpp"
#include "import.hpp"
#include <sodium.h>

namespace api {
namespace {

using common::FieldError;
using common::JsonReader;

constexpr size_t kMaxDepth = 32;

struct Target {
    std::vector<std::string> parts;  // "/api/tickets/12" -> {"api", "tickets", "12"}
    std::map<std::string, std::string> query;
};

Target parse_target(const std::string& target) {
    Target t;
    const auto q = target.find('?');
    const std::string path = target.substr(0, q);
    size_t i = 0;
    while (i < path.size()) {
        while (i < path.size() && path[i] == '/') ++i;
        const size_t j = path.find('/', i);
        if (i < path.size()) t.parts.push_back(path.substr(i, j == std::string::npos ? std::string::npos : j - i));
        i = j == std::string::npos ? path.size() : j;
    }
    if (q == std::string::npos) return t;
    std::string rest = target.substr(q + 1);
    size_t k = 0;
    while (k <= rest.size()) {
        const size_t amp = std::min(rest.find('&', k), rest.size());
        const std::string pair = rest.substr(k, amp - k);
        const auto eq = pair.find('=');
        if (!pair.empty()) t.query[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
        k = amp + 1;
    }
    return t;
}

template <class T>
std::optional<T> parse_id(const std::string& s) {
    T v{};
    if (s.empty() || s.size() > 18) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

// Nesting deeper than kMaxDepth is refused before parsing: no stack games.
bool too_deep(const std::string& body) {
    size_t depth = 0;
    bool in_string = false, escaped = false;
    for (char c : body) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') in_string = true;
        else if (c == '{' || c == '[') {
            if (++depth > kMaxDepth) return true;
        } else if ((c == '}' || c == ']') && depth > 0) --depth;
    }
    return false;
}

}  // namespace

std::string text_field(const JsonReader& r, const char* key, size_t max_chars, const std::string& fallback) {
    const std::string raw = r.get<std::string>(key, fallback);
    auto nfc = common::to_nfc(raw);
    if (!nfc) throw FieldError(r.path(key) + ": not valid UTF-8");
    if (common::utf8_length(*nfc) > max_chars) throw FieldError(r.path(key) + ": longer than " + std::to_string(max_chars) + " characters");
    return *nfc;
}

bool is_manager(const Principal& p) { return p.role == "manager" || p.role == "admin"; }

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Reply ok_json(const json& j, int status) { return {status, dump(j), "application/json"}; }

Reply error_reply(int status, const std::string& code, const std::string& message) {
    return {status, dump(json{{"error", {{"code", code}, {"message", message}}}}), "application/json"};
}

Reply unauthorized_reply() {
    return error_reply(401, "unauthorized", "a valid token is needed (Authorization: Bearer ...)");
}

Reply forbidden_reply(const std::string& role) {
    return error_reply(403, "forbidden", "the role '" + role + "' may not do this");
}

// ---------------------------------------------------------------- life

Core::Core(store::Store& store, Options options)
    : store_(store), options_(std::move(options)), calendar_(options_.timezone) {
    // Only the last replay_window events are kept as JSON for resuming clients;
    // encoding the whole log again at every start would double the start time.
    const int64_t resumable_from = store_.last_seq() - static_cast<int64_t>(options_.replay_window);
    store_.for_each_event(0, [&](const engine::Event& e) {
        engine_.apply(e);
        note_staff(e);
        if (e.seq > resumable_from)
            recent_.emplace_back(e.seq, std::make_shared<const std::string>(dump(engine::event_to_json(e))));
        last_ms_ = std::max(last_ms_, e.at);
    });
    durable_seq_ = submitted_seq_ = engine_.state().seq;
    auth_.load(store_, options_.clock());
    dummy_hash_ = hash_password(new_token(), options_.password_cost);
}

Core::~Core() { stop(); }

std::optional<engine::Error> Core::run_startup(const engine::Command& command) {
    auto out = engine_.handle(command, now());
    if (!out.events.empty()) {
        store_.append(out.events);
        publish(out.events);
        durable_seq_ = submitted_seq_ = engine_.state().seq;
    }
    return out.error;
}

void Core::add_user_now(const store::User& user) {
    store_.put_user(user);
    auth_.remember(user);
}

std::string Core::add_device_now(const std::string& role, const std::string& name, int counter) {
    const std::string token = new_token();
    store::Device d{token_hash(token), role, name, counter};
    store_.put_device(d);
    auth_.remember(d);
    return token;
}

void Core::start(Executors executors) {
    post_ = std::move(executors.post);
    offload_ = std::move(executors.offload);
    background_ = std::move(executors.background);
    fatal_ = std::move(executors.fatal);
    writer_ = std::make_unique<store::Writer>(store_, post_);
}

void Core::stop() { writer_.reset(); }

store::WriterStats Core::writer_stats() const { return writer_ ? writer_->stats() : store::WriterStats{}; }

common::Instant Core::now() {
    // Never let time run backwards (an NTP step): the log stays ordered by time.
    last_ms_ = std::max(last_ms_, options_.clock());
    return calendar_.at(last_ms_);
}

std::optional<Principal> Core::authenticate(const std::string& token) const { return auth_.authenticate(token, options_.clock()); }

// ---------------------------------------------------------------- durability

void Core::execute(const engine::Command& command, std::function<Reply(const engine::Outcome&)> on_ok, Respond respond,
                   const std::string& by) {
    auto out = engine_.handle(command, now(), by);
    Reply reply = out.ok() ? on_ok(out) : error_reply(out.error->status, out.error->code, out.error->message);
    persist(std::move(out.events));
    reply_when_durable(std::move(reply), std::move(respond));
}

void Core::reply_when_durable(Reply reply, Respond respond) {
    after_durable(engine_.state().seq, [respond = std::move(respond), reply = std::move(reply)] { respond(reply); });
}

void Core::persist(std::vector<engine::Event> events) {
    if (events.empty()) return;
    submitted_seq_ = events.back().seq;
    auto batch = std::make_shared<std::vector<engine::Event>>(std::move(events));
    writer_->submit(*batch, [this, batch](bool durable) {
        if (!durable) return fail_stop();
        durable_seq_ = batch->back().seq;
        publish(*batch);
        while (!waiting_.empty() && waiting_.begin()->first <= durable_seq_) {
            auto task = std::move(waiting_.begin()->second);
            waiting_.erase(waiting_.begin());
            task();
        }
    });
}

void Core::after_durable(int64_t seq, Task task) {
    if (failed_) return;  // the connection times out; nothing unsafe is said
    if (seq <= durable_seq_) task();
    else waiting_.emplace(seq, std::move(task));
}

void Core::write_job(store::Writer::Job job, Task then) {
    writer_->submit(std::move(job), [this, then = std::move(then)](bool durable) {
        if (durable) then();
        else fail_stop();
    });
}

void Core::fail_stop() {
    if (failed_) return;
    failed_ = true;
    spdlog::critical("the database could not be written; stopping so that a restart rebuilds from disk");
    waiting_.clear();  // those replies are never sent: nothing unsafe is said
    if (fatal_) fatal_();
}

// ---------------------------------------------------------------- stream

void Core::publish(const std::vector<engine::Event>& events) {
    for (const auto& e : events) {
        note_staff(e);
        count_published(e);
        auto text = std::make_shared<const std::string>(dump(engine::event_to_json(e)));
        recent_.emplace_back(e.seq, text);
        if (recent_.size() > options_.replay_window) recent_.pop_front();
        // Pick the targets first: a send may cut off a slow client, which unsubscribes it.
        std::vector<std::shared_ptr<Subscriber>> targets;
        for (auto it = subscribers_.begin(); it != subscribers_.end();) {
            auto who = it->second.who.lock();
            if (!who) {
                it = subscribers_.erase(it);
                continue;
            }
            if (it->second.live && e.seq > it->second.last_sent) {
                it->second.last_sent = e.seq;
                targets.push_back(std::move(who));
            }
            ++it;
        }
        for (auto& who : targets) who->send(text);
    }
}

void Core::broadcast(const json& message) {
    auto text = std::make_shared<const std::string>(dump(message));
    std::vector<std::shared_ptr<Subscriber>> targets;
    for (auto& [key, sub] : subscribers_)
        if (auto who = sub.who.lock(); who && sub.live) targets.push_back(std::move(who));
    for (auto& who : targets) who->send(text);
}

void Core::subscribe(const std::shared_ptr<Subscriber>& s, int64_t since) {
    Sub& sub = subscribers_[s.get()];
    sub.who = s;
    const bool can_resume = since > 0 && since <= durable_seq_ &&
                            (since == durable_seq_ || (!recent_.empty() && recent_.front().first <= since + 1));
    if (can_resume) {
        sub.last_sent = durable_seq_;
        sub.live = true;
        std::vector<std::shared_ptr<const std::string>> missed;  // a send may end the session: copy first
        for (const auto& [seq, text] : recent_)
            if (seq > since) missed.push_back(text);
        // Notices outside the log are not replayed; the catalog's version is
        // what a kiosk needs to know whether its cache is still good.
        if (options_.catalog)
            missed.push_back(std::make_shared<const std::string>(
                dump({{"type", "catalog_updated"}, {"version", options_.catalog->version()}})));
        for (auto& text : missed) s->send(text);
        return;
    }
    // Too old, or new: a snapshot, sent once what it shows is durable.
    json message = {{"type", "snapshot"}, {"seq", engine_.state().seq}, {"state", snapshot()}};
    if (options_.catalog) message["catalog_version"] = options_.catalog->version();
    auto text = std::make_shared<const std::string>(dump(message));
    const int64_t seq = engine_.state().seq;
    std::weak_ptr<Subscriber> weak = s;
    Subscriber* key = s.get();
    after_durable(seq, [this, weak, key, text, seq] {
        auto who = weak.lock();
        auto it = subscribers_.find(key);
        if (!who || it == subscribers_.end()) return;
        it->second.last_sent = seq;
        it->second.live = true;
        who->send(text);  // last: it may end the session and erase `it`
    });
}

void Core::unsubscribe(Subscriber* s) { subscribers_.erase(s); }

namespace {

// The counter an event happened at, if any.
int counter_of(const engine::EventBody& body) {
    return std::visit([](const auto& b) -> int {
        if constexpr (requires { b.counter; }) return b.counter;
        else if constexpr (requires { b.from_counter; }) return b.from_counter;
        else return 0;
    }, body);
}

}  // namespace

void Core::note_staff(const engine::Event& e) {
    if (e.by.empty()) return;
    if (const int counter = counter_of(e.body)) counter_staff_[counter] = e.by;
}

json Core::snapshot() const {
    json s = engine::snapshot_json(engine_);
    for (auto& k : s["counters"]) {
        auto it = counter_staff_.find(k["id"].get<int>());
        k["staff"] = it == counter_staff_.end() ? "" : it->second;
    }
    json devices = json::array();
    for (const auto& [name, r] : device_reports_)
        devices.push_back({{"device", name}, {"role", r.role}, {"printer", r.printer}, {"detail", r.detail}, {"at", r.at}});
    s["devices"] = devices;
    return s;
}

// ---------------------------------------------------------------- routing

void Core::handle(const Request& req, Respond respond) {
    const Target t = parse_target(req.target);
    const auto& p = t.parts;
    const bool get = req.method == "GET", post = req.method == "POST";

    if (p.size() == 1 && p[0] == "healthz" && get)
        return respond(ok_json({{"status", failed_ ? "failed" : "ok"}, {"seq", engine_.state().seq},
                                {"durable_seq", durable_seq_}, {"day", engine_.state().day}}));
    if (p.size() == 1 && p[0] == "metrics" && get) return respond({200, metrics_text(), "text/plain; version=0.0.4; charset=utf-8"});
    if ((p.empty() || p[0] != "api") && get && options_.web)
        if (const WebFile* f = options_.web->find(req.target.substr(0, req.target.find('?'))))
            return respond({200, f->body, f->content_type, f->immutable ? "public, max-age=31536000, immutable" : "no-cache"});
    if (p.empty() || p[0] != "api") return respond(error_reply(404, "not_found", "no such path: " + req.target.substr(0, 200)));

    if (p.size() == 2 && p[1] == "stats") return stats_request(req, t.query, respond);
    if (p.size() == 2 && p[1] == "province" && get) return province_request(req, t.query, respond);
    if (p.size() == 3 && p[1] == "stats" && p[2] == "tickets") return tickets_export(req, t.query, respond);
    if (catalog_request(req, p, t.query, respond)) return;
    if (dossier_request(req, p, t.query, respond)) return;

    json body = json::object();
    if (!req.body.empty()) {
        if (too_deep(req.body)) return respond(error_reply(400, "bad_json", "the JSON is nested too deeply"));
        body = json::parse(req.body, nullptr, false);
        if (body.is_discarded()) return respond(error_reply(400, "bad_json", "the body is not valid JSON (or not valid UTF-8)"));
        if (!body.is_object()) return respond(error_reply(400, "bad_json", "the body must be a JSON object"));
    }

    // Handlers get a copy of `respond`: if one throws on a bad field, the catch below still answers.
    try {
        if (p.size() == 2 && p[1] == "login") {
            if (!post) return respond(error_reply(405, "method_not_allowed", "use POST"));
            return login(body, respond);
        }
        const auto who = authenticate(req.token);
        if (!who) return respond(unauthorized_reply());
        auto deny = [&] { respond(forbidden_reply(who->role)); };

        if (p.size() == 2 && p[1] == "logout" && post) return logout(req, respond);
        if (p.size() == 2 && p[1] == "me" && get)
            return respond(ok_json({{"role", who->role}, {"name", who->name}, {"counter", who->counter}}));
        if (p.size() == 2 && p[1] == "state" && get) return reply_when_durable(ok_json(snapshot()), respond);
        if (p.size() == 3 && p[1] == "devices" && p[2] == "status" && post) {
            if (!is_device_role(who->role)) return deny();
            return device_status(*who, body, respond);
        }
        if (p.size() == 2 && p[1] == "tickets" && post) {
            if (who->role == "display") return deny();
            return issue_ticket(*who, body, respond);
        }
        if (p.size() >= 3 && p[1] == "tickets") {
            const auto id = parse_id<int64_t>(p[2]);
            if (!id) return respond(error_reply(404, "unknown_ticket", "ticket ids are positive whole numbers"));
            if (p.size() == 3 && get) return reply_when_durable(ticket_reply(*id), respond);
            if (p.size() == 4 && p[3] == "rating" && post) {
                if (who->role != "rating" && !is_manager(*who)) return deny();
                return rate_ticket(*who, *id, body, respond);
            }
            if (p.size() == 4 && post) {
                if (who->role != "staff" && !is_manager(*who)) return deny();
                return ticket_action(*who, *id, p[3], body, respond);
            }
        }
        if (p.size() == 4 && p[1] == "counters" && post) {
            const auto id = parse_id<int>(p[2]);
            if (!id) return respond(error_reply(404, "unknown_counter", "counter ids are positive whole numbers"));
            const bool allowed = is_manager(*who) || (who->role == "staff" && who->counter == *id);
            if (!allowed)
                return respond(error_reply(403, "forbidden", who->role == "staff" ? "you work at counter " + std::to_string(who->counter)
                                                                                  : "the role '" + who->role + "' may not do this"));
            return counter_verb(*who, *id, p[3], respond);
        }
        if (p.size() >= 3 && p[1] == "admin") {
            if (who->role != "admin") return deny();
            if (admin_request(req.method, p, body, respond)) return;
        }
        return respond(error_reply(404, "not_found", "no such path or method: " + req.method + " " + req.target.substr(0, 200)));
    } catch (const FieldError& e) {
        return respond(error_reply(400, "bad_field", e.what()));
    } catch (const json::exception& e) {
        return respond(error_reply(400, "bad_field", e.what()));
    }
}

// ---------------------------------------------------------------- handlers

void Core::login(const json& body, Respond respond) {
    JsonReader r(body, "body", {"user", "password"});
    const std::string user = text_field(r, "user", 64);
    const std::string password = r.get<std::string>("password");
    if (password.size() > 256) throw FieldError("body.password: longer than 256 bytes");
    const int64_t at = options_.clock();
    if (auth_.locked(user, at))
        return respond(error_reply(429, "locked", "too many failed logins: wait a minute and try again"));
    const store::User* u = auth_.user(user);
    // Unknown users cost the same Argon2id check, so timing tells nothing.
    const std::string hash = u ? u->password_hash : dummy_hash_;
    offload_([this, user, password, hash, known = u != nullptr, respond = std::move(respond)]() mutable {
        const bool ok = verify_password(hash, password) && known;
        post_([this, ok, user, respond = std::move(respond)] {
            const store::User* account = auth_.user(user);
            if (!ok || !account) {
                if (account) auth_.login_failed(user, options_.clock());
                return respond(error_reply(401, "bad_login", "wrong user name or password"));
            }
            auth_.login_succeeded(user);
            const std::string token = new_token();
            store::Session s{token_hash(token), account->name, account->role, account->counter, options_.clock() + Auth::kSessionMs};
            auth_.remember(s);
            json reply = {{"token", token}, {"user", account->name}, {"role", account->role}, {"counter", account->counter},
                          {"expires_at", s.expires_at}};
            write_job([s](store::Store& st) { st.put_session(s); },
                      [respond = std::move(respond), reply] { respond(ok_json(reply)); });
        });
    });
}

void Core::logout(const Request& req, Respond respond) {
    const std::string h = token_hash(req.token);
    auth_.forget_session(h);
    write_job([h](store::Store& st) { st.delete_session(h); }, [respond = std::move(respond)] { respond(ok_json({{"ok", true}})); });
}

void Core::issue_ticket(const Principal& who, const json& body, Respond respond) {
    JsonReader r(body, "body", {"service", "category"});
    engine::IssueTicket c{r.get<std::string>("service"), r.get<std::string>("category", std::string("normal")),
                          who.role + ":" + who.name};
    execute(c, [this](const engine::Outcome& out) {
        return ticket_reply(std::get<engine::TicketIssued>(out.events.back().body).ticket.id, 201);
    }, std::move(respond));
}

void Core::counter_verb(const Principal& who, int counter, const std::string& verb, Respond respond) {
    if (verb == "next") {
        return execute(engine::CallNext{counter}, [this](const engine::Outcome& out) {
            json j = {{"ticket", nullptr}, {"finished", nullptr}};
            for (const auto& e : out.events) {
                if (auto* c = std::get_if<engine::TicketCalled>(&e.body)) j["ticket"] = engine::ticket_to_json(*engine_.ticket(c->ticket));
                if (auto* f = std::get_if<engine::TicketFinished>(&e.body)) j["finished"] = f->ticket;
            }
            return ok_json(j);
        }, timed_call(std::move(respond)), who.name);
    }
    if (verb == "pause" || verb == "resume") {
        return execute(engine::SetCounterPaused{counter, verb == "pause"}, [this, counter](const engine::Outcome&) {
            return ok_json({{"counter", counter}, {"paused", engine_.state().counters.at(counter).paused}});
        }, std::move(respond), who.name);
    }
    respond(error_reply(404, "not_found", "counters can: next, pause, resume"));
}

void Core::ticket_action(const Principal& who, int64_t ticket, const std::string& action, const json& body, Respond respond) {
    const int acting = who.role == "staff" ? who.counter : 0;
    auto reply = [this, ticket](const engine::Outcome&) { return ticket_reply(ticket); };
    if (action == "transfer") {
        JsonReader r(body, "body", {"to_service", "to_counter", "note"});
        engine::Transfer c{ticket, acting, r.get<std::string>("to_service", std::string()), r.get<int>("to_counter", 0),
                           text_field(r, "note", 500)};
        return execute(c, reply, std::move(respond), who.name);
    }
    static const std::map<std::string, engine::Action> actions = {
        {"recall", engine::Action::recall}, {"start", engine::Action::start}, {"finish", engine::Action::finish},
        {"no-show", engine::Action::no_show}, {"reactivate", engine::Action::reactivate}, {"cancel", engine::Action::cancel}};
    auto it = actions.find(action);
    if (it == actions.end())
        return respond(error_reply(404, "not_found", "tickets can: recall, start, finish, no-show, transfer, cancel, reactivate"));
    JsonReader(body, "body", {});
    execute(engine::TicketAction{it->second, ticket, acting}, reply, std::move(respond), who.name);
}

Reply Core::ticket_reply(int64_t id, int status) const {
    const engine::Ticket* t = engine_.ticket(id);
    if (!t) return error_reply(404, "unknown_ticket", "no ticket " + std::to_string(id) + " today");
    json j = engine::ticket_to_json(*t);
    if (const auto* s = engine_.state().center.service(t->service)) {
        j["service_name_vi"] = s->name_vi;
        j["service_name_en"] = s->name_en;
    }
    return ok_json(j, status);
}

// ---------------------------------------------------------------- catalog

// The procedure catalog is public information (the national portal publishes
// it), so reading it needs no token; replacing it is for admins. Returns false
// when the path is not the catalog's.
bool Core::catalog_request(const Request& req, const std::vector<std::string>& p,
                           const std::map<std::string, std::string>& query, Respond& respond) {
    const bool get = req.method == "GET";
    const bool reads = p.size() >= 2 && (p[1] == "procedures" || p[1] == "fields" || p[1] == "catalog");
    const bool import = p.size() == 3 && p[1] == "admin" && p[2] == "catalog";
    if (!reads && !import) return false;
    if (!options_.catalog) {
        respond(error_reply(404, "no_catalog", "this server has no procedure catalog"));
        return true;
    }
    catalog::Catalog& cat = *options_.catalog;
    if (cat.refresh_if_changed()) broadcast({{"type", "catalog_updated"}, {"version", cat.version()}});
    if (import) {
        const auto who = authenticate(req.token);
        if (!who) respond(unauthorized_reply());
        else if (who->role != "admin") respond(forbidden_reply(who->role));
        else if (req.method != "POST") respond(error_reply(405, "method_not_allowed", "use POST with the catalog file as the body"));
        else import_catalog(std::string(req.body), std::move(respond));
        return true;
    }
    if (!get) {
        respond(error_reply(405, "method_not_allowed", "use GET"));
        return true;
    }
    if (p.size() == 2 && p[1] == "catalog") {
        respond(ok_json({{"version", cat.version()}, {"procedures", cat.size()}}));
    } else if (p.size() == 3 && p[1] == "catalog" && p[2] == "export") {
        export_catalog(std::move(respond));
    } else if (p.size() == 2 && p[1] == "fields") {
        json fields = json::array();
        for (const auto& f : cat.fields()) fields.push_back({{"field", f.field}, {"count", f.count}, {"levels", f.levels}});
        respond(ok_json({{"version", cat.version()}, {"fields", fields}}));
    } else if (p.size() == 2 && p[1] == "procedures") {
        const auto q = common::percent_decode(query.contains("q") ? query.at("q") : "");
        const auto limit_text = query.contains("limit") ? query.at("limit") : "10";
        const auto limit = parse_id<int>(limit_text);
        if (!q) return respond(error_reply(400, "bad_query", "q has a malformed %-escape")), true;
        if (!limit || *limit > 100) return respond(error_reply(400, "bad_limit", "limit is a whole number from 1 to 100")), true;
        try {
            json hits = json::array();
            for (const auto& h : cat.search(*q, static_cast<size_t>(*limit)))
                hits.push_back({{"code", h.code}, {"name", h.name}, {"field", h.field}, {"level", h.level}});
            respond(ok_json({{"version", cat.version()}, {"hits", hits}}));
        } catch (const catalog::QueryError& e) {
            respond(error_reply(400, "bad_query", e.what()));
        }
    } else if (p.size() == 3 && p[1] == "procedures") {
        const auto code = common::percent_decode(p[2]);
        auto record = code ? cat.procedure(*code) : std::nullopt;
        if (record) respond(ok_json(*record));
        else respond(error_reply(404, "unknown_procedure", "no procedure with that code"));
    } else {
        respond(error_reply(404, "not_found", "no such path: " + req.target.substr(0, 200)));
    }
    return true;
}

// A kiosk's copy of the whole catalog: megabytes for 10,000 procedures, so read
// off the loop, through the catalog's own connection for that.
void Core::export_catalog(Respond respond) {
    offload_([this, respond = std::move(respond)]() mutable {
        Reply reply;
        try {
            reply = {200, options_.catalog->export_json(), "application/json"};
        } catch (const std::exception& e) {
            reply = error_reply(500, "catalog_failed", std::string("the catalog could not be read: ") + e.what());
        }
        post_([reply = std::move(reply), respond = std::move(respond)]() mutable { respond(std::move(reply)); });
    });
}

// All or nothing: a broken file leaves the catalog in use as it was. Parsing,
// writing and indexing take about a second for 10,000 procedures, so they run
// in the background; the loop only swaps the index in. Kiosks hear of a new
// version on the event stream and refresh their cache.
void Core::import_catalog(std::string body, Respond respond) {
    background_([this, body = std::move(body), respond = std::move(respond)]() mutable {
        try {
            auto index = options_.catalog->prepare(catalog::parse_catalog(body));
            post_([this, index = std::move(index), respond = std::move(respond)] {
                const auto version = index->version();
                const auto count = index->size();
                background_([old = options_.catalog->install(index)] {});  // freed there
                broadcast({{"type", "catalog_updated"}, {"version", version}});
                respond(ok_json({{"version", version}, {"procedures", count}}));
            });
        } catch (const catalog::ImportError& e) {
            post_([respond = std::move(respond), why = std::string(e.what())] { respond(error_reply(400, "bad_catalog", why)); });
        } catch (const std::exception& e) {
            spdlog::error("catalog import failed: {}", e.what());
            post_([respond = std::move(respond)] {
                respond(error_reply(500, "catalog_failed", "the catalog could not be saved; the previous one stays in use"));
            });
        }
    });
}

// ---------------------------------------------------------------- dossiers

namespace {

std::string today_local(const common::LocalCalendar& calendar, int64_t ms) {
    const int day = calendar.at(ms).day;  // yyyymmdd
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
    return buf;
}

}  // namespace

bool Core::dossier_request(const Request& req, const std::vector<std::string>& p,
                           const std::map<std::string, std::string>& query, Respond& respond) {
    const bool feed = p.size() == 3 && p[1] == "feed" && p[2] == "dossiers";
    const bool lookup = p.size() == 3 && p[1] == "dossiers";
    const bool status = p.size() == 3 && p[1] == "admin" && p[2] == "feed";
    if (!feed && !lookup && !status) return false;
    if (!options_.dossiers) {
        respond(error_reply(404, "no_dossiers", "this server keeps no dossiers"));
        return true;
    }
    if (status) {
        feed_status(req, respond);
        return true;
    }
    if (feed) {
        if (req.method != "POST") respond(error_reply(405, "method_not_allowed", "use POST"));
        else feed_dossiers(req, respond);
        return true;
    }
    if (req.method != "GET") {
        respond(error_reply(405, "method_not_allowed", "use GET"));
        return true;
    }
    const auto who = authenticate(req.token);
    if (!who) {
        respond(unauthorized_reply());
        return true;
    }
    const auto code = common::percent_decode(p[2]);
    const auto check = common::percent_decode(query.contains("check") ? query.at("check") : "");
    if (!code || !check) {
        respond(error_reply(400, "bad_query", "malformed %-escape"));
        return true;
    }
    look_up_dossier(*who, *code, *check, respond);
    return true;
}

namespace {

bool signature_matches(const std::string& secret, const std::string& timestamp, const std::string& body,
                       const std::string& signature) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    const std::string prefix = timestamp + ".";
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(prefix.data()), prefix.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()), body.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[2 * sizeof mac + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    const std::string expected = "sha256=" + std::string(hex);
    return signature.size() == expected.size() &&
           sodium_memcmp(signature.data(), expected.data(), expected.size()) == 0;
}

}  // namespace

// The backend signs "TIMESTAMP.BODY" with HMAC-SHA256 and the shared secret;
// a request more than five minutes from our clock is refused (a captured
// request can't be replayed later), and within that window a replayed update
// changes nothing: event ids are remembered. Checking the signature of up to
// 8 MiB, parsing and the durable write run in the background, one request
// after another, so the loop keeps serving tickets meanwhile.
void Core::feed_dossiers(const Request& req, Respond respond) {
    if (options_.feed_secret.empty()) return respond(error_reply(403, "feed_closed", "no feed secret is configured"));
    int64_t ts = 0;
    const auto [end, ec] = std::from_chars(req.timestamp.data(), req.timestamp.data() + req.timestamp.size(), ts);
    if (req.timestamp.empty() || ec != std::errc{} || end != req.timestamp.data() + req.timestamp.size())
        return respond(error_reply(401, "unsigned", "X-Timestamp (seconds) and X-Signature (sha256=HEX) are needed"));
    if (std::llabs(ts * 1000 - options_.clock()) > 5 * 60 * 1000)
        return respond(error_reply(401, "stale", "X-Timestamp is more than five minutes from the server's clock"));
    background_([this, timestamp = req.timestamp, body = req.body, signature = req.signature,
                 respond = std::move(respond)]() mutable {
        Ingested r;
        if (!signature_matches(options_.feed_secret, timestamp, body, signature)) {
            r.status = 401;
            r.error = "X-Signature does not match the body";
        } else {
            r = save_feed_body(body, false);
        }
        finish_on_loop(std::move(r), [this, respond = std::move(respond)](const Ingested& out) {
            count_push(out);
            if (out.status == 401) respond(error_reply(401, "bad_signature", out.error));
            else if (out.status == 400) respond(error_reply(400, "bad_update", out.error));
            else if (out.status != 200) respond(error_reply(500, "feed_failed", out.error));
            else respond(ok_json({{"applied", out.applied}, {"duplicates", out.duplicates}}));
        });
    });
}

// A report for managers: a GET by an admin or a manager; anything else is answered here.
bool Core::manager_get(const Request& req, Respond& respond) {
    const auto who = authenticate(req.token);
    if (!who) respond(unauthorized_reply());
    else if (who->role != "admin" && who->role != "manager") respond(forbidden_reply(who->role));
    else if (req.method != "GET") respond(error_reply(405, "method_not_allowed", "use GET"));
    else return true;
    return false;
}

// How the feeds are doing, for admins and managers: is the backend reaching us?
void Core::feed_status(const Request& req, Respond& respond) {
    if (!manager_get(req, respond)) return;
    const json push = {{"requests", push_stats_.requests}, {"refused", push_stats_.refused},
                       {"applied", push_stats_.applied}, {"duplicates", push_stats_.duplicates},
                       {"last_ms", push_stats_.last_ms}, {"last_error", push_stats_.last_error}};
    json central = nullptr;
    if (central_status_) {
        const central::ShipStatus c = central_status_();
        central = {{"shipped_seq", c.shipped_seq}, {"behind", std::max<int64_t>(0, durable_seq_ - c.shipped_seq)},
                   {"rows", c.rows}, {"failures", c.failures}, {"last_error", c.last_error}};
    }
    respond(ok_json({{"push", push}, {"pull", pull_status_ ? pull_status_() : json(nullptr)}, {"central", central}}));
}

void Core::take_pulled_page(std::string body, std::function<void(const Ingested&)> done) {
    background_([this, body = std::move(body), done = std::move(done)]() mutable {
        finish_on_loop(save_feed_body(body, true), std::move(done));
    });
}

void Core::count_push(const Ingested& r) {
    ++push_stats_.requests;
    push_stats_.last_ms = options_.clock();
    push_stats_.applied += r.applied;
    push_stats_.duplicates += r.duplicates;
    if (r.status != 200) {
        ++push_stats_.refused;
        push_stats_.last_error = r.error;
    }
}

feed::PullConnector::Sink Core::pull_sink() {
    return [this](std::string body, std::function<void(feed::PageOutcome)> done) {
        take_pulled_page(std::move(body), [done = std::move(done)](const Ingested& r) {
            done({r.status == 200 ? "" : r.error, r.more, r.cursor, r.applied, r.duplicates});
        });
    };
}

// On the background thread: a push body or a pulled page, parsed (all or
// nothing) and written durably; a page's cursor is saved in the same transaction.
Core::Ingested Core::save_feed_body(const std::string& body, bool page) {
    Ingested r;
    try {
        const auto fed = page ? dossier::parse_feed_page(body) : dossier::FeedPage{dossier::parse_feed_push(body), "", false};
        const auto result = options_.dossiers->ingest(fed.updates, page ? std::optional(fed.cursor) : std::nullopt);
        r.applied = result.applied;
        r.duplicates = result.duplicates;
        r.changed = result.changed;
        r.more = fed.more;
        r.cursor = fed.cursor;
    } catch (const dossier::UpdateError& e) {
        r.status = 400;
        r.error = e.what();
    } catch (const std::exception& e) {
        spdlog::error("dossier feed: could not save: {}", e.what());
        r.status = 500;
        r.error = "the updates could not be saved; send them again";
    }
    return r;
}

void Core::finish_on_loop(Ingested r, std::function<void(const Ingested&)> done) {
    post_([this, r = std::move(r), done = std::move(done)] {
        announce_dossiers(r.changed);
        done(r);
    });
}

// Kiosks showing one of these dossiers fetch it again. In batches, so 5,000
// changes make ten messages, not 5,000.
void Core::announce_dossiers(const std::vector<std::string>& codes) {
    constexpr size_t per_message = 500;
    for (size_t i = 0; i < codes.size(); i += per_message) {
        const auto last = codes.begin() + static_cast<ptrdiff_t>(std::min(codes.size(), i + per_message));
        broadcast({{"type", "dossier_updated"}, {"codes", std::vector<std::string>(codes.begin() + static_cast<ptrdiff_t>(i), last)}});
    }
}

// An unknown code and a wrong check value get the same answer, and each device
// or user has a few lookups a minute, so codes can't be found by trying.
void Core::look_up_dossier(const Principal& who, const std::string& code, const std::string& check, Respond respond) {
    const int64_t now_ms = options_.clock();
    const double per_ms = options_.lookups_per_minute / 60'000.0;
    Bucket& b = lookup_buckets_[who.role + ":" + who.name];
    if (b.at == 0) b.tokens = options_.lookups_per_minute;
    b.tokens = std::min<double>(options_.lookups_per_minute, b.tokens + static_cast<double>(now_ms - b.at) * per_ms);
    b.at = now_ms;
    if (b.tokens < 1) return respond(error_reply(429, "too_many_lookups", "too many lookups; try again in a minute"));
    b.tokens -= 1;
    const auto d = options_.dossiers->find(code);
    if (!d || !options_.dossiers->check_matches(*d, check))
        return respond(error_reply(404, "not_found", "no dossier with this code and check value"));
    respond(ok_json(dossier::public_view(*d, today_local(calendar_, now_ms))));
}

}  // namespace api
