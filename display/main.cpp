// display: the hall board and its voice. Thin: options → DisplayApp.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <sys/stat.h>

#include "display/app.hpp"
#include "common/local_time.hpp"
#include "display/speech.hpp"
#include "display/voice.hpp"

namespace {

// The default pack: beside the binary (a build tree), or where the package puts it.
std::filesystem::path default_voice_pack() {
    if (char* base = SDL_GetBasePath()) {
        const std::filesystem::path beside = std::filesystem::path(base) / "voice-pack";
        SDL_free(base);
        if (std::filesystem::is_directory(beside)) return beside;
    }
    return "/usr/share/service-center/voice-pack";
}

// `display say A105 3 --wav out.wav`: one announcement to a file, to hear a voice pack;
// with --place "quầy thu phí số 2" a visit's later step, with --returned a ticket back
// from being parked (the place defaults to "quầy số N").
int say(const display::DisplayConfig& config, const std::string& ticket, int counter, const std::string& wav,
        const std::string& place, bool returned) {
    display::VoicePack pack(config.voice.custom, config.voice.pack, [](const std::string& m) { spdlog::warn("{}", m); });
    using display::CallWording;
    const CallWording kind = returned ? CallWording::returned : place.empty() ? CallWording::first : CallWording::next_step;
    const std::string where = place.empty() ? "quầy số " + std::to_string(counter) : place;
    const auto clips = kind == CallWording::first ? display::call_clips(config.voice, ticket, counter)
                                                  : display::call_clips(config.voice, ticket, counter, where, kind);
    for (const auto& c : clips) std::cout << c << '\n';
    display::write_wav(wav, pack.render(clips, config.voice.volume));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Screenshots and WAVs it writes are this display user's alone.
    ::umask(077);
    CLI::App cli{"display: the hall board — shows and speaks the calls of a queue server"};
    std::string config_file, server, token_file, layout, qr, shot, voice_pack, logo, say_ticket, say_wav, say_place;
    int counter = 0, say_counter = 0;
    bool windowed = false, list_clips = false, say_returned = false;
    cli.add_option("--config", config_file, "display TOML (deploy/display.example.toml)");
    cli.add_option("--server", server, "http://HOST:PORT of the queue server");
    cli.add_option("--token-file", token_file, "file holding this display's device token");
    cli.add_option("--layout", layout, "hall or counter")->check(CLI::IsMember({"hall", "counter"}));
    cli.add_option("--counter", counter, "the counter shown by the counter layout");
    cli.add_option("--qr", qr, "the QR to the phone's queue page: auto (as the server says), on or off")
        ->check(CLI::IsMember({"auto", "on", "off"}));
    cli.add_option("--voice-pack", voice_pack, "folder of the default voice clips");
    cli.add_option("--logo", logo, "a PNG shown at the top left");
    cli.add_flag("--windowed", windowed, "a window, not full screen (the demo)");
    cli.add_option("--screenshot", shot, "write a PNG of the board after each change (at most once a second)");
    cli.add_flag("--list-clips", list_clips, "print the clips the default voice pack needs, one a line");
    auto* say_cmd = cli.add_subcommand("say", "write one announcement to a WAV file");
    say_cmd->add_option("ticket", say_ticket)->required();
    say_cmd->add_option("counter", say_counter)->required();
    say_cmd->add_option("--wav", say_wav)->required();
    say_cmd->add_option("--place", say_place, "a visit's later step, called to this place (\"quầy thu phí số 2\")");
    say_cmd->add_flag("--returned", say_returned, "a ticket back from being parked");
    CLI11_PARSE(cli, argc, argv);
    display::keep_frame_memory();

    try {
        display::DisplayConfig config = config_file.empty() ? display::DisplayConfig{} : display::load_display_config(config_file);
        if (!server.empty()) config.server = server;
        if (!token_file.empty()) config.token = display::read_token_file(token_file);
        if (!layout.empty()) config.layout = layout == "hall" ? display::LayoutKind::hall : display::LayoutKind::counter;
        if (counter) config.counter = counter;
        if (!qr.empty()) config.qr = display::parse_qr_mode(qr);
        if (!voice_pack.empty()) config.voice.pack = voice_pack;
        if (!logo.empty()) config.logo = logo;
        if (config.voice.pack.empty()) config.voice.pack = default_voice_pack();
        if (windowed) config.fullscreen = false;
        if (list_clips) {
            for (const auto& c : display::pack_clips(config.voice)) std::cout << c << '\n';
            return 0;
        }
        if (*say_cmd) return say(config, say_ticket, say_counter, say_wav, say_place, say_returned);
        if (config.layout == display::LayoutKind::counter && config.counter <= 0) {
            std::cerr << "display: the counter layout needs --counter N\n";
            return 2;
        }
        if (config.token.empty()) {
            std::cerr << "display: no device token (--token-file, or token_file in the config)\n";
            return 2;
        }
        display::DisplayApp app(config, common::system_now_ms, [](const std::string& m) {
            if (m.rfind("connected", 0) == 0) spdlog::info("{}", m);
            else spdlog::warn("{}", m);
        });
        if (!shot.empty()) app.screenshot_every_change(shot);
        app.start();
        app.run();
        return 0;
    } catch (const display::ConfigError& e) {
        std::cerr << "display: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "display: " << e.what() << '\n';
        return 1;
    }
}
