// reminders: when a booking's two reminders are due — the day before its slot
// and an hour before — and what they say (issue 21). Pure: the notifier's worker
// asks it each round with the local time, stores what it marks done, and puts
// the messages in the outbox like any other (sent once, under a stable id).
//
// A reminder whose moment passed while nobody was looking (the server was off)
// is sent late only while it still helps: the day-before one until an hour
// before the slot, the hour-before one until the slot begins. A booking made
// close to its slot gets only the reminders still ahead of it by some margin:
// its own confirmation is fresh in the citizen's hand.
#pragma once
#include <string>
#include <vector>

#include "api/message_sink.hpp"
#include "common/local_time.hpp"
#include "notify/decide.hpp"

namespace notify {

struct ReminderRow {
    api::Reminder r;
    bool day_before_done = false, hour_before_done = false;
};

// For a booking made or moved at `now`: marks done the reminders too close to be worth sending.
void skip_near(ReminderRow& row, const common::Instant& now);

// The reminders due at `now` (each marked done in `row`), from the center named `center`.
std::vector<Message> due_reminders(ReminderRow& row, const common::Instant& now, const std::string& center);

// The texts, Vietnamese and English.
std::string day_before_text(const api::Reminder& r, const std::string& center, bool english);
std::string hour_before_text(const api::Reminder& r, const std::string& center, bool english);

}  // namespace notify
