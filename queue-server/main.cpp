// queue-server: the one authority over a center's queue. Parses the command line
// and hands over to api::run_app, or to an operator's command (ops/).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "api/app.hpp"
#include "ops/backup.hpp"
#include "ops/check.hpp"
#include "api/config_file.hpp"
#include "api/logging.hpp"
#include "api/route_doc.hpp"
#include "ops/setup.hpp"

namespace {

struct OpsCommands {
    CLI::App *check = nullptr, *check_config = nullptr, *backup = nullptr, *restore = nullptr, *setup = nullptr;
    std::string config_file, backups, backup_folder;
    int keep = 14;
    ops::SetupOptions setup_options;
};

void add_ops_commands(CLI::App& cli, OpsCommands& c) {
    c.check = cli.add_subcommand("check", "verify DATA: the event log against its views, and every file's integrity");
    c.check_config = cli.add_subcommand("check-config", "check a center config as the server would, and say OK or the line at fault");
    c.check_config->add_option("FILE", c.config_file, "center config (TOML)")->required();
    c.backup = cli.add_subcommand("backup", "online backup of DATA (the server may run), keeping the newest --keep");
    c.backup->add_option("--to", c.backups, "folder of backups (default: DATA/backups)");
    c.backup->add_option("--keep", c.keep, "backups kept, newest first")->capture_default_str()->check(CLI::Range(1, 10000));
    c.restore = cli.add_subcommand("restore", "verify a backup and put it into DATA (the server must be stopped)");
    c.restore->add_option("BACKUP", c.backup_folder, "a backup folder, DATA/backups/center-...")->required();
    auto& s = c.setup_options;
    c.setup = cli.add_subcommand("setup", "first run: a center config, the admin account, kiosk and display tokens");
    c.setup->add_option("--config", s.config, "center config to write if missing, and check")->required();
    c.setup->add_option("--tokens", s.tokens, "folder for the device token files")->required();
    c.setup->add_option("--center-name", s.center_name, "the center's name, for a new config");
    c.setup->add_option("--timezone", s.timezone, "IANA zone or UTC+hh:mm, for a new config")->capture_default_str();
    c.setup->add_option("--level", s.level, "province, commune or another word, for a new config")->capture_default_str();
    c.setup->add_option("--admin", s.admin, "the admin's user name")->capture_default_str();
    c.setup->add_option("--admin-password-file", s.admin_password_file, "file holding the admin's password (else it is asked)");
    c.setup->add_option("--kiosk", s.kiosks, "a kiosk's name (repeatable): a token for it");
    c.setup->add_option("--display", s.displays, "a display's name (repeatable): a token for it");
    c.setup->add_option("--owner", s.owner, "the user the server runs as (packaged: service-center): DATA becomes its");
}

// The operator's command given, if any; nullopt to run the server.
std::optional<int> run_ops_command(const OpsCommands& c, const std::filesystem::path& data) {
    if (c.check->parsed()) return ops::run_check(data);
    if (c.backup->parsed()) return ops::run_backup(data, c.backups.empty() ? data / "backups" : std::filesystem::path(c.backups), c.keep);
    if (c.restore->parsed()) return ops::run_restore(c.backup_folder, data);
    if (c.setup->parsed()) {
        auto s = c.setup_options;
        s.data = data;
        return ops::run_setup(s);
    }
    if (c.check_config->parsed()) {
        try {
            const auto config = api::load_config_file(c.config_file);
            std::cout << c.config_file << ": OK, " << config.center.services.size() << " services, "
                      << config.center.counters.size() << " counters" << std::endl;
            return 0;
        } catch (const api::ConfigError& e) {
            std::cerr << e.what() << std::endl;
            return 2;
        }
    }
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    // Before any file is made: the databases, their -wal and -shm (SQLite gives
    // them the database's mode), tokens, backups, DATA itself are the service's
    // alone, whatever umask the shell or the unit left us.
    ::umask(077);
    CLI::App cli{"queue-server: tickets, counters and calls for a public-service center"};
    cli.fallthrough();  // "queue-server backup --data DIR" as well as "queue-server --data DIR backup"
    api::AppOptions o;
    std::string listen = "127.0.0.1:8080", log_level = "info", log_format = "text", config;
    cli.add_option("--data", o.data, "folder for center.db and demo-credentials.json")->capture_default_str();
    cli.add_option("--listen", listen, "HOST:PORT to serve HTTP and WebSocket on (port 0: any free one)")->capture_default_str();
    cli.add_option("--config", config, "center config (TOML), see deploy/center.example.toml");
    cli.add_flag("--demo", o.demo, "seed a demo center and write DATA/demo-credentials.json");
    std::string feed_secret_file;
    cli.add_option("--feed-secret-file", feed_secret_file, "file holding the dossier backend's HMAC key (demo: DATA/feed-secret)");
    std::string web;
    cli.add_option("--web", web, "folder of the browser UI's built files, served at / (console, dashboard, admin)");
    cli.add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();
    cli.add_option("--log-format", log_format, "text, json (one object a line) or journal (systemd's, with fields)")
        ->capture_default_str()->check(CLI::IsMember({"text", "json", "journal"}));
    auto* catalog_cmd = cli.add_subcommand("catalog", "manage the procedure catalog");
    std::string catalog_file;
    auto* import_cmd = catalog_cmd->add_subcommand("import", "replace the catalog with a JSON or CSV file (all or nothing)");
    import_cmd->add_option("FILE", catalog_file, "catalog file")->required();
    catalog_cmd->require_subcommand(1);
    auto* dossiers_cmd = cli.add_subcommand("dossiers", "manage dossier status");
    std::string dossier_file;
    auto* dossier_import = dossiers_cmd->add_subcommand("import", "add a CSV export of the dossier software (repeatable)");
    dossier_import->add_option("FILE", dossier_file, "CSV file")->required();
    dossiers_cmd->require_subcommand(1);
    auto* routes_cmd = cli.add_subcommand("routes", "print who may call what (docs/api.md's matrix) from the route table");
    OpsCommands ops_commands;
    add_ops_commands(cli, ops_commands);
    CLI11_PARSE(cli, argc, argv);
    if (routes_cmd->parsed()) {
        std::cout << api::route_matrix_markdown();
        return 0;
    }
    try {
        api::setup_logging(log_format, log_level);
    } catch (const std::invalid_argument& e) {
        std::cerr << "queue-server: " << e.what() << std::endl;
        return 2;
    }
    if (import_cmd->parsed()) return api::import_catalog_file(o.data, catalog_file);
    if (dossier_import->parsed()) return api::import_dossier_file(o.data, dossier_file);
    if (auto code = run_ops_command(ops_commands, o.data)) return *code;
    if (!config.empty()) o.config = config;
    if (!feed_secret_file.empty()) o.feed_secret_file = feed_secret_file;
    if (!web.empty()) o.web = web;
    if (!api::parse_listen(listen, o.host, o.port)) {
        std::cerr << "queue-server: --listen wants HOST:PORT, got '" << listen << "'\n";
        return 2;
    }
    try {
        return api::run_app(o);
    } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return 3;
    }
}
