// notifier: decisions on the loop, storing and sending on the worker (see notifier.hpp).
#include "notify/notifier.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <list>
#include <map>

#include "common/backoff.hpp"
#include "common/local_time.hpp"
#include "notify/catch_up.hpp"
#include "notify/contact.hpp"
#include "notify/outbox.hpp"
#include "notify/transport.hpp"

namespace notify {
namespace {

using Steady = std::chrono::steady_clock;

Options with_defaults(Options o) {
    if (!o.now_ms) o.now_ms = [] { return common::system_now_ms(); };
    auto calendar = std::make_shared<common::LocalCalendar>(o.timezone);
    auto now = o.now_ms;
    if (!o.today) o.today = [calendar, now] { return calendar->at(now()).day; };
    if (!o.local_now) o.local_now = [calendar, now] { return calendar->at(now()); };
    return o;
}

std::string recipient(const Message& m) { return m.phone.empty() ? mask_email(m.email) : mask_phone(m.phone); }

}  // namespace

// The worker's own state: its connection and the messages not yet sent.
struct Notifier::Worker {
    struct Item {
        Pending p;
        Steady::time_point next_at;
        common::Backoff backoff;
    };
    Outbox db;
    std::list<Item> items;
    std::map<int64_t, ReminderRow> reminders;  // by booking
    int32_t forgotten_before = 0;
    Options& options;

    Worker(const std::filesystem::path& file, const std::filesystem::path& events_db, Options& o) : db(file), options(o) {
        for (auto& p : db.unsent()) add(std::move(p));
        for (auto& r : db.reminders()) reminders.emplace(r.r.booking, std::move(r));
        const auto missed = db.add(missed_calls(events_db, db.contacts(options.today()), options.now_ms()), 0);
        for (const auto& m : missed) add({m, 0, 0});
        if (!missed.empty()) spdlog::warn("messages: {} call messages caught up from the log after a stop", missed.size());
    }
    void add(Pending p) {
        const uint64_t seed = std::hash<std::string>{}(p.message.id);
        items.push_back({std::move(p), Steady::now(), common::Backoff(options.retry_first, options.retry_most, seed)});
    }
    void forget_before(int32_t day) {
        if (day <= forgotten_before) return;
        const int64_t gone = db.forget_before(day);
        items.remove_if([&](const Item& i) { return i.p.message.day < day; });
        std::erase_if(reminders, [&](const auto& r) { return r.second.r.day < day; });
        forgotten_before = day;
        if (gone) spdlog::info("messages: contacts and messages of days before {} deleted ({} rows)", day, gone);
    }
    void keep_reminder(ReminderRow row) {
        skip_near(row, options.local_now());
        db.put_reminder(row);
        reminders[row.r.booking] = std::move(row);
    }
    void booking_changed(const BookingChanged& c) {
        const auto it = reminders.find(c.booking);
        if (it == reminders.end()) return;
        if (!c.moved) {
            db.drop_reminder(c.booking);
            reminders.erase(it);
            return;
        }
        ReminderRow row = it->second;
        row.r.day = c.day;
        row.r.start_minute = c.start_minute;
        row.r.end_minute = c.end_minute;
        keep_reminder(std::move(row));
    }
    // The reminders due now go to the outbox; their rows remember it.
    void send_due_reminders(const std::string& center) {
        const common::Instant now = options.local_now();
        for (auto& [booking, row] : reminders) {
            const ReminderRow before = row;
            auto messages = due_reminders(row, now, center);
            for (auto& m : db.add(messages, 0)) add({std::move(m), 0, 0});
            if (row.day_before_done != before.day_before_done || row.hour_before_done != before.hour_before_done) db.put_reminder(row);
        }
    }
    Item* due() {
        Item* best = nullptr;
        for (auto& i : items)
            if (i.next_at <= Steady::now() && (!best || i.next_at < best->next_at)) best = &i;
        return best;
    }
    Steady::time_point next_wake() const {
        auto at = Steady::now() + std::chrono::minutes(1);  // at least once a minute: has the day changed?
        for (const auto& i : items) at = std::min(at, i.next_at);
        return at;
    }
};

Notifier::Notifier(const std::filesystem::path& data_dir, const std::filesystem::path& events_db,
                   const nlohmann::json& phone_table, std::string center_name, Options options)
    : Notifier(data_dir, events_db, parse_senders(phone_table), std::move(center_name), std::move(options)) {}

Notifier::Notifier(const std::filesystem::path& data_dir, const std::filesystem::path& events_db, Senders senders,
                   std::string center_name, Options options)
    : file_(data_dir / "messages.db"), events_db_(events_db), senders_(std::move(senders)), center_(std::move(center_name)),
      options_(with_defaults(std::move(options))), decider_(center_) {
    Outbox db(file_);
    last_seq_ = log_end(events_db_);
    const int32_t today = options_.today();
    db.forget_before(today);
    for (const auto& c : db.contacts(today)) decider_.watch(c.sub, c.ahead_done);
    for (const auto& w : senders_.webhooks)
        webhooks_.push_back(std::make_unique<WebhookThread>(w, events_db, file_, center_, options_, changes_));
}

Notifier::~Notifier() { stop(); }

void Notifier::start() {
    if (thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
        busy_ = true;  // wait_idle waits for the worker's first round
    }
    thread_ = std::thread([this] { run(); });
    for (auto& w : webhooks_) w->start();
}

void Notifier::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    for (auto& w : webhooks_) w->stop();
}

bool Notifier::can_send(bool email) const { return email ? !senders_.email.empty() : !senders_.phone.empty(); }

void Notifier::subscribe(const api::Subscription& s) {
    int64_t since = 0;
    {
        std::lock_guard lock(decide_mutex_);
        decider_.watch(s);
        since = last_seq_;
    }
    spdlog::info("messages: ticket {} ({}) will be told at {} ahead, at {}", s.ticket, s.number, s.ahead,
                 s.phone.empty() ? mask_email(s.email) : mask_phone(s.phone));
    push(Subscribed{s, since});
    changes_.bump();
}

std::optional<std::string> Notifier::masked_contact(int64_t ticket) const {
    std::lock_guard lock(decide_mutex_);
    const api::Subscription* s = decider_.find(ticket);
    if (!s) return std::nullopt;
    return s->phone.empty() ? mask_email(s->email) : mask_phone(s->phone);
}

// Through the outbox like the queue's messages (sent once, retried, forgotten
// with its day), under an id of its own: no event decided it.
void Notifier::send_text(const std::string& phone, int32_t day, const std::string& text_vi, const std::string& text_en) {
    unsigned char id[8];
    randombytes_buf(id, sizeof id);
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    Message m;
    m.id = std::to_string(day) + "-text-" + hex;
    m.day = day;
    m.kind = "text";
    m.phone = phone;
    m.text = text_vi;
    m.text_en = text_en;
    m.subject = text_vi;
    m.created_at = options_.now_ms();
    push(Decided{{std::move(m)}, 0});
}

void Notifier::remind(const api::Reminder& r) {
    spdlog::info("messages: booking {} will be reminded at {}", r.booking, mask_phone(r.phone));
    push(Reminded{r});
}

void Notifier::look_now() { push(Look{}); }

namespace {

// What a batch did to bookings that may have reminders: each a job for the worker.
template <class Job, class Changed>
void booking_changes(const std::vector<engine::Event>& events, std::vector<Job>& out) {
    for (const auto& e : events) {
        if (const auto* m = std::get_if<engine::BookingMoved>(&e.body))
            out.push_back(Changed{m->booking, true, m->day, m->start_minute, m->end_minute});
        else if (const auto* c = std::get_if<engine::BookingCancelled>(&e.body))
            out.push_back(Changed{c->booking});
        else if (const auto* in = std::get_if<engine::BookingCheckedIn>(&e.body))
            out.push_back(Changed{in->booking});
        else if (const auto* n = std::get_if<engine::BookingNoShow>(&e.body))
            out.push_back(Changed{n->booking});
    }
}

}  // namespace

void Notifier::on_durable(const engine::State& state, const std::vector<engine::Event>& events) {
    if (events.empty()) return;
    std::vector<Job> changed;
    booking_changes<Job, BookingChanged>(events, changed);
    for (auto& job : changed) push(std::move(job));
    Decider::Result r;
    {
        std::lock_guard lock(decide_mutex_);
        r = decider_.decide(state, events, options_.now_ms());
        last_seq_ = events.back().seq;
    }
    if (r.day_opened) push(DayClosed{*r.day_opened});
    if (!r.messages.empty()) push(Decided{std::move(r.messages), events.back().seq});
    for (auto& w : webhooks_) w->wake();
    changes_.bump();
}

void Notifier::push(Job job) {
    {
        std::lock_guard lock(mutex_);
        if (jobs_.size() >= options_.queue_limit) {
            ++stats_.dropped;
            spdlog::error("messages: the worker's queue is full ({} jobs): one dropped", jobs_.size());
            return;
        }
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
}

bool Notifier::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return idle_.wait_for(lock, timeout, [&] { return jobs_.empty() && !busy_ && !stats_.due; });
}

bool Notifier::wait_status(const std::function<bool(const nlohmann::json&)>& done, std::chrono::milliseconds timeout) const {
    const auto deadline = Steady::now() + timeout;
    for (;;) {
        const uint64_t seen = changes_.count();  // taken before the look: a change during it wakes the wait
        if (done(status())) return true;
        if (!changes_.wait_past(seen, deadline)) return done(status());
    }
}

nlohmann::json Notifier::status() const {
    nlohmann::json hooks = nlohmann::json::array();
    bool alert = false;
    for (const auto& w : webhooks_) {
        const WebhookStatus s = w->status();
        const int64_t behind = std::max<int64_t>(0, s.log_seq - s.cursor);
        alert = alert || (behind > 0 && !s.last_error.empty());
        hooks.push_back({{"name", s.name}, {"cursor", s.cursor}, {"log_seq", s.log_seq}, {"behind", behind},
                         {"sent", s.sent}, {"failures", s.failures}, {"last_error", s.last_error}});
    }
    size_t contacts = 0;
    {
        std::lock_guard lock(decide_mutex_);
        contacts = decider_.size();
    }
    std::lock_guard lock(mutex_);
    const int64_t age = stats_.oldest_unsent_at ? std::max<int64_t>(0, options_.now_ms() - stats_.oldest_unsent_at) / 1000 : 0;
    // A message held more than two minutes, or any dropped: someone should look at the gateway.
    alert = alert || age > 120 || stats_.dropped > 0;
    return {{"queued", stats_.queued + static_cast<int64_t>(jobs_.size())}, {"sent", stats_.sent}, {"refused", stats_.refused},
            {"failed_attempts", stats_.failed_attempts}, {"last_error", stats_.last_error}, {"oldest_unsent_age_s", age},
            {"dropped", stats_.dropped}, {"contacts", contacts}, {"alert", alert}, {"webhooks", hooks}};
}

namespace {

// One attempt at one message with its current sender; updates the item and the file.
enum class Step { sent, retry, next_sender, refused };

}  // namespace

void Notifier::run() {
    std::unique_ptr<Worker> w;
    try {
        w = std::make_unique<Worker>(file_, events_db_, options_);
    } catch (const std::exception& e) {
        spdlog::error("messages: cannot open {}: {}", file_.string(), e.what());
        std::lock_guard lock(mutex_);
        stats_.last_error = e.what();
        changes_.bump();
        return;
    }
    auto publish = [&] {  // after each round: what it sent, failed or queued shows in status()
        const OutboxCounts c = w->db.counts();
        std::lock_guard lock(mutex_);
        stats_.queued = c.unsent;
        stats_.oldest_unsent_at = c.oldest_unsent_at;
        stats_.due = w->due() != nullptr;
        changes_.bump();
    };
    auto apply = [&](Job& job) {
        if (auto* s = std::get_if<Subscribed>(&job)) {
            w->db.put_contact(s->sub, s->since_seq);
        } else if (auto* d = std::get_if<Decided>(&job)) {
            for (auto& m : w->db.add(d->messages, d->seq)) w->add({std::move(m), 0, 0});
        } else if (auto* r = std::get_if<Reminded>(&job)) {
            w->keep_reminder({r->r});
        } else if (auto* c = std::get_if<BookingChanged>(&job)) {
            w->booking_changed(*c);
        } else if (auto* closed = std::get_if<DayClosed>(&job)) {
            w->forget_before(closed->day);
        }
    };
    auto attempt = [&](Worker::Item& item) {
        Message& m = item.p.message;
        const auto& channel = m.phone.empty() ? senders_.email : senders_.phone;
        if (item.p.sender >= static_cast<int>(channel.size())) {
            w->db.mark_refused(m.id, "no sender for this kind of contact");
            return Step::refused;
        }
        const MessageSender& sender = channel[item.p.sender];
        const Delivery d = send(sender, m, options_.now_ms());
        if (d.outcome == Delivery::sent) {
            w->db.mark_sent(m.id, options_.now_ms());
            spdlog::info("messages: {} to {} sent by {}", m.id, recipient(m), sender_name(sender));
            return Step::sent;
        }
        {
            std::lock_guard lock(mutex_);
            ++stats_.failed_attempts;
            stats_.last_error = d.error;
        }
        if (d.outcome == Delivery::refused) {
            spdlog::warn("messages: {} to {} refused: {}", m.id, recipient(m), d.error);
            if (item.p.sender + 1 < static_cast<int>(channel.size())) {
                ++item.p.sender;
                item.p.attempts = 0;
                item.backoff.reset();
                w->db.mark_attempt(m.id, item.p.sender, 0, d.error);
                return Step::next_sender;
            }
            w->db.mark_refused(m.id, d.error);
            return Step::refused;
        }
        ++item.p.attempts;
        item.next_at = Steady::now() + item.backoff.next();
        w->db.mark_attempt(m.id, item.p.sender, item.p.attempts, d.error);
        if (item.p.attempts == 1) spdlog::warn("messages: {} to {} not sent yet: {} (retrying)", m.id, recipient(m), d.error);
        return Step::retry;
    };

    publish();
    for (;;) {
        std::deque<Job> jobs;
        {
            std::unique_lock lock(mutex_);
            if (jobs_.empty() && !stopping_ && !w->due()) {
                busy_ = false;
                stats_.due = false;
                idle_.notify_all();
                const auto until = w->next_wake();
                wake_.wait_until(lock, until, [&] { return stopping_ || !jobs_.empty(); });
            }
            jobs.swap(jobs_);
            busy_ = true;
        }
        try {
            for (auto& job : jobs) apply(job);
            w->forget_before(options_.today());
            w->send_due_reminders(center_);
            bool stopping;
            {
                std::lock_guard lock(mutex_);
                stopping = stopping_;
            }
            if (stopping) break;
            if (Worker::Item* item = w->due()) {
                const Step s = attempt(*item);
                if (s == Step::sent || s == Step::refused) {
                    std::lock_guard lock(mutex_);
                    ++(s == Step::sent ? stats_.sent : stats_.refused);
                }
                if (s == Step::sent || s == Step::refused)
                    w->items.remove_if([&](const Worker::Item& i) { return &i == item; });
            }
            publish();
        } catch (const std::exception& e) {
            // A full disk or a locked file: keep what is in memory, say so, try again in a while.
            spdlog::error("messages: {}", e.what());
            std::unique_lock lock(mutex_);
            stats_.last_error = e.what();
            changes_.bump();
            wake_.wait_for(lock, options_.retry_first, [&] { return stopping_; });
        }
    }
    std::lock_guard lock(mutex_);
    busy_ = false;
    idle_.notify_all();
}

}  // namespace notify
