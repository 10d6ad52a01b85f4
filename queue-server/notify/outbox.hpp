// outbox: DATA/messages.db, the notifier's own SQLite file (mode 0600).
//
//   contacts  the day's phone numbers and e-mail addresses, by (day, ticket)
//   outbox    every message decided, by its stable id (PRIMARY KEY: inserted
//             once however often it is decided), until it is sent or refused
//   reminders a booking's phone and slot for its two reminders, until the
//             booking's day ends (or it is cancelled, checked in or missed)
//   cursors   how far each webhook got in the event log, and the last event
//             seq whose messages were decided
//
// Only the notifier's threads touch it, each with its own connection. Rows of
// a day are deleted when the day is over, with secure_delete on and the WAL
// truncated, so a phone number does not outlive its day in the file either.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "api/message_sink.hpp"
#include "notify/decide.hpp"
#include "notify/reminders.hpp"
#include "sqlite/sqlite.hpp"

namespace notify {

struct Pending {
    Message message;
    int sender = 0;    // index in its channel's senders: the next one after a refusal
    int attempts = 0;  // with the current sender
};

struct OutboxCounts {
    int64_t unsent = 0, sent = 0, refused = 0;
    int64_t oldest_unsent_at = 0;  // created_at of the oldest unsent message, 0 if none
};

class Outbox {
public:
    // Creates the file 0600 (its folder must exist) and its tables.
    explicit Outbox(const std::filesystem::path& file);

    // `since_seq`: the log's last seq when the citizen asked (calls before it are not theirs to hear again).
    void put_contact(const api::Subscription& s, int64_t since_seq);
    struct Contact {
        api::Subscription sub;
        bool ahead_done = false;
        int64_t since_seq = 0;
    };
    std::vector<Contact> contacts(int32_t day);

    // Inserts the new ones (an id already there is left alone); returns those inserted.
    // `decided_seq`: the last event seq these come from, kept in the same transaction.
    std::vector<Message> add(const std::vector<Message>& messages, int64_t decided_seq);
    std::vector<Pending> unsent();
    void mark_sent(const std::string& id, int64_t at);
    void mark_attempt(const std::string& id, int sender, int attempts, const std::string& error);
    void mark_refused(const std::string& id, const std::string& error);
    OutboxCounts counts();

    void put_reminder(const ReminderRow& row);
    void drop_reminder(int64_t booking);
    std::vector<ReminderRow> reminders();

    // Deletes contacts, reminders and messages of days before `day`; returns the rows deleted.
    int64_t forget_before(int32_t day);

    std::optional<int64_t> cursor(const std::string& name);
    void set_cursor(const std::string& name, int64_t seq);

private:
    sqlite::Database db_;
};

}  // namespace notify
