// store: SQLite event log, views and accounts (see store.hpp for why it is shaped so).
#include "store/store.hpp"
#include "store/visit_views.hpp"

#include "engine/codec.hpp"

namespace store {
namespace {

// Each entry moves the schema from version i to i+1. Never edit a released entry:
// add a new one, so every existing file upgrades the same way.
const char* const kMigrations[] = {
    // 1: the event log, its views, accounts.
    R"sql(
    CREATE TABLE events (
        seq  INTEGER PRIMARY KEY,
        at   INTEGER NOT NULL,
        day  INTEGER NOT NULL,
        type TEXT NOT NULL,
        json TEXT NOT NULL
    );
    CREATE TABLE tickets (
        id INTEGER PRIMARY KEY,
        day INTEGER NOT NULL,
        number TEXT NOT NULL,
        service TEXT NOT NULL,
        issued_service TEXT NOT NULL,
        category TEXT NOT NULL,
        priority INTEGER NOT NULL,
        source TEXT NOT NULL,
        state TEXT NOT NULL,
        counter INTEGER,
        target_counter INTEGER,
        issued_at INTEGER NOT NULL,
        first_called_at INTEGER,
        called_at INTEGER,
        started_at INTEGER,
        finished_at INTEGER,
        recalls INTEGER NOT NULL DEFAULT 0,
        transfers INTEGER NOT NULL DEFAULT 0,
        people_ahead INTEGER NOT NULL,
        est_wait_s INTEGER NOT NULL,
        updated_seq INTEGER NOT NULL
    );
    CREATE INDEX tickets_day_number ON tickets(day, number);
    CREATE INDEX tickets_day_service ON tickets(day, service);
    CREATE INDEX tickets_state ON tickets(state) WHERE state IN ('waiting', 'called', 'serving', 'no_show');
    CREATE TABLE counters (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        ticket INTEGER,
        updated_seq INTEGER NOT NULL
    );
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        counter INTEGER NOT NULL DEFAULT 0,
        password_hash TEXT NOT NULL
    );
    CREATE TABLE devices (
        token_hash TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        name TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        role TEXT NOT NULL,
        counter INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    );
    )sql",
    // 2: the managers' statistics read a range of days from this index alone
    // (queue-server/stats): no row lookups, a year of tickets in one ordered pass.
    R"sql(
    CREATE INDEX tickets_stats ON tickets(day, service, counter, state, issued_at, first_called_at,
                                          started_at, finished_at, est_wait_s);
    )sql",
    // 3: who served a ticket and how the citizen rated it (statistics per staff
    // member and satisfaction, still read from the covering index alone), and
    // rating tablets bound to a counter.
    R"sql(
    ALTER TABLE tickets ADD COLUMN staff TEXT;
    ALTER TABLE tickets ADD COLUMN rating INTEGER;
    ALTER TABLE tickets ADD COLUMN rating_reason TEXT;
    ALTER TABLE devices ADD COLUMN counter INTEGER NOT NULL DEFAULT 0;
    DROP INDEX tickets_stats;
    CREATE INDEX tickets_stats ON tickets(day, service, counter, state, issued_at, first_called_at,
                                          started_at, finished_at, est_wait_s, staff, rating);
    )sql",
    // 4: the shipper to the central database (queue-server/central) reads "what
    // changed since the cursor" in (updated_seq, id) order; without this, each
    // batch of a week's catching up would scan every ticket.
    R"sql(
    CREATE INDEX tickets_updated ON tickets(updated_seq, id);
    )sql",
    // 5: a ticket from a booking (issue 21): 0 walked in, 1 booked and on time
    // (ahead of walk-ins), 2 booked but later than the grace (a walk-in's place);
    // the statistics set booked and walk-in citizens side by side from the index.
    R"sql(
    ALTER TABLE tickets ADD COLUMN booking INTEGER NOT NULL DEFAULT 0;
    DROP INDEX tickets_stats;
    CREATE INDEX tickets_stats ON tickets(day, service, counter, state, issued_at, first_called_at,
                                          started_at, finished_at, est_wait_s, staff, rating, booking);
    )sql",
    // 6: the bookings view (issue 21): how each booking went — for the statistics'
    // show-up rate, punctuality and slot use. Nothing of the person: no hash, no
    // name, no phone (those stay in the engine and the log, purged as they age).
    // Bookings the log already holds are read back from their events.
    R"sql(
    CREATE TABLE bookings (
        id INTEGER PRIMARY KEY,
        day INTEGER NOT NULL,
        service TEXT NOT NULL,
        start TEXT NOT NULL,
        state TEXT NOT NULL,
        made_at INTEGER NOT NULL,
        checked_in_at INTEGER,
        on_time INTEGER NOT NULL DEFAULT 0,
        lateness_s INTEGER NOT NULL DEFAULT 0,
        ticket INTEGER,
        updated_seq INTEGER NOT NULL
    );
    CREATE INDEX bookings_day ON bookings(day, service, state, on_time, lateness_s);
    INSERT INTO bookings(id, day, service, start, state, made_at, updated_seq)
        SELECT json_extract(json, '$.booking.id'), json_extract(json, '$.booking.day'), json_extract(json, '$.booking.service'),
               json_extract(json, '$.booking.start'), 'booked', at, seq
        FROM events WHERE type = 'booking_made';
    UPDATE bookings SET (service, day, start, updated_seq) =
        (SELECT json_extract(json, '$.service'), json_extract(json, '$.day'), json_extract(json, '$.start'), seq
         FROM events WHERE type = 'booking_moved' AND json_extract(json, '$.booking') = bookings.id ORDER BY seq DESC LIMIT 1)
        WHERE id IN (SELECT json_extract(json, '$.booking') FROM events WHERE type = 'booking_moved');
    UPDATE bookings SET state = 'cancelled' WHERE id IN (SELECT json_extract(json, '$.booking') FROM events WHERE type = 'booking_cancelled');
    UPDATE bookings SET state = 'no_show' WHERE id IN (SELECT json_extract(json, '$.booking') FROM events WHERE type = 'booking_no_show');
    UPDATE bookings SET (state, checked_in_at, on_time, lateness_s, ticket) =
        (SELECT 'checked_in', at, json_extract(json, '$.on_time'), json_extract(json, '$.lateness_s'), json_extract(json, '$.ticket')
         FROM events WHERE type = 'booking_checked_in' AND json_extract(json, '$.booking') = bookings.id)
        WHERE id IN (SELECT json_extract(json, '$.booking') FROM events WHERE type = 'booking_checked_in');
    )sql",
    // 7: the counter's real day (issue 22; store/visit_views.cpp). `steps`: a row per
    // step of a visit (its service, counter, staff, wait and service times, the
    // outcome said at finish, the parks); `calls`: every call with its idle time
    // and, out of order, its reason (the managers' audit list); `staff_time`: who
    // sat at which counter when, and the breaks. The tickets row stays the visit;
    // its outcome columns hold the last one said. Tickets already in the log are
    // one step each.
    R"sql(
    CREATE TABLE steps (
        ticket INTEGER NOT NULL,
        step INTEGER NOT NULL,
        day INTEGER NOT NULL,
        number TEXT NOT NULL,
        service TEXT NOT NULL,
        state TEXT NOT NULL,
        counter INTEGER,
        staff TEXT,
        queued_at INTEGER NOT NULL,
        called_at INTEGER,
        started_at INTEGER,
        finished_at INTEGER,
        parks INTEGER NOT NULL DEFAULT 0,
        parked_at INTEGER,
        parked_ms INTEGER NOT NULL DEFAULT 0,
        procedure TEXT,
        dossier TEXT,
        result TEXT,
        next_step TEXT,
        updated_seq INTEGER NOT NULL,
        PRIMARY KEY (ticket, step)
    );
    CREATE INDEX steps_day ON steps(day, service, state);
    CREATE INDEX steps_dossier ON steps(dossier) WHERE dossier IS NOT NULL;
    INSERT INTO steps(ticket, step, day, number, service, state, counter, staff, queued_at, called_at, started_at, finished_at,
                      updated_seq)
        SELECT id, 0, day, number, service, state, counter, staff, issued_at, first_called_at, started_at, finished_at, updated_seq
        FROM tickets;
    CREATE TABLE calls (
        seq INTEGER PRIMARY KEY,
        day INTEGER NOT NULL,
        at INTEGER NOT NULL,
        ticket INTEGER NOT NULL,
        number TEXT NOT NULL,
        service TEXT NOT NULL,
        counter INTEGER NOT NULL,
        staff TEXT,
        out_of_order INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        returned INTEGER NOT NULL DEFAULT 0,
        idle_ms INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX calls_day ON calls(day, staff);
    CREATE INDEX calls_out_of_order ON calls(day) WHERE out_of_order = 1;
    CREATE TABLE staff_time (
        id INTEGER PRIMARY KEY,
        day INTEGER NOT NULL,
        counter INTEGER NOT NULL,
        staff TEXT NOT NULL,
        kind TEXT NOT NULL,
        from_at INTEGER NOT NULL,
        to_at INTEGER,
        reason TEXT
    );
    CREATE INDEX staff_time_day ON staff_time(day, staff);
    ALTER TABLE tickets ADD COLUMN steps INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE tickets ADD COLUMN procedure TEXT;
    ALTER TABLE tickets ADD COLUMN dossier TEXT;
    ALTER TABLE tickets ADD COLUMN result TEXT;
    )sql",
};

}  // namespace

struct Store::Statements {
    explicit Statements(sqlite::Database& db)
        : insert_event(db, "INSERT INTO events(seq, at, day, type, json) VALUES (?1, ?2, ?3, ?4, ?5)"),
          insert_ticket(db,
                        "INSERT INTO tickets(id, day, number, service, issued_service, category, priority, source, state, "
                        "issued_at, people_ahead, est_wait_s, updated_seq, booking) "
                        "VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, 'waiting', ?8, ?9, ?10, ?11, ?12)"),
          ticket_called(db,
                        "UPDATE tickets SET state = 'called', counter = ?2, target_counter = NULL, called_at = ?3, "
                        "first_called_at = COALESCE(first_called_at, ?3), recalls = 0, updated_seq = ?4 WHERE id = ?1"),
          ticket_recalled(db, "UPDATE tickets SET recalls = ?2, updated_seq = ?3 WHERE id = ?1"),
          ticket_state(db, "UPDATE tickets SET state = ?2, updated_seq = ?3 WHERE id = ?1"),
          ticket_started(db, "UPDATE tickets SET state = 'serving', started_at = ?2, updated_seq = ?3 WHERE id = ?1"),
          ticket_finished(db, "UPDATE tickets SET state = 'done', finished_at = ?2, updated_seq = ?3 WHERE id = ?1"),
          ticket_transferred(db,
                             "UPDATE tickets SET state = 'waiting', service = ?2, target_counter = NULLIF(?3, 0), "
                             "transfers = transfers + 1, updated_seq = ?4 WHERE id = ?1"),
          expire_day(db,
                     "UPDATE tickets SET state = 'expired', updated_seq = ?2 "
                     "WHERE day < ?1 AND state IN ('waiting', 'called', 'serving', 'no_show', 'parked')"),
          counters_free(db, "UPDATE counters SET ticket = NULL, updated_seq = ?1"),
          counter_upsert(db,
                         "INSERT INTO counters(id, name, updated_seq) VALUES (?1, ?2, ?3) "
                         "ON CONFLICT(id) DO UPDATE SET name = excluded.name, updated_seq = excluded.updated_seq"),
          counter_ticket(db, "UPDATE counters SET ticket = NULLIF(?2, 0), updated_seq = ?3 WHERE id = ?1"),
          counter_release(db, "UPDATE counters SET ticket = NULL, updated_seq = ?3 WHERE id = ?1 AND ticket = ?2"),
          counter_paused(db, "UPDATE counters SET paused = ?2, updated_seq = ?3 WHERE id = ?1"),
          ticket_staff(db, "UPDATE tickets SET staff = ?2 WHERE id = ?1"),
          ticket_rated(db, "UPDATE tickets SET rating = ?2, rating_reason = ?3, updated_seq = ?4 WHERE id = ?1"),
          booking_made(db, "INSERT INTO bookings(id, day, service, start, state, made_at, updated_seq) "
                           "VALUES (?1, ?2, ?3, ?4, 'booked', ?5, ?6)"),
          booking_moved(db, "UPDATE bookings SET service = ?2, day = ?3, start = ?4, updated_seq = ?5 WHERE id = ?1"),
          booking_state(db, "UPDATE bookings SET state = ?2, updated_seq = ?3 WHERE id = ?1"),
          booking_checked_in(db, "UPDATE bookings SET state = 'checked_in', checked_in_at = ?2, on_time = ?3, lateness_s = ?4, "
                                 "ticket = ?5, updated_seq = ?6 WHERE id = ?1"),
          select_events(db, "SELECT seq, at, day, type, json FROM events WHERE seq > ?1 ORDER BY seq"),
          last_seq(db, "SELECT COALESCE(MAX(seq), 0) FROM events") {}

    sqlite::Statement insert_event, insert_ticket, ticket_called, ticket_recalled, ticket_state, ticket_started,
        ticket_finished, ticket_transferred, expire_day, counters_free, counter_upsert, counter_ticket, counter_release,
        counter_paused, ticket_staff, ticket_rated, booking_made, booking_moved, booking_state, booking_checked_in,
        select_events, last_seq;
};

Store::Store(const std::filesystem::path& file) : db_(file.string()) {
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = FULL");
    db_.exec("PRAGMA foreign_keys = ON");
    migrate();
    st_ = std::make_unique<Statements>(db_);
    visit_ = std::make_unique<VisitStatements>(db_);
}

Store::~Store() = default;

int64_t Store::schema_version() { return static_cast<int64_t>(std::size(kMigrations)); }

int64_t Store::file_schema_version() { return db_.user_version(); }

void Store::migrate() {
    const int64_t have = db_.user_version();
    if (have > schema_version())
        throw sqlite::Error("the data file has schema version " + std::to_string(have) + ", newer than this build's " +
                            std::to_string(schema_version()) + ": upgrade the server");
    for (int64_t v = have; v < schema_version(); ++v) {
        sqlite::Transaction tx(db_);
        db_.exec(kMigrations[v]);
        db_.set_user_version(v + 1);
        tx.commit();
    }
}

void Store::append(const std::vector<engine::Event>& events) {
    sqlite::Transaction tx(db_);
    append_in_transaction(events);
    tx.commit();
}

void Store::append_in_transaction(const std::vector<engine::Event>& events) {
    for (const auto& e : events) {
        st_->insert_event.bind(1, e.seq).bind(2, e.at).bind(3, e.day).bind(4, engine::type_name(e.body))
            .bind(5, engine::stored_json(e).dump(-1, ' ', false, engine::json::error_handler_t::replace)).run();
        update_views(e);
    }
}

void Store::update_views(const engine::Event& e) {
    using namespace engine;
    auto& s = *st_;
    auto state = [&](int64_t id, const char* st) { s.ticket_state.bind(1, id).bind(2, st).bind(3, e.seq).run(); };
    auto release = [&](int counter, int64_t id) { s.counter_release.bind(1, counter).bind(2, id).bind(3, e.seq).run(); };
    // The person who last called, started or finished a ticket is the one who served it.
    auto served_by = [&](int64_t id) { if (!e.by.empty()) s.ticket_staff.bind(1, id).bind(2, e.by).run(); };
    std::visit([&](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, CenterConfigured>) {
            std::string ids;
            for (const auto& k : b.center.counters) {
                s.counter_upsert.bind(1, k.id).bind(2, k.name).bind(3, e.seq).run();
                ids += (ids.empty() ? "" : ",") + std::to_string(k.id);
            }
            // As the engine does: counters that are gone go, and tickets sent to them rejoin their line.
            db_.exec("DELETE FROM counters WHERE id NOT IN (" + ids + ")");
            db_.exec("UPDATE tickets SET target_counter = NULL WHERE state = 'waiting' AND target_counter NOT IN (" + ids + ")");
        } else if constexpr (std::is_same_v<T, DayOpened>) {
            s.expire_day.bind(1, b.day).bind(2, e.seq).run();
            s.counters_free.bind(1, e.seq).run();
        } else if constexpr (std::is_same_v<T, TicketIssued>) {
            const Ticket& t = b.ticket;
            s.insert_ticket.bind(1, t.id).bind(2, t.day).bind(3, t.number).bind(4, t.service).bind(5, t.category)
                .bind(6, t.priority ? 1 : 0).bind(7, t.source).bind(8, t.issued_at).bind(9, t.people_ahead)
                .bind(10, t.est_wait_s).bind(11, e.seq).bind(12, t.booking ? (t.booked ? 1 : 2) : 0).run();
        } else if constexpr (std::is_same_v<T, TicketCalled>) {
            s.ticket_called.bind(1, b.ticket).bind(2, b.counter).bind(3, e.at).bind(4, e.seq).run();
            s.counter_ticket.bind(1, b.counter).bind(2, b.ticket).bind(3, e.seq).run();
            served_by(b.ticket);
        } else if constexpr (std::is_same_v<T, TicketRecalled>) {
            s.ticket_recalled.bind(1, b.ticket).bind(2, b.recalls).bind(3, e.seq).run();
        } else if constexpr (std::is_same_v<T, TicketStarted>) {
            s.ticket_started.bind(1, b.ticket).bind(2, e.at).bind(3, e.seq).run();
            served_by(b.ticket);
        } else if constexpr (std::is_same_v<T, TicketFinished>) {
            if (b.next_step.empty()) s.ticket_finished.bind(1, b.ticket).bind(2, e.at).bind(3, e.seq).run();
            served_by(b.ticket);
            release(b.counter, b.ticket);
        } else if constexpr (std::is_same_v<T, TicketNoShow>) {
            state(b.ticket, "no_show");
            release(b.counter, b.ticket);
        } else if constexpr (std::is_same_v<T, TicketReactivated>) {
            state(b.ticket, "waiting");
        } else if constexpr (std::is_same_v<T, TicketTransferred>) {
            s.ticket_transferred.bind(1, b.ticket).bind(2, b.to_service).bind(3, b.to_counter).bind(4, e.seq).run();
            if (b.from_counter) release(b.from_counter, b.ticket);
        } else if constexpr (std::is_same_v<T, TicketCancelled>) {
            state(b.ticket, "cancelled");
            if (b.counter) release(b.counter, b.ticket);
        } else if constexpr (std::is_same_v<T, CounterPaused>) {
            s.counter_paused.bind(1, b.counter).bind(2, 1).bind(3, e.seq).run();
        } else if constexpr (std::is_same_v<T, CounterResumed>) {
            s.counter_paused.bind(1, b.counter).bind(2, 0).bind(3, e.seq).run();
        } else if constexpr (std::is_same_v<T, TicketRated>) {
            s.ticket_rated.bind(1, b.ticket).bind(2, b.rating).bind(3, b.reason).bind(4, e.seq).run();
        } else if constexpr (std::is_same_v<T, TicketParked>) {
            state(b.ticket, "parked");
            release(b.counter, b.ticket);
        } else if constexpr (std::is_same_v<T, TicketReturned>) {
            s.ticket_called.bind(1, b.ticket).bind(2, b.counter).bind(3, e.at).bind(4, e.seq).run();
            s.counter_ticket.bind(1, b.counter).bind(2, b.ticket).bind(3, e.seq).run();
            served_by(b.ticket);
        } else {
            update_booking_view(e);
        }
    }, e.body);
    update_visit_views(e);
}

// The bookings view: a booking's slot and how it went, nothing of the person.
void Store::update_booking_view(const engine::Event& e) {
    using namespace engine;
    auto& s = *st_;
    auto state = [&](int64_t id, const char* st) { s.booking_state.bind(1, id).bind(2, st).bind(3, e.seq).run(); };
    std::visit([&](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, BookingMade>) {
            const Booking& k = b.booking;
            s.booking_made.bind(1, k.id).bind(2, k.day).bind(3, k.service).bind(4, minute_to_text(k.start_minute))
                .bind(5, e.at).bind(6, e.seq).run();
        } else if constexpr (std::is_same_v<T, BookingMoved>) {
            s.booking_moved.bind(1, b.booking).bind(2, b.service).bind(3, b.day).bind(4, minute_to_text(b.start_minute))
                .bind(5, e.seq).run();
        } else if constexpr (std::is_same_v<T, BookingCancelled>) {
            state(b.booking, "cancelled");
        } else if constexpr (std::is_same_v<T, BookingNoShow>) {
            state(b.booking, "no_show");
        } else if constexpr (std::is_same_v<T, BookingCheckedIn>) {
            s.booking_checked_in.bind(1, b.booking).bind(2, e.at).bind(3, b.on_time ? 1 : 0).bind(4, b.lateness_s)
                .bind(5, b.ticket).bind(6, e.seq).run();
        }
    }, e.body);
}

void Store::for_each_event(int64_t after_seq, const std::function<void(const engine::Event&)>& f) {
    auto& q = st_->select_events;
    q.bind(1, after_seq);
    while (q.step()) {
        engine::Event e;
        e.seq = q.int_at(0);
        e.at = q.int_at(1);
        e.day = static_cast<int32_t>(q.int_at(2));
        const std::string type = q.text_at(3);
        try {
            engine::read_stored_json(e, type, engine::json::parse(q.text_at(4)));
        } catch (const std::exception& ex) {
            q.reset();
            throw sqlite::Error("event " + std::to_string(e.seq) + " in the log cannot be read: " + ex.what());
        }
        f(e);
    }
}

int64_t Store::last_seq() {
    auto& q = st_->last_seq;
    q.step();
    const int64_t v = q.int_at(0);
    q.reset();
    return v;
}

void Store::put_user(const User& u) {
    sqlite::Statement q(db_,
                        "INSERT INTO users(name, role, counter, password_hash) VALUES (?1, ?2, ?3, ?4) "
                        "ON CONFLICT(name) DO UPDATE SET role = excluded.role, counter = excluded.counter, "
                        "password_hash = excluded.password_hash");
    q.bind(1, u.name).bind(2, u.role).bind(3, u.counter).bind(4, u.password_hash).run();
}

std::vector<User> Store::users() {
    std::vector<User> out;
    sqlite::Statement q(db_, "SELECT name, role, counter, password_hash FROM users ORDER BY name");
    while (q.step()) out.push_back({q.text_at(0), q.text_at(1), static_cast<int>(q.int_at(2)), q.text_at(3)});
    return out;
}

// Called inside the writer's transaction, as every account change is.
void Store::delete_user(const std::string& name) {
    delete_sessions_of(name);
    sqlite::Statement(db_, "DELETE FROM users WHERE name = ?1").bind(1, name).run();
}

void Store::put_device(const Device& d) {
    sqlite::Statement q(db_, "INSERT OR REPLACE INTO devices(token_hash, role, name, counter) VALUES (?1, ?2, ?3, ?4)");
    q.bind(1, d.token_hash).bind(2, d.role).bind(3, d.name).bind(4, d.counter).run();
}

void Store::delete_device(const std::string& token_hash) {
    sqlite::Statement(db_, "DELETE FROM devices WHERE token_hash = ?1").bind(1, token_hash).run();
}

std::vector<Device> Store::devices() {
    std::vector<Device> out;
    sqlite::Statement q(db_, "SELECT token_hash, role, name, counter FROM devices ORDER BY name");
    while (q.step()) out.push_back({q.text_at(0), q.text_at(1), q.text_at(2), static_cast<int>(q.int_at(3))});
    return out;
}

void Store::delete_sessions_of(const std::string& user) {
    sqlite::Statement(db_, "DELETE FROM sessions WHERE user = ?1").bind(1, user).run();
}

void Store::put_session(const Session& s) {
    sqlite::Statement q(db_, "INSERT OR REPLACE INTO sessions(token_hash, user, role, counter, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    q.bind(1, s.token_hash).bind(2, s.user).bind(3, s.role).bind(4, s.counter).bind(5, s.expires_at).run();
}

void Store::delete_session(const std::string& token_hash) {
    sqlite::Statement q(db_, "DELETE FROM sessions WHERE token_hash = ?1");
    q.bind(1, token_hash).run();
}

void Store::purge_sessions(int64_t now_ms) {
    sqlite::Statement q(db_, "DELETE FROM sessions WHERE expires_at <= ?1");
    q.bind(1, now_ms).run();
}

std::vector<Session> Store::sessions(int64_t now_ms) {
    std::vector<Session> out;
    sqlite::Statement q(db_, "SELECT token_hash, user, role, counter, expires_at FROM sessions WHERE expires_at > ?1");
    q.bind(1, now_ms);
    while (q.step())
        out.push_back({q.text_at(0), q.text_at(1), q.text_at(2), static_cast<int>(q.int_at(3)), q.int_at(4)});
    return out;
}

}  // namespace store
