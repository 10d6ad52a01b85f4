// catch_up: the calls a restart could have missed. The loop decides a called
// message right after its batch is durable, and the worker stores it a moment
// later; a crash in between would lose it. So at start the worker reads today's
// calls and recalls of subscribed tickets back from the log (center.db) and
// decides them again: an id already in the outbox is left alone (sent, refused
// or pending), a missing one is added. Ahead messages need no such pass: the
// next batch finds anyone still N ahead from the engine state.
#pragma once
#include <filesystem>
#include <vector>

#include "notify/decide.hpp"
#include "notify/outbox.hpp"

namespace notify {

// Called messages for TicketCalled/TicketRecalled events after each contact's
// since_seq, of the contact's day; empty when there is no log or no contact.
std::vector<Message> missed_calls(const std::filesystem::path& events_db, const std::vector<Outbox::Contact>& contacts,
                                  int64_t now_ms);

// The log's last seq (0 without a log): where a new subscription starts listening.
int64_t log_end(const std::filesystem::path& events_db);

}  // namespace notify
