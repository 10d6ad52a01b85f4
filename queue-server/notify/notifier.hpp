// notifier: the citizens' messages — "your turn is near" and "please go to
// counter 3" by SMS/Zalo gateway, e-mail or file — and the signed webhooks of
// every queue event. It is the server's api::MessageSink.
//
// Threads: subscribe, masked_contact and on_durable run on the server's event
// loop and only touch memory: they decide (notify/decide.hpp) and hand jobs to
// the worker through a bounded queue. The worker alone writes messages.db and
// sends; each webhook has a thread of its own. A gateway that is down or hangs
// costs the worker a timeout and a retry, never the queue.
//
// Guarantees: a message is inserted once under its stable id, sent until a
// sender takes it (2xx), marked sent, and never sent again, across restarts;
// the id goes with it as an Idempotency-Key (and as the e-mail's Message-ID),
// so a crash between the send and the mark is dropped by the gateway.
//
// Wiring (api/app.cpp):
//   notify::Notifier n(data_dir, data_dir / "center.db", config_json["phone"], center.name,
//                      {.timezone = center.timezone});
//   n.start();  ... core.set_message_sink(&n) ...  n.stop() before the core goes.
#pragma once
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <variant>

#include "api/message_sink.hpp"
#include "notify/decide.hpp"
#include "notify/options.hpp"
#include "notify/senders_config.hpp"
#include "notify/status_changes.hpp"
#include "notify/webhook.hpp"

namespace notify {

class Notifier : public api::MessageSink {
public:
    // Reads the senders of the [phone] table (throws ConfigError), opens or makes
    // DATA/messages.db (0600), forgets the contacts of days before today and
    // takes today's back. events_db: the server's center.db, read for webhooks.
    Notifier(const std::filesystem::path& data_dir, const std::filesystem::path& events_db, const nlohmann::json& phone_table,
             std::string center_name, Options options = {});
    Notifier(const std::filesystem::path& data_dir, const std::filesystem::path& events_db, Senders senders,
             std::string center_name, Options options = {});
    ~Notifier() override;  // stops
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    void start();
    // Applies the jobs already queued, ends the send in progress (bounded by its timeout), joins.
    void stop();

    bool can_send(bool email) const override;
    void subscribe(const api::Subscription& s) override;
    std::optional<std::string> masked_contact(int64_t ticket) const override;
    void send_text(const std::string& phone, int32_t day, const std::string& text_vi, const std::string& text_en) override;
    void remind(const api::Reminder& r) override;
    void on_durable(const engine::State& state, const std::vector<engine::Event>& events) override;

    // {"queued", "sent", "refused", "failed_attempts", "last_error", "oldest_unsent_age_s", "dropped",
    //  "contacts", "alert", "webhooks": [{"name", "cursor", "log_seq", "behind", "sent", "failures", "last_error"}]}
    // Cheap (memory only): the dashboard and /metrics may ask often.
    nlohmann::json status() const override;
    // Until every job queued so far is applied and no message is due now (tests; a clean stop).
    bool wait_idle(std::chrono::milliseconds timeout);
    // Until `done(status())` holds, looked at again after each change of the
    // status (a counter the tests watch, a webhook's cursor); false when `timeout`
    // passes first. The age of the oldest unsent message moves with the clock,
    // not by a change: a wait on it alone is woken only by other changes.
    bool wait_status(const std::function<bool(const nlohmann::json&)>& done, std::chrono::milliseconds timeout) const;

    // The clock moved: the worker looks at the reminders now, not at its next minute (tests).
    void look_now();

    const std::filesystem::path& file() const { return file_; }

private:
    struct Subscribed {
        api::Subscription sub;
        int64_t since_seq = 0;
    };
    struct DayClosed {
        int32_t day = 0;
    };
    struct Decided {
        std::vector<Message> messages;
        int64_t seq = 0;
    };
    struct Reminded {
        api::Reminder r;
    };
    struct BookingChanged {  // moved (to its new slot), or else done with: cancelled, checked in, missed
        int64_t booking = 0;
        bool moved = false;
        int32_t day = 0;
        int start_minute = 0, end_minute = 0;
    };
    struct Look {};
    using Job = std::variant<Subscribed, Decided, DayClosed, Reminded, BookingChanged, Look>;
    struct Worker;

    void push(Job job);
    void run();

    std::filesystem::path file_, events_db_;
    Senders senders_;
    std::string center_;
    Options options_;

    mutable std::mutex decide_mutex_;  // the loop thread's, and masked_contact's from anywhere
    Decider decider_;
    int64_t last_seq_ = 0;  // the last event seen: a new subscription hears the calls after it

    mutable std::mutex mutex_;  // jobs, stats, the worker's state
    std::condition_variable wake_, idle_;
    std::deque<Job> jobs_;
    bool stopping_ = false, busy_ = false;
    struct Stats {
        int64_t queued = 0, sent = 0, refused = 0, failed_attempts = 0, dropped = 0, oldest_unsent_at = 0;
        bool due = false;
        std::string last_error;
    } stats_;
    std::thread thread_;
    StatusChanges changes_;  // before webhooks_: their threads bump it until they are joined
    std::vector<std::unique_ptr<WebhookThread>> webhooks_;
};

}  // namespace notify
