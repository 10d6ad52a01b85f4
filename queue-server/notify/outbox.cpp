// outbox: contacts, messages and cursors in DATA/messages.db (see outbox.hpp).
#include "notify/outbox.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace notify {
namespace {

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS contacts (
    day INTEGER NOT NULL, ticket INTEGER NOT NULL, number TEXT NOT NULL, service TEXT NOT NULL,
    phone TEXT NOT NULL, email TEXT NOT NULL, ahead INTEGER NOT NULL, ahead_done INTEGER NOT NULL DEFAULT 0,
    since_seq INTEGER NOT NULL DEFAULT 0,  -- the log's end when it came: calls after it are its to hear
    PRIMARY KEY (day, ticket)
);
CREATE TABLE IF NOT EXISTS outbox (
    id TEXT PRIMARY KEY, day INTEGER NOT NULL, ticket INTEGER NOT NULL, kind TEXT NOT NULL,
    phone TEXT NOT NULL, email TEXT NOT NULL, number TEXT NOT NULL, counter TEXT NOT NULL, ahead INTEGER NOT NULL,
    text TEXT NOT NULL, text_en TEXT NOT NULL, subject TEXT NOT NULL, created_at INTEGER NOT NULL,
    sender INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
    sent_at INTEGER, refused INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox(created_at) WHERE sent_at IS NULL AND refused = 0;
CREATE TABLE IF NOT EXISTS reminders (
    booking INTEGER PRIMARY KEY, day INTEGER NOT NULL, start_minute INTEGER NOT NULL, end_minute INTEGER NOT NULL,
    phone TEXT NOT NULL, code TEXT NOT NULL, service_vi TEXT NOT NULL, service_en TEXT NOT NULL, url TEXT NOT NULL,
    day_before_done INTEGER NOT NULL, hour_before_done INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, seq INTEGER NOT NULL);
)sql";

// The file is born 0600, before SQLite opens it: its WAL and shared-memory files take its mode.
std::string private_file(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw sqlite::Error("cannot create " + file.string());
    ::fchmod(fd, 0600);
    ::close(fd);
    return file.string();
}

}  // namespace

Outbox::Outbox(const std::filesystem::path& file) : db_(private_file(file)) {
    db_.exec("PRAGMA busy_timeout = 5000");  // the worker and the webhooks share the file
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = FULL");
    db_.exec("PRAGMA secure_delete = ON");
    db_.exec(kSchema);
}

void Outbox::put_contact(const api::Subscription& s, int64_t since_seq) {
    sqlite::Statement q(db_,
                        "INSERT OR REPLACE INTO contacts(day, ticket, number, service, phone, email, ahead, ahead_done, since_seq) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8)");
    q.bind(1, s.day).bind(2, s.ticket).bind(3, s.number).bind(4, s.service).bind(5, s.phone).bind(6, s.email).bind(7, s.ahead);
    q.bind(8, since_seq);
    q.run();
}

std::vector<Outbox::Contact> Outbox::contacts(int32_t day) {
    sqlite::Statement q(db_, "SELECT ticket, number, service, phone, email, ahead, ahead_done, since_seq FROM contacts WHERE day = ?1");
    q.bind(1, day);
    std::vector<Contact> out;
    while (q.step()) {
        Contact c;
        c.sub.day = day;
        c.sub.ticket = q.int_at(0);
        c.sub.number = q.text_at(1);
        c.sub.service = q.text_at(2);
        c.sub.phone = q.text_at(3);
        c.sub.email = q.text_at(4);
        c.sub.ahead = static_cast<int>(q.int_at(5));
        c.ahead_done = q.int_at(6) != 0;
        c.since_seq = q.int_at(7);
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<Message> Outbox::add(const std::vector<Message>& messages, int64_t decided_seq) {
    sqlite::Transaction tx(db_);
    sqlite::Statement insert(db_,
                             "INSERT OR IGNORE INTO outbox(id, day, ticket, kind, phone, email, number, counter, ahead, text, "
                             "text_en, subject, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    sqlite::Statement done(db_, "UPDATE contacts SET ahead_done = 1 WHERE day = ?1 AND ticket = ?2");
    std::vector<Message> added;
    for (const Message& m : messages) {
        insert.bind(1, m.id).bind(2, m.day).bind(3, m.ticket).bind(4, m.kind).bind(5, m.phone).bind(6, m.email);
        insert.bind(7, m.number).bind(8, m.counter).bind(9, m.ahead).bind(10, m.text).bind(11, m.text_en);
        insert.bind(12, m.subject).bind(13, m.created_at);
        insert.run();
        if (sqlite3_changes(db_.handle()) > 0) added.push_back(m);
        done.bind(1, m.day).bind(2, m.ticket);
        done.run();
    }
    if (decided_seq > 0) {
        sqlite::Statement c(db_, "INSERT INTO cursors(name, seq) VALUES ('decided', ?1) "
                                 "ON CONFLICT(name) DO UPDATE SET seq = MAX(seq, excluded.seq)");
        c.bind(1, decided_seq);
        c.run();
    }
    tx.commit();
    return added;
}

std::vector<Pending> Outbox::unsent() {
    sqlite::Statement q(db_,
                        "SELECT id, day, ticket, kind, phone, email, number, counter, ahead, text, text_en, subject, "
                        "created_at, sender, attempts FROM outbox WHERE sent_at IS NULL AND refused = 0 ORDER BY created_at, id");
    std::vector<Pending> out;
    while (q.step()) {
        Pending p;
        Message& m = p.message;
        m.id = q.text_at(0);
        m.day = static_cast<int32_t>(q.int_at(1));
        m.ticket = q.int_at(2);
        m.kind = q.text_at(3);
        m.phone = q.text_at(4);
        m.email = q.text_at(5);
        m.number = q.text_at(6);
        m.counter = q.text_at(7);
        m.ahead = static_cast<int>(q.int_at(8));
        m.text = q.text_at(9);
        m.text_en = q.text_at(10);
        m.subject = q.text_at(11);
        m.created_at = q.int_at(12);
        p.sender = static_cast<int>(q.int_at(13));
        p.attempts = static_cast<int>(q.int_at(14));
        out.push_back(std::move(p));
    }
    return out;
}

void Outbox::mark_sent(const std::string& id, int64_t at) {
    sqlite::Statement q(db_, "UPDATE outbox SET sent_at = ?2, last_error = '' WHERE id = ?1");
    q.bind(1, id).bind(2, at);
    q.run();
}

void Outbox::mark_attempt(const std::string& id, int sender, int attempts, const std::string& error) {
    sqlite::Statement q(db_, "UPDATE outbox SET sender = ?2, attempts = ?3, last_error = ?4 WHERE id = ?1");
    q.bind(1, id).bind(2, sender).bind(3, attempts).bind(4, error);
    q.run();
}

void Outbox::mark_refused(const std::string& id, const std::string& error) {
    sqlite::Statement q(db_, "UPDATE outbox SET refused = 1, last_error = ?2 WHERE id = ?1");
    q.bind(1, id).bind(2, error);
    q.run();
}

OutboxCounts Outbox::counts() {
    sqlite::Statement q(db_,
                        "SELECT COALESCE(SUM(sent_at IS NULL AND refused = 0), 0), COALESCE(SUM(sent_at IS NOT NULL), 0), "
                        "COALESCE(SUM(refused), 0), COALESCE(MIN(CASE WHEN sent_at IS NULL AND refused = 0 THEN created_at END), 0) "
                        "FROM outbox");
    q.step();
    OutboxCounts c{q.int_at(0), q.int_at(1), q.int_at(2), q.int_at(3)};
    q.reset();
    return c;
}

void Outbox::put_reminder(const ReminderRow& row) {
    sqlite::Statement q(db_,
                        "INSERT OR REPLACE INTO reminders(booking, day, start_minute, end_minute, phone, code, service_vi, service_en, "
                        "url, day_before_done, hour_before_done) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    const api::Reminder& r = row.r;
    q.bind(1, r.booking).bind(2, r.day).bind(3, r.start_minute).bind(4, r.end_minute).bind(5, r.phone).bind(6, r.code);
    q.bind(7, r.service_vi).bind(8, r.service_en).bind(9, r.url).bind(10, row.day_before_done ? 1 : 0);
    q.bind(11, row.hour_before_done ? 1 : 0);
    q.run();
}

void Outbox::drop_reminder(int64_t booking) {
    sqlite::Statement q(db_, "DELETE FROM reminders WHERE booking = ?1");
    q.bind(1, booking);
    q.run();
}

std::vector<ReminderRow> Outbox::reminders() {
    sqlite::Statement q(db_,
                        "SELECT booking, day, start_minute, end_minute, phone, code, service_vi, service_en, url, day_before_done, "
                        "hour_before_done FROM reminders");
    std::vector<ReminderRow> out;
    while (q.step()) {
        ReminderRow row;
        api::Reminder& r = row.r;
        r.booking = q.int_at(0);
        r.day = static_cast<int32_t>(q.int_at(1));
        r.start_minute = static_cast<int>(q.int_at(2));
        r.end_minute = static_cast<int>(q.int_at(3));
        r.phone = q.text_at(4);
        r.code = q.text_at(5);
        r.service_vi = q.text_at(6);
        r.service_en = q.text_at(7);
        r.url = q.text_at(8);
        row.day_before_done = q.int_at(9) != 0;
        row.hour_before_done = q.int_at(10) != 0;
        out.push_back(std::move(row));
    }
    return out;
}

int64_t Outbox::forget_before(int32_t day) {
    int64_t gone = 0;
    {
        sqlite::Transaction tx(db_);
        sqlite::Statement contacts(db_, "DELETE FROM contacts WHERE day < ?1");
        contacts.bind(1, day);
        contacts.run();
        gone = sqlite3_changes(db_.handle());
        sqlite::Statement reminders(db_, "DELETE FROM reminders WHERE day < ?1");
        reminders.bind(1, day);
        reminders.run();
        gone += sqlite3_changes(db_.handle());
        sqlite::Statement messages(db_, "DELETE FROM outbox WHERE day < ?1");
        messages.bind(1, day);
        messages.run();
        gone += sqlite3_changes(db_.handle());
        tx.commit();
    }
    // The deleted pages are zeroed (secure_delete); the WAL still holds their old copies until truncated.
    if (gone) db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return gone;
}

std::optional<int64_t> Outbox::cursor(const std::string& name) {
    sqlite::Statement q(db_, "SELECT seq FROM cursors WHERE name = ?1");
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    const int64_t v = q.int_at(0);
    q.reset();
    return v;
}

void Outbox::set_cursor(const std::string& name, int64_t seq) {
    sqlite::Statement q(db_, "INSERT INTO cursors(name, seq) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq");
    q.bind(1, name).bind(2, seq);
    q.run();
}

}  // namespace notify
