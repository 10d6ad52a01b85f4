// ops_test: the operator's commands against real data folders and real servers —
// `check` finds a view that drifted from the log, backups are taken while the
// server writes and restore to the same state, retention keeps the newest, a
// damaged backup is refused, a MANIFEST naming a file outside DATA is refused,
// a restore cut off by a crash is refused by the server and completed by a
// second restore, the data lock keeps two owners apart, first-run
// setup makes a center one can log in to, and systemd hears READY and WATCHDOG.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "ops/backup.hpp"
#include "ops/check.hpp"
#include "common/toml_file.hpp"
#include "store/data_lock.hpp"
#include "process.hpp"
#include "test_server.hpp"
#include "api/watchdog.hpp"

using testing::run_command;
using testing::TempDir;
using testing::TestServer;
namespace fs = std::filesystem;

namespace {

const std::string kServer = QUEUE_SERVER_BIN;

std::string issue(TestServer& s, const std::string& service) {
    auto r = s.post("/api/tickets", {{"service", service}}, s.kiosk);
    REQUIRE(r.status == 201);
    return r.body["number"].get<std::string>();
}

void edit(const fs::path& db, const std::string& sql) {
    sqlite::Database d(db.string());
    d.exec(sql);
}

bool mentions(const ops::CheckReport& r, const std::string& needle) {
    for (const auto& p : r.problems)
        if (p.find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("check: a live folder agrees with its log, and a drifted view, a gap and a bad event are each found") {
    TestServer s;
    for (int i = 0; i < 5; ++i) issue(s, "A");
    issue(s, "B");
    REQUIRE(s.call("POST", "/api/counters/1/next", "", s.staff(1)).status == 200);
    // While the server runs: the check only reads.
    auto r = ops::check_data(s.dir.path);
    CHECK(r.ok());
    CHECK(r.tickets == 6);
    CHECK(r.events == s.seq());
    s.stop();

    edit(s.dir / "center.db", "UPDATE tickets SET state = 'done' WHERE id = 2");
    r = ops::check_data(s.dir.path);
    REQUIRE_FALSE(r.ok());
    CHECK(mentions(r, "tickets 2.state: the view says 'done', the log says 'waiting'"));
    CHECK(mentions(r, "tickets 2: the engine says waiting, the view done"));
    const auto [code, output] = run_command(kServer + " --data " + s.dir.path.string() + " check");
    CHECK(code == 1);
    CHECK(output.find("NOT OK") != std::string::npos);

    edit(s.dir / "center.db", "UPDATE tickets SET state = 'waiting' WHERE id = 2; DELETE FROM tickets WHERE id = 6");
    r = ops::check_data(s.dir.path);
    CHECK(mentions(r, "tickets 6: in the log but missing from the view"));

    TestServer t;
    issue(t, "A");
    t.stop();
    edit(t.dir / "center.db", "DELETE FROM events WHERE seq = (SELECT MAX(seq) - 1 FROM events)");
    CHECK(mentions(ops::check_data(t.dir.path), "follows"));
    edit(t.dir / "center.db", "UPDATE events SET json = '{\"nonsense\": 1}' WHERE seq = (SELECT MAX(seq) FROM events)");
    CHECK(mentions(ops::check_data(t.dir.path), "cannot be read"));
    CHECK(run_command(kServer + " --data /nonexistent/folder check").first == 2);
}

TEST_CASE("backup while the server writes, then restore: the same state, and the newer files kept aside") {
    TestServer s;
    for (int i = 0; i < 3; ++i) issue(s, "A");
    REQUIRE(s.call("POST", "/api/counters/1/next", "", s.staff(1)).status == 200);
    const int64_t at_backup = s.seq();
    TempDir backups;
    const auto b = ops::backup_data(s.dir.path, backups.path, 7, s.clock_ms.load());
    CHECK(b.seq == at_backup);
    CHECK(b.folder.filename().string().starts_with("center-2026"));
    for (const char* f : {"center.db", "catalog.db", "dossiers.db", "MANIFEST"}) CHECK(fs::exists(b.folder / f));
    CHECK_FALSE(fs::exists(b.folder / "center.db-wal"));  // a standalone copy
    CHECK(issue(s, "A") == "A004");  // after the backup: lost by the restore, kept aside
    const int64_t newer = s.seq();
    s.stop();

    {
        store::DataLock held(s.dir.path);  // as a running server would hold it
        CHECK_THROWS_WITH(ops::restore_data(b.folder, s.dir.path, s.clock_ms.load()), Catch::Contains("is in use by process"));
    }
    ops::restore_data(b.folder, s.dir.path, s.clock_ms.load() + 60'000);
    const auto aside = s.dir / "replaced-20261124T010100Z";
    CHECK(fs::exists(aside / "center.db"));
    CHECK(ops::check_data(aside.parent_path() / "replaced-20261124T010100Z").events == newer);
    s.start(false);
    CHECK(s.seq() == at_backup);
    CHECK(issue(s, "A") == "A004");  // the numbering goes on from the backup
    CHECK(s.call("POST", "/api/tickets/1/start", "", s.staff(1)).status == 200);  // A001 was called before the backup
    CHECK(ops::check_data(s.dir.path).ok());
}

TEST_CASE("backups: the newest are kept, a partial one is never listed, a damaged one is refused and changes nothing") {
    TestServer s;
    issue(s, "A");
    TempDir backups;
    const int64_t t0 = s.clock_ms.load();
    std::vector<fs::path> made;
    for (int i = 0; i < 5; ++i) made.push_back(ops::backup_data(s.dir.path, backups.path, 3, t0 + i * 86'400'000LL).folder);
    const auto kept = ops::list_backups(backups.path);
    REQUIRE(kept.size() == 3);
    CHECK(kept == std::vector<fs::path>{made[2], made[3], made[4]});
    CHECK_FALSE(fs::exists(made[0]));
    // Two in the same second get two folders.
    CHECK(ops::backup_data(s.dir.path, backups.path, 10, t0).folder.filename() == "center-20261124T010000Z");
    CHECK(ops::backup_data(s.dir.path, backups.path, 10, t0).folder.filename() == "center-20261124T010000Z-2");
    fs::create_directories(backups.path / "center-20301231T000000Z.partial");
    CHECK(ops::list_backups(backups.path).back().filename() != "center-20301231T000000Z.partial");
    s.stop();

    const auto before = fs::file_size(s.dir / "center.db");
    {
        std::fstream f(made[4] / "center.db", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(5000);
        f.put('\x5a');
    }
    CHECK_THROWS_WITH(ops::restore_data(made[4], s.dir.path, t0), Catch::Contains("does not match its MANIFEST"));
    CHECK_THROWS_WITH(ops::restore_data(backups.path / "center-20301231T000000Z.partial", s.dir.path, t0),
                      Catch::Contains("no MANIFEST"));
    CHECK(fs::file_size(s.dir / "center.db") == before);
    CHECK_FALSE(fs::exists(s.dir / "center.db.restoring"));
    CHECK(ops::check_data(s.dir.path).ok());
    const auto [code, output] = run_command(kServer + " --data " + s.dir.path.string() + " restore " + made[4].string());
    CHECK(code == 2);
    CHECK(output.find("nothing was changed") != std::string::npos);
    CHECK(run_command(kServer + " --data " + s.dir.path.string() + " backup --keep 0").first != 0);
}

namespace {

// A copy of a whole folder (a data folder as it was, for one more cut-off restore).
fs::path copy_of(const fs::path& from, const fs::path& to) {
    fs::copy(from, to, fs::copy_options::recursive);
    return to;
}

// restore_data in a child process that dies by SIGKILL right after `at`: a real
// crash (no unwinding, no destructor), at a step the parent can name.
void restore_killed_at(const fs::path& backup, const fs::path& data, int64_t now_ms, const std::string& at) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        try {
            ops::restore_data(backup, data, now_ms, [&](const std::string& step) {
                if (step == at) ::raise(SIGKILL);
            });
        } catch (...) {
            ::_exit(1);
        }
        ::_exit(0);  // the step never came
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFSIGNALED(status));
}

// The real server on DATA, its stderr on its stdout.
std::unique_ptr<testing::Process> start_server(const fs::path& data) {
    return std::make_unique<testing::Process>(std::vector<std::string>{
        "/bin/sh", "-c", "exec " + kServer + " --data " + data.string() + " --demo --listen 127.0.0.1:0 2>&1"});
}

// The first line in which it says that it serves, or why it does not ("" when it ended without either).
std::string first_word(testing::Process& server) {
    for (std::string line; !(line = server.wait_for_line("")).empty();)
        if (line.find("listening") != std::string::npos || line.find("restore") != std::string::npos) return line;
    return "";
}

}  // namespace

TEST_CASE("restore: a MANIFEST naming a file outside DATA refuses the whole backup, and nothing is written anywhere", "[restore]") {
    TestServer s;
    issue(s, "A");
    TempDir work;
    const auto b = ops::backup_data(s.dir.path, work / "backups", 3, s.clock_ms.load()).folder;
    s.stop();
    // The hand-made backup: a good one, plus "../evil.db" (center.db's bytes, so its hash holds) beside it.
    fs::copy_file(b / "center.db", work / "backups" / "evil.db");
    nlohmann::json manifest = nlohmann::json::parse(std::ifstream(b / "MANIFEST"));
    manifest["files"]["../evil.db"] = manifest["files"]["center.db"];
    std::ofstream(b / "MANIFEST") << manifest.dump(2);
    const auto data = work / "data";
    fs::create_directories(data);

    const auto [code, output] = run_command(kServer + " --data " + data.string() + " restore " + b.string());
    INFO(output);
    CHECK(code == 2);
    CHECK(output.find("MANIFEST names \"../evil.db\", which is not a data file") != std::string::npos);
    CHECK(output.find("nothing was changed") != std::string::npos);
    CHECK_FALSE(fs::exists(work / "evil.db"));
    CHECK_FALSE(fs::exists(work / "evil.db.restoring"));
    CHECK(fs::is_empty(data));  // not even center.db: the whole backup is refused
    for (const char* name : {"/tmp/evil.db", "sub/center.db", "center.db-wal", "lock"}) {
        manifest["files"].erase("../evil.db");
        manifest["files"][name] = manifest["files"]["center.db"];
        std::ofstream(b / "MANIFEST") << manifest.dump(2);
        CHECK_THROWS_WITH(ops::restore_data(b, data, s.clock_ms.load()), Catch::Contains("which is not a data file"));
        manifest["files"].erase(name);
    }
    CHECK(fs::is_empty(data));
}

TEST_CASE("restore: cut off at any step, the server refuses the folder, and a second restore completes it", "[restore]") {
    TestServer s;
    for (int i = 0; i < 3; ++i) issue(s, "A");
    const int64_t at_backup = s.seq();
    TempDir work;
    const auto b = ops::backup_data(s.dir.path, work / "backups", 3, s.clock_ms.load()).folder;
    issue(s, "A");  // after the backup: the state the restore replaces
    const int64_t newer = s.seq();
    s.stop();
    for (const std::string at : {"marked", "moved center.db", "moved catalog.db", "placed center.db", "placed dossiers.db"}) {
        DYNAMIC_SECTION("cut off after " << at) {
            const auto data = copy_of(s.dir.path, work / "data");
            restore_killed_at(b, data, s.clock_ms.load(), at);
            const auto refused = start_server(data);
            const std::string said = first_word(*refused);
            INFO(said);
            REQUIRE(said.find("listening") == std::string::npos);  // else it serves a half-restored folder
            CHECK(refused->wait_exit() == 2);
            CHECK(said.find("run `queue-server restore --data " + data.string() + " BACKUP` again") != std::string::npos);
            CHECK(run_command(kServer + " --data " + data.string() + " backup").second.find("cut off") != std::string::npos);

            const auto [code, output] = run_command(kServer + " --data " + data.string() + " restore " + b.string());
            INFO(output);
            REQUIRE(code == 0);
            CHECK(output.find("completed the restore that was cut off") != std::string::npos);
            CHECK_FALSE(fs::exists(data / ops::kRestoreMarker));
            const auto aside = data / "replaced-20261124T010000Z";
            CHECK(ops::check_data(aside).events == newer);  // the old files, all in one place
            struct stat st {};
            REQUIRE(::stat((data / "center.db").c_str(), &st) == 0);
            CHECK((st.st_mode & 077) == 0);
            CHECK(ops::check_data(data).ok());
            const auto server = start_server(data);
            const std::string banner = first_word(*server);
            REQUIRE(banner.find("listening") != std::string::npos);
            CHECK(testing::http_call(testing::port_from_banner(banner), "GET", "/healthz").body["seq"] == at_backup);
        }
    }
}

TEST_CASE("one process at a time owns a data folder: a second server is refused while the first runs") {
    TempDir dir;
    testing::Process first({kServer, "--data", dir.path.string(), "--demo", "--listen", "127.0.0.1:0"});
    REQUIRE_FALSE(first.wait_for_line("listening").empty());
    const auto [code, output] = run_command(kServer + " --data " + dir.path.string() + " --demo --listen 127.0.0.1:0");
    CHECK(code == 2);
    CHECK(output.find("is in use by process") != std::string::npos);
    const auto online = run_command(kServer + " --data " + dir.path.string() + " backup");
    CHECK(online.first == 0);  // a backup does not need the lock: it reads one consistent state
    CHECK(run_command(kServer + " --data " + dir.path.string() + " check").first == 0);
}

TEST_CASE("setup: a new center from flags, an admin who can log in, kiosk and display tokens that work, and a second run keeps them") {
    TempDir dir;
    const auto data = dir / "data", config = dir / "etc" / "center.toml", tokens = dir / "etc" / "tokens";
    const std::string setup = kServer + " setup --data " + data.string() + " --config " + config.string() + " --tokens " +
                              tokens.string() + " --center-name 'Trung tâm Phục vụ hành chính công xã Tân Phú' --kiosk 'Sảnh 1' --display Hall";
    CHECK(run_command("printf 'short\\n' | " + setup).first == 2);  // too short a password
    CHECK_FALSE(fs::exists(config));                                    // ... and nothing written
    const auto password_file = dir / "password";
    std::ofstream(password_file) << "another long password\n";
    CHECK(run_command(kServer + " setup --data " + data.string() + " --config " + (dir / "x.toml").string() + " --tokens " +
                      tokens.string() + " --center-name X --timezone Nowhere/City --admin-password-file " + password_file.string()).second.find("unknown time zone") !=
          std::string::npos);
    CHECK_FALSE(fs::exists(dir / "x.toml"));
    const auto [code, output] = run_command("printf 'correct horse battery\\n' | " + setup);
    INFO(output);
    REQUIRE(code == 0);
    CHECK(output.find("wrote " + config.string()) != std::string::npos);
    CHECK(output.find("created the admin account admin") != std::string::npos);
    const auto kiosk_token = tokens / "kiosk-Sảnh-1.token", display_token = tokens / "display-Hall.token";
    REQUIRE(fs::exists(kiosk_token));
    struct stat st {};
    REQUIRE(::stat(kiosk_token.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(run_command(kServer + " check-config " + config.string()).second.find("OK, 2 services, 2 counters") != std::string::npos);

    // The operator edits the starting config; here, hours around the clock so the test runs at any hour.
    CHECK(run_command("sed -i 's/^open = .*/open = \"00:00\"/; s/^close = .*/close = \"24:00\"/' " + config.string()).first == 0);
    testing::Process server({kServer, "--data", data.string(), "--config", config.string(), "--listen", "127.0.0.1:0"});
    const std::string line = server.wait_for_line("listening");
    const uint16_t port = static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    auto login = testing::http_call(port, "POST", "/api/login", R"({"user":"admin","password":"correct horse battery"})");
    CHECK(login.status == 200);
    auto ticket = testing::http_call(port, "POST", "/api/tickets", R"({"service":"A"})", common::first_line_of(kiosk_token));
    CHECK(ticket.status == 201);
    CHECK(ticket.body["number"] == "A001");
    auto state = testing::http_call(port, "GET", "/api/state", "", common::first_line_of(display_token));
    CHECK(state.status == 200);
    CHECK(state.body["center"]["name"] == "Trung tâm Phục vụ hành chính công xã Tân Phú");
    // While it runs, setup is refused (the server holds accounts in memory).
    CHECK(run_command("printf 'x\\n' | " + setup).second.find("is in use") != std::string::npos);
    server.kill(SIGTERM);
    server.wait_exit();

    const std::string first_token = common::first_line_of(kiosk_token);
    const auto again = run_command(setup + " --kiosk 'Sảnh 2' < /dev/null");
    INFO(again.second);
    CHECK(again.first == 0);
    CHECK(again.second.find("account admin exists") != std::string::npos);
    CHECK(again.second.find("exists, left as it is") != std::string::npos);
    CHECK(common::first_line_of(kiosk_token) == first_token);
    CHECK(fs::exists(tokens / "kiosk-Sảnh-2.token"));
}

TEST_CASE("systemd: READY with a status, then WATCHDOG pings, on a real notify socket, held back while the writer is stuck") {
    TempDir dir;
    const auto socket_path = dir / "notify";
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket_path.c_str(), sizeof addr.sun_path - 1);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    ::setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
    ::setenv("WATCHDOG_USEC", "100000", 1);
    testing::Process server({kServer, "--data", (dir / "data").string(), "--demo", "--listen", "127.0.0.1:0"});
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    auto receive = [&] {
        char buf[512];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);  // blocks until the server speaks
        return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
    };
    const std::string ready = receive();
    CHECK(ready.starts_with("READY=1\nSTATUS=serving on port "));
    CHECK(receive() == "WATCHDOG=1");
    CHECK(receive() == "WATCHDOG=1");
    server.kill(SIGTERM);
    std::string last;
    while ((last = receive()) == "WATCHDOG=1") {
    }
    CHECK(last == "STOPPING=1");
    CHECK(server.wait_exit() == 0);
    ::close(fd);

    using P = api::Watchdog::Progress;
    CHECK_FALSE(api::Watchdog::stuck(P{10, 10}, P{12, 12}));  // events came and went
    CHECK_FALSE(api::Watchdog::stuck(P{10, 8}, P{12, 9}));    // behind, but moving
    CHECK(api::Watchdog::stuck(P{10, 8}, P{12, 8}));          // waiting, and nothing became durable
    CHECK_FALSE(api::Watchdog::stuck(P{10, 10}, P{10, 10}));  // quiet hall: nothing waits
}

TEST_CASE("logs: --log-format json writes one parseable object per line with level and message") {
    TempDir dir;
    const auto [code, output] = run_command(kServer + " --data " + dir.path.string() +
                                            " --demo --listen 127.0.0.1:0 --web /nonexistent/web --log-format json");
    CHECK(code == 2);
    int objects = 0;
    std::istringstream lines(output);
    for (std::string l; std::getline(lines, l);) {
        if (l.empty() || l.front() != '{') continue;
        const auto j = nlohmann::json::parse(l);
        CHECK(j["ts"].is_number_integer());
        CHECK(j.contains("level"));
        if (j["level"] == "error") CHECK(j["msg"].get<std::string>().find("/nonexistent/web") != std::string::npos);
        ++objects;
    }
    CHECK(objects >= 2);
    CHECK(run_command(kServer + " --log-format xml check-config x").first != 0);
    const auto level = run_command(kServer + " --log-level loud check-config x");
    CHECK(level.first == 2);
    CHECK(level.second.find("unknown log level 'loud'") != std::string::npos);
}
