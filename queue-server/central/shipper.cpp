// shipper: tickets view → central PostgreSQL, cursor and rows in one transaction (see shipper.hpp).
#include "central/shipper.hpp"

#include <pqxx/pqxx>
#include <set>
#include <spdlog/spdlog.h>

#include "common/backoff.hpp"
#include "sqlite/sqlite.hpp"
#include "stats/stats.hpp"

namespace central {
namespace {

// The central schema, made by the first center that ships. One advisory lock
// keeps two centers starting at once from racing on CREATE.
const char* const kSchema = R"sql(
SELECT pg_advisory_xact_lock(727001);
CREATE TABLE IF NOT EXISTS centers (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    level       text NOT NULL,
    timezone    text NOT NULL,
    shipped_seq bigint NOT NULL DEFAULT 0,
    shipped_id  bigint NOT NULL DEFAULT 0,
    shipped_at  timestamptz,
    origin      text NOT NULL DEFAULT ''  -- the first event of the center's log: which log ships as this code
);
CREATE TABLE IF NOT EXISTS tickets (
    center text NOT NULL REFERENCES centers(code),
    id bigint NOT NULL,
    day integer NOT NULL,
    number text NOT NULL,
    service text NOT NULL,
    issued_service text NOT NULL,
    category text NOT NULL,
    priority boolean NOT NULL,
    source text NOT NULL,
    state text NOT NULL,
    counter integer,
    issued_at bigint NOT NULL,
    first_called_at bigint,
    started_at bigint,
    finished_at bigint,
    recalls integer NOT NULL,
    transfers integer NOT NULL,
    people_ahead integer NOT NULL,
    est_wait_s integer NOT NULL,
    staff text,
    rating integer,
    updated_seq bigint NOT NULL,
    PRIMARY KEY (center, id)
);
CREATE INDEX IF NOT EXISTS tickets_center_day ON tickets(center, day);
CREATE TABLE IF NOT EXISTS daily (
    center text NOT NULL REFERENCES centers(code),
    day integer NOT NULL,
    service text NOT NULL,           -- '' is the whole center
    issued integer NOT NULL, called integer NOT NULL, served integer NOT NULL,
    no_show integer NOT NULL, cancelled integer NOT NULL,
    wait_avg_s double precision NOT NULL, wait_median_s double precision NOT NULL,
    wait_p90_s double precision NOT NULL, service_avg_s double precision NOT NULL,
    within_target double precision NOT NULL,
    rated integer NOT NULL, rated_good integer NOT NULL, rated_bad integer NOT NULL,
    PRIMARY KEY (center, day, service)
);
)sql";

const char* const kUpsertTicket = R"sql(
INSERT INTO tickets(center, id, day, number, service, issued_service, category, priority, source, state, counter,
                    issued_at, first_called_at, started_at, finished_at, recalls, transfers, people_ahead, est_wait_s,
                    staff, rating, updated_seq)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
ON CONFLICT (center, id) DO UPDATE SET
    day = excluded.day, number = excluded.number, service = excluded.service, state = excluded.state,
    counter = excluded.counter, first_called_at = excluded.first_called_at, started_at = excluded.started_at,
    finished_at = excluded.finished_at, recalls = excluded.recalls, transfers = excluded.transfers,
    staff = excluded.staff, rating = excluded.rating, updated_seq = excluded.updated_seq
WHERE tickets.updated_seq <= excluded.updated_seq
)sql";

const char* const kSelectChanged = R"sql(
SELECT id, day, number, service, issued_service, category, priority, source, state, counter, issued_at,
       first_called_at, started_at, finished_at, recalls, transfers, people_ahead, est_wait_s, staff, rating, updated_seq
FROM tickets WHERE (updated_seq, id) > (?1, ?2) ORDER BY updated_seq, id LIMIT ?3
)sql";

struct Cursor {
    int64_t seq = 0, id = 0;
};

std::optional<int64_t> nullable(const sqlite::Statement& q, int col) {
    return q.null_at(col) ? std::nullopt : std::optional<int64_t>(q.int_at(col));
}
std::optional<std::string> nullable_text(const sqlite::Statement& q, int col) {
    return q.null_at(col) ? std::nullopt : std::optional<std::string>(q.text_at(col));
}

}  // namespace

struct Shipper::Impl {
    std::filesystem::path db_path;
    ShipConfig config;
    sqlite::Database local;
    std::unique_ptr<pqxx::connection> pg;

    Impl(std::filesystem::path p, ShipConfig c)
        : db_path(std::move(p)), config(std::move(c)), local(db_path.string(), SQLITE_OPEN_READONLY) {}

    pqxx::connection& connect() {
        if (pg && pg->is_open()) return *pg;
        pg = std::make_unique<pqxx::connection>(config.conninfo);
        pqxx::work tx(*pg);
        tx.exec(kSchema);
        tx.commit();
        pg->prepare("upsert_ticket", kUpsertTicket);
        return *pg;
    }

    // Which log this is: its first event's time and kind. A restore keeps it, so
    // a rewound log is told apart from another center's shipping under this code.
    std::string origin() {
        sqlite::Statement q(local, "SELECT at, type FROM events WHERE seq = 1");
        if (!q.step()) return "";
        const std::string o = std::to_string(q.int_at(0)) + " " + q.text_at(1);
        q.reset();
        return o;
    }

    // Registers the center and reads its cursor; refuses another center's log under this code.
    Cursor register_center(pqxx::connection& c) {
        const std::string mine = origin();
        pqxx::work tx(c);
        const auto r = tx.exec_params1(
            "INSERT INTO centers(code, name, level, timezone, origin) VALUES ($1, $2, $3, $4, $5) "
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, timezone = excluded.timezone, "
            "origin = CASE WHEN centers.origin = '' THEN excluded.origin ELSE centers.origin END "
            "RETURNING shipped_seq, shipped_id, origin",
            config.center_code, config.center_name, config.level, config.timezone, mine);
        if (r[2].as<std::string>() != mine && !mine.empty())
            throw ShipError("another center's log already ships as '" + config.center_code + "' (its log began " +
                            r[2].as<std::string>() + ", this one " + mine + "): give each center its own center_code");
        tx.commit();
        return {r[0].as<int64_t>(), r[1].as<int64_t>()};
    }

    int64_t local_last_seq() {
        sqlite::Statement q(local, "SELECT COALESCE(MAX(seq), 0) FROM events");
        q.step();
        const int64_t v = q.int_at(0);
        q.reset();
        return v;
    }

    // The log went back (a restore): the central copy of this center is shipped again from nothing.
    Cursor start_again(pqxx::connection& c, int64_t local_seq, const Cursor& central_cursor) {
        spdlog::warn("central: this center's log ends at {} but {} was shipped (a restore?): shipping it all again", local_seq,
                     central_cursor.seq);
        pqxx::work tx(c);
        tx.exec_params("DELETE FROM daily WHERE center = $1", config.center_code);
        tx.exec_params("DELETE FROM tickets WHERE center = $1", config.center_code);
        tx.exec_params("UPDATE centers SET shipped_seq = 0, shipped_id = 0 WHERE code = $1", config.center_code);
        tx.commit();
        return {};
    }

    void put_ticket(pqxx::work& tx, const sqlite::Statement& q) {
        tx.exec_prepared("upsert_ticket", config.center_code, q.int_at(0), q.int_at(1), q.text_at(2), q.text_at(3),
                         q.text_at(4), q.text_at(5), q.int_at(6) != 0, q.text_at(7), q.text_at(8), nullable(q, 9),
                         q.int_at(10), nullable(q, 11), nullable(q, 12), nullable(q, 13), q.int_at(14), q.int_at(15),
                         q.int_at(16), q.int_at(17), nullable_text(q, 18), nullable(q, 19), q.int_at(20));
    }

    // The figures of one day, per service and for the whole center, in place of the old ones.
    void put_day(pqxx::work& tx, stats::Stats& figures, int32_t day) {
        tx.exec_params("DELETE FROM daily WHERE center = $1 AND day = $2", config.center_code, day);
        for (const auto& row : figures.summary({day, day, stats::GroupBy::service, 900})) {
            tx.exec_params(
                "INSERT INTO daily VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                config.center_code, day, row.key == "total" ? "" : row.key, row.issued, row.called, row.served, row.no_show,
                row.cancelled, row.wait_avg_s, row.wait_median_s, row.wait_p90_s, row.service_avg_s, row.within_target,
                row.rated, row.rated_good, row.rated_bad);
        }
    }

    // One batch: the rows, their days' figures and the cursor, in one transaction.
    // Returns the rows shipped (0: caught up).
    int64_t ship_batch(pqxx::connection& c, stats::Stats& figures, Cursor& cursor) {
        sqlite::Transaction snapshot(local, "BEGIN");
        sqlite::Statement q(local, kSelectChanged);
        q.bind(1, cursor.seq).bind(2, cursor.id).bind(3, config.batch);
        pqxx::work tx(c);
        std::set<int32_t> days;
        Cursor next = cursor;
        int64_t rows = 0;
        while (q.step()) {
            put_ticket(tx, q);
            days.insert(static_cast<int32_t>(q.int_at(1)));
            next = {q.int_at(20), q.int_at(0)};
            ++rows;
        }
        if (rows == 0) return 0;
        for (int32_t day : days) put_day(tx, figures, day);
        const auto moved = tx.exec_params(
            "UPDATE centers SET shipped_seq = $2, shipped_id = $3, shipped_at = now() "
            "WHERE code = $1 AND shipped_seq = $4 AND shipped_id = $5",
            config.center_code, next.seq, next.id, cursor.seq, cursor.id);
        if (moved.affected_rows() != 1)
            throw ShipError("the central cursor of '" + config.center_code + "' moved under us: is another server shipping as it?");
        tx.commit();
        cursor = next;
        return rows;
    }
};

Shipper::Shipper(std::filesystem::path center_db, ShipConfig config)
    : impl_(std::make_unique<Impl>(std::move(center_db), std::move(config))) {}

Shipper::~Shipper() = default;

int64_t Shipper::ship_until_caught_up() {
    try {
        auto& c = impl_->connect();
        Cursor cursor = impl_->register_center(c);
        const int64_t local_seq = impl_->local_last_seq();
        if (local_seq < cursor.seq) cursor = impl_->start_again(c, local_seq, cursor);
        stats::Stats figures(impl_->db_path, impl_->config.timezone);
        int64_t total = 0;
        for (int64_t rows; (rows = impl_->ship_batch(c, figures, cursor)) > 0;) {
            total += rows;
            status_.rows += rows;
            ++status_.batches;
            status_.shipped_seq = cursor.seq;
            if (after_batch) after_batch(cursor.seq, cursor.id);
        }
        status_.shipped_seq = cursor.seq;
        status_.local_seq = local_seq;
        status_.last_error.clear();
        return total;
    } catch (const pqxx::failure& e) {
        impl_->pg.reset();  // a fresh connection and schema check on the next round
        ++status_.failures;
        const bool gone = dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr;
        status_.last_error = std::string(gone ? "central database unreachable: " : "central database: ") + e.what();
        throw ShipError(status_.last_error);
    } catch (const ShipError& e) {
        ++status_.failures;
        status_.last_error = e.what();
        throw;
    }
}

ShipperThread::ShipperThread(std::filesystem::path center_db, ShipConfig config)
    : db_(std::move(center_db)), config_(std::move(config)), thread_([this] { run(); }) {}

ShipperThread::~ShipperThread() { stop(); }

void ShipperThread::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

ShipStatus ShipperThread::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void ShipperThread::run() {
    common::Backoff backoff(config_.retry_first, config_.retry_most, std::hash<std::string>{}(config_.center_code));
    std::unique_ptr<Shipper> shipper;
    for (;;) {
        std::chrono::milliseconds wait = config_.interval;
        try {
            if (!shipper) shipper = std::make_unique<Shipper>(db_, config_);
            const int64_t rows = shipper->ship_until_caught_up();
            if (rows > 0) spdlog::info("central: shipped {} ticket rows, up to event {}", rows, shipper->status().shipped_seq);
            backoff.reset();
        } catch (const std::exception& e) {
            wait = backoff.next();
            spdlog::warn("central: {} (again in {} s)", e.what(), wait.count() / 1000);
        }
        std::unique_lock lock(mutex_);
        if (shipper) status_ = shipper->status();
        if (wake_.wait_for(lock, wait, [this] { return stopping_; })) return;
    }
}

}  // namespace central
