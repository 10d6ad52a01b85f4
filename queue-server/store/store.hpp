// store: the durable side of the queue server, in one SQLite file.
//
// The append-only `events` table is the truth; `tickets` and `counters` are views
// of it, written in the same transaction as the events they come from, so they can
// never disagree with the log. The file runs in WAL mode with synchronous=FULL:
// when append() returns, the events survive a power cut.
//
// Accounts, device tokens and login sessions live here too: they are not queue
// events (they hold secrets and are not replayed), but they share the file so a
// backup is one copy.
#pragma once
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/events.hpp"
#include "sqlite/sqlite.hpp"

namespace store {

struct User {
    std::string name;
    std::string role;      // staff, manager, admin
    int counter = 0;       // staff: the counter they work at
    std::string password_hash;  // Argon2id, libsodium's string form
};

struct Device {
    std::string token_hash;  // BLAKE2b of the token; the token itself is never stored
    std::string role;        // kiosk, display, rating
    std::string name;
    int counter = 0;         // a rating tablet: the counter it stands at
};

struct Session {
    std::string token_hash;
    std::string user;
    std::string role;
    int counter = 0;
    int64_t expires_at = 0;  // UTC ms
};

class Store {
public:
    // Opens or creates the file, sets WAL + synchronous=FULL and brings the schema up to date.
    explicit Store(const std::filesystem::path& file);
    ~Store();

    static int64_t schema_version();  // the version this build writes
    int64_t file_schema_version();

    // Events, with their view updates, in one transaction.
    void append(const std::vector<engine::Event>& events);
    // For a batch: the caller owns the transaction (group commit).
    void append_in_transaction(const std::vector<engine::Event>& events);
    void for_each_event(int64_t after_seq, const std::function<void(const engine::Event&)>& f);
    int64_t last_seq();

    void put_user(const User& u);
    std::vector<User> users();
    void delete_user(const std::string& name);  // and their sessions
    void put_device(const Device& d);
    void delete_device(const std::string& token_hash);
    std::vector<Device> devices();
    void delete_sessions_of(const std::string& user);
    void put_session(const Session& s);
    void delete_session(const std::string& token_hash);
    std::vector<Session> sessions(int64_t now_ms);  // unexpired ones
    void purge_sessions(int64_t now_ms);            // forgets expired ones

    sqlite::Database& db() { return db_; }

private:
    void migrate();
    void update_views(const engine::Event& e);
    void update_booking_view(const engine::Event& e);
    void update_visit_views(const engine::Event& e);  // visit_views.cpp
    void finish_step(const engine::Event& e, const engine::TicketFinished& b);

    sqlite::Database db_;
    struct Statements;
    std::unique_ptr<Statements> st_;
    struct VisitStatements;
    std::unique_ptr<VisitStatements> visit_;
};

}  // namespace store
