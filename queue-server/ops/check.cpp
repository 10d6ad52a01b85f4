// check: replay the log, compare the views, ask SQLite for integrity (see check.hpp).
#include "ops/check.hpp"

#include <iostream>

#include "engine/codec.hpp"
#include "engine/engine.hpp"
#include "store/store.hpp"

namespace ops {
namespace {

constexpr size_t kMaxReported = 20;  // a view gone wholly wrong says so without a million lines

void report(CheckReport& r, const std::string& problem) {
    if (r.problems.size() < kMaxReported) r.problems.push_back(problem);
    else if (r.problems.size() == kMaxReported) r.problems.push_back("... more problems not shown");
}

void check_integrity(const std::filesystem::path& file, CheckReport& r) {
    if (!std::filesystem::exists(file)) return;
    try {
        sqlite::Database db(file.string(), SQLITE_OPEN_READONLY);
        sqlite::Statement q(db, "PRAGMA integrity_check");
        while (q.step())
            if (q.text_at(0) != "ok") report(r, file.filename().string() + ": " + q.text_at(0));
    } catch (const sqlite::Error& e) {
        report(r, e.what());
    }
}

// Reads the log in order, checking that seq runs 1, 2, 3... with no gap, and
// hands each event on; an event that cannot be read is a problem, not a crash.
void read_log(sqlite::Database& db, CheckReport& r, const std::function<void(const engine::Event&)>& f) {
    sqlite::Statement q(db, "SELECT seq, at, day, type, json FROM events ORDER BY seq");
    int64_t expected = 1;
    while (q.step()) {
        engine::Event e;
        e.seq = q.int_at(0);
        e.at = q.int_at(1);
        e.day = static_cast<int32_t>(q.int_at(2));
        if (e.seq != expected) report(r, "events: seq " + std::to_string(e.seq) + " follows " + std::to_string(expected - 1));
        expected = e.seq + 1;
        ++r.events;
        try {
            engine::read_stored_json(e, q.text_at(3), engine::json::parse(q.text_at(4)));
        } catch (const std::exception& ex) {
            report(r, "events: seq " + std::to_string(e.seq) + " cannot be read: " + ex.what());
            continue;
        }
        f(e);
    }
}

// Every row of `table` in both databases, in key order, compared column by column.
void compare_view(sqlite::Database& live, sqlite::Database& rebuilt, const std::string& table, CheckReport& r) {
    const std::string sql = "SELECT * FROM " + table + " ORDER BY id";
    sqlite::Statement a(live, sql), b(rebuilt, sql);
    const int columns = a.column_count();
    auto key = [](sqlite::Statement& s) { return s.int_at(0); };
    bool has_a = a.step(), has_b = b.step();
    while (has_a || has_b) {
        if (has_a && (!has_b || key(a) < key(b))) {
            report(r, table + " " + std::to_string(key(a)) + ": in the view but not in the log");
            has_a = a.step();
        } else if (has_b && (!has_a || key(b) < key(a))) {
            report(r, table + " " + std::to_string(key(b)) + ": in the log but missing from the view");
            has_b = b.step();
        } else {
            for (int c = 0; c < columns; ++c)
                if (a.null_at(c) != b.null_at(c) || a.text_at(c) != b.text_at(c))
                    report(r, table + " " + std::to_string(key(a)) + "." + a.column_name(c) + ": the view says '" +
                                  a.text_at(c) + "', the log says '" + b.text_at(c) + "'");
            if (table == "tickets") ++r.tickets;
            has_a = a.step();
            has_b = b.step();
        }
    }
}

// The engine's tickets of the day against the view: the same state and counter.
void compare_engine(const engine::State& state, sqlite::Database& live, CheckReport& r) {
    sqlite::Statement q(live, "SELECT state, COALESCE(counter, 0) FROM tickets WHERE id = ?1");
    for (const auto& [id, t] : state.tickets) {
        q.bind(1, id);
        if (!q.step()) {
            report(r, "tickets " + std::to_string(id) + ": the engine holds it, the view does not");
            continue;
        }
        if (q.text_at(0) != engine::to_string(t.state))
            report(r, "tickets " + std::to_string(id) + ": the engine says " + std::string(engine::to_string(t.state)) +
                         ", the view " + q.text_at(0));
        q.reset();
    }
}

}  // namespace

CheckReport check_data(const std::filesystem::path& data) {
    CheckReport r;
    const auto file = data / "center.db";
    if (!std::filesystem::exists(file)) throw sqlite::Error(file.string() + ": no such file");
    check_integrity(file, r);
    check_integrity(data / "catalog.db", r);
    check_integrity(data / "dossiers.db", r);
    sqlite::Database live(file.string(), SQLITE_OPEN_READONLY);
    sqlite::Transaction snapshot(live, "BEGIN");  // one state of the file, even while the server writes
    store::Store rebuilt(":memory:");
    engine::Engine engine;
    std::vector<engine::Event> batch;
    auto flush = [&] {
        rebuilt.append(batch);
        batch.clear();
    };
    read_log(live, r, [&](const engine::Event& e) {
        try {
            engine.apply(e);
        } catch (const std::exception& ex) {
            report(r, "events: seq " + std::to_string(e.seq) + " does not apply: " + ex.what());
        }
        batch.push_back(e);
        if (batch.size() >= 1000) flush();
    });
    flush();
    compare_view(live, rebuilt.db(), "tickets", r);
    compare_view(live, rebuilt.db(), "counters", r);
    compare_engine(engine.state(), live, r);
    return r;
}

int run_check(const std::filesystem::path& data) {
    CheckReport r;
    try {
        r = check_data(data);
    } catch (const std::exception& e) {
        std::cerr << "queue-server check: " << e.what() << std::endl;
        return 2;
    }
    for (const auto& p : r.problems) std::cout << "problem: " << p << "\n";
    std::cout << (r.ok() ? "ok: " : "NOT OK: ") << r.events << " events, " << r.tickets << " tickets in " << data.string()
              << (r.ok() ? ", the views agree with the log" : "") << std::endl;
    return r.ok() ? 0 : 1;
}

}  // namespace ops
