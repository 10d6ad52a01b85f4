// private_files_test: what the real programs write is their user's alone (issue 19,
// item 10). The server's databases with their -wal and -shm, the demo's
// credentials, the feed secret and the lock sit in a 0700 folder with no bit for
// the group or others, and setup's tokens and config are 0600 — all under a
// permissive umask (022), as a shell or an old unit would leave it, since a
// secret made readable and then chmod-ed can be read in between.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sys/stat.h>

#include "http_client.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using testing::TempDir;

namespace {

const std::string kServer = QUEUE_SERVER_BIN;

// The umask of this test process for one scope: children inherit it.
struct Umask {
    mode_t saved;
    explicit Umask(mode_t m) : saved(::umask(m)) {}
    ~Umask() { ::umask(saved); }
};

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

// Every file in `folder` (and below) shut to the group and others; returns their names.
std::set<std::string> all_private(const fs::path& folder) {
    std::set<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        INFO(entry.path().string() << " is " << std::oct << mode_of(entry.path()));
        CHECK((mode_of(entry.path()) & 077) == 0);
        names.insert(fs::relative(entry.path(), folder).string());
    }
    return names;
}

}  // namespace

TEST_CASE("files: the demo server's data folder is 0700 and nothing in it is readable by others, under umask 022") {
    const Umask permissive(022);
    TempDir dir;
    const auto data = dir / "data";  // new: the server makes it
    testing::Process server({kServer, "--data", data.string(), "--demo", "--listen", "127.0.0.1:0"});
    const uint16_t port = testing::port_from_banner(server.wait_for_line("listening"));
    const auto creds = nlohmann::json::parse(std::ifstream(data / "demo-credentials.json"));
    const auto ticket = testing::http_call(port, "POST", "/api/tickets", R"({"service":"A"})", creds["kiosk_token"].get<std::string>());
    REQUIRE(ticket.status == 201);  // written through: the -wal is there

    CHECK(mode_of(data) == 0700);
    const auto names = all_private(data);
    for (const char* f : {"center.db", "center.db-wal", "center.db-shm", "catalog.db", "dossiers.db", "demo-credentials.json",
                          "feed-secret", "lock"})
        CHECK(names.count(f) == 1);
    const auto backup = testing::run_command(kServer + " --data " + data.string() + " backup");
    CHECK(backup.first == 0);
    all_private(data);  // the backups too
}

TEST_CASE("files: setup's tokens and config are 0600 and its data and token folders 0700, under umask 022") {
    const Umask permissive(022);
    TempDir dir;
    const auto data = dir / "data", config = dir / "etc" / "center.toml", tokens = dir / "tokens";
    const auto [code, output] = testing::run_command("printf 'correct horse battery\\n' | " + kServer + " setup --data " + data.string() +
                                                     " --config " + config.string() + " --tokens " + tokens.string() +
                                                     " --center-name X --kiosk K1 --display D1");
    INFO(output);
    REQUIRE(code == 0);
    CHECK(mode_of(tokens) == 0700);
    CHECK(all_private(tokens) == std::set<std::string>{"kiosk-K1.token", "display-D1.token"});
    CHECK(mode_of(config) == 0600);
    CHECK(mode_of(config.parent_path()) == 0755);  // the service's user must enter it to read its 0640 config
    CHECK(mode_of(data) == 0700);
    all_private(data);
}
