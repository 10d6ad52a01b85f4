// core: the queue server's state and request handling, without sockets.
//
// Everything runs on the one event-loop thread: a request is admitted by the
// route table (sender known and allowed, before its body is read), its
// handler turns it into an engine command, decided at once (so the next
// request already sees the result), and handed to the group-commit writer.
// The reply — and the broadcast to every WebSocket client — goes out only
// when the events are durable (durability.hpp); reads obey the same rule.
//
// Core owns the parts the handlers share: the engine, the accounts, the
// durability gate, the event hub, the bounded queues of blocking work, and
// the limits against guessing. Handlers live in *_routes.cpp, one file per
// role family; the transport (server.cpp) only turns HTTP into Request and
// Reply into HTTP. Tests and the fuzzer call handle() directly.
#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "api/auth.hpp"
#include "api/durability.hpp"
#include "api/event_hub.hpp"
#include "api/follow.hpp"
#include "api/follow_hub.hpp"
#include "api/identity.hpp"
#include "api/login_throttle.hpp"
#include "api/message_sink.hpp"
#include "api/metrics.hpp"
#include "api/public_limits.hpp"
#include "api/reply.hpp"
#include "api/routes.hpp"
#include "api/server_clock.hpp"
#include "api/web_files.hpp"
#include "api/work_queue.hpp"
#include "catalog/catalog.hpp"
#include "central/province.hpp"
#include "central/shipper.hpp"
#include "common/local_time.hpp"
#include "dossier/dossier_store.hpp"
#include "dossier/lookup_limits.hpp"
#include "engine/engine.hpp"
#include "feed/pull.hpp"
#include "store/store.hpp"

namespace api {

// The kinds of blocking work, each with its own bounded queue and threads.
enum class Work { logins, reports, imports };

class Core {
public:
    struct Executors {
        std::function<void(Task)> post;  // onto the event loop
        std::function<void()> fatal;     // once, if the disk fails
        // onto the event loop after a while (the followers' rounds); none: at once
        std::function<void(std::chrono::milliseconds, Task)> later;
    };

    // What became of a batch of dossier updates (a push or a pulled page).
    struct Ingested {
        int status = 200;   // 400: refused as malformed, 401: bad signature, 500: could not be saved
        std::string error;  // why, when status is not 200
        int applied = 0, duplicates = 0;
        bool more = false;   // a pulled page: the backend has another one ready
        std::string cursor;  // a pulled page: where it ends, saved with it
        std::vector<std::string> changed;
    };

    struct Options {
        PasswordCost password_cost;
        size_t replay_window = 10'000;                           // events kept for reconnecting clients
        std::function<int64_t()> clock = common::system_now_ms;  // wall clock, injected in tests
        std::function<int64_t()> monotonic = steady_now_ms;  // between events; injected in tests
        std::string timezone = "Asia/Ho_Chi_Minh";
        catalog::Catalog* catalog = nullptr;  // procedures for kiosks; none: those paths answer 404
        dossier::Store* dossiers = nullptr;   // dossier status; none: those paths answer 404
        std::string feed_secret;              // HMAC key of the dossier backend; empty: the feed is closed
        dossier::LookupLimits::Policy lookups;  // per device and per dossier code, against guessing
        LoginThrottle::Policy logins;           // per user and address, against guessing passwords
        const WebFiles* web = nullptr;        // the browser UI's files; none: only /api and /healthz
        std::filesystem::path stats_db;       // center.db, read for /api/stats; empty: 404
        std::optional<central::ReaderConfig> province;  // [central]: GET /api/province reads the province's database
        // Blocking work: threads and how many tasks may wait, per kind.
        size_t login_threads = 1, login_queue = 32;
        size_t report_threads = 1, report_queue = 8;
        size_t import_queue = 4;  // one thread: imports and feed batches, in order
        PhoneSettings phone;               // [phone]: public URL, late places, alert threshold
        MessageSink* messages = nullptr;   // the citizens' messages (notify); none: POST .../notify answers 409 no_sender
        PublicLimiter::Policy public_limits;  // the phones' routes: per client address and overall
        std::string identity_key;             // DATA/identity.key: who books, as keyed hashes; empty: a key for this run only
        IdentityDesk::Policy identity;        // one-time codes: lifetime, tries, how many an hour
    };

    // Rebuilds the state from the log and loads the accounts.
    Core(store::Store& store, Options options);
    ~Core();

    // Writes made before serving (config, demo seed) go straight to the store.
    std::optional<engine::Error> run_startup(const engine::Command& command);
    void add_user_now(const store::User& user);
    std::string add_device_now(const std::string& role, const std::string& name, int counter = 0);  // returns the token

    void start(Executors executors);  // starts the writer thread
    void stop();                      // flushes the writer, joins the work queues

    // The sender and the route, from the request line and headers alone.
    struct Admission {
        std::optional<Reply> refusal;  // answer this and read no body
        const Route* route = nullptr;
        std::vector<std::string> params;
        std::optional<Principal> who;
        size_t body_limit = 0;
        bool stream() const { return route && route->runs == Runs::stream; }
    };
    Admission admit(const Request& head);
    void dispatch(const Admission& admitted, Request request, Respond respond);  // once the body is read
    void handle(const Request& request, Respond respond);  // admit + dispatch, for tests and the fuzzer

    // The event stream: what the client missed after `since` (or a snapshot), then every new event.
    void subscribe(const std::shared_ptr<Subscriber>& s, const Principal& who, int64_t since);
    // An admitted WebSocket: the event stream, or one followed ticket's view (public_view.cpp).
    void open_stream(const Admission& admitted, const std::shared_ptr<Subscriber>& s, int64_t since);
    void unsubscribe(Subscriber* s) {
        hub_.unsubscribe(s);
        follow_.remove(s);
    }
    void drained(Subscriber* s) {
        hub_.drained(s);
        follow_.drained(s);
    }

    // A page the pull connector fetched: parsed and saved with its cursor in the background.
    feed::PullConnector::Sink pull_sink();
    std::string pull_cursor() const { return options_.dossiers ? options_.dossiers->cursor() : ""; }
    void set_pull_status(std::function<json()> status) { pull_status_ = std::move(status); }
    void set_central_status(std::function<central::ShipStatus()> status) { central_status_ = std::move(status); }
    void set_connection_counts(std::function<ConnectionCounts()> counts) { connection_counts_ = std::move(counts); }

    std::optional<Principal> authenticate(const std::string& token) const;
    void sweep();  // expired sessions: forgotten, their streams closed

    // ---- for the handlers (*_routes.cpp), on the loop
    const engine::Engine& engine() const { return engine_; }
    Auth& auth() { return auth_; }
    const Options& options() const { return options_; }
    const common::LocalCalendar& calendar() const { return calendar_; }
    Durability& durability() { return durability_; }
    EventHub& hub() { return hub_; }
    LoginThrottle& throttle() { return throttle_; }
    dossier::LookupLimits& lookups() { return lookups_; }
    int64_t wall_ms() const { return options_.clock(); }
    common::Instant now();  // the server's time: keeps moving when the wall clock steps back
    ServerClock::Status clock_status() const { return clock_.status(); }

    // Decides `command` now, replies with on_ok's answer (or the engine's error) once durable.
    void execute(const engine::Command& command, std::function<Reply(const engine::Outcome&)> on_ok, Respond respond,
                 const std::string& by = "");
    void reply_when_durable(Reply reply, Respond respond);
    // Runs `work` on the queue of its kind and answers on the loop; a full queue answers 503 at once.
    void offload(Work kind, std::function<Reply()> work, Respond respond);
    bool has_room(Work kind) const;
    WorkQueue& queue(Work kind);
    void post(Task task) { post_(std::move(task)); }
    void broadcast(const json& message);  // a notice outside the event log (no seq), to live clients
    json snapshot() const;  // the engine's, with who works at each counter, device states and the clock
    json snapshot_for(Role role) const;  // the same as `role` may see it (hall devices: device_view.hpp)
    json phone_settings_json() const;  // {public_url, display_qr}: in the snapshot and after a resume
    Reply ticket_reply(int64_t id, int status = 200) const;
    json ticket_json(const engine::Ticket& t) const;  // with its service's names
    IdentityDesk& identity() { return identity_; }     // the bookings' one-time codes and keyed hashes

    // ---- the citizens' phones (public_view.cpp; routes in public_routes.cpp)
    // Today's ticket a follow key names; null for a malformed, wrong or past day's key.
    const engine::Ticket* followed_ticket(const std::string& key);
    json public_view(const engine::Ticket& t) const;  // what its phone is shown (no one else's data)
    json public_view(const engine::Ticket& t, int ahead) const;
    json public_view(const engine::Ticket& t, int ahead, int est_wait_s) const;  // the estimate already made
    void refresh_follower(int64_t ticket);  // its view changed outside the log (a contact was added)
    std::map<int64_t, int>& message_ahead() { return message_ahead_; }  // the "N ahead" each contact chose
    size_t follower_count() const { return follow_.size(); }
    const PublicLimiter& public_limiter() const { return public_limits_; }
    void close_streams_if(const std::function<bool(const Principal&)>& ended) { hub_.close_if(ended); }

    // Dossier feeds (feed_routes.cpp).
    Ingested save_feed_body(const std::string& body, bool page);
    void finish_on_loop(Ingested r, std::function<void(const Ingested&)> done);
    struct FeedStats {
        int64_t requests = 0, refused = 0, bad_signatures = 0, applied = 0, duplicates = 0, last_ms = 0;
        std::string last_error;  // of a signed request: forged ones never overwrite it
    };
    FeedStats& feed_stats() { return feed_stats_; }
    json feed_status_json() const;

    // What kiosks say of their printers, and who last acted at each counter.
    struct DeviceReport {
        std::string role, printer, detail;
        int64_t at = 0;
    };
    std::map<std::string, DeviceReport>& device_reports() { return device_reports_; }

    // Figures for /metrics (metrics.cpp).
    int64_t durable_seq() const { return durability_.durable_seq(); }
    int64_t submitted_seq() const { return durability_.submitted_seq(); }
    store::WriterStats writer_stats() const { return durability_.stats(); }
    size_t subscriber_count() const { return hub_.size(); }
    std::string metrics_text() const;
    Respond timed_call(Respond respond);  // observes how long a call-next took

private:
    void published(const std::vector<engine::Event>& events);  // durable: to the hub and the figures
    void count_published(const engine::Event& e);
    void note_staff(const engine::Event& e);  // remembers who acted at a counter
    Admission authenticate_for(const Route& route, const Request& head, Admission a);
    void follow(const std::shared_ptr<Subscriber>& s, const engine::Ticket& t);
    void followers_after(const std::vector<engine::Event>& events);
    void watch_booking_deadlines();  // no-shows in a quiet hall too, once a minute
    bool deadline_watch_ = false;    // its next look is scheduled  // a batch: messages, and views soon after
    void update_named();             // the followed tickets the batches named, at once
    void schedule_round();           // everyone's places, at most once per kFollowRoundMs
    void run_round_slice();          // a slice of the round, then the next one posted
    void deliver_when_durable(std::vector<FollowHub::Delivery> deliveries);
    std::set<int64_t> follow_named_;  // followed tickets named by batches since update_named last ran
    bool follow_named_posted_ = false;
    bool follow_round_due_ = false;      // a round is scheduled, not started
    bool follow_round_running_ = false;  // its slices are under way
    bool follow_round_again_ = false;    // a batch came during it: another round after it
    bool follow_rebuild_all_ = false;  // the center changed since the last round: every view again
    bool follow_round_all_ = false;    // this round rebuilds every view
    FollowHub::Slice follow_slice_;
    int64_t follow_round_ms_ = INT64_MIN / 2;  // when the last round started (wall ms)

    store::Store& store_;
    Options options_;
    common::LocalCalendar calendar_;
    ServerClock clock_;
    engine::Engine engine_;
    Auth auth_;
    Durability durability_;
    EventHub hub_;
    FollowHub follow_;
    std::map<int64_t, int> message_ahead_;  // ticket → the "N ahead" its contact asked for (today)
    LoginThrottle throttle_;
    PublicLimiter public_limits_;
    dossier::LookupLimits lookups_;
    IdentityDesk identity_;
    std::unique_ptr<WorkQueue> logins_, reports_, imports_;
    std::function<void(Task)> post_;
    std::function<void(std::chrono::milliseconds, Task)> later_;
    int64_t last_sweep_ms_ = 0;
    FeedStats feed_stats_;
    std::function<json()> pull_status_;
    std::function<central::ShipStatus()> central_status_;
    std::function<ConnectionCounts()> connection_counts_;  // from the transport (server.cpp), for /metrics
    std::map<int, std::string> counter_staff_;            // counter → the user who last acted there
    std::map<std::string, DeviceReport> device_reports_;  // by device name
    std::map<std::string, uint64_t> issued_total_;        // tickets published since start, by service
    uint64_t calls_total_ = 0;
    Histogram call_seconds_{{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}};
};

}  // namespace api
