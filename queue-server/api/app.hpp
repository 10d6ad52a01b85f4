// app: the queue-server process — open the data folder, rebuild from the log,
// apply the config or seed the demo, serve until told to stop.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace api {

struct AppOptions {
    std::filesystem::path data = "data";
    std::string host = "127.0.0.1";
    uint16_t port = 8080;
    std::optional<std::filesystem::path> config;
    bool demo = false;
    std::optional<std::filesystem::path> feed_secret_file;  // the dossier backend's HMAC key
    std::optional<std::filesystem::path> web;  // the browser UI's built files, served at /
};

// Parses "HOST:PORT" ("0.0.0.0:8080", "[::1]:0"); false if it is not one.
bool parse_listen(const std::string& text, std::string& host, uint16_t& port);

// `queue-server catalog import FILE`: replaces DATA/catalog.db's procedures, all
// or nothing; 0 on success, 2 with the line and reason on a broken file.
int import_catalog_file(const std::filesystem::path& data, const std::filesystem::path& file);

// `queue-server dossiers import FILE`: a CSV export of the dossier software into
// DATA/dossiers.db, all or nothing, repeatable; 0, or 2 with the line and reason.
int import_dossier_file(const std::filesystem::path& data, const std::filesystem::path& file);

// Returns the process exit code: 0 after a clean stop, 2 for bad config, 3 when the disk failed.
int run_app(const AppOptions& options);

}  // namespace api
