// catch_up: today's calls of subscribed tickets read back from the log (see catch_up.hpp).
#include "notify/catch_up.hpp"

#include <algorithm>
#include <map>

#include "engine/codec.hpp"
#include "sqlite/sqlite.hpp"

namespace notify {
namespace {

// The counters' names as last configured, from the log's latest CenterConfigured.
engine::Center last_center(sqlite::Database& db) {
    sqlite::Statement q(db, "SELECT json FROM events WHERE type = 'center_configured' ORDER BY seq DESC LIMIT 1");
    if (!q.step()) return {};
    engine::Event e;
    engine::read_stored_json(e, "center_configured", engine::json::parse(q.text_at(0)));
    q.reset();
    return std::get<engine::CenterConfigured>(e.body).center;
}

}  // namespace

int64_t log_end(const std::filesystem::path& events_db) {
    if (!std::filesystem::exists(events_db)) return 0;
    sqlite::Database db(events_db.string(), SQLITE_OPEN_READONLY);
    db.exec("PRAGMA busy_timeout = 5000");
    sqlite::Statement q(db, "SELECT COALESCE(MAX(seq), 0) FROM events");
    q.step();
    const int64_t v = q.int_at(0);
    q.reset();
    return v;
}

std::vector<Message> missed_calls(const std::filesystem::path& events_db, const std::vector<Outbox::Contact>& contacts,
                                  int64_t now_ms) {
    std::vector<Message> out;
    if (contacts.empty() || !std::filesystem::exists(events_db)) return out;
    std::map<int64_t, const Outbox::Contact*> by_ticket;
    int64_t from = contacts.front().since_seq;
    for (const auto& c : contacts) {
        by_ticket[c.sub.ticket] = &c;
        from = std::min(from, c.since_seq);
    }
    sqlite::Database db(events_db.string(), SQLITE_OPEN_READONLY);
    db.exec("PRAGMA busy_timeout = 5000");
    const engine::Center center = last_center(db);
    sqlite::Statement q(db,
                        "SELECT seq, day, type, json FROM events WHERE seq > ?1 "
                        "AND type IN ('ticket_called', 'ticket_recalled') ORDER BY seq");
    q.bind(1, from);
    while (q.step()) {
        engine::Event e;
        e.seq = q.int_at(0);
        e.day = static_cast<int32_t>(q.int_at(1));
        engine::read_stored_json(e, q.text_at(2), engine::json::parse(q.text_at(3)));
        const auto [ticket, counter] = std::visit(
            [](const auto& b) -> std::pair<int64_t, int> {
                if constexpr (requires { b.ticket; b.counter; }) return {b.ticket, b.counter};
                return {0, 0};
            },
            e.body);
        auto it = by_ticket.find(ticket);
        if (it == by_ticket.end() || e.seq <= it->second->since_seq || e.day != it->second->sub.day) continue;
        out.push_back(called_message(it->second->sub, e.seq, counter_name(center, counter), now_ms));
    }
    return out;
}

}  // namespace notify
