// public_routes: the citizens' phones (issue 20). No token: a ticket is named by
// its follow key alone, and every answer is about that ticket only (its view,
// public_view.cpp) or public anyway (the hall's queue, the catalog, a dossier by
// code and check value with names masked). Every route here is rate-limited per
// client address and overall at admission (the route table's Limit column).
#include <spdlog/spdlog.h>

#include "api/core.hpp"
#include "api/handlers.hpp"
#include "api/public_limits.hpp"
#include "common/json_reader.hpp"
#include "notify/contact.hpp"

namespace api::handlers {

using common::JsonReader;

namespace {

constexpr const char* kCatalogCache = "public, max-age=300";  // procedures change at an import, rarely

Reply unknown_key() {
    return error_reply(404, "unknown_key", "no ticket of today has this follow key (a wrong link, or its day is over)");
}

// The ticket a route's {key} names, or null after answering 404.
const engine::Ticket* ticket_of(Core& core, const Call& call, Respond& respond) {
    const engine::Ticket* t = core.followed_ticket(call.params.at(0));
    if (!t) respond(unknown_key());
    return t;
}

Reply view_reply(Core& core, int64_t id) { return ok_json(core.public_view(*core.engine().ticket(id))); }

Reply not_waiting(const engine::Ticket& t) {
    return error_reply(409, "not_waiting", "ticket " + t.number + " is " + engine::to_string(t.state) + ", no longer waiting");
}

// A page for when the server has no phone app built in (no --web): plain, both languages.
std::string plain_page(const engine::Ticket* t) {
    std::string body = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Theo dõi lượt / Follow your turn</title>"
                       "</head><body><main>";
    if (t) {
        body += "<h1>Số " + t->number + "</h1><p>Trang theo dõi chưa được cài trên máy chủ này; xem trạng thái tại "
                "/api/public/tickets/…</p><p lang=\"en\">The phone page is not installed on this server.</p>";
    } else {
        body += "<h1>Không tìm thấy lượt này</h1><p>Đường dẫn sai hoặc đã hết ngày của số thứ tự.</p>"
                "<p lang=\"en\">This ticket was not found: the link is wrong or its day is over.</p>";
    }
    return body + "</main></body></html>";
}

// Wraps a catalog handler: its successful answers may be cached by phones and proxies.
Respond cached(Respond respond) {
    return [respond = std::move(respond)](Reply r) {
        if (r.status == 200) r.cache_control = kCatalogCache;
        respond(std::move(r));
    };
}

// {"phone": ...} or {"email": ...}, checked and normalised; the refusal otherwise.
std::variant<Subscription, Reply> contact_of(const Call& call, const PhoneSettings& phone) {
    JsonReader r(call.body, "body", {"phone", "email", "ahead", "consent"});
    if (!r.has("consent") || !call.body["consent"].is_boolean() || !call.body["consent"].get<bool>())
        return error_reply(400, "no_consent", "messages are sent only with the citizen's consent (\"consent\": true)");
    Subscription s;
    const json& b = call.body;
    if (b.contains("phone") == b.contains("email"))
        return error_reply(400, "bad_phone", "give a phone number or an e-mail address (one of them)");
    if (b.contains("phone")) {
        const auto normal = b["phone"].is_string() ? notify::normalise_phone(b["phone"].get<std::string>()) : std::nullopt;
        if (!normal) return error_reply(400, "bad_phone", "a Vietnamese mobile number: 0 and 9 digits, or +84 and 9 digits");
        s.phone = *normal;
    } else {
        const auto normal = b["email"].is_string() ? notify::normalise_email(b["email"].get<std::string>()) : std::nullopt;
        if (!normal) return error_reply(400, "bad_email", "an e-mail address such as ten@example.vn");
        s.email = *normal;
    }
    s.ahead = phone.alert_ahead;
    if (b.contains("ahead")) {
        if (!b["ahead"].is_number_integer() || b["ahead"].get<int64_t>() < 1 || b["ahead"].get<int64_t>() > 50)
            return error_reply(400, "bad_ahead", "ahead is a whole number from 1 to 50");
        s.ahead = b["ahead"].get<int>();
    }
    return s;
}

}  // namespace

// The phone app's page for a followed ticket: the same page either way, 404 for a
// key that names nothing (the page itself says so kindly). Never cached: it is one ticket's.
void follow_page(Core& core, const Call& call, Respond respond) {
    const engine::Ticket* t = core.followed_ticket(call.params.at(0));
    const WebFile* page = core.options().web ? core.options().web->find("/m/index.html") : nullptr;
    Reply r{t ? 200 : 404, page ? page->body : plain_page(t), "text/html; charset=utf-8", "no-store"};
    respond(std::move(r));
}

void public_ticket(Core& core, const Call& call, Respond respond) {
    const engine::Ticket* t = ticket_of(core, call, respond);
    if (t) core.reply_when_durable(view_reply(core, t->id), std::move(respond));
}

// "Tôi không chờ nữa": the citizen leaves the line (a cancel by no counter).
void public_cancel(Core& core, const Call& call, Respond respond) {
    const engine::Ticket* t = ticket_of(core, call, respond);
    if (!t) return;
    JsonReader(call.body, "body", {});
    if (t->state != engine::TicketState::waiting) return respond(not_waiting(*t));
    const int64_t id = t->id;
    core.execute(engine::TicketAction{engine::Action::cancel, id, 0},
                 [&core, id](const engine::Outcome&) { return view_reply(core, id); }, std::move(respond), "citizen");
}

// "I'll be late": once, the center's late_places back in the line (the engine says already_late / not_waiting).
void public_late(Core& core, const Call& call, Respond respond) {
    const engine::Ticket* t = ticket_of(core, call, respond);
    if (!t) return;
    JsonReader(call.body, "body", {});
    const int64_t id = t->id;
    core.execute(engine::Postpone{id, core.options().phone.late_places},
                 [&core, id](const engine::Outcome&) { return view_reply(core, id); }, std::move(respond), "citizen");
}

// Messages when the page is closed: the contact goes to the message sink (notify),
// kept for the ticket's day only; the answer shows it masked.
void public_notify(Core& core, const Call& call, Respond respond) {
    const engine::Ticket* t = ticket_of(core, call, respond);
    if (!t) return;
    auto contact = contact_of(call, core.options().phone);
    if (auto* refused = std::get_if<Reply>(&contact)) return respond(*refused);
    Subscription s = std::get<Subscription>(contact);
    if (t->state != engine::TicketState::waiting) return respond(not_waiting(*t));
    MessageSink* sink = core.options().messages;
    const bool email = !s.email.empty();
    if (!sink || !sink->can_send(email))
        return respond(error_reply(409, "no_sender", std::string("this center sends no ") + (email ? "e-mail" : "text messages")));
    s.ticket = t->id;
    s.day = t->day;
    s.number = t->number;
    s.service = t->service;
    sink->subscribe(s);
    core.message_ahead()[t->id] = s.ahead;
    core.refresh_follower(t->id);
    respond(ok_json({{email ? "email" : "phone", email ? notify::mask_email(s.email) : notify::mask_phone(s.phone)}, {"ahead", s.ahead}}, 202));
}

// The hall's queue for a phone (the QR on the hall display): counts, estimates, the last calls.
void public_waiting(Core& core, const Call&, Respond respond) {
    const engine::Engine& e = core.engine();
    const engine::State& st = e.state();
    json services = json::array(), calls = json::array();
    for (const auto& s : st.center.services) {
        const int waiting = static_cast<int>(e.waiting_count(s.code));
        services.push_back({{"code", s.code}, {"name_vi", s.name_vi}, {"name_en", s.name_en}, {"waiting", waiting},
                            {"est_wait_s", e.estimate_wait_s(s.code, waiting)}});
    }
    for (const auto& c : st.recent_calls) {
        const engine::Counter* k = st.center.counter(c.counter);
        calls.push_back({{"number", c.number}, {"counter", c.counter}, {"counter_name", k ? k->name : ""}, {"at", c.at}});
    }
    Reply r = ok_json({{"center", st.center.name}, {"day", st.day}, {"services", services}, {"last_calls", calls}});
    r.cache_control = "max-age=2";
    core.reply_when_durable(std::move(r), std::move(respond));
}

void public_procedures(Core& core, const Call& call, Respond respond) { search_procedures(core, call, cached(std::move(respond))); }
void public_procedure(Core& core, const Call& call, Respond respond) { get_procedure(core, call, cached(std::move(respond))); }
void public_fields(Core& core, const Call& call, Respond respond) { fields(core, call, cached(std::move(respond))); }

// As a kiosk's lookup, the lookups counted per client address.
void public_dossier(Core& core, const Call& call, Respond respond) {
    look_up_dossier_for(core, call, "address:" + client_address(call.request, core.options().phone.trusted_proxies), std::move(respond));
}

}  // namespace api::handlers
