// core: the queue server's request handling, without sockets.
//
// Everything runs on the one event-loop thread: a request is routed, checked
// against the caller's role, turned into an engine command, decided at once
// (so the next request already sees the result), and handed to the group-commit
// writer. The reply — and the broadcast to every WebSocket subscriber — goes out
// only when the writer says the events are durable.
//
// Reads obey the same rule: a reply shows state at some seq and waits until that
// seq is on disk, so nobody ever sees a ticket that a crash could take back.
//
// The transport (server.cpp) turns HTTP into Request and Reply into HTTP; tests
// and the fuzzer call handle() directly.
#pragma once
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "auth.hpp"
#include "web_files.hpp"
#include "catalog.hpp"
#include "dossier_store.hpp"
#include "codec.hpp"
#include "common/json_reader.hpp"
#include "common/local_time.hpp"
#include "engine.hpp"
#include "metrics.hpp"
#include "pull.hpp"
#include "shipper.hpp"
#include "store.hpp"
#include "writer.hpp"

namespace stats {
class Stats;
}

namespace api {

using json = nlohmann::json;

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // "/api/tickets/12/finish?x=1"
    std::string body;
    std::string token;   // from "Authorization: Bearer ..." or ?token=
    std::string signature, timestamp;  // X-Signature, X-Timestamp: the dossier backend's feed
};

struct Reply {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::string cache_control = "no-store";  // answers are live state; only built UI assets are cached
};

using Respond = std::function<void(Reply)>;
using Task = std::function<void()>;

// A WebSocket client as the core sees it: something to send event texts to.
class Subscriber {
public:
    virtual ~Subscriber() = default;
    virtual void send(std::shared_ptr<const std::string> text) = 0;
};

// Replies and checks the handlers share (core.cpp, admin.cpp).
Reply error_reply(int status, const std::string& code, const std::string& message);
Reply ok_json(const json& j, int status = 200);
Reply unauthorized_reply();
Reply forbidden_reply(const std::string& role);
std::string dump(const json& j);  // never throws: bytes that are not UTF-8 become U+FFFD
bool is_manager(const Principal& p);
// A text field a person typed: valid UTF-8, stored NFC, at most `max_chars` characters.
std::string text_field(const common::JsonReader& r, const char* key, size_t max_chars, const std::string& fallback = "");

class Core {
public:
    // Where work runs; Core::start gets them once the loop exists.
    struct Executors {
        std::function<void(Task)> post;        // onto the event loop
        std::function<void(Task)> offload;     // CPU work that may overlap other work (Argon2id)
        std::function<void(Task)> background;  // imports and feeds: one at a time, in order
        std::function<void()> fatal;           // once, if the disk fails
    };

    // What became of a batch of dossier updates (a push or a pulled page).
    struct Ingested {
        int status = 200;   // 400: refused as malformed, 500: could not be saved
        std::string error;  // why, when status is not 200
        int applied = 0, duplicates = 0;
        bool more = false;   // a pulled page: the backend has another one ready
        std::string cursor;  // a pulled page: where it ends, saved with it
        std::vector<std::string> changed;
    };

    struct Options {
        PasswordCost password_cost;
        size_t replay_window = 10'000;                        // events kept for reconnecting clients
        std::function<int64_t()> clock = common::system_now_ms;  // injected in tests
        std::string timezone = "Asia/Ho_Chi_Minh";
        catalog::Catalog* catalog = nullptr;  // procedures for kiosks; none: those paths answer 404
        dossier::Store* dossiers = nullptr;   // dossier status; none: those paths answer 404
        std::string feed_secret;              // HMAC key of the dossier backend; empty: the feed is closed
        int lookups_per_minute = 10;          // per device or user, against guessing codes
        const WebFiles* web = nullptr;        // the browser UI's files; none: only /api and /healthz
        std::filesystem::path stats_db;       // center.db, read for /api/stats; empty: 404
        std::string central_conninfo;  // [central]: GET /api/province reads the province's database
    };

    // Rebuilds the state from the log and loads the accounts.
    Core(store::Store& store, Options options);
    ~Core();

    // Writes made before serving (config, demo seed) go straight to the store.
    std::optional<engine::Error> run_startup(const engine::Command& command);
    void add_user_now(const store::User& user);
    std::string add_device_now(const std::string& role, const std::string& name, int counter = 0);  // returns the token

    // Starts the writer thread.
    void start(Executors executors);
    void stop();  // flushes the writer

    void handle(const Request& request, Respond respond);

    // A page the pull connector fetched: parsed and saved with its cursor in the
    // background; `done` runs on the loop.
    void take_pulled_page(std::string body, std::function<void(const Ingested&)> done);
    feed::PullConnector::Sink pull_sink();  // take_pulled_page, as the connector calls it
    std::string pull_cursor() const { return options_.dossiers ? options_.dossiers->cursor() : ""; }
    // What GET /api/admin/feed shows of the pull connector, when there is one.
    void set_pull_status(std::function<json()> status) { pull_status_ = std::move(status); }
    void set_central_status(std::function<central::ShipStatus()> status) { central_status_ = std::move(status); }

    std::optional<Principal> authenticate(const std::string& token) const;
    // Sends what the subscriber missed after `since` (or a snapshot), then every new event.
    void subscribe(const std::shared_ptr<Subscriber>& s, int64_t since);
    void unsubscribe(Subscriber* s);

    const engine::Engine& engine() const { return engine_; }
    int64_t durable_seq() const { return durable_seq_; }
    int64_t submitted_seq() const { return submitted_seq_; }
    store::WriterStats writer_stats() const;
    size_t subscriber_count() const { return subscribers_.size(); }
    // GET /metrics: the Prometheus text (metrics.cpp). On the loop.
    std::string metrics_text() const;

private:
    void count_published(const engine::Event& e);
    Respond timed_call(Respond respond);  // observes how long the answer took
    struct Route;
    struct Sub {
        std::weak_ptr<Subscriber> who;
        int64_t last_sent = 0;
        bool live = false;
    };

    common::Instant now();
    void execute(const engine::Command& command, std::function<Reply(const engine::Outcome&)> on_ok, Respond respond,
                 const std::string& by = "");
    json snapshot() const;                  // the engine's, with who works at each counter and device states
    void note_staff(const engine::Event& e);  // remembers who acted at a counter
    void persist(std::vector<engine::Event> events);
    void after_durable(int64_t seq, Task task);
    void reply_when_durable(Reply reply, Respond respond);  // once the state it shows is on disk
    void fail_stop();
    void publish(const std::vector<engine::Event>& events);
    void send_snapshot(Sub& sub, Subscriber& s);

    void login(const json& body, Respond respond);
    void logout(const Request& request, Respond respond);
    void issue_ticket(const Principal& p, const json& body, Respond respond);
    void counter_verb(const Principal& p, int counter, const std::string& verb, Respond respond);
    void ticket_action(const Principal& p, int64_t ticket, const std::string& action, const json& body, Respond respond);
    // admin.cpp: accounts, devices and the center, for admins; device reports.
    bool admin_request(const std::string& method, const std::vector<std::string>& parts, const json& body, Respond& respond);
    void add_user(const json& body, Respond respond);
    void change_user(const std::string& name, const json& body, Respond respond);
    void delete_user(const std::string& name, Respond respond);
    void end_sessions(const std::string& name, Respond respond);
    json users_json() const;
    void add_device(const json& body, Respond respond);
    void revoke_device(const std::string& id, Respond respond);
    json devices_json() const;
    void configure(const json& body, Respond respond);
    void device_status(const Principal& who, const json& body, Respond respond);
    void rate_ticket(const Principal& who, int64_t ticket, const json& body, Respond respond);
    void tickets_export(const Request& req, const std::map<std::string, std::string>& query, Respond& respond);
    bool stats_get(const Request& req, Respond& respond);
    void read_stats(const std::string& what, std::function<Reply(stats::Stats&)> read, Respond respond);
    bool catalog_request(const Request& request, const std::vector<std::string>& parts,
                         const std::map<std::string, std::string>& query, Respond& respond);
    void import_catalog(std::string body, Respond respond);
    void export_catalog(Respond respond);
    void broadcast(const json& message);  // a notice outside the event log (no seq), to live subscribers
    bool dossier_request(const Request& request, const std::vector<std::string>& parts,
                         const std::map<std::string, std::string>& query, Respond& respond);
    void feed_dossiers(const Request& request, Respond respond);
    Ingested save_feed_body(const std::string& body, bool page);
    void finish_on_loop(Ingested r, std::function<void(const Ingested&)> done);
    void announce_dossiers(const std::vector<std::string>& codes);
    bool manager_get(const Request& req, Respond& respond);
    void feed_status(const Request& request, Respond& respond);
    void stats_request(const Request& req, const std::map<std::string, std::string>& query, Respond& respond);
    void province_request(const Request& req, const std::map<std::string, std::string>& query, Respond& respond);
    void count_push(const Ingested& r);
    void look_up_dossier(const Principal& who, const std::string& code, const std::string& check, Respond respond);
    Reply ticket_reply(int64_t id, int status = 200) const;
    void write_job(store::Writer::Job job, Task then);

    store::Store& store_;
    Options options_;
    common::LocalCalendar calendar_;
    engine::Engine engine_;
    Auth auth_;
    std::unique_ptr<store::Writer> writer_;
    std::function<void(Task)> post_, offload_, background_;
    std::function<void()> fatal_;
    std::string dummy_hash_;  // verified against for unknown users, so timing tells nothing
    bool failed_ = false;
    int64_t last_ms_ = 0;
    int64_t durable_seq_ = 0;
    int64_t submitted_seq_ = 0;
    std::multimap<int64_t, Task> waiting_;                  // replies waiting for durability
    std::deque<std::pair<int64_t, std::shared_ptr<const std::string>>> recent_;  // published events
    std::map<Subscriber*, Sub> subscribers_;
    struct Bucket {
        double tokens = 0;
        int64_t at = 0;
    };
    std::map<std::string, Bucket> lookup_buckets_;  // by role:name: dossier lookups left
    struct PushStats {
        int64_t requests = 0, refused = 0, applied = 0, duplicates = 0, last_ms = 0;
        std::string last_error;
    } push_stats_;  // signed requests that reached the checks of the body
    std::function<json()> pull_status_;
    std::function<central::ShipStatus()> central_status_;
    std::map<int, std::string> counter_staff_;  // counter → the user who last acted there
    struct DeviceReport {
        std::string role, printer, detail;
        int64_t at = 0;
    };
    std::map<std::string, DeviceReport> device_reports_;  // by device name: what kiosks say of their printers
    std::map<std::string, uint64_t> issued_total_;          // tickets published since start, by service
    uint64_t calls_total_ = 0;
    Histogram call_seconds_{{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}};
};

}  // namespace api
