// ops_bench: what running a center costs beside the hall — `check` over a
// real log, an online backup (against a plain file copy of the same database, in the
// same process), its verified restore, and shipping a year of tickets to a real
// PostgreSQL (initdb in a temp folder): rows per second with the shipper's
// batches against one row per transaction, and one round's latency once caught
// up. Prints figures; passes or fails on nothing.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "ops/backup.hpp"
#include "ops/check.hpp"
#include "engine/engine.hpp"
#include "figures.hpp"
#include "postgres_server.hpp"
#include "seeded_year.hpp"
#include "central/shipper.hpp"
#include "temp_dir.hpp"

using bench::ms_since;
using bench::Steady;
namespace fs = std::filesystem;

namespace {

central::ShipConfig ship_config(const std::string& conninfo, const std::string& code, int batch) {
    central::ShipConfig c;
    c.conninfo = conninfo;
    c.center_code = code;
    c.center_name = "Bench " + code;
    c.level = "province";
    c.timezone = "UTC+07:00";
    c.batch = batch;
    return c;
}

// A center that really worked: `days` days of `per_day` tickets, each called,
// started and finished, through the engine and the store (a log and its views
// that agree, as check and restore demand).
int64_t logged_center(const fs::path& db, int days, int per_day) {
    engine::Center c;
    c.name = "Bench";
    c.services = {{"A", "Hộ tịch", "Civil status", "A", 1, 9999, 0, 1440, 0, false, 300, {}},
                  {"B", "Đất đai", "Land", "B", 1, 9999, 0, 1440, 0, false, 600, {}}};
    for (int k = 1; k <= 5; ++k) c.counters.push_back({k, "Quầy " + std::to_string(k), {{"A", "B"}}});
    c.categories = engine::default_categories();
    store::Store st(db);
    engine::Engine e;
    const common::LocalCalendar cal("UTC+07:00");
    int64_t ms = 1'767'227'400'000;  // 2026-01-01 07:30 local
    std::vector<engine::Event> batch;
    auto run = [&](const engine::Command& cmd) {
        auto out = e.handle(cmd, cal.at(ms));
        for (auto& ev : out.events) e.apply(ev), batch.push_back(std::move(ev));
        if (batch.size() >= 5000) st.append(batch), batch.clear();
        return out;
    };
    run(engine::Configure{c});
    for (int d = 0; d < days; ++d, ms += 86'400'000) {
        const int64_t morning = ms;
        for (int i = 0; i < per_day; ++i, ms += 20'000) run(engine::IssueTicket{i % 2 ? "A" : "B", "normal", "kiosk:1"});
        for (int i = 0; i < per_day; ++i, ms += 30'000) {
            const auto called = run(engine::CallNext{1 + i % 5});
            for (const auto& ev : called.events)
                if (const auto* t = std::get_if<engine::TicketCalled>(&ev.body))
                    run(engine::TicketAction{engine::Action::start, t->ticket, t->counter});
        }
        ms = morning;
    }
    st.append(batch);
    return e.state().seq;
}

void bench_check(const fs::path& data, int runs) {
    std::vector<double> v;
    ops::CheckReport r;
    for (int i = 0; i < runs; ++i) {
        const auto t = Steady::now();
        r = ops::check_data(data);
        v.push_back(ms_since(t));
    }
    std::printf("check of %lld events and %lld tickets (replay into memory, compare the views): %s\n",
                static_cast<long long>(r.events), static_cast<long long>(r.tickets), r.ok() ? "agree" : "DISAGREE");
    bench::print_latency("queue-server check", v);
}

void bench_backup(const fs::path& data, int runs) {
    const double mib = static_cast<double>(fs::file_size(data / "center.db")) / (1 << 20);
    testing::TempDir out;
    std::vector<double> backup, copy, restore;
    for (int i = 0; i < runs; ++i) {
        auto t = Steady::now();
        const auto b = ops::backup_data(data, out.path, 2, 1'800'000'000'000LL + i * 1000);
        backup.push_back(ms_since(t));
        t = Steady::now();
        fs::copy_file(data / "center.db", out / "plain.db", fs::copy_options::overwrite_existing);
        copy.push_back(ms_since(t));
        testing::TempDir target;
        t = Steady::now();
        ops::restore_data(b.folder, target.path, 1'800'000'000'000LL);
        restore.push_back(ms_since(t));
    }
    std::printf("backup of a %.0f MiB center.db (SQLite backup API, integrity check, SHA-256, fsync):\n", mib);
    bench::print_latency("online backup", backup);
    bench::print_latency("baseline: plain file copy (no check, no fsync)", copy);
    bench::print_latency("restore (manifest, hashes, check, copy, fsync)", restore);
    std::printf("  backup / plain copy: %.1fx; backup throughput %.0f MiB/s\n",
                bench::percentile(backup, 0.5) / bench::percentile(copy, 0.5), mib / (bench::percentile(backup, 0.5) / 1000));
}

// The seeded view has no log; the shipper reads the log's last seq to tell a
// restored center, so one stands in for it, above every updated_seq to come.
void mark_log_end(const fs::path& db) {
    sqlite::Database d(db.string());
    d.exec("INSERT INTO events(seq, at, day, type, json) VALUES (1000000000, 0, 20261231, 'day_opened', '{}')");
}

void bench_shipping(const fs::path& db, int baseline_rows) {
    testing::PostgresServer pg;
    mark_log_end(db);
    auto t = Steady::now();
    central::Shipper shipper(db, ship_config(pg.conninfo(), "year", 500));
    const int64_t rows = shipper.ship_until_caught_up();
    const double all_ms = ms_since(t);
    std::printf("shipping to PostgreSQL on loopback (fsync off in the test cluster):\n");
    std::printf("  %-52s %lld rows in %.1f s: %.0f rows/s (%lld batches, daily figures of 365 days)\n", "the year, batches of 500",
                static_cast<long long>(rows), all_ms / 1000, static_cast<double>(rows) / (all_ms / 1000),
                static_cast<long long>(shipper.status().batches));

    // Baseline: one row per transaction, over the first rows of the same year.
    testing::TempDir part;
    {
        store::Store create(part / "center.db");
        sqlite::Database d((part / "center.db").string());
        d.exec("ATTACH '" + db.string() + "' AS year; INSERT INTO tickets SELECT * FROM year.tickets WHERE id <= " +
               std::to_string(baseline_rows));
    }
    mark_log_end(part / "center.db");
    t = Steady::now();
    central::Shipper one_by_one(part / "center.db", ship_config(pg.conninfo(), "one-by-one", 1));
    const int64_t few = one_by_one.ship_until_caught_up();
    const double few_ms = ms_since(t);
    std::printf("  %-52s %lld rows in %.1f s: %.0f rows/s\n", "baseline: one row per transaction", static_cast<long long>(few),
                few_ms / 1000, static_cast<double>(few) / (few_ms / 1000));
    std::printf("  batches / one by one: %.1fx the rows per second\n",
                (static_cast<double>(rows) / all_ms) / (static_cast<double>(few) / few_ms));

    // Caught up: a round with nothing to ship, and one with a morning's 100 changed tickets.
    std::vector<double> idle, morning;
    sqlite::Database d(db.string());
    for (int i = 0; i < 20; ++i) {
        t = Steady::now();
        shipper.ship_until_caught_up();
        idle.push_back(ms_since(t));
        d.exec("UPDATE tickets SET updated_seq = updated_seq + 1000000 WHERE id IN (SELECT id FROM tickets ORDER BY updated_seq DESC LIMIT 100)");
        t = Steady::now();
        shipper.ship_until_caught_up();
        morning.push_back(ms_since(t));
    }
    bench::print_latency("a round, caught up (nothing to ship)", idle);
    bench::print_latency("a round of 100 changed tickets (one day's figures)", morning);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"ops_bench: backup, restore and shipping of a year of tickets"};
    int tickets = 300'000, runs = 5, baseline_rows = 5000, days = 60, per_day = 500;
    cli.add_option("--tickets", tickets);
    cli.add_option("--days", days);
    cli.add_option("--per-day", per_day);
    cli.add_option("--runs", runs);
    cli.add_option("--baseline-rows", baseline_rows);
    CLI11_PARSE(cli, argc, argv);
    testing::TempDir logged;
    auto t = Steady::now();
    const int64_t events = logged_center(logged / "center.db", days, per_day);
    std::printf("ops_bench: a center of %d days x %d tickets, %lld events (made in %.1f s)\n", days, per_day,
                static_cast<long long>(events), ms_since(t) / 1000);
    bench_check(logged.path, runs);
    bench_backup(logged.path, runs);
    testing::TempDir year;
    seed(year / "center.db", tickets, 30);
    std::printf("and a year's tickets view alone, %d tickets over 2026, for shipping:\n", tickets);
    bench_shipping(year / "center.db", baseline_rows);
}
