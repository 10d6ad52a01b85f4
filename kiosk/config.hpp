// config: one kiosk — its server, printer, screen and the admin's way out —
// from a TOML file (deploy/kiosk.example.toml shows every key) and the command line.
//
// As with the display, a bad file is refused with the line, the key and the
// reason, and so is a missing font, logo or an unknown time zone; a printer
// that is missing or out of paper is not a config error (the kiosk runs and
// shows tickets on screen).
#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>

namespace kiosk {

struct KioskConfig {
    std::string server = "http://127.0.0.1:8080";
    std::string token;                  // the kiosk's device token (token_file)
    std::string printer = "file:prints";  // drivers::open_transport address
    int paper_mm = 80;                  // 80 or 58
    std::filesystem::path logo;         // printed at the top of tickets; none when empty
    std::string ticket_footer = "Vui lòng chú ý màn hình và loa gọi số. Số chỉ có giá trị trong ngày.";
    // The ticket's QR, overriding the server's follow URL: "{number}", "{id}", "{day}", "{key}" (the
    // ticket's follow key) are replaced. Empty: the server's follow_url (printing.hpp).
    std::string follow_url;
    bool fullscreen = true;
    int width = 1080, height = 1920;    // the window when not full screen
    bool english_first = false;         // start in English (a hall for foreigners)
    int idle_seconds = 60;              // no touch this long: back to the start, typed text cleared
    int ticket_seconds = 20;            // the ticket screen stays this long
    std::string admin_pin;              // digits; empty: the kiosk cannot be left from the screen
    std::filesystem::path cache_dir = "kiosk-cache";  // the catalog cache (catalog.db)
    std::filesystem::path font_regular = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
    std::filesystem::path font_bold = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";
    std::string timezone = "Asia/Ho_Chi_Minh";
    int printer_check_seconds = 30;     // how often the printer is asked while idle
    int request_timeout_ms = 4000;      // one HTTP request to the server
    int elderly_age = 60;               // a chip ID card's holder this old checks in as elderly (Law on the Elderly: 60); 0: never
    bool software_renderer = true;      // as the display: no GPU in most kiosks
};

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Throws ConfigError naming the file, the key and the reason.
KioskConfig load_kiosk_config(const std::filesystem::path& file);
KioskConfig parse_kiosk_config(const std::string& toml_text, const std::string& source_name);

}  // namespace kiosk
