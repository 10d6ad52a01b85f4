// webhook: every queue event, signed, to another system — read from the
// server's event log (center.db, read-only), from a durable cursor.
//
// Why the log and not the events handed to on_durable: the log is already the
// durable outbox. The cursor (the last seq the receiver answered 2xx for) lives
// in messages.db, so a restart, a crash or a receiver down for an hour resumes
// at the first event not acknowledged: nothing lost, in order, and a repeat
// only in the one case of a crash between the 2xx and the cursor's write (the
// Idempotency-Key "event-SEQ" lets the receiver drop it). A first start begins
// at the log's end: a webhook added later gets the events from then on.
#pragma once
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "notify/options.hpp"
#include "notify/outbox.hpp"
#include "notify/senders_config.hpp"
#include "notify/status_changes.hpp"

namespace notify {

struct WebhookStatus {
    std::string name;
    int64_t cursor = 0;    // last event acknowledged
    int64_t log_seq = 0;   // last event in the log when last read
    int64_t sent = 0, failures = 0;  // since start
    std::string last_error;
};

// The webhook's JSON for one stored event: {"center", "event": {seq, at, day, type, ...}}, follow_hash removed.
std::string webhook_body(const std::string& center, int64_t seq, int64_t at, int64_t day, const std::string& type,
                         const std::string& stored_json);

class WebhookThread {
public:
    // `changes` is bumped after each change of status() (the notifier's, which outlives the thread).
    WebhookThread(WebhookSender sender, std::filesystem::path events_db, std::filesystem::path messages_db,
                  std::string center, Options options, StatusChanges& changes);
    ~WebhookThread();
    void start();
    void stop();
    void wake();  // new events are durable
    WebhookStatus status() const;

private:
    void run();
    bool wait_for(std::chrono::milliseconds d);  // false when stopping
    bool deliver(int64_t seq, const std::string& body);
    // One batch of the log after the cursor; false when stopping.
    bool round(Outbox& cursors, sqlite::Database* log, std::optional<int64_t>& cursor, const std::string& key);

    WebhookSender sender_;
    std::filesystem::path events_db_, messages_db_;
    std::string center_;
    Options options_;
    StatusChanges& changes_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false, woken_ = false;
    WebhookStatus status_;
    std::thread thread_;
};

}  // namespace notify
