// central_test: shipping to a real PostgreSQL (initdb in a temp folder) through
// a TCP relay the test can cut. A center ships, the link dies in the middle of
// a batch, the hall goes on for a week, the link comes back, a new shipper (a
// restarted server) catches up — and the central copy equals the center's to
// the row and the figure: no duplicate, no gap. Then shipping again changes
// nothing, and a center restored from an older backup is shipped again whole.
// Reading the province back (ProvinceReader) keeps its connection between
// reads, gives up on a database that never answers or a statement that runs too
// long within seconds and says so, and replaces a connection the server dropped.
#include <catch2/catch.hpp>

#include <fstream>
#include <future>
#include <map>
#include <sstream>
#include <pqxx/pqxx>

#include "ops/backup.hpp"
#include "lossy_proxy.hpp"
#include "postgres_server.hpp"
#include "process.hpp"
#include "api/config_file.hpp"
#include "central/province.hpp"
#include "central/shipper.hpp"
#include "stats/stats.hpp"
#include "test_server.hpp"

using testing::TestServer;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

central::ShipConfig config_for(const std::string& conninfo, const std::string& code = "tan-phu") {
    central::ShipConfig c;
    c.conninfo = conninfo;
    c.center_code = code;
    c.center_name = "Trung tâm Phục vụ hành chính công xã Tân Phú";
    c.level = "commune";
    c.timezone = "UTC+07:00";
    c.batch = 10;
    return c;
}

// A day's work at the hall: `n` tickets over two services, most called and finished.
void a_day(TestServer& s, int n) {
    const std::string staff1 = s.staff(1), staff3 = s.staff(3);
    for (int i = 0; i < n; ++i) REQUIRE(s.post("/api/tickets", {{"service", i % 3 ? "A" : "C"}}, s.kiosk).status == 201);
    for (int i = 0; i < n - 3; ++i) {
        s.clock_ms += 90'000;
        const std::string& who = i % 3 ? staff1 : staff3;
        const int counter = i % 3 ? 1 : 3;
        // Calling next finishes the ticket being served; the one called is started.
        const auto r = s.call("POST", "/api/counters/" + std::to_string(counter) + "/next", "", who);
        if (r.status == 200 && r.body["ticket"].is_object())
            s.call("POST", "/api/tickets/" + std::to_string(r.body["ticket"]["id"].get<int64_t>()) + "/start", "", who);
    }
}

// id -> "updated_seq state counter" of every ticket, here and there.
std::map<int64_t, std::string> local_tickets(const fs::path& db) {
    sqlite::Database d(db.string(), SQLITE_OPEN_READONLY);
    sqlite::Statement q(d, "SELECT id, updated_seq, state, COALESCE(counter, 0), COALESCE(staff, '') FROM tickets");
    std::map<int64_t, std::string> out;
    while (q.step()) out[q.int_at(0)] = std::to_string(q.int_at(1)) + " " + q.text_at(2) + " " + std::to_string(q.int_at(3)) + " " + q.text_at(4);
    return out;
}

std::map<int64_t, std::string> central_tickets(const std::string& conninfo, const std::string& center = "tan-phu") {
    pqxx::connection c(conninfo);
    pqxx::work tx(c);
    std::map<int64_t, std::string> out;
    for (const auto& r : tx.exec_params("SELECT id, updated_seq, state, COALESCE(counter, 0), COALESCE(staff, '') FROM tickets WHERE center = $1", center))
        out[r[0].as<int64_t>()] = r[1].as<std::string>() + " " + r[2].as<std::string>() + " " + r[3].as<std::string>() + " " + r[4].as<std::string>();
    return out;
}

// day|service -> "issued called served no_show wait_p90", here (stats/) and there (daily).
std::map<std::string, std::string> local_daily(const fs::path& db, int32_t from, int32_t to) {
    stats::Stats st(db, "UTC+07:00");
    std::map<std::string, std::string> out;
    for (int32_t day = from; day <= to; day = common::is_date(day + 1) ? day + 1 : (day / 100 + 1) * 100 + 1) {
        for (const auto& r : st.summary({day, day, stats::GroupBy::service, 900}))
            if (r.issued > 0 || r.key != "total")
                out[std::to_string(day) + "|" + (r.key == "total" ? "" : r.key)] =
                    std::to_string(r.issued) + " " + std::to_string(r.called) + " " + std::to_string(r.served) + " " +
                    std::to_string(r.no_show) + " " + std::to_string(static_cast<int64_t>(r.wait_p90_s));
    }
    return out;
}

std::map<std::string, std::string> central_daily(const std::string& conninfo) {
    pqxx::connection c(conninfo);
    pqxx::work tx(c);
    std::map<std::string, std::string> out;
    for (const auto& r : tx.exec("SELECT day, service, issued, called, served, no_show, wait_p90_s FROM daily WHERE center = 'tan-phu'"))
        out[r[0].as<std::string>() + "|" + r[1].as<std::string>()] = r[2].as<std::string>() + " " + r[3].as<std::string>() + " " +
                                                                       r[4].as<std::string>() + " " + r[5].as<std::string>() + " " +
                                                                       std::to_string(static_cast<int64_t>(r[6].as<double>()));
    return out;
}

int64_t central_cursor(const std::string& conninfo) {
    pqxx::connection c(conninfo);
    pqxx::work tx(c);
    return tx.exec1("SELECT shipped_seq FROM centers WHERE code = 'tan-phu'")[0].as<int64_t>();
}

}  // namespace

TEST_CASE("central: ship, cut the link mid-batch, a week offline, restart: the central copy equals the center's exactly") {
    testing::PostgresServer pg;
    testing::LossyProxy link(pg.port());
    TestServer s;
    const fs::path db = s.dir / "center.db";
    const int32_t first_day = s.on_loop([&] { return s.core->engine().state().day; });
    a_day(s, 45);

    int batches = 0;
    {
        central::Shipper shipper(db, config_for(pg.conninfo(link.port())));
        shipper.after_batch = [&](int64_t, int64_t) {
            if (++batches == 2) link.cut_after(400);  // the third batch dies on the wire, mid-transaction
        };
        CHECK_THROWS_AS(shipper.ship_until_caught_up(), central::ShipError);
        CHECK(shipper.status().failures == 1);
        CHECK_FALSE(shipper.status().last_error.empty());
    }
    CHECK(link.down());
    // Exactly two batches are there: the third rolled back with its cursor.
    CHECK(central_tickets(pg.conninfo()).size() == 20);
    const auto here = local_tickets(db);
    for (const auto& [id, row] : central_tickets(pg.conninfo())) CHECK(here.count(id) == 1);

    // A week with the link down: the hall works, shipping fails and loses nothing.
    for (int d = 0; d < 7; ++d) {
        s.clock_ms += kDayMs;
        a_day(s, 12 + d);
        central::Shipper offline(db, config_for(pg.conninfo(link.port())));
        CHECK_THROWS_WITH(offline.ship_until_caught_up(), Catch::Contains("unreachable"));
    }
    const int32_t last_day = s.on_loop([&] { return s.core->engine().state().day; });

    link.restore();
    central::Shipper restarted(db, config_for(pg.conninfo(link.port())));
    const int64_t rows = restarted.ship_until_caught_up();
    CHECK(rows > 0);
    CHECK(central_tickets(pg.conninfo()) == local_tickets(db));
    CHECK(central_daily(pg.conninfo()) == local_daily(db, first_day, last_day));
    CHECK(central_daily(pg.conninfo()).count(std::to_string(last_day) + "|A") == 1);
    CHECK(central_cursor(pg.conninfo()) == restarted.status().shipped_seq);

    // Caught up: again ships nothing; more work ships only what changed.
    CHECK(restarted.ship_until_caught_up() == 0);
    REQUIRE(s.call("POST", "/api/counters/1/next", "", s.staff(1)).status == 200);  // finishes one, calls one
    CHECK(restarted.ship_until_caught_up() == 2);
    CHECK(central_tickets(pg.conninfo()) == local_tickets(db));
}

TEST_CASE("central: shipping twice adds nothing, two centers stay apart, and a restored center is shipped again whole") {
    testing::PostgresServer pg;
    TestServer s, other(TestServer::kStartMs + 3 * kDayMs);  // another center, set up another day
    a_day(s, 25);
    a_day(other, 5);
    const fs::path db = s.dir / "center.db";
    testing::TempDir backups;
    const auto backup = ops::backup_data(s.dir.path, backups.path, 3, s.clock_ms.load());
    a_day(s, 15);  // after the backup

    central::Shipper shipper(db, config_for(pg.conninfo()));
    shipper.ship_until_caught_up();
    central::Shipper second(other.dir / "center.db", config_for(pg.conninfo(), "xa-khac"));
    second.ship_until_caught_up();
    // The cursor lost (a central restore, say): every row is sent again, none is doubled.
    {
        pqxx::connection c(pg.conninfo());
        pqxx::work tx(c);
        tx.exec("UPDATE centers SET shipped_seq = 0, shipped_id = 0 WHERE code = 'tan-phu'");
        tx.commit();
    }
    CHECK(central::Shipper(db, config_for(pg.conninfo())).ship_until_caught_up() == static_cast<int64_t>(local_tickets(db).size()));
    CHECK(central_tickets(pg.conninfo()) == local_tickets(db));
    CHECK(central_tickets(pg.conninfo(), "xa-khac") == local_tickets(other.dir / "center.db"));

    // The center goes back to its backup: its log is now shorter than what was shipped.
    s.stop();
    ops::restore_data(backup.folder, s.dir.path, s.clock_ms.load());
    central::Shipper after_restore(db, config_for(pg.conninfo()));
    after_restore.ship_until_caught_up();
    CHECK(central_tickets(pg.conninfo()) == local_tickets(db));
    CHECK(central_tickets(pg.conninfo()).size() == 25);
    CHECK(central_tickets(pg.conninfo(), "xa-khac").size() == 5);  // the other center untouched

    // Two servers shipping as one center: the second is told, and nothing of the first is touched.
    central::Shipper twin(other.dir / "center.db", config_for(pg.conninfo()));
    CHECK_THROWS_WITH(twin.ship_until_caught_up(), Catch::Contains("another center's log"));
    CHECK(central_tickets(pg.conninfo()) == local_tickets(db));
}

TEST_CASE("central: the real server ships what its kiosk issues, and /metrics and the admin feed say how far") {
    testing::PostgresServer pg;
    testing::TempDir dir;
    std::ifstream demo(DEMO_CENTER_TOML);
    std::stringstream text;
    text << demo.rdbuf() << "\n[central]\nconninfo = \"" << pg.conninfo() << "\"\ncenter_code = \"demo\"\ninterval_seconds = 1\n";
    std::ofstream(dir / "center.toml") << text.str();
    testing::Process server({QUEUE_SERVER_BIN, "--data", (dir / "data").string(), "--demo", "--config",
                             (dir / "center.toml").string(), "--listen", "127.0.0.1:0"});
    const std::string line = server.wait_for_line("listening");
    REQUIRE_FALSE(line.empty());
    const uint16_t port = static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    const auto creds = nlohmann::json::parse(std::ifstream(dir / "data" / "demo-credentials.json"));
    const std::string kiosk = creds["kiosk_token"];
    for (int i = 0; i < 3; ++i) REQUIRE(testing::http_call(port, "POST", "/api/tickets", R"({"service":"A"})", kiosk).status == 201);
    // The shipper's next round (each second) says so in the log: the test waits on that line.
    REQUIRE_FALSE(server.wait_for_line("central: shipped 3 ticket rows").empty());
    CHECK(central_tickets(pg.conninfo(), "demo").size() == 3);
    const std::string metrics = testing::http_call(port, "GET", "/metrics").raw;
    CHECK(metrics.find("center_central_rows_total 3") != std::string::npos);
    const std::string admin = testing::http_call(port, "POST", "/api/login",
                                                 nlohmann::json{{"user", "admin"}, {"password", creds["admin"]["password"]}}.dump())
                                  .body["token"];
    const auto feed = testing::http_call(port, "GET", "/api/admin/feed", "", admin);
    CHECK(feed.body["central"]["rows"] == 3);
    CHECK(feed.body["central"]["failures"] == 0);
    server.kill(SIGTERM);
}

namespace {

// Long enough for any timeout under test; a read still running then has hung.
constexpr auto kPatience = std::chrono::seconds(30);

// The fixture's conninfo without its connect_timeout: the reader's own applies.
std::string without_timeout(std::string conninfo) {
    const std::string key = " connect_timeout=5";
    return conninfo.erase(conninfo.find(key), key.size());
}

// A reader with the shortest timeouts: 1 s a statement, 2 s to connect.
std::shared_ptr<central::ProvinceReader> reader_for(const std::string& conninfo) {
    central::ReaderConfig c;
    c.conninfo = conninfo;
    c.query_timeout = std::chrono::seconds(1);
    c.connect_timeout = std::chrono::seconds(2);
    return std::make_shared<central::ProvinceReader>(c);
}

// Runs `read` on a thread of its own: "" when it worked, its error, or "hung"
// after kPatience (the thread is left behind, so a hang fails the test instead of blocking it).
std::string outcome(std::function<void()> read) {
    auto task = std::make_shared<std::packaged_task<void()>>(std::move(read));
    auto done = task->get_future();
    std::thread([task] { (*task)(); }).detach();
    if (done.wait_for(kPatience) != std::future_status::ready) return "hung";
    try {
        done.get();
        return "";
    } catch (const std::exception& e) {
        return e.what();
    }
}

std::string read_outcome(const std::shared_ptr<central::ProvinceReader>& reader) {
    return outcome([reader] { reader->read(20000101, 20991231, 900); });
}

// The backends the readers hold (they name themselves queue-server-province), seen from another connection.
std::vector<int64_t> reader_backends(const std::string& conninfo) {
    pqxx::connection c(conninfo);
    pqxx::work tx(c);
    std::vector<int64_t> pids;
    for (const auto& r : tx.exec("SELECT pid FROM pg_stat_activity WHERE application_name = 'queue-server-province' ORDER BY pid"))
        pids.push_back(r[0].as<int64_t>());
    return pids;
}

// A center in the central database (its schema made by shipping), for the reads
// to find: with no tickets, as the reads test the pool, not the figures.
void ship_a_center(const std::string& conninfo) {
    TestServer s;
    central::Shipper(s.dir / "center.db", config_for(conninfo)).ship_until_caught_up();
}

}  // namespace

TEST_CASE("province reader: two reads share one connection and find the shipped center") {
    testing::PostgresServer pg;
    ship_a_center(pg.conninfo());
    const auto reader = reader_for(without_timeout(pg.conninfo()));
    const auto first = reader->read(20000101, 20991231, 900);
    REQUIRE(first.centers.size() == 1);
    CHECK(first.centers[0].code == "tan-phu");
    const auto backends = reader_backends(pg.conninfo());
    CHECK(backends.size() == 1);
    CHECK(reader->read(20000101, 20991231, 900).centers.size() == 1);
    CHECK(reader_backends(pg.conninfo()) == backends);  // the same backend, still open
    CHECK(reader->connections_made() == 1);
}

TEST_CASE("province reader: a database that accepts and never answers fails within the connect timeout, with the reason") {
    const int silent = ::socket(AF_INET, SOCK_STREAM, 0);
    const uint16_t port = testing::listen_on_loopback(silent, 4, "silent database");  // the kernel accepts; nobody answers
    const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port) + " user=center dbname=postgres";
    CHECK(read_outcome(reader_for(conninfo)) ==
          "the central database did not answer within 2 s (connecting to it)");
    // The free function GET /api/province calls, with the defaults (3 s).
    CHECK(outcome([conninfo] { central::province_view(conninfo, 20000101, 20991231, 900); }) ==
          "the central database did not answer within 3 s (connecting to it)");
    ::close(silent);
}

TEST_CASE("province reader: a statement held longer than the query timeout fails with the reason, and the connection stays") {
    testing::PostgresServer pg;
    ship_a_center(pg.conninfo());
    std::ifstream demo(DEMO_CENTER_TOML);
    std::stringstream toml;
    toml << demo.rdbuf() << "\n[central]\nconninfo = \"" << without_timeout(pg.conninfo())
         << "\"\ncenter_code = \"demo\"\nquery_timeout_seconds = 1\nconnect_timeout_seconds = 2\n";
    const auto config = api::parse_config(toml.str(), "center.toml");
    REQUIRE(config.province);
    CHECK(config.province->connect_timeout == std::chrono::seconds(2));
    const auto reader = std::make_shared<central::ProvinceReader>(*config.province);
    REQUIRE(read_outcome(reader).empty());

    pqxx::connection other(pg.conninfo());
    auto holder = std::make_unique<pqxx::work>(other);
    holder->exec("LOCK TABLE tickets IN ACCESS EXCLUSIVE MODE");  // the read's statement waits on it
    CHECK(read_outcome(reader) == "the central database did not answer within 1 s");
    holder->abort();
    CHECK(read_outcome(reader).empty());
    CHECK(reader->connections_made() == 1);  // a cancelled statement does not cost the connection
}

TEST_CASE("province reader: after the server ends its sessions (as a restart does), the next read works on a new connection") {
    testing::PostgresServer pg;
    ship_a_center(pg.conninfo());
    const auto reader = reader_for(without_timeout(pg.conninfo()));
    REQUIRE(read_outcome(reader).empty());
    const auto before = reader_backends(pg.conninfo());
    REQUIRE(before.size() == 1);
    {
        // What a restart does to a session: the backend exits with 57P01 "terminating connection due to administrator command".
        pqxx::connection admin(pg.conninfo());
        pqxx::work tx(admin);
        tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'queue-server-province'");
        tx.commit();
    }
    CHECK(read_outcome(reader).empty());
    CHECK(reader->connections_made() == 2);
    CHECK(reader_backends(pg.conninfo()) != before);
}
