// webhook: the event log to a signed webhook from a durable cursor (see webhook.hpp).
#include "notify/webhook.hpp"

#include <spdlog/spdlog.h>

#include <memory>
#include <vector>

#include "common/backoff.hpp"
#include "notify/outbox.hpp"
#include "notify/transport.hpp"
#include "sqlite/sqlite.hpp"

namespace notify {
namespace {

// follow_hash identifies a citizen's phone page: it stays inside the server.
void strip_private(nlohmann::json& j) {
    if (j.is_object()) {
        j.erase("follow_hash");
        for (auto& [k, v] : j.items()) strip_private(v);
    } else if (j.is_array()) {
        for (auto& v : j) strip_private(v);
    }
}

struct StoredEvent {
    int64_t seq = 0, at = 0, day = 0;
    std::string type, json;
};

std::vector<StoredEvent> read_after(sqlite::Database& db, int64_t seq, int limit) {
    sqlite::Statement q(db, "SELECT seq, at, day, type, json FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2");
    q.bind(1, seq).bind(2, limit);
    std::vector<StoredEvent> out;
    while (q.step()) out.push_back({q.int_at(0), q.int_at(1), q.int_at(2), q.text_at(3), q.text_at(4)});
    return out;
}

int64_t last_seq(sqlite::Database& db) {
    sqlite::Statement q(db, "SELECT COALESCE(MAX(seq), 0) FROM events");
    q.step();
    const int64_t v = q.int_at(0);
    q.reset();
    return v;
}

std::unique_ptr<sqlite::Database> open_log(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) return nullptr;
    auto db = std::make_unique<sqlite::Database>(file.string(), SQLITE_OPEN_READONLY);
    db->exec("PRAGMA busy_timeout = 5000");
    return db;
}

}  // namespace

std::string webhook_body(const std::string& center, int64_t seq, int64_t at, int64_t day, const std::string& type,
                         const std::string& stored_json) {
    nlohmann::json e = nlohmann::json::parse(stored_json);
    strip_private(e);
    e["seq"] = seq;
    e["at"] = at;
    e["day"] = day;
    e["type"] = type;
    return nlohmann::json{{"center", center}, {"event", std::move(e)}}.dump();
}

WebhookThread::WebhookThread(WebhookSender sender, std::filesystem::path events_db, std::filesystem::path messages_db,
                             std::string center, Options options, StatusChanges& changes)
    : sender_(std::move(sender)), events_db_(std::move(events_db)), messages_db_(std::move(messages_db)),
      center_(std::move(center)), options_(std::move(options)), changes_(changes) {
    status_.name = sender_.name;
    // A first start takes the log's end as its cursor now, not when the thread
    // runs: the events made between the two are then sent, not skipped.
    try {
        Outbox cursors(messages_db_);
        const std::string key = "webhook:" + sender_.name;
        if (cursors.cursor(key)) return;
        if (auto log = open_log(events_db_)) cursors.set_cursor(key, last_seq(*log));
    } catch (const std::exception& e) {
        spdlog::warn("webhook {}: {} (the thread tries again)", sender_.name, e.what());
    }
}

WebhookThread::~WebhookThread() { stop(); }

void WebhookThread::start() {
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void WebhookThread::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void WebhookThread::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

WebhookStatus WebhookThread::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

bool WebhookThread::wait_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, d, [&] { return stopping_ || woken_; });
    woken_ = false;
    return !stopping_;
}

// One event until the receiver takes it: a receiver that is down holds the
// events behind it (order is kept), retried with backoff until it answers.
bool WebhookThread::deliver(int64_t seq, const std::string& body) {
    common::Backoff backoff(options_.retry_first, options_.retry_most, static_cast<uint64_t>(seq));
    for (;;) {
        const Delivery d = post_webhook(sender_, body, options_.now_ms(), "event-" + std::to_string(seq));
        if (d.outcome == Delivery::sent) return true;
        {
            std::lock_guard lock(mutex_);
            ++status_.failures;
            status_.last_error = d.error;
            changes_.bump();
        }
        if (backoff.failures() == 0) spdlog::warn("webhook {}: event {} not taken: {} (retrying)", sender_.name, seq, d.error);
        const auto delay = backoff.next();
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, delay, [&] { return stopping_; })) return false;
    }
}

// Reads the log after the cursor and delivers it in order; an error (the log
// locked, messages.db full) is logged and the round tried again after a while.
void WebhookThread::run() {
    const std::string key = "webhook:" + sender_.name;
    std::unique_ptr<Outbox> cursors;
    std::unique_ptr<sqlite::Database> log;
    std::optional<int64_t> cursor;
    common::Backoff trouble(options_.retry_first, options_.retry_most);
    for (;;) {
        try {
            if (!cursors) {
                cursors = std::make_unique<Outbox>(messages_db_);
                cursor = cursors->cursor(key);
            }
            if (!log) log = open_log(events_db_);
            if (log && !cursor) {
                cursor = last_seq(*log);  // first start: from now on
                cursors->set_cursor(key, *cursor);
            }
            if (!round(*cursors, log.get(), cursor, key)) return;
            trouble.reset();
        } catch (const std::exception& e) {
            spdlog::error("webhook {}: {}", sender_.name, e.what());
            {
                std::lock_guard lock(mutex_);
                status_.last_error = e.what();
                changes_.bump();
            }
            log.reset();
            cursors.reset();
            if (!wait_for(trouble.next())) return;
        }
    }
}

bool WebhookThread::round(Outbox& cursors, sqlite::Database* log, std::optional<int64_t>& cursor, const std::string& key) {
    const auto batch = log && cursor ? read_after(*log, *cursor, 100) : std::vector<StoredEvent>{};
    const int64_t end = log ? (batch.empty() ? last_seq(*log) : batch.back().seq) : 0;
    {
        std::lock_guard lock(mutex_);
        status_.cursor = cursor.value_or(0);
        status_.log_seq = std::max(status_.log_seq, end);
        if (batch.empty()) status_.log_seq = end;
        changes_.bump();
    }
    if (batch.empty()) {
        if (log && cursor && end < *cursor) {
            spdlog::warn("webhook {}: the log ends at {} but {} was sent (a restore?): going on from its end", sender_.name,
                         end, *cursor);
            cursor = end;
            cursors.set_cursor(key, end);
        }
        return wait_for(options_.poll);
    }
    for (const StoredEvent& e : batch) {
        if (!deliver(e.seq, webhook_body(center_, e.seq, e.at, e.day, e.type, e.json))) return false;
        cursor = e.seq;
        cursors.set_cursor(key, e.seq);
        std::lock_guard lock(mutex_);
        status_.cursor = e.seq;
        ++status_.sent;
        status_.last_error.clear();
        changes_.bump();
    }
    return true;
}

}  // namespace notify
