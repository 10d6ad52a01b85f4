// core: admission by the route table, dispatch, commands and durable replies (see core.hpp).
#include "api/core.hpp"

#include "api/device_view.hpp"

#include <charconv>
#include <spdlog/spdlog.h>

#include "engine/codec.hpp"

namespace api {
namespace {

// An event as the stream sends it (hall devices may get their own: device_text).
Text text_of(const engine::Event& e) { return std::make_shared<const std::string>(dump(engine::event_to_json(e))); }

using common::FieldError;

constexpr size_t kMaxDepth = 32;
constexpr int64_t kFeedWindowMs = 5 * 60 * 1000;  // a signed request this far from our clock is refused
constexpr int64_t kSweepMs = 60'000;

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

Reply forbidden_reply(Role role) {
    return error_reply(403, "forbidden", "the role '" + std::string(role_name(role)) + "' may not do this");
}

// A handler that throws after answering must not answer twice: this answers once.
Respond once(Respond respond) {
    auto done = std::make_shared<bool>(false);
    return [done, respond = std::move(respond)](Reply r) {
        if (*done) return;
        *done = true;
        respond(std::move(r));
    };
}

}  // namespace

// ---------------------------------------------------------------- life

Core::Core(store::Store& store, Options options)
    : store_(store),
      options_(std::move(options)),
      calendar_(options_.timezone),
      clock_(options_.clock, options_.monotonic),
      durability_(store),
      hub_(options_.replay_window),
      throttle_(options_.logins),
      public_limits_(options_.public_limits),
      lookups_(options_.lookups),
      identity_(options_.identity_key.empty() ? new_token() : options_.identity_key, options_.identity) {
    // Only the last replay_window events are kept as JSON for resuming clients;
    // encoding the whole log again at every start would double the start time.
    const int64_t resumable_from = store_.last_seq() - static_cast<int64_t>(options_.replay_window);
    int64_t last_at = 0;
    store_.for_each_event(0, [&](const engine::Event& e) {
        engine_.apply(e);
        note_staff(e);
        if (e.seq > resumable_from)
            hub_.remember(e.seq, text_of(e), device_text(e));
        last_at = std::max(last_at, e.at);
    });
    clock_.set_last_logged(last_at);
    durability_.set_seq(engine_.state().seq);
    auth_.load(store_, options_.clock());
    auth_.set_dummy_hash(hash_password(new_token(), options_.password_cost));
}

Core::~Core() { stop(); }

std::optional<engine::Error> Core::run_startup(const engine::Command& command) {
    auto out = engine_.handle(command, now());
    if (!out.events.empty()) {
        store_.append(out.events);
        for (const auto& e : out.events)
            hub_.remember(e.seq, text_of(e), device_text(e));
        durability_.set_seq(engine_.state().seq);
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
    post_ = executors.post;
    later_ = std::move(executors.later);
    logins_ = std::make_unique<WorkQueue>("logins", options_.login_threads, options_.login_queue);
    reports_ = std::make_unique<WorkQueue>("reports", options_.report_threads, options_.report_queue);
    imports_ = std::make_unique<WorkQueue>("imports", 1, options_.import_queue);
    durability_.start(std::move(executors.post), std::move(executors.fatal),
                      [this](const std::vector<engine::Event>& events) { published(events); });
    watch_booking_deadlines();
}

// A booking not checked in is a no-show once its slot's end and grace are past,
// and its place is free again (engine/booking.cpp); a parked ticket not back in
// time is one too (engine/visit.cpp). Any command folds that in; this look once
// a minute does it in a quiet hall too. It runs while bookings wait for their
// day or tickets are parked, and sends nothing when no deadline is due.
void Core::watch_booking_deadlines() {
    const auto& st = engine_.state();
    if (!later_ || deadline_watch_ || (st.booking_deadlines.empty() && st.park_deadlines.empty())) return;
    deadline_watch_ = true;
    later_(std::chrono::seconds(60), [this] {
        deadline_watch_ = false;
        const common::Instant at = now();
        if (engine_.booking_overdue(at) || engine_.parked_overdue(at)) durability_.persist(engine_.handle(engine::Tick{}, at).events);
        watch_booking_deadlines();
    });
}

void Core::stop() {
    // Work first: a finished task posts its answer, which may still write through the writer.
    for (auto* q : {logins_.get(), reports_.get(), imports_.get()})
        if (q) q->stop();
    durability_.stop();
}

common::Instant Core::now() { return calendar_.at(clock_.now()); }

std::optional<Principal> Core::authenticate(const std::string& token) const { return auth_.authenticate(token, options_.clock()); }

void Core::sweep() {
    const int64_t at = options_.clock();
    last_sweep_ms_ = at;
    const auto expired = auth_.purge_expired(at);
    if (expired.empty()) return;
    const std::set<std::string> gone(expired.begin(), expired.end());
    hub_.close_if([&](const Principal& p) { return gone.contains(p.token_hash); });
}

// ---------------------------------------------------------------- admission

Core::Admission Core::admit(const Request& head) {
    Admission a;
    const RouteMatch m = match_route(head.method, head.target);
    if (!m.route) {
        a.refusal = m.other_method ? error_reply(405, "method_not_allowed", "this path does not take " + head.method.substr(0, 10))
                                   : error_reply(404, "not_found", "no such path: " + head.target.substr(0, 200));
        return a;
    }
    if (options_.clock() - last_sweep_ms_ >= kSweepMs) sweep();
    a.route = m.route;
    a.params = m.params;
    a.body_limit = m.route->body_limit;
    if (m.route->limit == Limit::public_)
        if (const auto wait = public_limits_.admit(client_address(head, options_.phone.trusted_proxies), options_.monotonic())) {
            a.refusal = error_reply(429, "too_many_requests", "too many requests from this address; try again in a moment");
            a.refusal->retry_after_s = static_cast<int>(std::max<int64_t>(1, (*wait + 999) / 1000));
            return a;
        }
    if (head.upgrade != (m.route->runs == Runs::stream)) {
        a.refusal = head.upgrade ? error_reply(404, "not_found", "WebSocket is served at /api/events")
                                 : error_reply(426, "upgrade_required", "this path is a WebSocket (/api/events, or a ticket's events)");
        return a;
    }
    a = authenticate_for(*m.route, head, std::move(a));
    // A followed ticket's stream: an unknown key is answered before the upgrade.
    if (!a.refusal && a.stream() && !a.params.empty() && !followed_ticket(a.params[0]))
        a.refusal = error_reply(404, "unknown_key", "no ticket of today has this follow key");
    // A large body goes to the imports queue: when that is full, refuse before reading a byte of it.
    if (!a.refusal && m.route->runs == Runs::background && m.route->body_limit > 0 && !has_room(Work::imports))
        a.refusal = busy_reply("earlier imports");
    return a;
}

// Who the sender is, before any body is read: a token for most routes, the
// feed's signature headers for the dossier backend, nothing for public ones.
Core::Admission Core::authenticate_for(const Route& route, const Request& head, Admission a) {
    if (route.roles.is_anyone()) {
        if (!head.token.empty()) a.who = authenticate(head.token);
        return a;
    }
    if (route.roles.has(Role::feed)) {
        int64_t ts = 0;
        const auto [end, ec] = std::from_chars(head.timestamp.data(), head.timestamp.data() + head.timestamp.size(), ts);
        if (options_.feed_secret.empty()) a.refusal = error_reply(403, "feed_closed", "no feed secret is configured");
        else if (head.timestamp.empty() || ec != std::errc{} || end != head.timestamp.data() + head.timestamp.size() || head.signature.empty())
            a.refusal = error_reply(401, "unsigned", "X-Timestamp (seconds) and X-Signature (sha256=HEX) are needed");
        else if (ts > INT64_MAX / 1000 || ts < 0 || std::llabs(ts * 1000 - options_.clock()) > kFeedWindowMs)
            a.refusal = error_reply(401, "stale", "X-Timestamp is more than five minutes from the server's clock");
        else a.who = Principal{Role::feed, "dossier backend", 0, ""};
        return a;
    }
    const std::string& token = route.runs == Runs::stream && head.token.empty() ? head.query_token : head.token;
    a.who = authenticate(token);
    if (!a.who) a.refusal = unauthorized_reply();
    else if (!route.roles.has(a.who->role)) a.refusal = forbidden_reply(a.who->role);
    return a;
}

void Core::dispatch(const Admission& admitted, Request req, Respond respond) {
    respond = once(std::move(respond));
    const Route& route = *admitted.route;
    Call call{req, admitted.who ? &*admitted.who : nullptr, admitted.params, parse_query(req.target)};
    try {
        if (route.runs == Runs::loop && !req.body.empty()) {
            if (req.body.size() > route.body_limit) return respond(error_reply(413, "too_large", "the body is larger than this route takes"));
            if (too_deep(req.body)) return respond(error_reply(400, "bad_json", "the JSON is nested too deeply"));
            call.body = json::parse(req.body, nullptr, false);
            if (call.body.is_discarded()) return respond(error_reply(400, "bad_json", "the body is not valid JSON (or not valid UTF-8)"));
            if (!call.body.is_object()) return respond(error_reply(400, "bad_json", "the body must be a JSON object"));
        }
        route.handler(*this, call, respond);
    } catch (const FieldError& e) {
        respond(error_reply(400, "bad_field", e.what()));
    } catch (const json::exception& e) {
        respond(error_reply(400, "bad_field", e.what()));
    } catch (const std::exception& e) {
        // An SQLite error in a catalog or dossier read: this request fails, the server goes on.
        // The route's pattern, not the path: a phone's path holds its follow key, a secret.
        spdlog::error("{} {}: {}", req.method, route.path, e.what());
        respond(error_reply(500, "internal", "the server could not answer this request; it keeps serving"));
    }
}

void Core::handle(const Request& request, Respond respond) {
    const Admission a = admit(request);
    if (a.refusal) return respond(*a.refusal);
    if (request.body.size() > a.body_limit && a.route->runs != Runs::loop)
        return respond(error_reply(413, "too_large", "the body is larger than this route takes"));
    if (a.stream()) return respond(error_reply(426, "upgrade_required", "this path is a WebSocket"));
    dispatch(a, request, std::move(respond));
}

// ---------------------------------------------------------------- durability

void Core::execute(const engine::Command& command, std::function<Reply(const engine::Outcome&)> on_ok, Respond respond,
                   const std::string& by) {
    auto out = engine_.handle(command, now(), by);
    Reply reply = out.ok() ? on_ok(out) : error_reply(out.error->status, out.error->code, out.error->message);
    durability_.persist(std::move(out.events));
    reply_when_durable(std::move(reply), std::move(respond));
}

void Core::reply_when_durable(Reply reply, Respond respond) {
    durability_.after(engine_.state().seq, [respond = std::move(respond), reply = std::move(reply)] { respond(reply); });
}

WorkQueue& Core::queue(Work kind) {
    switch (kind) {
        case Work::logins: return *logins_;
        case Work::reports: return *reports_;
        case Work::imports: break;
    }
    return *imports_;
}

bool Core::has_room(Work kind) const {
    const WorkQueue* q = kind == Work::logins ? logins_.get() : kind == Work::reports ? reports_.get() : imports_.get();
    return q && q->waiting() < q->capacity();
}

void Core::offload(Work kind, std::function<Reply()> work, Respond respond) {
    auto shared = std::make_shared<Respond>(std::move(respond));
    const bool taken = queue(kind).try_post([this, work = std::move(work), shared] {
        Reply reply;
        try {
            reply = work();
        } catch (const std::exception& e) {
            spdlog::error("background work failed: {}", e.what());
            reply = error_reply(500, "internal", std::string("could not be done: ") + e.what());
        }
        post_([reply = std::move(reply), shared]() mutable { (*shared)(std::move(reply)); });
    });
    if (!taken) (*shared)(busy_reply(queue(kind).name()));
}

// ---------------------------------------------------------------- stream

void Core::published(const std::vector<engine::Event>& events) {
    for (const auto& e : events) {
        note_staff(e);
        count_published(e);
        hub_.publish(e.seq, text_of(e), device_text(e));
    }
    followers_after(events);
    watch_booking_deadlines();
}

void Core::broadcast(const json& message) { hub_.broadcast(std::make_shared<const std::string>(dump(message))); }

void Core::subscribe(const std::shared_ptr<Subscriber>& s, const Principal& who, int64_t since) {
    if (hub_.resume(s, who, since, durability_.durable_seq())) {
        // Notices outside the log are not replayed; the catalog's version is
        // what a kiosk needs to know whether its cache is still good, and the
        // phone settings what a display needs to draw the right QR, since the
        // server may have restarted with another [phone] while it was away.
        if (options_.catalog) s->send(std::make_shared<const std::string>(dump({{"type", "catalog_updated"}, {"version", options_.catalog->version()}})));
        s->send(std::make_shared<const std::string>(dump({{"type", "phone_settings"}, {"phone", phone_settings_json()}})));
        return;
    }
    // Too old, or new: a snapshot, sent once what it shows is durable, then what came after it.
    json message = {{"type", "snapshot"}, {"seq", engine_.state().seq}, {"state", snapshot_for(who.role)}};
    if (options_.catalog) message["catalog_version"] = options_.catalog->version();
    auto text = std::make_shared<const std::string>(dump(message));
    const int64_t seq = engine_.state().seq;
    std::weak_ptr<Subscriber> weak = s;
    durability_.after(seq, [this, weak, who, text, seq] {
        auto client = weak.lock();
        if (!client) return;
        hub_.join_at(client, who, seq);
        client->send(text);
        hub_.drained(client.get());
    });
}

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

json Core::snapshot_for(Role role) const {
    json s = snapshot();
    if (is_hall_device(role)) strip_for_devices(s);
    return s;
}

json Core::snapshot() const {
    json s = engine::snapshot_json(engine_);
    for (auto& k : s["counters"]) {  // the one signed in there, else the last who acted there
        if (!k["staff"].get<std::string>().empty()) continue;
        auto it = counter_staff_.find(k["id"].get<int>());
        k["staff"] = it == counter_staff_.end() ? "" : it->second;
    }
    json devices = json::array();
    for (const auto& [name, r] : device_reports_)
        devices.push_back({{"device", name}, {"role", r.role}, {"printer", r.printer}, {"detail", r.detail}, {"at", r.at}});
    s["devices"] = devices;
    s["clock"] = clock_.status();
    s["phone"] = phone_settings_json();
    return s;
}

// Hall displays draw the phone QR ({public_url}/m/q) from this (issue 20).
json Core::phone_settings_json() const {
    return {{"public_url", options_.phone.public_url}, {"display_qr", options_.phone.display_qr}};
}

Reply Core::ticket_reply(int64_t id, int status) const {
    const engine::Ticket* t = engine_.ticket(id);
    if (!t) return error_reply(404, "unknown_ticket", "no ticket " + std::to_string(id) + " today");
    return ok_json(ticket_json(*t), status);
}

json Core::ticket_json(const engine::Ticket& t) const {
    json j = engine::ticket_to_json(t);
    if (const auto* s = engine_.state().center.service(t.service)) {
        j["service_name_vi"] = s->name_vi;
        j["service_name_en"] = s->name_en;
    }
    return j;
}

}  // namespace api
