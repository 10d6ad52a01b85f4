// config: TOML → KioskConfig through the strict JSON reader (see config.hpp).
#include "kiosk/config.hpp"

#include <algorithm>

#include "common/json_reader.hpp"
#include "common/text.hpp"
#include "common/toml_file.hpp"

namespace kiosk {

namespace {

using common::JsonReader;

std::string nfc(const std::string& text) { return common::to_nfc(text).value_or(text); }

void read_kiosk(const JsonReader& k, KioskConfig& c) {
    c.server = k.get<std::string>("server", c.server);
    if (k.has("token_file")) {
        try {
            c.token = common::first_line_of(k.get<std::string>("token_file"));
        } catch (const common::TomlError& e) {
            throw ConfigError(k.path("token_file") + ": " + e.what());
        }
    }
    c.printer = k.get<std::string>("printer", c.printer);
    c.paper_mm = k.get<int>("paper_mm", c.paper_mm);
    if (c.paper_mm != 80 && c.paper_mm != 58) throw ConfigError(k.path("paper_mm") + ": 80 or 58");
    c.logo = k.get<std::string>("logo", "");
    c.ticket_footer = nfc(k.get<std::string>("ticket_footer", c.ticket_footer));
    c.follow_url = k.get<std::string>("follow_url", "");
    c.fullscreen = k.get<bool>("fullscreen", c.fullscreen);
    c.width = k.get<int>("width", c.width);
    c.height = k.get<int>("height", c.height);
    if (c.width < 480 || c.height < 480 || c.width > 8192 || c.height > 8192)
        throw ConfigError(k.path("width") + ": width and height 480-8192");
    c.english_first = k.get<bool>("english_first", c.english_first);
    c.idle_seconds = k.get<int>("idle_seconds", c.idle_seconds);
    if (c.idle_seconds < 10 || c.idle_seconds > 3600) throw ConfigError(k.path("idle_seconds") + ": 10-3600");
    c.ticket_seconds = k.get<int>("ticket_seconds", c.ticket_seconds);
    if (c.ticket_seconds < 3 || c.ticket_seconds > 300) throw ConfigError(k.path("ticket_seconds") + ": 3-300");
    c.admin_pin = k.get<std::string>("admin_pin", "");
    if (!std::all_of(c.admin_pin.begin(), c.admin_pin.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
        c.admin_pin.size() > 12 || (!c.admin_pin.empty() && c.admin_pin.size() < 4))
        throw ConfigError(k.path("admin_pin") + ": 4-12 digits, or empty");
    c.cache_dir = k.get<std::string>("cache_dir", c.cache_dir.string());
    c.font_regular = k.get<std::string>("font_regular", c.font_regular.string());
    c.font_bold = k.get<std::string>("font_bold", c.font_bold.string());
    c.timezone = k.get<std::string>("timezone", c.timezone);
    c.printer_check_seconds = k.get<int>("printer_check_seconds", c.printer_check_seconds);
    if (c.printer_check_seconds < 5 || c.printer_check_seconds > 3600)
        throw ConfigError(k.path("printer_check_seconds") + ": 5-3600");
    c.request_timeout_ms = k.get<int>("request_timeout_ms", c.request_timeout_ms);
    if (c.request_timeout_ms < 200 || c.request_timeout_ms > 60'000)
        throw ConfigError(k.path("request_timeout_ms") + ": 200-60000");
    c.elderly_age = k.get<int>("elderly_age", c.elderly_age);
    if (c.elderly_age < 0 || c.elderly_age > 120) throw ConfigError(k.path("elderly_age") + ": 0-120 (0: no priority by age)");
    const std::string renderer = k.get<std::string>("renderer", "software");
    if (renderer != "software" && renderer != "accelerated")
        throw ConfigError(k.path("renderer") + ": 'software' or 'accelerated'");
    c.software_renderer = renderer == "software";
}

}  // namespace

KioskConfig parse_kiosk_config(const std::string& text, const std::string& source) {
    try {
        return common::read_toml_config(text, source, [](const nlohmann::json& j) {
            JsonReader top(j, "", {"kiosk"});
            KioskConfig c;
            if (top.has("kiosk"))
                read_kiosk(JsonReader(top.raw("kiosk"), "kiosk",
                                      {"server", "token_file", "printer", "paper_mm", "logo", "ticket_footer", "follow_url",
                                       "fullscreen", "width", "height", "english_first", "idle_seconds", "ticket_seconds",
                                       "admin_pin", "cache_dir", "font_regular", "font_bold", "timezone",
                                       "printer_check_seconds", "request_timeout_ms", "elderly_age", "renderer"}),
                           c);
            common::require_file(c.font_regular, "kiosk.font_regular");
            common::require_file(c.font_bold, "kiosk.font_bold");
            common::require_time_zone(c.timezone, "kiosk.timezone");
            if (!c.logo.empty()) common::require_file(c.logo, "kiosk.logo");
            return c;
        });
    } catch (const common::TomlError& e) {
        throw ConfigError(e.what());
    }
}

KioskConfig load_kiosk_config(const std::filesystem::path& file) {
    try {
        return parse_kiosk_config(common::read_config_text(file), file.string());
    } catch (const common::TomlError& e) {
        throw ConfigError(e.what());
    }
}

}  // namespace kiosk
