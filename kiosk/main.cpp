// kiosk: the touch kiosk of a service hall. Thin: options → KioskApp.
//   kiosk --config /etc/center/kiosk.toml
//   kiosk --server http://127.0.0.1:8080 --token-file data/kiosk-token --printer file:data/prints --windowed
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <sys/stat.h>

#include "kiosk/app.hpp"
#include "common/toml_file.hpp"

namespace {

void stop(int) { kiosk::KioskApp::request_stop(); }

}  // namespace

int main(int argc, char** argv) {
    // The catalog cache, the printed tickets of file:DIR and screenshots are this kiosk user's alone.
    ::umask(077);
    CLI::App cli{"kiosk: take a number, find a procedure, check a dossier — the touch kiosk of a service hall"};
    std::string config_file, server, token_file, printer, cache_dir, logo, shot;
    int width = 0, height = 0, paper = 0;
    bool windowed = false, english = false;
    cli.add_option("--config", config_file, "kiosk TOML (deploy/kiosk.example.toml)");
    cli.add_option("--server", server, "http://HOST:PORT of the queue server");
    cli.add_option("--token-file", token_file, "file holding this kiosk's device token");
    cli.add_option("--printer", printer, "usb:, usb:VID:PID, cups:QUEUE, tcp:HOST[:PORT], file:DIR");
    cli.add_option("--paper", paper, "paper width in mm")->check(CLI::IsMember({58, 80}));
    cli.add_option("--logo", logo, "logo image printed on tickets");
    cli.add_option("--cache", cache_dir, "folder of the catalog cache");
    cli.add_option("--width", width, "window width (windowed)");
    cli.add_option("--height", height, "window height (windowed)");
    cli.add_flag("--windowed", windowed, "a window, not full screen (the demo)");
    cli.add_option("--screenshot", shot, "write a PNG of the screen after each change (at most once a second)");
    cli.add_flag("--english", english, "start in English");
    CLI11_PARSE(cli, argc, argv);

    try {
        kiosk::KioskConfig config = config_file.empty() ? kiosk::KioskConfig{} : kiosk::load_kiosk_config(config_file);
        if (!server.empty()) config.server = server;
        if (!token_file.empty()) config.token = common::first_line_of(token_file);
        if (!printer.empty()) config.printer = printer;
        if (paper) config.paper_mm = paper;
        if (!logo.empty()) config.logo = logo;
        if (!cache_dir.empty()) config.cache_dir = cache_dir;
        if (width) config.width = width;
        if (height) config.height = height;
        if (windowed) config.fullscreen = false;
        if (english) config.english_first = true;
        if (config.token.empty()) {
            std::cerr << "kiosk: no device token (--token-file, or token_file in the config)\n";
            return 2;
        }
        // Our own handlers: SDL's would turn SIGTERM into SDL_QUIT, which a kiosk ignores.
        SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
        std::signal(SIGTERM, stop);
        std::signal(SIGINT, stop);
        kiosk::KioskApp app(config, common::system_now_ms, [](const std::string& m) {
            if (m.rfind("connected", 0) == 0 || m.rfind("catalog version", 0) == 0) spdlog::info("{}", m);
            else spdlog::warn("{}", m);
        });
        app.start();
        if (!shot.empty()) app.screenshot_every_change(shot);
        app.run();
        return 0;
    } catch (const kiosk::ConfigError& e) {
        std::cerr << "kiosk: " << e.what() << '\n';
        return 2;
    } catch (const common::TomlError& e) {
        std::cerr << "kiosk: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "kiosk: " << e.what() << '\n';
        return 1;
    }
}
