// kiosk_test: the touch kiosk against a real queue server on a loopback port,
// in a real SDL window (dummy video driver, software renderer), driven by
// scripted touch events (SDL_FINGERDOWN/UP at a button's place), keys typed on
// its on-screen keyboard, and a barcode scanner's text (SDL_TEXTINPUT + Return).
// Tickets print through the file printer (ESC/POS bytes + PNG), read back two
// ways: the bytes decoded and compared with the layout of the server's answer,
// and the PNG read by OCR (tesseract) for the number. A printer out of paper is a
// TCP printer in a thread answering DLE EOT with "paper out". The kiosk's clock
// is injected, so idle timeouts pass without sleeping. Golden screenshots of
// each screen in portrait and landscape are in tests/golden/kiosk-*.png
// (UPDATE_GOLDEN=1 rewrites them: look at them before committing).
#include <catch2/catch.hpp>

#include <SDL2/SDL_image.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>

#include "kiosk/app.hpp"
#include "common/text.hpp"
#include "common/toml_file.hpp"
#include "kiosk/config.hpp"
#include "escpos_decoder.hpp"
#include "fake_network_printer.hpp"
#include "feed_signing.hpp"
#include "golden_image.hpp"
#include "kiosk_touch.hpp"
#include "lossy_proxy.hpp"
#include "process.hpp"
#include "kiosk/strings.hpp"
#include "kiosk/telex.hpp"
#include "test_server.hpp"

using namespace kiosk;
using testing::TestServer;
using json = nlohmann::json;

namespace {

const std::filesystem::path golden_dir = GOLDEN_DIR;

void headless() {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("SDL_RENDER_DRIVER", "software", 1);
}

KioskConfig config_for(const TestServer& s, const testing::TempDir& dir, int w, int h) {
    KioskConfig c;
    c.server = "http://127.0.0.1:" + std::to_string(s.port);
    c.token = s.kiosk;
    c.printer = "file:" + (dir / "prints").string();
    c.cache_dir = dir / "cache";
    c.fullscreen = false;
    c.width = w;
    c.height = h;
    c.timezone = "UTC+07:00";
    c.admin_pin = "2468";
    c.request_timeout_ms = 2000;
    c.follow_url = "https://hcc.example.vn/q?n={number}&d={day}";
    return c;
}

// One kiosk in this process. Its clock is turned by hand (it starts at the
// server's); waiting is on its own loop, with a wall-clock limit only as a guard.
struct Kiosk {
    std::atomic<int64_t> now;
    std::vector<std::string> log;
    std::vector<drivers::PrintReport> prints;
    std::unique_ptr<KioskApp> app;

    Kiosk(KioskConfig c, int64_t start_ms) : now(start_ms) {
        headless();
        client::StreamOptions fast;
        fast.backoff_first = std::chrono::milliseconds(20);
        fast.backoff_most = std::chrono::milliseconds(200);
        app = std::make_unique<KioskApp>(std::move(c), [this] { return now.load(); },
                                         [this](const std::string& m) { log.push_back(m); }, fast);
        app->set_hooks({{}, [this](const drivers::PrintReport& r, double) { prints.push_back(r); }});
        app->start();
        app->run_once(0);
    }
    Kiosk(const TestServer& s, const testing::TempDir& dir, int w = 1080, int h = 1920)
        : Kiosk(config_for(s, dir, w, h), s.clock_ms.load()) {}

    template <class P>
    void until(P done, const std::string& what) {
        const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!done()) {
            INFO("waiting for: " << what);
            INFO("the kiosk's log: " << last_words());
            REQUIRE(std::chrono::steady_clock::now() < limit);
            app->run_once(20);
        }
    }
    // Online, the server's events applied and its catalog copied.
    void sync(TestServer& s) {
        const int64_t seq = s.seq();
        until([&] { return app->online() && app->mirror().seq() >= seq && !app->busy(); }, "the kiosk to catch up");
        app->run_once(0);
    }
    // The server's catalog copied into the kiosk's cache.
    void has_catalog(size_t procedures) {
        until([&] { return app->catalog().size() == procedures; }, "the catalog copied");
    }
    void idle() {
        until([&] { return !app->busy(); }, "the kiosk's requests and print jobs");
        app->run_once(0);
    }
    Screen screen() const { return app->state().screen; }
    const KioskState& state() const { return app->state(); }

    void finger(Uint32 type, int x, int y) {
        REQUIRE(testing::push_finger(app->window(), type, x, y));
        app->run_once(0);
    }
    // A finger down and up on the button with this id, as drawn in the last frame.
    void tap(const std::string& id) {
        app->run_once(0);
        const auto box = app->target(id);
        INFO("tapping " << id);
        REQUIRE(box);
        finger(SDL_FINGERDOWN, box->x + box->w / 2, box->y + box->h / 2);
        finger(SDL_FINGERUP, box->x + box->w / 2, box->y + box->h / 2);
    }
    void tap_at(int x, int y) {
        finger(SDL_FINGERDOWN, x, y);
        finger(SDL_FINGERUP, x, y);
    }
    // Typing on the on-screen keyboard, one key tap per character.
    void type(const std::string& text) {
        for (char c : text) tap(testing::key_for(c));
    }
    // A USB barcode scanner: it types like a keyboard, then Enter.
    void scan(const std::string& text) {
        REQUIRE(testing::push_scan(text));
        app->run_once(0);
    }
    // Three taps — take a number, the service, the category — then the print's outcome.
    const TicketOutcome& take_number(const std::string& service, const std::string& category = "normal") {
        tap("home:take");
        tap("service:" + service);
        tap("category:" + category);
        until([&] { return state().outcome && state().outcome->print != PrintState::printing; }, "the ticket printed or not");
        return *state().outcome;
    }
    void advance(int64_t ms) {
        now += ms;
        app->run_once(0);
    }
    std::string last_words() const {
        std::string out;
        for (size_t i = log.size() > 8 ? log.size() - 8 : 0; i < log.size(); ++i) out += "\n  " + log[i];
        return out;
    }
    bool said(const std::string& needle) const {
        return std::any_of(log.begin(), log.end(), [&](const std::string& l) { return l.find(needle) != std::string::npos; });
    }
};

void check_golden(Kiosk& k, const std::string& name) {
    const auto actual = std::filesystem::path(ACTUAL_DIR) / (name + ".png");
    std::string error;
    INFO(error);
    REQUIRE(k.app->screenshot(actual, error));
    testing::check_against_golden(actual, golden_dir / (name + ".png"));
}

json issue(TestServer& s, const std::string& service, const std::string& category = "normal") {
    auto r = s.post("/api/tickets", {{"service", service}, {"category", category}}, s.kiosk);
    REQUIRE(r.status == 201);
    return r.body;
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The demo's catalog (40 procedures) and its two dossiers, through the same
// doors the admin and the dossier backend use.
void load_catalog(TestServer& s) {
    const std::string admin = s.login("admin", s.admin_password);
    REQUIRE(s.call("POST", "/api/admin/catalog", read_file(SAMPLE_CATALOG), admin).status == 200);
}

// A receipt's QR typed in by the scanner, and the dossier it opens.
void scan_dossier(Kiosk& k, const std::string& qr) {
    k.scan(qr);
    k.until([&] { return k.screen() == Screen::dossier_result; }, "the dossier shown");
}

void feed_dossiers(TestServer& s) {
    const int64_t day = 24 * 3600 * 1000, now = s.clock_ms.load();
    const json updates = json::array(
        {{{"event_id", "k1"}, {"code", "H55.26-1124-0001"}, {"at", now - 3 * day}, {"status", 2},
          {"procedure_code", "1.001193"}, {"procedure_name", "Đăng ký khai sinh"}, {"applicant_name", "Nguyễn Văn An"},
          {"check", "1234"}, {"received_date", "2026-11-21"}, {"appointment_date", "2026-11-23"}, {"pickup", "Quầy số 1"}},
         {{"event_id", "k2"}, {"code", "H55.26-1124-0001"}, {"at", now - 2 * day}, {"status", 4}},
         {{"event_id", "k3"}, {"code", "H55.26-1124-0002"}, {"at", now - day}, {"status", 2},
          {"procedure_name", "Đăng ký thường trú"}, {"applicant_name", "Trần Thị Bình"}, {"check", "5678"},
          {"received_date", "2026-11-23"}, {"appointment_date", "2026-11-30"}},
         {{"event_id", "k4"}, {"code", "H55.26-1124-0002"}, {"at", now - day / 2}, {"status", 5},
          {"note", "Thiếu giấy tờ chứng minh chỗ ở hợp pháp"}, {"supplements", json::array({"Hợp đồng thuê nhà có công chứng"})}}});
    const std::string body = json{{"updates", updates}}.dump(), ts = std::to_string(now / 1000);
    auto r = s.call("POST", "/api/feed/dossiers", body, "", {{"X-Timestamp", ts}, {"X-Signature", testing::sign(s.feed_secret, ts, body)}});
    REQUIRE(r.status == 200);
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir, const std::string& ending) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().string().ends_with(ending)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// What tesseract reads in an image, one word or line of text per line.
std::string ocr(const std::filesystem::path& png) {
    // Its notes on stderr ("Estimating resolution…") are not what it read.
    const auto [code, out] = testing::run_command("(tesseract '" + png.string() + "' stdout --psm 11 2>/dev/null)");
    INFO("tesseract (Debian's tesseract-ocr, which ./center test installs) must be on the PATH");
    REQUIRE(code == 0);
    return out;
}

bool same_dots(const drivers::Bitmap& a, const drivers::Bitmap& b) {
    return a.width() == b.width() && a.height() == b.height() && a.bits() == b.bits();
}

// Every button inside the window, none over another (a tap means one thing).
void check_targets_fit(const Kiosk& k, const std::string& where) {
    int w = 0, h = 0;
    SDL_GetWindowSize(k.app->window(), &w, &h);
    const auto& t = k.app->targets();
    INFO(where << " at " << w << "x" << h);
    REQUIRE_FALSE(t.empty());
    for (size_t i = 0; i < t.size(); ++i) {
        INFO(t[i].id);
        CHECK(t[i].box.w >= 40);
        CHECK(t[i].box.h >= 40);
        CHECK(t[i].box.x >= 0);
        CHECK(t[i].box.y >= 0);
        CHECK(t[i].box.x + t[i].box.w <= w);
        CHECK(t[i].box.y + t[i].box.h <= h);
        for (size_t j = i + 1; j < t.size(); ++j) {
            const Box& a = t[i].box;
            const Box& b = t[j].box;
            const bool apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            INFO("overlaps " << t[j].id);
            CHECK(apart);
        }
    }
}

}  // namespace

// --- pieces without a window ---

TEST_CASE("Telex typing makes Vietnamese letters and tones, and a tone typed twice is taken back") {
    auto typed = [](const std::string& keys) {
        std::string text;
        for (char c : keys) text = c == ' ' ? text + " " : telex_type(text, c);
        return text;
    };
    CHECK(typed("ddawng kys khai sinh") == "đăng ký khai sinh");
    CHECK(typed("Ddaats ddai") == "Đất đai");
    CHECK(typed("nguyeenx") == "nguyễn");
    CHECK(typed("tuaans") == "tuấn");
    CHECK(typed("truwowngf") == "trường");
    CHECK(typed("huowng") == "hương");
    CHECK(typed("quyeets") == "quyết");
    CHECK(typed("giaays") == "giấy");
    CHECK(typed("hoaf") == "hòa");       // the word ends at the cluster: the first vowel
    CHECK(typed("hoangf") == "hoàng");   // a consonant follows: the second
    CHECK(typed("hoafng") == "hoàng");   // the tone moves when the word goes on
    CHECK(typed("muaf") == "mùa");
    CHECK(typed("cass") == "cas");       // the same tone again: taken back, the letter typed
    CHECK(typed("caz") == "caz");       // z with no tone to remove is a letter
    CHECK(typed("casz") == "ca");        // z removes the tone
    CHECK(typed("s") == "s");            // a tone key with no vowel is a letter
    CHECK(typed("2026") == "2026");
    CHECK(drop_last_char("đăng ký") == "đăng k");
    CHECK(drop_last_char("ký") == "k");
    CHECK(drop_last_char("") == "");
    CHECK(common::to_nfc(typed("ddawng kys")).value() == typed("ddawng kys"));  // NFC as typed
}

TEST_CASE("a scanned receipt gives its code and check in every shape a scanner sends") {
    auto scan = [](const std::string& s) { return parse_scan(s); };
    CHECK(scan("H55.26-1124-0001").code == "H55.26-1124-0001");
    CHECK(scan("H55.26-1124-0001").check.empty());
    CHECK(scan("H55.26-1124-0001|1234").check == "1234");
    CHECK(scan("  000.00.01.H29-260310-0420 5678\r\n").code == "000.00.01.H29-260310-0420");
    CHECK(scan("  000.00.01.H29-260310-0420 5678\r\n").check == "5678");
    CHECK(scan("H55-1;9999").check == "9999");
    const auto url = scan("https://dichvucong.example.vn/tra-cuu?code=H55.26-1124-0002&check=5678");
    CHECK(url.code == "H55.26-1124-0002");
    CHECK(url.check == "5678");
    CHECK(scan("https://x.vn/?check=1&code=A%2FB+C").code == "A/B C");
    CHECK(scan("").code.empty());
}

TEST_CASE("the words table has every key the kiosk's code names, in both languages") {
    const Strings& words = builtin_strings();
    std::set<std::string> used;
    const std::regex key(R"re("((?:home|nav|lang|large|offline|printer|services|category|issuing|ticket|refused|search|keyboard|procedure|dossier|admin)\.[a-z_]+)")re");
    for (const char* file : {"screens.cpp", "flows.cpp", "app.cpp"}) {
        const std::string text = read_file(std::filesystem::path(KIOSK_SOURCE_DIR) / file);
        for (std::sregex_iterator it(text.begin(), text.end(), key), end; it != end; ++it) used.insert((*it)[1]);
    }
    CHECK(used.size() > 60);
    for (const auto& k : used) {
        INFO(k);
        CHECK(words.has(k));
        CHECK_FALSE(words.get(k, Lang::vi).empty());
        CHECK_FALSE(words.get(k, Lang::en).empty());
        CHECK(common::to_nfc(words.get(k, Lang::vi)).value() == words.get(k, Lang::vi));
    }
    CHECK(words.fill("ticket.ahead", Lang::vi, {{"n", "3"}}) == "Số người chờ trước: 3");
    CHECK(words.get("no.such", Lang::en) == "no.such");  // shown as the key, never thrown
    CHECK_THROWS_WITH(Strings("a\tb\n"), Catch::Contains("line 1"));
}

TEST_CASE("the kiosk config: the example file parses, and a bad value is refused with the key and the reason") {
    std::string sample = read_file(EXAMPLE_KIOSK_TOML);
    sample.replace(sample.find("token_file"), 10, "# token_file");  // the sample's token is not on this machine
    const KioskConfig c = parse_kiosk_config(sample, "kiosk.example.toml");
    CHECK(c.server.starts_with("http://"));
    CHECK(c.paper_mm == 80);
    CHECK(c.fullscreen);
    CHECK(c.admin_pin.size() >= 4);
    auto refused = [](const std::string& toml, const std::string& words) {
        INFO(toml);
        CHECK_THROWS_WITH(parse_kiosk_config(toml, "kiosk.toml"), Catch::Contains(words));
    };
    refused("[kiosk]\npaper_mm = 57\n", "paper_mm");
    refused("[kiosk]\nadmin_pin = \"12a4\"\n", "admin_pin");
    refused("[kiosk]\nadmin_pin = \"12\"\n", "4-12 digits");
    refused("[kiosk]\nidle_seconds = 2\n", "idle_seconds");
    refused("[kiosk]\ncolour = \"red\"\n", "colour");
    refused("[kisok]\n", "kisok");
    refused("[kiosk]\nwidth = 100\n", "width");
    refused("[kiosk]\nrenderer = \"gpu\"\n", "renderer");
    refused("[kiosk]\ntoken_file = \"/nonexistent/kiosk-token\"\n", "token_file");
    refused("[kiosk\n", "kiosk.toml");
}

// --- the kiosk against a real server ---

TEST_CASE("taking a number: three taps, and the ticket printed at once shows the number the server gave") {
    TestServer s;
    testing::TempDir dir;
    issue(s, "A");
    issue(s, "A");
    Kiosk k(s, dir);
    k.sync(s);
    CHECK(k.screen() == Screen::home);
    k.tap("home:take");
    CHECK(k.screen() == Screen::services);
    REQUIRE(k.app->mirror().service("A")->waiting == 2);
    k.tap("service:A");
    CHECK(k.screen() == Screen::category);
    k.tap("category:normal");
    k.until([&] { return k.state().outcome && k.state().outcome->print != PrintState::printing; }, "the ticket printed");
    CHECK(k.screen() == Screen::ticket);
    const TicketOutcome& o = *k.state().outcome;
    CHECK(o.print == PrintState::printed);
    const std::string number = o.ticket["number"];
    CHECK(number == "A003");
    CHECK(o.ticket["people_ahead"] == 2);

    // The server holds that ticket, from this kiosk.
    const json held = s.call("GET", "/api/tickets/" + std::to_string(o.ticket["id"].get<int64_t>()), "", s.kiosk).body;
    CHECK(held["number"] == number);
    CHECK(held["source"] == "kiosk:Kiosk 1");
    CHECK(held["state"] == "waiting");

    // The bytes are that ticket exactly, and the picture reads as its number.
    const auto bins = files_in(dir / "prints", ".bin");
    const auto pngs = files_in(dir / "prints", ".png");
    REQUIRE(bins.size() == 1);
    REQUIRE(pngs.size() == 1);
    CHECK(bins[0].filename().string().find("ticket-A003") != std::string::npos);
    const std::string bytes = read_file(bins[0]);
    const auto job = testing::decode_escpos({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
    REQUIRE(job.pages.size() == 1);
    CHECK(job.full_cuts + job.partial_cuts == 1);
    const KioskConfig c = config_for(s, dir, 1080, 1920);
    const common::LocalCalendar calendar(c.timezone);
    KioskPrinter printer(c);
    const std::string center = "Trung tâm Phục vụ hành chính công (thử nghiệm)";
    const auto expected = printer.ticket_pages(ticket_content(o.ticket, center, "", c, calendar));
    CHECK(same_dots(job.pages[0], expected[0]));
    CHECK(ticket_content(o.ticket, center, "", c, calendar).follow_url ==
          "https://hcc.example.vn/q?n=A003&d=" + std::to_string(o.ticket["day"].get<int>()));
    json other = o.ticket;
    other["number"] = "A004";
    CHECK_FALSE(same_dots(job.pages[0], printer.ticket_pages(ticket_content(other, center, "", c, calendar))[0]));
    const std::string read = ocr(pngs[0]);
    INFO("OCR read:\n" << read);
    CHECK(std::regex_search(read, std::regex("(^|\\n)A003\\s*(\\n|$)")));
    CHECK(k.prints.size() == 1);
    CHECK(k.prints[0].first_byte_ms >= 0);

    // "Done" goes home; so does the ticket screen by itself after a while.
    k.tap("ticket:done");
    CHECK(k.screen() == Screen::home);
    REQUIRE(k.take_number("B").print == PrintState::printed);
    CHECK(k.state().outcome->ticket["number"] == "B001");
    k.advance(19'000);
    CHECK(k.screen() == Screen::ticket);
    k.advance(2'000);
    CHECK(k.screen() == Screen::home);
}

TEST_CASE("a priority number: the category is asked, printed on the ticket, and called first") {
    TestServer s;
    testing::TempDir dir;
    issue(s, "A");
    Kiosk k(s, dir, 1920, 1080);
    k.sync(s);
    k.tap("home:take");
    k.tap("service:A");
    REQUIRE(k.app->target("category:elderly"));
    REQUIRE(k.app->target("category:disabled"));
    k.tap("category:elderly");
    k.until([&] { return k.state().outcome && k.state().outcome->print == PrintState::printed; }, "the ticket printed");
    const TicketOutcome& o = *k.state().outcome;
    CHECK(o.ticket["category"] == "elderly");
    CHECK(o.ticket["priority"] == true);
    CHECK(o.ticket["people_ahead"] == 0);
    CHECK_FALSE(o.category_vi.empty());
    const KioskConfig c = config_for(s, dir, 1920, 1080);
    KioskPrinter printer(c);
    const common::LocalCalendar calendar(c.timezone);
    const auto with_category = printer.ticket_pages(ticket_content(o.ticket, s.center.name, o.category_vi, c, calendar));
    const auto without = printer.ticket_pages(ticket_content(o.ticket, s.center.name, "", c, calendar));
    const std::string bytes = read_file(files_in(dir / "prints", ".bin").at(0));
    const auto job = testing::decode_escpos({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
    CHECK(same_dots(job.pages.at(0), with_category[0]));
    CHECK_FALSE(same_dots(job.pages.at(0), without[0]));
    const json called = s.call("POST", "/api/counters/1/next", "", s.login("admin", s.admin_password)).body;
    CHECK(called["ticket"]["number"] == o.ticket["number"]);  // before A001, who came first
}

TEST_CASE("search by tapping keys: 'dang ky khai sinh' finds Đăng ký khai sinh first, and its list prints") {
    TestServer s;
    load_catalog(s);
    testing::TempDir dir;
    Kiosk k(s, dir);
    k.sync(s);
    k.has_catalog(40);
    k.tap("home:procedures");
    CHECK(k.screen() == Screen::search);
    k.type("dang ky khai sinh");
    CHECK(k.state().query == "dang ky khai sinh");
    REQUIRE_FALSE(k.state().hits.empty());
    CHECK(k.state().hits[0].name == "Đăng ký khai sinh");
    CHECK(k.app->target("hit:0"));
    k.tap("key:back");
    CHECK(k.state().query == "dang ky khai sin");
    CHECK(k.state().hits[0].name == "Đăng ký khai sinh");  // still, as people type
    k.tap("key:clear");
    CHECK(k.state().query.empty());
    k.type("so do");  // everyday words: the land-use certificate
    REQUIRE_FALSE(k.state().hits.empty());
    CHECK(k.state().hits[0].field == "Đất đai");
    k.tap("key:clear");
    k.type("dang ky khai sinh");
    k.tap("hit:0");
    CHECK(k.screen() == Screen::procedure);
    CHECK(k.state().procedure["name"] == "Đăng ký khai sinh");
    k.tap("procedure:print");
    k.idle();
    CHECK(k.state().procedure_note == "procedure.printed");
    const auto bins = files_in(dir / "prints", ".bin");
    REQUIRE(bins.size() == 1);
    CHECK(bins[0].filename().string().find("checklist-1_001193") != std::string::npos);  // the code, in a safe file name
    CHECK_FALSE(files_in(dir / "prints", ".png").empty());

    // "Take a number for this procedure" goes to its service.
    k.tap("procedure:take");
    CHECK(k.screen() == Screen::category);
    CHECK(k.state().service == "A");
    k.tap("category:normal");
    k.until([&] { return k.state().outcome && k.state().outcome->print == PrintState::printed; }, "the ticket");
    CHECK(k.state().outcome->ticket["service"] == "A");
}

TEST_CASE("Telex on the on-screen keyboard writes Đăng ký, and browsing by field opens a procedure") {
    TestServer s;
    load_catalog(s);
    testing::TempDir dir;
    Kiosk k(s, dir, 1920, 1080);
    k.sync(s);
    k.has_catalog(40);
    k.tap("home:procedures");
    k.tap("key:telex");
    CHECK(k.state().telex);
    k.type("ddawng kys khai sinh");
    CHECK(k.state().query == "đăng ký khai sinh");
    REQUIRE_FALSE(k.state().hits.empty());
    CHECK(k.state().hits[0].name == "Đăng ký khai sinh");
    k.tap("key:clear");
    // With nothing typed, the fields: the largest first.
    REQUIRE(k.app->target("field:0"));
    CHECK(k.app->catalog().fields()[0].field == "Hộ tịch");
    k.tap("field:0");
    CHECK(k.screen() == Screen::field);
    CHECK(k.state().field_list.size() == 10);
    CHECK(k.app->target("nav:next"));  // ten do not fit on one page in landscape
    k.tap("proc:0");
    CHECK(k.screen() == Screen::procedure);
    CHECK(k.state().procedure["field"] == "Hộ tịch");
    k.tap("nav:back");
    CHECK(k.screen() == Screen::field);
    k.tap("nav:back");
    CHECK(k.screen() == Screen::search);
}

TEST_CASE("a dossier by a scanner typing its QR into the kiosk, by the keyboard, and not found in plain words") {
    TestServer s;
    feed_dossiers(s);
    testing::TempDir dir;
    Kiosk k(s, dir);
    k.sync(s);
    // The scanner on the home screen: it opens the dossier.
    scan_dossier(k, "H55.26-1124-0002|5678");
    const json& d = k.state().dossier;
    CHECK(d["code"] == "H55.26-1124-0002");
    CHECK(d["applicant"] == "Trần T** B**");  // masked
    CHECK(d["status"]["code"] == 5);
    CHECK(d["supplements"][0] == "Hợp đồng thuê nhà có công chứng");
    CHECK(d["timeline"].size() == 2);

    // By the on-screen keyboard: code, then check.
    k.tap("nav:home");
    k.tap("home:dossier");
    CHECK(k.state().focus == 0);
    k.type("h55.26-1124-0001");
    CHECK(k.state().dossier_code == "H55.26-1124-0001");
    k.tap("dossier:check");
    k.type("9999");
    k.tap("dossier:search");
    k.until([&] { return k.screen() == Screen::dossier && !k.app->busy(); }, "the answer");
    CHECK(k.state().dossier_message == "dossier.not_found");
    for (int i = 0; i < 4; ++i) k.tap("key:back");
    k.type("1234");
    k.tap("dossier:search");
    k.until([&] { return k.screen() == Screen::dossier_result; }, "the dossier shown");
    CHECK(k.state().dossier["applicant"] == "Nguyễn V** A**");
    CHECK(k.state().dossier["overdue"] == true);  // due 23/11, still in processing on 24/11

    // A scan into the code field with both parts; only the code: the check is asked for.
    k.tap("nav:back");
    k.tap("key:clear");
    k.tap("dossier:check");
    k.tap("key:clear");
    k.tap("dossier:code");
    k.scan("H55.26-1124-0002");
    CHECK(k.state().focus == 1);
    CHECK(k.screen() == Screen::dossier);
    k.tap("dossier:search");
    CHECK(k.state().dossier_message == "dossier.need_both");
}

TEST_CASE("a dossier handed in at a counter shows where and when beside its status, in both languages") {
    TestServer s;
    load_catalog(s);
    feed_dossiers(s);
    const std::string staff = s.staff(1);
    const json t = issue(s, "A");
    auto r = s.post("/api/counters/1/next", json::object(), staff);
    REQUIRE(r.body["ticket"]["id"] == t["id"]);
    const json outcome = {{"procedure", "1.001193"}, {"dossier", "H55.26-1124-0002"}, {"result", "received"}};
    REQUIRE(s.post("/api/tickets/" + std::to_string(t["id"].get<int64_t>()) + "/finish", {{"outcome", outcome}}, staff).status == 200);
    testing::TempDir dir;
    Kiosk k(s, dir);
    k.sync(s);
    k.tap("lang");  // English: what tesseract reads best
    scan_dossier(k, "H55.26-1124-0002|5678");
    const json& visits = k.state().dossier["visits"];
    REQUIRE(visits.size() == 1);
    CHECK(visits[0]["counter"] == 1);
    CHECK(visits[0]["result"] == "received");
    const auto shot = std::filesystem::path(ACTUAL_DIR) / "kiosk-dossier-visit-en.png";
    std::string error;
    INFO(error);
    REQUIRE(k.app->screenshot(shot, error));
    const std::string read = ocr(shot);
    INFO(read);
    CHECK(read.find("At this center") != std::string::npos);
    CHECK(read.find("Dossier received at") != std::string::npos);
}

TEST_CASE("a dossier on screen is asked again after the link comes back, and shows what changed meanwhile") {
    TestServer s;
    feed_dossiers(s);
    testing::TempDir dir;
    Kiosk k(s, dir);
    k.sync(s);
    scan_dossier(k, "H55.26-1124-0002|5678");
    CHECK(k.state().dossier["status"]["code"] == 5);
    s.stop();
    k.until([&] { return !k.app->online(); }, "the link down");
    {   // the backend's word reaches the server's dossier file while no kiosk can hear of it
        dossier::Store store((s.dir / "dossiers.db").string(), (s.dir / "dossier-key").string());
        dossier::Update ready;
        ready.event_id = "k5";
        ready.code = "H55.26-1124-0002";
        ready.at = s.clock_ms.load();
        ready.status = 9;
        ready.pickup = "Quầy số 2";
        store.ingest({ready});
    }
    s.start(false);
    k.until([&] { return k.app->online() && k.state().dossier["status"]["code"] == 9 && !k.app->busy(); }, "the new status");
    CHECK(k.screen() == Screen::dossier_result);
    CHECK(k.state().dossier["pickup"] == "Quầy số 2");
}

TEST_CASE("the printer out of paper: the number is shown with a QR to photograph, the server is told, no paper is promised") {
    TestServer s;
    testing::TempDir dir;
    testing::FakeNetworkPrinter paper_out;
    paper_out.set_status({0x1A, 0x32, 0x12, 0x72});  // DLE EOT 1..4: paper end (as drivers_transport_test)
    KioskConfig c = config_for(s, dir, 1080, 1920);
    c.printer = "tcp:127.0.0.1:" + std::to_string(paper_out.port());
    Kiosk k(c, s.clock_ms.load());
    k.sync(s);
    k.until([&] { return k.app->printer() && k.app->printer()->state == drivers::PrinterState::paper_out; }, "the printer's state");
    k.until([&] { return k.app->reported_printer() == "paper_out" && !k.app->busy(); }, "the server told");
    const json devices = s.call("GET", "/api/admin/devices", "", s.login("admin", s.admin_password)).body;
    bool told = false;
    for (const auto& d : devices["devices"])
        told |= d.value("name", "") == "Kiosk 1" && d.contains("printer") && d["printer"]["state"] == "paper_out";
    CHECK(told);
    k.app->run_once(0);
    CHECK(k.app->target("lang"));  // the header shows it; staff see it on the dashboard

    k.take_number("C");
    const TicketOutcome& o = *k.state().outcome;
    CHECK(o.print == PrintState::failed);
    CHECK(o.ticket["number"] == "C001");
    CHECK(o.proof.find("C001") != std::string::npos);
    CHECK(paper_out.jobs().empty());  // nothing half printed
    check_golden(k, "kiosk-paper-out-1080x1920");
    // The number is real: the server has it waiting.
    CHECK(s.call("GET", "/api/tickets/" + std::to_string(o.ticket["id"].get<int64_t>()), "", s.kiosk).body["state"] == "waiting");
    // It stays until the citizen presses Done (or the idle time), not the short ticket time.
    k.advance(25'000);
    CHECK(k.screen() == Screen::ticket);
    k.advance(40'000);
    CHECK(k.screen() == Screen::home);

    // The same in landscape.
    testing::TempDir wide_dir;
    KioskConfig wide = c;
    wide.width = 1920;
    wide.height = 1080;
    wide.cache_dir = wide_dir / "cache";
    Kiosk landscape(wide, s.clock_ms.load());
    landscape.sync(s);
    landscape.until([&] { return landscape.app->reported_printer() == "paper_out"; }, "the printer's state");
    REQUIRE(landscape.take_number("C").print == PrintState::failed);
    CHECK(landscape.state().outcome->ticket["number"] == "C002");
    check_golden(landscape, "kiosk-paper-out-1920x1080");
}

TEST_CASE("the server stopped mid-flow: no number is promised, search works from the cache, and the kiosk recovers by itself") {
    TestServer s;
    load_catalog(s);
    testing::TempDir dir;
    Kiosk k(s, dir);
    k.sync(s);
    k.has_catalog(40);
    k.tap("home:take");
    CHECK(k.screen() == Screen::services);
    const int64_t tickets_before = s.seq();
    s.stop();
    k.until([&] { return !k.app->online(); }, "the kiosk to notice");
    k.tap("service:A");
    k.tap("category:normal");
    CHECK(k.screen() == Screen::refused);
    CHECK(k.state().refusal == "refused.offline");
    CHECK_FALSE(k.state().outcome);
    CHECK(files_in(dir / "prints", ".bin").empty());

    // Search keeps working from the saved catalog, and says so.
    k.tap("nav:home");
    k.tap("home:procedures");
    k.type("khai sinh");
    REQUIRE_FALSE(k.state().hits.empty());
    CHECK(k.state().hits[0].name == "Đăng ký khai sinh");

    // A new kiosk process on the same cache, the server still away: search still works.
    k.app.reset();
    Kiosk again(s, dir);
    again.app->run_once(0);
    CHECK_FALSE(again.app->online());
    CHECK(again.app->catalog().size() == 40);
    again.tap("home:procedures");
    again.type("ket hon");
    REQUIRE_FALSE(again.state().hits.empty());
    CHECK(again.state().hits[0].name == "Đăng ký kết hôn");

    s.start(false);
    again.sync(s);
    CHECK(s.seq() == tickets_before);  // nothing was issued while it was away
    again.tap("nav:home");
    REQUIRE(again.take_number("A").print == PrintState::printed);
    CHECK(again.state().outcome->ticket["number"] == "A001");
}

TEST_CASE("a ticket whose answer was lost on the way back is shown and printed all the same, and one never issued is not promised") {
    TestServer s;
    testing::TempDir dir;
    testing::LossyProxy link(s.port);
    KioskConfig c = config_for(s, dir, 1080, 1920);
    c.server = "http://127.0.0.1:" + std::to_string(link.port());
    Kiosk k(c, s.clock_ms.load());
    k.sync(s);

    // The server issues it; its answer never comes back. The event stream tells.
    link.next_ticket(testing::LossyProxy::Ticket::lose_answer);
    REQUIRE(k.take_number("A", "elderly").print == PrintState::printed);
    CHECK(link.tickets_lost() == 1);
    CHECK(k.said("answer was lost"));
    const json& t = k.state().outcome->ticket;
    CHECK(t["number"] == "A001");
    CHECK(t["service_name_vi"] == "Hộ tịch");  // the event lacks the words: taken from the services
    CHECK_FALSE(k.state().outcome->category_vi.empty());
    CHECK(files_in(dir / "prints", ".bin").size() == 1);

    // The request never reaches the server: after a while, no number, and none was issued.
    k.tap("ticket:done");
    link.next_ticket(testing::LossyProxy::Ticket::lose_request);
    const int64_t seq = s.seq();
    k.tap("home:take");
    k.tap("service:A");
    k.tap("category:normal");
    k.until([&] { return link.tickets_lost() == 2 && !k.app->busy(); }, "the request lost");
    CHECK(k.screen() == Screen::issuing);
    k.advance(9'000);
    CHECK(k.screen() == Screen::issuing);
    k.advance(1'500);
    CHECK(k.screen() == Screen::refused);
    CHECK(s.seq() == seq);
    CHECK(files_in(dir / "prints", ".bin").size() == 1);

    // And the link carries on: the next ticket is answered as usual.
    k.tap("nav:home");
    REQUIRE(k.take_number("B").print == PrintState::printed);
    CHECK(k.state().outcome->ticket["number"] == "B001");
}

TEST_CASE("idle: the next person starts at home, with what the last one typed and chose cleared") {
    TestServer s;
    load_catalog(s);
    testing::TempDir dir;
    Kiosk k(s, dir);
    k.sync(s);
    k.tap("lang");
    CHECK(k.state().lang == Lang::en);
    k.tap("large");
    CHECK(k.state().large_text);
    k.tap("home:dossier");
    k.type("h55");
    k.advance(59'000);
    CHECK(k.screen() == Screen::dossier);  // not yet
    k.type("1");                            // a touch starts the minute again
    k.advance(59'000);
    CHECK(k.state().dossier_code == "H551");
    k.advance(1'000);
    CHECK(k.screen() == Screen::home);
    CHECK(k.state().dossier_code.empty());
    CHECK(k.state().lang == Lang::vi);
    CHECK_FALSE(k.state().large_text);
}

TEST_CASE("every touch is answered in the next frame, by finger or by mouse, and a finger slid off a button does nothing") {
    TestServer s;
    testing::TempDir dir;
    Kiosk k(s, dir);
    k.sync(s);
    const auto take = *k.app->target("home:take");
    const uint64_t frames = k.app->frames();
    k.finger(SDL_FINGERDOWN, take.x + 10, take.y + 10);
    CHECK(k.app->frames() == frames + 1);  // the pressed look, drawn at once
    k.finger(SDL_FINGERUP, take.x - 10, take.y - 10);  // let go elsewhere
    CHECK(k.screen() == Screen::home);
    SDL_Event e{};
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = take.x + take.w / 2;
    e.button.y = take.y + take.h / 2;
    REQUIRE(SDL_PushEvent(&e) == 1);
    k.app->run_once(0);
    e.type = SDL_MOUSEBUTTONUP;
    REQUIRE(SDL_PushEvent(&e) == 1);
    k.app->run_once(0);
    CHECK(k.screen() == Screen::services);
}

TEST_CASE("the admin's way out: five taps in the corner and the PIN, and a wrong PIN keeps the kiosk") {
    TestServer s;
    testing::TempDir dir;
    Kiosk k(s, dir);
    k.sync(s);
    for (int i = 0; i < 4; ++i) {
        k.tap_at(5, 5);
    }
    k.advance(4'000);  // too slow: the taps are forgotten
    for (int i = 0; i < 4; ++i) {
        k.tap_at(5, 5);
    }
    CHECK(k.screen() == Screen::home);
    k.tap_at(5, 5);
    CHECK(k.screen() == Screen::admin);
    for (const char* d : {"1", "1", "1", "1", "ok"}) k.tap(std::string("pin:") + d);
    CHECK(k.state().pin_wrong);
    CHECK(k.app->run_once(0));
    for (const char* d : {"2", "4", "6", "8"}) k.tap(std::string("pin:") + d);
    k.tap("pin:ok");
    CHECK_FALSE(k.app->run_once(0));
    CHECK(k.said("admin PIN"));
}

TEST_CASE("every screen fits its window at kiosk sizes, in large text too, and matches its golden image") {
    for (auto [w, h] : std::vector<std::pair<int, int>>{{1080, 1920}, {1920, 1080}, {768, 1024}, {1280, 800}}) {
        for (bool large : {false, true}) {
            // The same morning each time, so each size shows the same numbers.
            TestServer s;
            load_catalog(s);
            feed_dossiers(s);
            for (const char* svc : {"A", "A", "A", "B", "C", "C"}) issue(s, svc);
            issue(s, "A", "elderly");
            const bool golden = !large && ((w == 1080 && h == 1920) || (w == 1920 && h == 1080));
            testing::TempDir dir;
            Kiosk k(s, dir, w, h);
            k.sync(s);
            k.has_catalog(40);
            if (large) k.tap("large");
            const std::string size = std::to_string(w) + "x" + std::to_string(h);
            auto shot = [&](const std::string& screen) {
                k.app->run_once(0);
                check_targets_fit(k, screen + (large ? " (large text)" : ""));
                if (golden) check_golden(k, "kiosk-" + screen + "-" + size);
            };
            shot("home");
            k.tap("home:take");
            shot("services");
            k.tap("service:A");
            shot("category");
            k.tap("category:normal");
            k.until([&] { return k.state().outcome && k.state().outcome->print == PrintState::printed; }, "the ticket");
            shot("ticket");
            k.tap("ticket:done");
            k.tap("home:procedures");
            shot("search-fields");
            k.tap("field:0");
            shot("field");
            k.tap("nav:back");
            k.type("dang ky khai sinh");
            shot("search");
            k.tap("hit:0");
            shot("procedure");
            k.tap("nav:home");
            k.tap("home:dossier");
            k.type("h55.26-1124-0002");
            shot("dossier");
            k.tap("dossier:check");
            k.type("5678");
            k.tap("dossier:search");
            k.until([&] { return k.screen() == Screen::dossier_result; }, "the dossier");
            shot("dossier-result");
            k.tap("nav:home");
            for (int i = 0; i < 5; ++i) k.tap_at(5, 5);  // the admin's corner
            REQUIRE(k.screen() == Screen::admin);
            k.tap("pin:1");
            shot("admin");
            k.tap("nav:home");
            s.stop();
            k.until([&] { return !k.app->online(); }, "the kiosk to notice the server is gone");
            k.tap("home:take");
            k.tap("service:A");
            k.tap("category:normal");
            REQUIRE(k.screen() == Screen::refused);
            shot("refused-offline");
        }
    }
}

TEST_CASE("in English: the same screens in the second language, the services' and categories' English names, and golden images") {
    TestServer s;
    feed_dossiers(s);
    issue(s, "A");
    testing::TempDir dir;
    KioskConfig c = config_for(s, dir, 1920, 1080);
    c.english_first = true;
    Kiosk k(c, s.clock_ms.load());
    k.sync(s);
    CHECK(k.state().lang == Lang::en);
    auto shot = [&](const std::string& screen) {
        k.app->run_once(0);
        check_targets_fit(k, screen + " in English");
        check_golden(k, "kiosk-en-" + screen + "-1920x1080");
    };
    shot("home");
    k.tap("home:take");
    k.tap("service:A");
    shot("category");
    k.tap("nav:home");
    REQUIRE(k.take_number("A", "pregnant").print == PrintState::printed);
    CHECK(k.state().outcome->category_en == "Pregnant or with a child under 6");
    shot("ticket");
    k.tap("nav:home");
    k.scan("H55.26-1124-0002 5678");
    k.until([&] { return k.screen() == Screen::dossier_result; }, "the dossier");
    shot("dossier-result");
    k.advance(60'000);
    CHECK(k.state().lang == Lang::en);  // the next person starts in the kiosk's first language
}

// The program as a center runs it: what it says to a bad start, and how it stops.
TEST_CASE("the kiosk program: a clear error for a bad config, no token or an empty token file, and a clean stop on SIGTERM") {
    headless();
    testing::TempDir dir;
    auto run = [&](const std::string& args) { return testing::run_command(std::string(KIOSK_BIN) + " " + args); };
    auto [code, out] = run("--server http://127.0.0.1:9 --windowed");
    CHECK(code == 2);
    CHECK_THAT(out, Catch::Contains("no device token"));
    std::ofstream(dir / "bad.toml") << "[kiosk]\npaper_mm = 57\n";
    std::tie(code, out) = run("--config " + (dir / "bad.toml").string());
    CHECK(code == 2);
    CHECK_THAT(out, Catch::Contains("paper_mm") && Catch::Contains("80 or 58"));
    std::ofstream(dir / "empty-token") << "\n";
    std::tie(code, out) = run("--token-file " + (dir / "empty-token").string());
    CHECK(code == 2);
    CHECK_THAT(out, Catch::Contains("empty-token: is empty"));
    std::ofstream(dir / "crlf-token") << "abc123 \r\nnext line\n";  // written on Windows, a space after
    CHECK(common::first_line_of(dir / "crlf-token") == "abc123");

    TestServer s;
    std::ofstream(dir / "token") << s.kiosk << "\n";
    testing::Process kiosk({KIOSK_BIN, "--server", "http://127.0.0.1:" + std::to_string(s.port), "--token-file",
                            (dir / "token").string(), "--printer", "file:" + (dir / "prints").string(), "--cache",
                            (dir / "cache").string(), "--windowed", "--width", "540", "--height", "960"});
    CHECK_FALSE(kiosk.wait_for_line("connected to").empty());
    kiosk.kill(SIGTERM);
    CHECK(kiosk.wait_exit() == 0);
}
