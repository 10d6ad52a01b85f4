// config: TOML → DisplayConfig through the strict JSON reader (see config.hpp).
#include "display/config.hpp"


#include "common/json_reader.hpp"
#include "common/text.hpp"
#include "common/toml_file.hpp"

namespace display {

namespace {

using common::JsonReader;
using json = nlohmann::json;

// toml++ has checked the UTF-8; a decomposed "ố" still becomes the precomposed one.
std::string nfc(const std::string& text) { return common::to_nfc(text).value_or(text); }

int minute_of(const std::string& hhmm) {
    if (hhmm.size() != 5 || hhmm[2] != ':' || !isdigit(hhmm[0]) || !isdigit(hhmm[1]) || !isdigit(hhmm[3]) || !isdigit(hhmm[4]))
        throw ConfigError("'" + hhmm + "': expected HH:MM");
    const int h = std::stoi(hhmm.substr(0, 2)), m = std::stoi(hhmm.substr(3));
    if (h > 23 || m > 59) throw ConfigError("'" + hhmm + "': no such time");
    return h * 60 + m;
}

template <class T>
std::set<T> set_of(const JsonReader& r, const char* key) {
    std::set<T> out;
    if (!r.has(key)) return out;
    const json& list = r.raw(key);
    if (!list.is_array()) throw common::FieldError(r.path(key) + ": expected a list");
    for (const auto& v : list) out.insert(JsonReader::as<T>(v, r.path(key)));
    return out;
}

void read_display(const JsonReader& d, DisplayConfig& c) {
    c.server = d.get<std::string>("server", c.server);
    if (d.has("token_file")) c.token = read_token_file(d.get<std::string>("token_file"));
    const std::string layout = d.get<std::string>("layout", "hall");
    if (layout != "hall" && layout != "counter") throw ConfigError(d.path("layout") + ": 'hall' or 'counter'");
    c.layout = layout == "hall" ? LayoutKind::hall : LayoutKind::counter;
    c.counter = d.get<int>("counter", 0);
    if (c.layout == LayoutKind::counter && c.counter <= 0)
        throw ConfigError(d.path("counter") + ": the counter layout needs the counter's number");
    const std::string o = d.get<std::string>("orientation", "auto");
    if (o != "auto" && o != "landscape" && o != "portrait")
        throw ConfigError(d.path("orientation") + ": 'auto', 'landscape' or 'portrait'");
    c.orientation = o == "auto" ? Orientation::automatic : o == "landscape" ? Orientation::landscape : Orientation::portrait;
    c.services = set_of<std::string>(d, "services");
    c.counters = set_of<int>(d, "counters");
    c.english = d.get<bool>("english", c.english);
    c.fullscreen = d.get<bool>("fullscreen", c.fullscreen);
    c.width = d.get<int>("width", c.width);
    c.height = d.get<int>("height", c.height);
    if (c.width < 320 || c.height < 240 || c.width > 8192 || c.height > 8192)
        throw ConfigError(d.path("width") + ": width 320-8192 and height 240-8192");
    c.calls_shown = d.get<int>("calls_shown", c.calls_shown);
    if (c.calls_shown < 0 || c.calls_shown > 20) throw ConfigError(d.path("calls_shown") + ": 0-20");
    c.blink_seconds = d.get<int>("blink_seconds", c.blink_seconds);
    if (c.blink_seconds < 0 || c.blink_seconds > 60) throw ConfigError(d.path("blink_seconds") + ": 0-60");
    c.center_name = nfc(d.get<std::string>("center_name", ""));
    c.logo = d.get<std::string>("logo", "");
    c.ticker = nfc(d.get<std::string>("ticker", ""));
    c.ticker_speed = d.get<int>("ticker_speed", c.ticker_speed);
    if (c.ticker_speed < 0 || c.ticker_speed > 1000) throw ConfigError(d.path("ticker_speed") + ": 0-1000");
    c.font_regular = d.get<std::string>("font_regular", c.font_regular.string());
    c.font_bold = d.get<std::string>("font_bold", c.font_bold.string());
    c.timezone = d.get<std::string>("timezone", c.timezone);
    c.offline_mark_seconds = d.get<int>("offline_mark_seconds", c.offline_mark_seconds);
    const std::string renderer = d.get<std::string>("renderer", "software");
    if (renderer != "software" && renderer != "accelerated")
        throw ConfigError(d.path("renderer") + ": 'software' or 'accelerated'");
    c.software_renderer = renderer == "software";
    try {
        c.qr = parse_qr_mode(d.get<std::string>("qr", "auto"));
    } catch (const ConfigError& e) {
        throw ConfigError(d.path("qr") + ": " + e.what());
    }
}

void read_voice(const JsonReader& v, VoiceConfig& c) {
    c.enabled = v.get<bool>("enabled", c.enabled);
    c.pack = v.get<std::string>("pack", "");
    c.custom = v.get<std::string>("custom", "");
    for (auto [key, wording] : {std::pair{"wording", &c.wording}, std::pair{"step_wording", &c.step_wording},
                                std::pair{"return_wording", &c.return_wording}}) {
        *wording = nfc(v.get<std::string>(key, *wording));
        if (wording->find("{number}") == std::string::npos) throw ConfigError(v.path(key) + ": must say {number}");
    }
    const std::string reading = v.get<std::string>("number_reading", "letter_then_number");
    if (reading != "letter_then_number" && reading != "digit_by_digit")
        throw ConfigError(v.path("number_reading") + ": 'letter_then_number' or 'digit_by_digit'");
    c.reading = reading == "digit_by_digit" ? NumberReading::digit_by_digit : NumberReading::letter_then_number;
    c.style.le = v.get<bool>("zero_tens_le", false);
    c.style.ngan = v.get<bool>("thousand_ngan", false);
    c.style.tu_after_muoi = v.get<bool>("four_tu", true);
    c.chime = v.get<bool>("chime", c.chime);
    c.volume = v.get<int>("volume", c.volume);
    if (c.volume < 0 || c.volume > 100) throw ConfigError(v.path("volume") + ": 0-100");
    const std::string quiet = v.get<std::string>("quiet_hours", "");
    if (!quiet.empty()) {
        try {
            c.quiet = parse_quiet_hours(quiet);
        } catch (const ConfigError& e) {
            throw ConfigError(v.path("quiet_hours") + ": " + e.what());
        }
    }
    c.max_pending = v.get<int>("max_pending", c.max_pending);
    c.max_delay_s = v.get<int>("max_delay_seconds", c.max_delay_s);
    if (c.max_pending < 1 || c.max_pending > 50 || c.max_delay_s < 5 || c.max_delay_s > 600)
        throw ConfigError(v.path("max_pending") + ": max_pending 1-50 and max_delay_seconds 5-600");
}

}  // namespace

std::pair<int, int> parse_quiet_hours(const std::string& text) {
    const auto dash = text.find('-');
    if (dash == std::string::npos) throw ConfigError("'" + text + "': expected HH:MM-HH:MM");
    const int from = minute_of(text.substr(0, dash)), to = minute_of(text.substr(dash + 1));
    if (from == to) throw ConfigError("'" + text + "': an empty range");
    return {from, to};
}

QrMode parse_qr_mode(const std::string& text) {
    if (text == "auto") return QrMode::automatic;
    if (text == "on") return QrMode::on;
    if (text == "off") return QrMode::off;
    throw ConfigError("'" + text + "': 'auto', 'on' or 'off'");
}

std::string read_token_file(const std::filesystem::path& file) {
    try {
        return common::first_line_of(file);
    } catch (const common::TomlError& e) {
        throw ConfigError(std::string(e.what()) + " (the token file)");
    }
}

DisplayConfig parse_display_config(const std::string& text, const std::string& source) {
    try {
        return common::read_toml_config(text, source, [](const json& j) {
            JsonReader top(j, "", {"display", "voice"});
            DisplayConfig c;
            if (top.has("display"))
                read_display(JsonReader(top.raw("display"), "display",
                                        {"server", "token_file", "layout", "counter", "orientation", "services", "counters",
                                         "english", "fullscreen", "width", "height", "calls_shown", "blink_seconds",
                                         "center_name", "logo", "ticker", "ticker_speed", "font_regular", "font_bold",
                                         "timezone", "offline_mark_seconds", "renderer", "qr"}),
                             c);
            if (top.has("voice"))
                read_voice(JsonReader(top.raw("voice"), "voice",
                                      {"enabled", "pack", "custom", "wording", "step_wording", "return_wording",
                                       "number_reading", "zero_tens_le", "thousand_ngan", "four_tu", "chime", "volume",
                                       "quiet_hours", "max_pending", "max_delay_seconds"}),
                           c.voice);
            common::require_file(c.font_regular, "display.font_regular");
            common::require_file(c.font_bold, "display.font_bold");
            common::require_time_zone(c.timezone, "display.timezone");
            if (!c.logo.empty()) common::require_file(c.logo, "display.logo");
            return c;
        });
    } catch (const common::TomlError& e) {
        throw ConfigError(e.what());
    }
}

DisplayConfig load_display_config(const std::filesystem::path& file) {
    try {
        return parse_display_config(common::read_config_text(file), file.string());
    } catch (const common::TomlError& e) {
        throw ConfigError(e.what());
    }
}

}  // namespace display
