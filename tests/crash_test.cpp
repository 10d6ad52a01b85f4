// crash_test: kill -9 the real server at random moments under load from several
// clients, restart it, and check that nothing acknowledged was lost: every
// acknowledged ticket is there with the same number, no number was issued twice
// in a day, and no ticket was called by two counters.
//
// CRASH_ROUNDS in the environment sets the number of rounds (default 30);
// bench/crash.sh runs 1,000.
#include <catch2/catch.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <random>
#include <set>

#include "process.hpp"
#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

using json = nlohmann::json;
using testing::http_call;

namespace {

struct Acked {
    std::mutex m;
    std::condition_variable cv;
    std::map<int64_t, std::string> tickets;     // id -> number
    std::map<int64_t, int> calls;               // ticket id -> counter
    size_t count = 0;
    size_t violations = 0;
    int workers = 0;        // running client threads  // worker threads may not use Catch assertions: they count, the test checks
    void add_ticket(int64_t id, const std::string& number) {
        std::lock_guard l(m);
        violations += !tickets.emplace(id, number).second;
        ++count;
        cv.notify_all();
    }
    void add_call(int64_t id, int counter) {
        std::lock_guard l(m);
        violations += !calls.emplace(id, counter).second;  // the server never hands one ticket out twice
        ++count;
        cv.notify_all();
    }
    // Waits until n operations are acknowledged, or every worker has stopped.
    bool wait_for(size_t n) {
        std::unique_lock l(m);
        cv.wait(l, [&] { return count >= n || workers == 0; });
        return count >= n;
    }
    void worker_started() {
        std::lock_guard l(m);
        ++workers;
    }
    void worker_ended() {
        std::lock_guard l(m);
        --workers;
        cv.notify_all();
    }
};

struct Server {
    testing::Process process;
    uint16_t port;
    Server(const std::filesystem::path& data, bool demo)
        : process([&] {
              std::vector<std::string> argv = {QUEUE_SERVER_BIN, "--data", data.string(), "--listen", "127.0.0.1:0",
                                               "--log-level", "warn", "--config", CRASH_CENTER_TOML};
              if (demo) argv.push_back("--demo");
              return argv;
          }()),
          port(testing::port_from_banner(process.wait_for_line("listening on"))) {}
};

std::string login(uint16_t port, const json& account) {
    auto r = http_call(port, "POST", "/api/login", json{{"user", account["user"]}, {"password", account["password"]}}.dump());
    REQUIRE(r.status == 200);
    return r.body["token"].get<std::string>();
}

// Issues tickets until the server goes away.
void kiosk_loop(uint16_t port, std::string token, unsigned seed, Acked& acked) {
    std::mt19937 rng(seed);
    const char* services[] = {"A", "C", "K"};
    try {
        for (;;) {
            auto r = http_call(port, "POST", "/api/tickets", json{{"service", services[rng() % 3]}}.dump(), token);
            if (r.status == 409) break;  // out of numbers: nothing more to learn here
            if (r.status != 201) continue;
            acked.add_ticket(r.body["id"].get<int64_t>(), r.body["number"].get<std::string>());
        }
    } catch (const std::exception&) {
        // killed: the connection was refused or reset
    }
    acked.worker_ended();
}

// Calls and finishes tickets at one counter until the server goes away.
void counter_loop(uint16_t port, std::string token, int counter, Acked& acked) {
    try {
        for (;;) {
            auto r = http_call(port, "POST", "/api/counters/" + std::to_string(counter) + "/next", "", token);
            if (r.status != 200 || !r.body["ticket"].is_object()) continue;
            const auto id = r.body["ticket"]["id"].get<int64_t>();
            acked.add_call(id, counter);
            http_call(port, "POST", "/api/tickets/" + std::to_string(id) + "/finish", "", token);
        }
    } catch (const std::exception&) {
    }
    acked.worker_ended();
}

void check_log(const std::filesystem::path& db, Acked& acked) {
    sqlite::Database file(db.string(), SQLITE_OPEN_READONLY);
    // Every acknowledged ticket, with its number.
    sqlite::Statement ticket(file, "SELECT number FROM tickets WHERE id = ?1");
    for (const auto& [id, number] : acked.tickets) {
        ticket.bind(1, id);
        INFO("ticket " << id << " " << number);
        REQUIRE(ticket.step());
        CHECK(ticket.text_at(0) == number);
        ticket.reset();
    }
    // No number twice in a day.
    sqlite::Statement dup(file, "SELECT day, number, COUNT(*) FROM tickets GROUP BY day, number HAVING COUNT(*) > 1");
    CHECK_FALSE(dup.step());
    // No ticket called twice (this load never transfers or reactivates), and every acknowledged call is there.
    sqlite::Statement twice(file, "SELECT json_extract(json, '$.ticket'), COUNT(*) FROM events WHERE type = 'ticket_called' "
                                  "GROUP BY 1 HAVING COUNT(*) > 1");
    CHECK_FALSE(twice.step());
    sqlite::Statement call(file, "SELECT json_extract(json, '$.counter') FROM events WHERE type = 'ticket_called' "
                                 "AND json_extract(json, '$.ticket') = ?1");
    for (const auto& [id, counter] : acked.calls) {
        call.bind(1, id);
        REQUIRE(call.step());
        CHECK(call.int_at(0) == counter);
        call.reset();
    }
}

}  // namespace

TEST_CASE("kill -9 under load loses nothing acknowledged", "[crash]") {
    const char* env = std::getenv("CRASH_ROUNDS");
    const int rounds = env ? std::atoi(env) : 30;
    testing::TempDir dir;
    json creds;
    {
        Server first(dir.path, true);
        std::ifstream in(dir / "demo-credentials.json");
        creds = json::parse(in);
    }
    Acked acked;  // across all rounds: what was acknowledged must stay, whatever came after
    std::mt19937 rng(2026);
    for (int round = 0; round < rounds; ++round) {
        CAPTURE(round);
        Server server(dir.path, false);
        const auto kiosk = creds["kiosk_token"].get<std::string>();
        std::vector<std::thread> clients;
        for (int i = 0; i < 5; ++i) acked.worker_started();
        clients.emplace_back(kiosk_loop, server.port, kiosk, rng(), std::ref(acked));
        clients.emplace_back(kiosk_loop, server.port, kiosk, rng(), std::ref(acked));
        for (int k : {1, 2, 3})  // counters that compete for service A
            clients.emplace_back(counter_loop, server.port, login(server.port, creds["staff"][k - 1]), k, std::ref(acked));
        // Kill after a random number of acknowledged operations: somewhere inside the load.
        const bool loaded = acked.wait_for(acked.count + 5 + rng() % 120);
        server.process.kill(SIGKILL);
        for (auto& c : clients) c.join();
        REQUIRE(loaded);
        REQUIRE(acked.violations == 0);
        check_log(dir / "center.db", acked);
    }
    // After the last crash the server comes back, keeps every number and goes on above them.
    Server server(dir.path, false);
    const auto state = http_call(server.port, "GET", "/api/state", "", creds["kiosk_token"].get<std::string>());
    REQUIRE(state.status == 200);
    auto next = http_call(server.port, "POST", "/api/tickets", json{{"service", "A"}}.dump(), creds["kiosk_token"].get<std::string>());
    REQUIRE(next.status == 201);
    for (const auto& [id, number] : acked.tickets) CHECK(number != next.body["number"].get<std::string>());
    CHECK(acked.tickets.size() > static_cast<size_t>(rounds));
}
