// check: `queue-server check` — does a data folder hold what its log says?
//
// The event log is the truth and the tickets and counters tables are views of
// it (store.hpp). A view that drifted (a bug, a hand edit, a restore of mixed
// files) would show citizens and managers something the log never said, so the
// check replays the whole log into a fresh in-memory store and compares the two
// views row by row, replays it through the engine too, and asks SQLite for the
// integrity of every file. It only reads, so it may run beside a live server.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace ops {

struct CheckReport {
    int64_t events = 0;            // events read from the log
    int64_t tickets = 0;           // rows in the tickets view
    std::vector<std::string> problems;  // empty when the folder is sound
    bool ok() const { return problems.empty(); }
};

// Checks DATA/center.db (log, views) and, when present, DATA/catalog.db and
// DATA/dossiers.db (their integrity). Throws only when center.db cannot be opened.
CheckReport check_data(const std::filesystem::path& data);

// `queue-server check`: prints the report; 0 when sound, 1 when not, 2 when unreadable.
int run_check(const std::filesystem::path& data);

}  // namespace ops
