// province: centers compared, from the central ticket records (see province.hpp).
#include "province.hpp"

#include <pqxx/pqxx>

#include "shipper.hpp"

namespace central {
namespace {

const char* const kCenters = R"sql(
SELECT c.code, c.name, c.level,
       count(t.id), count(t.first_called_at),
       count(t.id) FILTER (WHERE t.state = 'done'), count(t.id) FILTER (WHERE t.state = 'no_show'),
       COALESCE(avg(t.first_called_at - t.issued_at) / 1000.0, 0),
       COALESCE(percentile_cont(0.9) WITHIN GROUP (ORDER BY t.first_called_at - t.issued_at) / 1000.0, 0),
       COALESCE(avg(t.finished_at - t.started_at) FILTER (WHERE t.state = 'done' AND t.started_at IS NOT NULL) / 1000.0, 0),
       COALESCE(avg(CASE WHEN t.first_called_at - t.issued_at <= $3 * 1000 THEN 1.0 ELSE 0.0 END)
                FILTER (WHERE t.first_called_at IS NOT NULL), 0),
       COALESCE((extract(epoch FROM c.shipped_at) * 1000)::bigint, 0)
FROM centers c LEFT JOIN tickets t ON t.center = c.code AND t.day BETWEEN $1 AND $2
GROUP BY c.code, c.name, c.level, c.shipped_at ORDER BY c.code
)sql";

const char* const kDays = R"sql(
SELECT center, day, count(*), COALESCE(avg(first_called_at - issued_at) / 1000.0, 0)
FROM tickets WHERE day BETWEEN $1 AND $2 GROUP BY center, day ORDER BY center, day
)sql";

}  // namespace

ProvinceView province_view(const std::string& conninfo, int32_t from_day, int32_t to_day, int target_wait_s) {
    try {
        pqxx::connection c(conninfo);
        pqxx::read_transaction tx(c);
        // The first center to ship makes the tables; before that the province is empty, not broken.
        if (tx.exec1("SELECT to_regclass('public.tickets') IS NULL")[0].as<bool>()) return {};
        ProvinceView view;
        for (const auto& r : tx.exec_params(kCenters, from_day, to_day, target_wait_s))
            view.centers.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<int64_t>(),
                                    r[4].as<int64_t>(), r[5].as<int64_t>(), r[6].as<int64_t>(), r[7].as<double>(),
                                    r[8].as<double>(), r[9].as<double>(), r[10].as<double>(), r[11].as<int64_t>()});
        for (const auto& r : tx.exec_params(kDays, from_day, to_day))
            view.days.push_back({r[0].as<std::string>(), r[1].as<int32_t>(), r[2].as<int64_t>(), r[3].as<double>()});
        return view;
    } catch (const pqxx::failure& e) {
        throw ShipError(std::string("the central database cannot be read: ") + e.what());
    }
}

}  // namespace central
