// config: what one hall display shows and says, from a TOML file
// (deploy/display.example.toml shows every key) and the command line.
//
// A bad file is refused with the line and the reason, as the server's config
// is, and so is a font, a logo or a time zone that is not there: at start an
// operator is watching, and boxes for letters are worse found later. A font or
// voice folder that goes missing while the board runs is not fatal: the board
// falls back to the default and says so in its log (a blank hall screen is
// worse than the wrong typeface).
#pragma once
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/vi_numbers.hpp"

namespace display {

enum class LayoutKind { hall, counter };
enum class Orientation { automatic, landscape, portrait };
enum class NumberReading { letter_then_number, digit_by_digit };
// The QR to the phone's queue page: follow the server's [phone] display_qr, always
// (when the server has a public_url), or never.
enum class QrMode { automatic, on, off };

struct VoiceConfig {
    bool enabled = true;
    std::filesystem::path pack;    // the default pack (built with espeak-ng); empty: the one built in
    std::filesystem::path custom;  // a center's recordings, same names; tried first
    std::string wording = "Mời công dân có số {number} đến quầy số {counter}";
    // A visit's later step, and a ticket back from being parked (issue 22): {place}
    // is where it goes, "quầy thu phí số 2" or "quầy số 2, thu phí" (place.hpp).
    std::string step_wording = "Mời công dân có số {number} đến {place}";
    std::string return_wording = "Mời công dân có số {number} quay lại {place}";
    NumberReading reading = NumberReading::letter_then_number;
    common::NumberStyle style;
    bool chime = true;
    int volume = 80;                           // percent
    std::optional<std::pair<int, int>> quiet;  // local minutes [from, to): nothing is spoken
    int max_pending = 4;                       // calls waiting to be spoken; older ones are skipped
    int max_delay_s = 60;                      // a call not spoken within this is skipped
};

struct DisplayConfig {
    std::string server = "http://127.0.0.1:8080";
    std::string token;  // read from token_file or --token-file
    LayoutKind layout = LayoutKind::hall;
    int counter = 0;    // for the counter layout
    Orientation orientation = Orientation::automatic;
    std::set<std::string> services;  // shown services; empty: all
    std::set<int> counters;          // shown counters; empty: all
    bool english = true;
    bool fullscreen = true;
    int width = 1920, height = 1080;  // the window when not full screen
    int calls_shown = 8;              // previous calls listed beside the newest
    int blink_seconds = 6;
    std::string center_name;          // empty: the server's
    std::filesystem::path logo;
    std::string ticker;               // the scrolling notice line; empty: none
    int ticker_speed = 90;            // pixels a second at 1080 lines; 0: still
    std::filesystem::path font_regular = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
    std::filesystem::path font_bold = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";
    std::string timezone = "Asia/Ho_Chi_Minh";
    int offline_mark_seconds = 3;     // offline this long: show "reconnecting"
    // "software": SDL's software renderer straight to the window (X11 shared
    // memory): without a GPU it is 3× faster than OpenGL on llvmpipe and uses a
    // third of the memory (bench/README.md). "accelerated" for a board with a GPU.
    bool software_renderer = true;
    QrMode qr = QrMode::automatic;  // "auto", "on", "off"
    VoiceConfig voice;
};

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Throws ConfigError naming the file, line or key and the reason.
DisplayConfig load_display_config(const std::filesystem::path& file);
DisplayConfig parse_display_config(const std::string& toml_text, const std::string& source_name);
// "22:00-06:00" → local minutes; throws ConfigError.
std::pair<int, int> parse_quiet_hours(const std::string& text);
// "auto" | "on" | "off" → QrMode; throws ConfigError.
QrMode parse_qr_mode(const std::string& text);
// The first line of a token file, without its newline; throws ConfigError.
std::string read_token_file(const std::filesystem::path& file);

// The longest ticker kept: beyond it the text is cut (and the log says so).
constexpr size_t kMaxTickerChars = 2000;

}  // namespace display
