// province: the province's view of all its centers, read from the central
// PostgreSQL that every center ships to (shipper.hpp) — the same figures for
// each, side by side, so a province manager sees which hall keeps people
// waiting. Figures are computed from the ticket records themselves (exact
// percentiles by PostgreSQL), not added up from daily summaries, so a range of
// days gives a true p90. Blocking (seconds at most, see ReaderConfig): call it
// off the event loop.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace central {

struct CenterFigures {
    std::string code, name, level;
    int64_t issued = 0, called = 0, served = 0, no_show = 0;
    double wait_avg_s = 0, wait_p90_s = 0, service_avg_s = 0;
    double within_target = 0;   // share of called tickets called within the target wait
    int64_t shipped_at_ms = 0;  // when its newest batch arrived (0: never): how fresh its figures are
};

struct DayFigures {
    std::string code;
    int32_t day = 0;
    int64_t issued = 0;
    double wait_avg_s = 0;
};

struct ProvinceView {
    std::vector<CenterFigures> centers;  // every center that ever shipped, by code; zeros for a quiet range
    std::vector<DayFigures> days;        // per center and day with tickets, for the chart
};

// How the province is read: a few connections kept open and reused, and
// timeouts so a slow or unreachable central database costs the caller seconds,
// never minutes (the caller is a shared offload thread).
struct ReaderConfig {
    std::string conninfo;                      // libpq, key=value or URI; its own connect_timeout wins
    int connections = 2;                       // open at most, kept between reads
    std::chrono::seconds connect_timeout{3};   // libpq connect_timeout (libpq waits at least 2 s)
    std::chrono::seconds query_timeout{5};     // statement_timeout of each statement of a read
};

// A pool of connections to the central database, safe to call from any thread.
// A read takes an idle connection (or opens one, up to `connections`; beyond
// that it waits its turn, at most query_timeout). A connection that failed is
// closed and a new one made next time; a reused one found dead (the server
// restarted) is replaced at once and the read tried again on it, once.
// Errors are ShipError: "the central database did not answer within N s" on a
// timeout, "the central database cannot be read: …" otherwise.
class ProvinceReader {
public:
    explicit ProvinceReader(ReaderConfig config);
    ~ProvinceReader();
    ProvinceReader(const ProvinceReader&) = delete;
    ProvinceReader& operator=(const ProvinceReader&) = delete;

    ProvinceView read(int32_t from_day, int32_t to_day, int target_wait_s);
    int64_t connections_made() const;  // since construction: how often it had to connect

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The same through one reader per config shared by the whole process (made at
// the first call, kept to the end): for a caller that holds no reader.
ProvinceView province_view(const ReaderConfig& config, int32_t from_day, int32_t to_day, int target_wait_s);
// As above with the default pool size and timeouts.
ProvinceView province_view(const std::string& conninfo, int32_t from_day, int32_t to_day, int target_wait_s);

}  // namespace central
