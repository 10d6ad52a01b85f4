// postgres_server: a real PostgreSQL cluster for one test — initdb in a temp
// folder, postgres on a free loopback port, stopped (fast shutdown) at the end.
// As root, it runs as the `postgres` user (initdb refuses root). The test waits
// for the server's "ready" line, never on the clock.
#pragma once
#include <csignal>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>

#include "loopback.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace testing {

inline std::filesystem::path postgres_bin() {
    for (int v = 20; v >= 13; --v) {
        const std::filesystem::path dir = "/usr/lib/postgresql/" + std::to_string(v) + "/bin";
        if (std::filesystem::exists(dir / "initdb")) return dir;
    }
    throw std::runtime_error("no PostgreSQL server (apt install postgresql)");
}

class PostgresServer {
public:
    PostgresServer() : port_(free_loopback_port()) {
        const auto bin = postgres_bin();
        const std::string as = ::geteuid() == 0 ? "setpriv --reuid=postgres --regid=postgres --init-groups -- " : "";
        if (::geteuid() == 0 && run_command("chown postgres: " + dir_.path.string()).first != 0)
            throw std::runtime_error("cannot give the cluster folder to postgres");
        const auto [code, output] = run_command(as + (bin / "initdb").string() + " -D " + (dir_ / "db").string() +
                                                " -A trust -U center -E UTF8 --locale=C.UTF-8 --no-sync");
        if (code != 0) throw std::runtime_error("initdb failed: " + output);
        server_ = std::make_unique<Process>(std::vector<std::string>{
            "/bin/sh", "-c",
            "exec " + as + (bin / "postgres").string() + " -D " + (dir_ / "db").string() + " -p " + std::to_string(port_) +
                " -k " + dir_.path.string() + " -c listen_addresses=127.0.0.1 -c fsync=off 2>&1"});
        if (server_->wait_for_line("ready to accept connections").empty()) throw std::runtime_error("postgres did not start");
        // Its log goes on (a cut connection is a line): read it, so the pipe never fills and blocks it.
        drain_ = std::thread([this] { server_->wait_for_line("\x01 not a line postgres writes"); });
    }
    ~PostgresServer() {
        server_->kill(SIGINT);  // fast shutdown (ends sessions, writes a checkpoint); waits for it
        drain_.join();
    }
    uint16_t port() const { return port_; }
    std::string conninfo(uint16_t port = 0) const {
        return "host=127.0.0.1 port=" + std::to_string(port ? port : port_) + " user=center dbname=postgres connect_timeout=5";
    }

private:
    TempDir dir_;
    uint16_t port_;
    std::unique_ptr<Process> server_;
    std::thread drain_;
};

}  // namespace testing
