// config_test: every program refuses a bad config at start with the file, the
// line and the reason (issue 9: an unknown key, a bad time zone, an overlapping
// number range, a missing font), and the real queue-server exits 2 saying so
// before it touches its data folder.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "../display/config.hpp"
#include "../kiosk/config.hpp"
#include "api/config_file.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace {

// A small center; line numbers below are counted in this text.
const std::string kCenter = R"(# line 1
[center]
name = "Trung tâm xã"
timezone = "Asia/Ho_Chi_Minh"

[[services]]
code = "A"
name_vi = "Hộ tịch"
prefix = "A"

[[services]]
code = "B"
name_vi = "Đất đai"
prefix = "B"

[[counters]]
id = 1
name = "Quầy 1"
services = ["A", "B"]
)";

// kCenter with lines replaced, by their numbers in kCenter (1-based); a
// replacement may hold several lines.
std::string with_lines(const std::map<int, std::string>& replaced) {
    std::istringstream in(kCenter);
    std::string out, l;
    for (int n = 1; std::getline(in, l); ++n) out += (replaced.count(n) ? replaced.at(n) : l) + "\n";
    return out;
}
std::string with_line(int line, const std::string& text) { return with_lines({{line, text}}); }

std::string refusal(const std::string& toml) {
    try {
        api::parse_config(toml, "center.toml");
    } catch (const api::ConfigError& e) {
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("center config: the refusal names the file, the line and the reason") {
    CHECK(refusal(kCenter) == "(accepted)");
    CHECK(refusal(with_line(4, "timezone = \"Asia/Hanoi_City\"")) ==
          "center.toml:4: center.timezone: unknown time zone 'Asia/Hanoi_City' (an IANA name such as "
          "\"Asia/Ho_Chi_Minh\", or \"UTC+07:00\")");
    CHECK(refusal(with_line(4, "timezone = \"UTC+07:00\"")) == "(accepted)");
    CHECK(refusal(with_line(8, "nam_vi = \"Hộ tịch\"")) == "center.toml:8: services[0]: unknown key 'nam_vi'");
    CHECK(refusal(with_line(1, "colour = 1")) == "center.toml:1: unknown key 'colour'");
    CHECK(refusal(with_line(3, "name = 5")) == "center.toml:3: center.name: expected a string");
    // `services` is the shorthand of `tiers`: the counter's own line is given.
    CHECK(refusal(with_line(19, "services = [\"A\", \"C\"]")) ==
          "center.toml:16: counters[0].tiers: serves unknown service 'C'");
    CHECK(refusal(with_line(19, "tiers = [[\"A\"], [\"C\"]]")) ==
          "center.toml:19: counters[0].tiers: serves unknown service 'C'");
    CHECK(refusal(with_line(9, "prefix = \"ABCDE\"")) == "center.toml:9: services[0].prefix: longer than 4 characters");
    CHECK(refusal(with_line(3, "name = \"x\" x")).starts_with("center.toml:3:"));  // a TOML syntax error, with its column
    // A key that is missing has no line of its own: its table's line is given.
    CHECK(refusal(with_line(7, "")) == "center.toml:6: services[0].code: missing");
}

TEST_CASE("center config: numbers of two services that would read alike are refused, a shared numbering is not") {
    // Services sharing a prefix share one sequence (the engine counts per prefix): allowed.
    CHECK(refusal(with_line(14, "prefix = \"A\"")) == "(accepted)");
    // ... but not with another range: A01 and A001 would both be called "A một".
    CHECK(refusal(with_line(14, "prefix = \"A\"\nfirst = 1\nlast = 99")) ==
          "center.toml:14: services[1].prefix: shares prefix 'A' with service 'A' (A001-A999) but not its number "
          "range and wrap (A01-A99): one prefix is one numbering");
    CHECK(refusal(with_line(14, "prefix = \"A\"\nwrap = true")).find("not its number range and wrap") != std::string::npos);
    // "A" with four digits meets "A1" with three: A1000 would be two tickets.
    CHECK(refusal(with_lines({{9, "prefix = \"A\"\nlast = 9999"}, {14, "prefix = \"A1\""}})) ==
          "center.toml:15: services[1].prefix: its numbers A1001-A1999 overlap those of service 'A' (A0001-A9999)");
    // "A" with three digits beside "A1" with three: A123 and A1123 never meet.
    CHECK(refusal(with_line(14, "prefix = \"A1\"")) == "(accepted)");
    // "A" up to 999 and "A9" from 00: A900-A999 against A900-A999.
    CHECK(refusal(with_line(14, "prefix = \"A9\"\nfirst = 0\nlast = 99")) ==
          "center.toml:14: services[1].prefix: its numbers A900-A999 overlap those of service 'A' (A001-A999)");
}

TEST_CASE("center config: the [central] section, with its line when wrong") {
    const std::string central = kCenter + "\n[central]\nconninfo = \"host=db dbname=centers\"\ncenter_code = \"tan-phu\"\n";
    const auto ok = api::parse_config(central, "center.toml");
    REQUIRE(ok.central);
    CHECK(ok.central->center_code == "tan-phu");
    CHECK(ok.central->center_name == "Trung tâm xã");  // from [center]
    CHECK(ok.central->interval == std::chrono::seconds(60));
    CHECK(refusal(central + "batch = 0\n") == "center.toml:24: central.batch: 1-10000");
    CHECK(refusal(kCenter + "\n[central]\nconninfo = \"x\"\ncenter_code = \"Tân Phú\"\n").starts_with("center.toml:23: central.center_code:"));
    CHECK(refusal(kCenter + "\n[central]\ncenter_code = \"x\"\n") == "center.toml:21: central.conninfo: missing");
    CHECK(refusal(central + "password = \"x\"\n") == "center.toml:24: central: unknown key 'password'");
}

TEST_CASE("center config: a service's [services.booking] and the center's [booking] - with the line when wrong") {
    const std::string booked = with_line(9, "prefix = \"A\"\n[services.booking]\nslot_minutes = 20\ncapacity = 3");
    const std::string text = booked + "\n[booking]\nper_day = 3\nclosed_days = [20270101, 20270102]\nopen_weekdays = [1, 2, 3, 4, 5, 6]\n";
    const auto ok = api::parse_config(text, "center.toml");
    const engine::Service& a = ok.center.services.at(0);
    CHECK(a.booking.bookable);
    CHECK(a.booking.slot_minutes == 20);
    CHECK(a.booking.slot_capacity == 3);
    CHECK(a.booking.days_ahead == 6);
    CHECK_FALSE(ok.center.services.at(1).booking.bookable);
    CHECK(ok.center.booking.per_day == 3);
    CHECK(ok.center.booking.closed_days == std::vector<int32_t>{20270101, 20270102});
    CHECK(ok.center.booking.open_weekdays.size() == 6);
    CHECK(refusal(booked + "\n[booking]\nclosed_days = [20270231]\n") ==
          "center.toml:25: booking.closed_days: 20270231 is not a date (yyyymmdd)");
    CHECK(refusal(with_line(9, "prefix = \"A\"\n[services.booking]\ncapacity = 0")) ==
          "center.toml:11: services[0].booking.capacity: must be 1 to 1000, or \"auto\"");
    const auto derived = api::parse_config(with_line(9, "prefix = \"A\"\n[services.booking]\ncapacity = \"auto\"\nwalk_in_share = 0.3"),
                                           "center.toml");
    CHECK(derived.center.services.at(0).booking.slot_capacity == 0);
    CHECK(derived.center.services.at(0).booking.walk_in_percent == 30);
    CHECK(refusal(with_line(9, "prefix = \"A\"\n[services.booking]\ncapacity = \"lots\"")) ==
          "center.toml:11: services[0].booking.capacity: a number of bookings, or \"auto\"");
    CHECK(refusal(with_line(9, "prefix = \"A\"\n[services.booking]\nslots = 3")) ==
          "center.toml:11: services[0].booking: unknown key 'slots'");
}

TEST_CASE("the example and demo configs pass the same checks") {
    CHECK_NOTHROW(api::load_config_file(EXAMPLE_CENTER_TOML));
    CHECK_NOTHROW(api::demo_config());
}

TEST_CASE("display and kiosk configs: a missing font or logo, a bad time zone, with the line") {
    using display::parse_display_config;
    CHECK_THROWS_WITH(parse_display_config("[display]\nlayout = \"hall\"\nfont_bold = \"/nonexistent/Bold.ttf\"\n", "d.toml"),
                      "d.toml:3: display.font_bold: /nonexistent/Bold.ttf: no such file");
    CHECK_THROWS_WITH(parse_display_config("[display]\nfont_regular = \"/usr/share\"\n", "d.toml"),
                      "d.toml:2: display.font_regular: /usr/share: not a readable file");
    CHECK_THROWS_WITH(parse_display_config("[display]\n\ntimezone = \"Mars/Olympus\"\n", "d.toml"),
                      Catch::StartsWith("d.toml:3: display.timezone: unknown time zone 'Mars/Olympus'"));
    CHECK_THROWS_WITH(parse_display_config("[display]\nlogo = \"/nonexistent/logo.png\"\n", "d.toml"),
                      "d.toml:2: display.logo: /nonexistent/logo.png: no such file");
    CHECK_THROWS_WITH(parse_display_config("[voice]\nvolume = 300\n", "d.toml"), "d.toml:2: voice.volume: 0-100");
    CHECK_NOTHROW(parse_display_config("[display]\ntimezone = \"Asia/Ho_Chi_Minh\"\n", "d.toml"));

    using kiosk::parse_kiosk_config;
    CHECK_THROWS_WITH(parse_kiosk_config("[kiosk]\n\n\nfont_regular = \"/nonexistent/Regular.ttf\"\n", "k.toml"),
                      "k.toml:4: kiosk.font_regular: /nonexistent/Regular.ttf: no such file");
    CHECK_THROWS_WITH(parse_kiosk_config("[kiosk]\ntimezone = \"Asia/Saigonn\"\n", "k.toml"),
                      Catch::StartsWith("k.toml:2: kiosk.timezone: unknown time zone"));
    CHECK_THROWS_WITH(parse_kiosk_config("[kiosk]\npaper_mm = 70\n", "k.toml"), "k.toml:2: kiosk.paper_mm: 80 or 58");
    CHECK_THROWS_WITH(parse_kiosk_config("[kiosk]\nspeed = 1\n", "k.toml"), "k.toml:2: kiosk: unknown key 'speed'");
    CHECK(parse_kiosk_config("[kiosk]\n", "k.toml").elderly_age == 60);
    CHECK(parse_kiosk_config("[kiosk]\nelderly_age = 65\n", "k.toml").elderly_age == 65);
    CHECK_THROWS_WITH(parse_kiosk_config("[kiosk]\nelderly_age = 200\n", "k.toml"),
                      "k.toml:2: kiosk.elderly_age: 0-120 (0: no priority by age)");
}

TEST_CASE("queue-server refuses to start on a bad config, with the line, and leaves its data folder alone") {
    testing::TempDir dir;
    const auto config = dir / "center.toml";
    std::ofstream(config) << with_line(4, "timezone = \"Asia/Ho_Chi_Minh \"");
    const auto [code, output] = testing::run_command(std::string(QUEUE_SERVER_BIN) + " --data " + (dir / "data").string() +
                                                     " --listen 127.0.0.1:0 --config " + config.string());
    CHECK(code == 2);
    CHECK(output.find(config.string() + ":4: center.timezone: unknown time zone 'Asia/Ho_Chi_Minh '") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "data"));
}
