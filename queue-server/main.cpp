// queue-server: the one authority over a center's queue. Parses the command line
// and hands over to api::run_app.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app.hpp"

int main(int argc, char** argv) {
    CLI::App cli{"queue-server: tickets, counters and calls for a public-service center"};
    api::AppOptions o;
    std::string listen = "127.0.0.1:8080", log_level = "info", config;
    cli.add_option("--data", o.data, "folder for center.db and demo-credentials.json")->capture_default_str();
    cli.add_option("--listen", listen, "HOST:PORT to serve HTTP and WebSocket on (port 0: any free one)")->capture_default_str();
    cli.add_option("--config", config, "center config (TOML), see deploy/center.example.toml");
    cli.add_flag("--demo", o.demo, "seed a demo center and write DATA/demo-credentials.json");
    std::string feed_secret_file;
    cli.add_option("--feed-secret-file", feed_secret_file, "file holding the dossier backend's HMAC key (demo: DATA/feed-secret)");
    std::string web;
    cli.add_option("--web", web, "folder of the browser UI's built files, served at / (console, dashboard, admin)");
    cli.add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();
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
    CLI11_PARSE(cli, argc, argv);
    if (import_cmd->parsed()) return api::import_catalog_file(o.data, catalog_file);
    if (dossier_import->parsed()) return api::import_dossier_file(o.data, dossier_file);
    if (!config.empty()) o.config = config;
    if (!feed_secret_file.empty()) o.feed_secret_file = feed_secret_file;
    if (!web.empty()) o.web = web;
    if (!api::parse_listen(listen, o.host, o.port)) {
        std::cerr << "queue-server: --listen wants HOST:PORT, got '" << listen << "'\n";
        return 2;
    }
    spdlog::set_level(spdlog::level::from_str(log_level));
    try {
        return api::run_app(o);
    } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return 3;
    }
}
