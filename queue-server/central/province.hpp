// province: the province's view of all its centers, read from the central
// PostgreSQL that every center ships to (shipper.hpp) — the same figures for
// each, side by side, so a province manager sees which hall keeps people
// waiting. Figures are computed from the ticket records themselves (exact
// percentiles by PostgreSQL), not added up from daily summaries, so a range of
// days gives a true p90. Blocking: call it off the event loop.
#pragma once
#include <cstdint>
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

// Throws ShipError when the central database cannot be read.
ProvinceView province_view(const std::string& conninfo, int32_t from_day, int32_t to_day, int target_wait_s);

}  // namespace central
