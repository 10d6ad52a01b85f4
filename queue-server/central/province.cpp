// province: centers compared, from the central ticket records, read through a
// small pool of connections with a connect and a statement timeout (see province.hpp).
#include "central/province.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <utility>
#include <vector>

#include "central/shipper.hpp"

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

using Options = std::vector<std::pair<std::string, std::string>>;

// The conninfo's keywords and values, whether key=value or a URI.
Options parse_conninfo(const std::string& conninfo) {
    char* error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &error);
    if (!parsed) {
        const std::string why = error ? error : "out of memory";
        PQfreemem(error);
        throw ShipError("the central database's conninfo is not valid: " + why);
    }
    Options out;
    for (const PQconninfoOption* o = parsed; o->keyword; ++o)
        if (o->val) out.emplace_back(o->keyword, o->val);
    PQconninfoFree(parsed);
    return out;
}

std::string quoted(const std::string& value) {
    std::string q = "'";
    for (const char ch : value) {
        if (ch == '\\' || ch == '\'') q += '\\';
        q += ch;
    }
    return q + "'";
}

std::string timeout_message(int64_t seconds) {
    return "the central database did not answer within " + std::to_string(seconds) + " s";
}

// What the reader connects with: the operator's conninfo, plus what it leaves
// out — the connect timeout, keepalives and a TCP user timeout (a peer that
// vanished while a pooled connection waits is noticed in seconds, not after
// TCP's quarter of an hour), and a name in pg_stat_activity.
struct Target {
    std::string conninfo;
    int64_t connect_timeout_s = 0;  // as libpq applies it (at least 2; 0: none)
};

Target target_of(const ReaderConfig& config) {
    Options options = parse_conninfo(config.conninfo);
    const auto add = [&options](const char* key, std::string value) {
        for (const auto& [k, v] : options)
            if (k == key) return;
        options.emplace_back(key, std::move(value));
    };
    const int64_t q = config.query_timeout.count();
    add("connect_timeout", std::to_string(config.connect_timeout.count()));
    add("fallback_application_name", "queue-server-province");
    add("keepalives", "1");
    add("keepalives_idle", std::to_string(q));
    add("keepalives_interval", "1");
    add("keepalives_count", "3");
    add("tcp_user_timeout", std::to_string((q + 3) * 1000));
    Target t;
    for (const auto& [k, v] : options) {
        t.conninfo += k + "=" + quoted(v) + " ";
        if (k == "connect_timeout") t.connect_timeout_s = std::max<int64_t>(std::strtol(v.c_str(), nullptr, 10), 0);
    }
    if (t.connect_timeout_s == 1) t.connect_timeout_s = 2;
    return t;
}

// A dead connection, as opposed to a statement that failed on a live one.
bool dead(pqxx::connection& c, const pqxx::failure& e) {
    if (!c.is_open() || dynamic_cast<const pqxx::broken_connection*>(&e)) return true;
    const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
    return sql && (sql->sqlstate().rfind("57P", 0) == 0 || sql->sqlstate().rfind("08", 0) == 0);
}

ProvinceView query(pqxx::connection& c, std::chrono::seconds timeout, int32_t from_day, int32_t to_day, int target_wait_s) {
    pqxx::read_transaction tx(c);
    // Per transaction, not per session: it holds whatever connection pqxx has under it.
    tx.exec("SET LOCAL statement_timeout = " + std::to_string(timeout.count() * 1000));
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
}

}  // namespace

struct ProvinceReader::Impl {
    ReaderConfig config;
    Target target;
    std::string target_error;  // a conninfo libpq cannot parse: every read says so
    std::mutex mutex;
    std::condition_variable freed;
    std::vector<std::unique_ptr<pqxx::connection>> idle;
    int open = 0;  // idle and lent
    std::atomic<int64_t> made{0};

    explicit Impl(ReaderConfig c) : config(std::move(c)) {
        config.connections = std::max(config.connections, 1);
        try {
            target = target_of(config);
        } catch (const ShipError& e) {
            target_error = e.what();
        }
    }

    // An idle connection (reused: true) or a new one; waits at most the query timeout for a free slot.
    std::unique_ptr<pqxx::connection> take(bool& reused) {
        if (!target_error.empty()) throw ShipError(target_error);
        std::unique_lock lock(mutex);
        if (!freed.wait_for(lock, config.query_timeout, [this] { return !idle.empty() || open < config.connections; }))
            throw ShipError(timeout_message(config.query_timeout.count()) + " (every connection to it stayed busy)");
        reused = !idle.empty();
        if (reused) {
            auto c = std::move(idle.back());
            idle.pop_back();
            return c;
        }
        ++open;
        lock.unlock();
        try {
            return connect();
        } catch (...) {
            give_back(nullptr);
            throw;
        }
    }

    // Back to the idle ones, or (null: it failed) its slot freed for a new one.
    void give_back(std::unique_ptr<pqxx::connection> c) {
        std::lock_guard lock(mutex);
        if (c)
            idle.push_back(std::move(c));
        else
            --open;
        freed.notify_one();
    }

    // After one died while idle the others most likely did too (the same server restarted).
    void drop_idle() {
        std::lock_guard lock(mutex);
        open -= static_cast<int>(idle.size());
        idle.clear();
        freed.notify_all();
    }

    std::unique_ptr<pqxx::connection> connect() {
        const auto start = std::chrono::steady_clock::now();
        try {
            auto c = std::make_unique<pqxx::connection>(target.conninfo);
            ++made;
            return c;
        } catch (const pqxx::failure& e) {
            // libpq says "timeout expired" (unless translated); its clock counts whole seconds, hence the - 1.
            const auto waited = std::chrono::steady_clock::now() - start;
            const bool timed_out = std::strstr(e.what(), "timeout expired") ||
                                   (target.connect_timeout_s > 0 && waited >= std::chrono::seconds(target.connect_timeout_s - 1));
            if (timed_out) throw ShipError(timeout_message(target.connect_timeout_s) + " (connecting to it)");
            throw ShipError(std::string("the central database cannot be read: ") + e.what());
        }
    }
};

ProvinceReader::ProvinceReader(ReaderConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
ProvinceReader::~ProvinceReader() = default;

int64_t ProvinceReader::connections_made() const { return impl_->made; }

ProvinceView ProvinceReader::read(int32_t from_day, int32_t to_day, int target_wait_s) {
    for (int attempt = 0;; ++attempt) {
        bool reused = false;
        std::unique_ptr<pqxx::connection> c = impl_->take(reused);
        try {
            auto view = query(*c, impl_->config.query_timeout, from_day, to_day, target_wait_s);
            impl_->give_back(std::move(c));
            return view;
        } catch (const pqxx::failure& e) {
            const bool lost = dead(*c, e);
            impl_->give_back(lost ? nullptr : std::move(c));
            // A pooled connection can die while idle (the server restarted): one more try, on a new one.
            if (lost && reused && attempt == 0) {
                impl_->drop_idle();
                continue;
            }
            const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
            if (sql && sql->sqlstate() == "57014") throw ShipError(timeout_message(impl_->config.query_timeout.count()));
            throw ShipError(std::string("the central database cannot be read: ") + e.what());
        } catch (...) {
            impl_->give_back(nullptr);  // in an unknown state: not lent again
            throw;
        }
    }
}

ProvinceView province_view(const ReaderConfig& config, int32_t from_day, int32_t to_day, int target_wait_s) {
    static std::mutex mutex;
    // Never destroyed: a read on another thread may still be running while the process exits.
    static auto* readers = new std::map<std::string, std::unique_ptr<ProvinceReader>>;
    const std::string key = config.conninfo + '\n' + std::to_string(config.connections) + ' ' +
                            std::to_string(config.connect_timeout.count()) + ' ' + std::to_string(config.query_timeout.count());
    ProvinceReader* reader = nullptr;
    {
        std::lock_guard lock(mutex);
        auto& slot = (*readers)[key];
        if (!slot) slot = std::make_unique<ProvinceReader>(config);
        reader = slot.get();
    }
    return reader->read(from_day, to_day, target_wait_s);
}

ProvinceView province_view(const std::string& conninfo, int32_t from_day, int32_t to_day, int target_wait_s) {
    ReaderConfig config;
    config.conninfo = conninfo;
    return province_view(config, from_day, to_day, target_wait_s);
}

}  // namespace central
