// kiosk_phone_test: the kiosk's side of the citizen's phone (issue 20), with the
// real parts — a real SDL window (dummy video driver), scripted touches on its
// buttons and digits pad, a real queue server on a loopback port, the file
// printer's ESC/POS bytes decoded back to the raster and the ticket's QR read
// from that raster by zbar (Debian's libzbar), and for messages the server's
// real notifier with its file sender (each message a JSON line in a file).
//
// What is shown: the printed QR is the follow URL the server answered (a path
// after the kiosk's server address, or the center's public_url), and it opens
// that ticket's public view; a phone number typed on the kiosk reaches the
// server (masked in the public view, masked on screen, in no log); a center
// without a sender says so kindly and the button goes; the screen goes home by
// itself like the others. Golden screenshots: tests/golden/kiosk-*phone-*.png.
//
// Arrival with a booking (issue 21): the booking's QR from the phone's screen
// and the chip ID card's QR, read by the scanner, check the booking in and
// print its ticket; an elderly card holder gets the priority by itself; the ID
// number and address are in no log, file or screen state; a bad card QR says why;
// a card with no booking takes a walk-in number, counted in the person's limits.
#include <catch2/catch.hpp>

#include <zbar.h>

#include <fstream>
#include <regex>
#include <set>

#include "common/text.hpp"
#include "escpos_decoder.hpp"
#include "golden_image.hpp"
#include "kiosk/app.hpp"
#include "kiosk/strings.hpp"
#include "kiosk_touch.hpp"
#include "notify/notifier.hpp"
#include "booking_hall.hpp"
#include "file_notifier.hpp"
#include "test_server.hpp"

using namespace kiosk;
using testing::TestServer;
using json = nlohmann::json;

using testing::FileNotifier;

namespace {

const std::string kPublicUrl = "https://hcc.example.vn";

KioskConfig config_for(const TestServer& s, const testing::TempDir& dir, int w = 1080, int h = 1920) {
    KioskConfig c;
    c.server = "http://127.0.0.1:" + std::to_string(s.port);
    c.token = s.kiosk;
    c.printer = "file:" + (dir / "prints").string();
    c.cache_dir = dir / "cache";
    c.fullscreen = false;
    c.width = w;
    c.height = h;
    c.timezone = "UTC+07:00";
    c.request_timeout_ms = 10'000;  // a loaded CI machine may answer late: a lost answer is not what these tests show
    return c;  // no follow_url template: the server's follow URL is printed
}

// One kiosk in this process, its clock turned by hand (as kiosk_test's).
struct Kiosk {
    std::atomic<int64_t> now;
    std::vector<std::string> log;
    std::unique_ptr<KioskApp> app;

    Kiosk(KioskConfig c, int64_t start_ms) : now(start_ms) {
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("SDL_RENDER_DRIVER", "software", 1);
        client::StreamOptions fast;
        fast.backoff_first = std::chrono::milliseconds(20);
        fast.backoff_most = std::chrono::milliseconds(200);
        app = std::make_unique<KioskApp>(std::move(c), [this] { return now.load(); },
                                         [this](const std::string& m) { log.push_back(m); }, fast);
        app->start();
        app->run_once(0);
    }

    template <class P>
    void until(P done, const std::string& what) {
        const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);  // a guard: a hang fails
        while (!done()) {
            INFO("waiting for: " << what << " on screen " << static_cast<int>(screen()) << "; the kiosk said: " << log_tail());
            REQUIRE(std::chrono::steady_clock::now() < limit);
            app->run_once(20);
        }
    }
    std::string log_tail() const {
        std::string tail;
        for (size_t i = log.size() > 6 ? log.size() - 6 : 0; i < log.size(); ++i) tail += "\n  " + log[i];
        return tail;
    }
    void sync(TestServer& s) {
        const int64_t seq = s.seq();
        until([&] { return app->online() && app->mirror().seq() >= seq && !app->busy(); }, "the kiosk to catch up");
        app->run_once(0);
    }
    Screen screen() const { return app->state().screen; }
    const KioskState& state() const { return app->state(); }
    void tap(const std::string& id) {
        app->run_once(0);
        const auto box = app->target(id);
        INFO("tapping " << id);
        REQUIRE(box);
        for (Uint32 type : {SDL_FINGERDOWN, SDL_FINGERUP}) {
            REQUIRE(testing::push_finger(app->window(), type, box->x + box->w / 2, box->y + box->h / 2));
            app->run_once(0);
        }
    }
    void type(const std::string& digits) {
        for (char c : digits) tap(testing::key_for(c));
    }
    // A USB barcode scanner: it types like a keyboard, then Enter.
    void scan(const std::string& text) {
        REQUIRE(testing::push_scan(text));
        app->run_once(0);
    }
    const TicketOutcome& printed_after_scan(const std::string& text) {
        scan(text);
        until([&] { return (state().outcome && state().outcome->print != PrintState::printing) || screen() == Screen::refused; },
              "the checked-in ticket printed");
        INFO("refused: " << state().refusal << "; the kiosk said: " << log_tail());
        REQUIRE(screen() != Screen::refused);
        return *state().outcome;
    }
    const TicketOutcome& take_number(const std::string& service) {
        tap("home:take");
        tap("service:" + service);
        if (screen() == Screen::category) tap("category:normal");
        until([&] { return state().outcome && state().outcome->print != PrintState::printing; }, "the ticket printed");
        return *state().outcome;
    }
    void advance(int64_t ms) {
        now += ms;
        app->run_once(0);
    }
    bool said(const std::string& needle) const {
        return std::any_of(log.begin(), log.end(), [&](const std::string& l) { return l.find(needle) != std::string::npos; });
    }
};

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every file under `dir` (the kiosk's cache, its prints), for "the key is in none of them".
std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec))
        if (e.is_regular_file()) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// What zbar reads as QR codes in a 1-bit raster (set = ink), with a white margin around it.
std::vector<std::string> read_qr_codes(const drivers::Bitmap& page) {
    using namespace zbar;  // in C++ its C API is in this namespace
    const int margin = 16, w = page.width() + 2 * margin, h = page.height() + 2 * margin;
    std::vector<unsigned char> gray(static_cast<size_t>(w) * h, 255);
    for (int y = 0; y < page.height(); ++y)
        for (int x = 0; x < page.width(); ++x)
            if (page.get(x, y)) gray[static_cast<size_t>(y + margin) * w + x + margin] = 0;
    zbar_image_scanner_t* scanner = zbar_image_scanner_create();
    zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_t* image = zbar_image_create();
    zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(image, static_cast<unsigned>(w), static_cast<unsigned>(h));
    zbar_image_set_data(image, gray.data(), gray.size(), nullptr);
    std::vector<std::string> out;
    if (zbar_scan_image(scanner, image) > 0)
        for (const zbar_symbol_t* s = zbar_image_first_symbol(image); s; s = zbar_symbol_next(s))
            out.emplace_back(zbar_symbol_get_data(s), zbar_symbol_get_data_length(s));
    zbar_image_destroy(image);
    zbar_image_scanner_destroy(scanner);
    return out;
}

// The QR of the one ticket printed into `prints` since `before` tickets were.
std::string printed_qr(const std::filesystem::path& prints, size_t index) {
    std::vector<std::filesystem::path> bins;
    for (const auto& f : files_under(prints))
        if (f.string().ends_with(".bin")) bins.push_back(f);
    REQUIRE(bins.size() > index);
    const std::string bytes = read_file(bins[index]);
    const auto job = testing::decode_escpos({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
    REQUIRE(job.pages.size() == 1);
    const auto codes = read_qr_codes(job.pages[0]);
    REQUIRE(codes.size() == 1);
    return codes[0];
}

void check_golden(Kiosk& k, const std::string& name) {
    const auto actual = std::filesystem::path(ACTUAL_DIR) / (name + ".png");
    std::string error;
    INFO(error);
    REQUIRE(k.app->screenshot(actual, error));
    testing::check_against_golden(actual, std::filesystem::path(GOLDEN_DIR) / (name + ".png"));
}

// Every button inside the window, none over another (as kiosk_test checks each screen).
void check_targets_fit(const Kiosk& k, const std::string& where) {
    int w = 0, h = 0;
    SDL_GetWindowSize(k.app->window(), &w, &h);
    const auto& t = k.app->targets();
    INFO(where << " at " << w << "x" << h);
    REQUIRE_FALSE(t.empty());
    for (size_t i = 0; i < t.size(); ++i) {
        INFO(t[i].id);
        CHECK((t[i].box.w >= 40 && t[i].box.h >= 40 && t[i].box.x >= 0 && t[i].box.y >= 0));
        CHECK((t[i].box.x + t[i].box.w <= w && t[i].box.y + t[i].box.h <= h));
        for (size_t j = i + 1; j < t.size(); ++j) {
            const Box& a = t[i].box;
            const Box& b = t[j].box;
            INFO("overlaps " << t[j].id);
            CHECK((a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y));
        }
    }
}

}  // namespace

// --- without a window ---

TEST_CASE("the ticket's QR address: the server's absolute URL as it is or a path after the kiosk's server or the kiosk's template") {
    KioskConfig c;
    c.server = "http://10.0.0.5:8080/";
    const json absolute{{"number", "A105"}, {"follow_key", "k"}, {"follow_url", "https://hcc.example.vn/t/k"}};
    CHECK(ticket_follow_url(absolute, c) == "https://hcc.example.vn/t/k");
    json path = absolute;
    path["follow_key"] = "abcdefghijklmnopqrstuv";
    path["follow_url"] = "/t/abcdefghijklmnopqrstuv";
    CHECK(ticket_follow_url(path, c) == "http://10.0.0.5:8080/t/abcdefghijklmnopqrstuv");
    CHECK(ticket_follow_url(json{{"number", "A105"}}, c).empty());  // a ticket seen only on the event stream
    json odd = absolute;
    odd["follow_url"] = "javascript:alert(1)";
    CHECK(ticket_follow_url(odd, c).empty());
    c.follow_url = "https://x.vn/t/{key}?n={number}&d={day}";
    json with_day = path;
    with_day["day"] = 20261124;
    CHECK(ticket_follow_url(with_day, c) == "https://x.vn/t/abcdefghijklmnopqrstuv?n=A105&d=20261124");
    CHECK(ticket_follow_url(json{{"number", "A105"}}, c).empty());  // {key} and no key: an address to nowhere
    c.follow_url = "https://x.vn/q?n={number}";
    CHECK(ticket_follow_url(json{{"number", "A105"}}, c) == "https://x.vn/q?n=A105");  // the old template still works
}

TEST_CASE("the phone screen's words: every key in both languages and NFC and the consent line as agreed") {
    const Strings& words = builtin_strings();
    std::set<std::string> used;
    const std::regex key(R"re("((?:phone|ticket|keyboard)\.[a-z_]+)")re");
    for (const char* file : {"phone.cpp", "phone_screen.cpp"}) {
        const std::string text = read_file(std::filesystem::path(KIOSK_SOURCE_DIR) / file);
        for (std::sregex_iterator it(text.begin(), text.end(), key), end; it != end; ++it) used.insert((*it)[1]);
    }
    used.insert("ticket.phone");
    CHECK(used.size() >= 15);
    for (const auto& k : used) {
        INFO(k);
        CHECK(words.has(k));
        CHECK_FALSE(words.get(k, Lang::en).empty());
        CHECK(common::to_nfc(words.get(k, Lang::vi)).value() == words.get(k, Lang::vi));
    }
    CHECK(words.get("ticket.phone", Lang::vi) == "Nhắn tin khi sắp đến lượt");
    CHECK(words.get("phone.consent", Lang::vi) ==
          "Tôi đồng ý để trung tâm dùng số điện thoại này gửi tin nhắn về lượt hôm nay; số sẽ bị xoá cuối ngày.");
    CHECK(words.get("phone.no_sender", Lang::vi) == "Trung tâm chưa bật tin nhắn");
    CHECK(words.get("phone.bad", Lang::vi) == "Số điện thoại chưa đúng");
}

// --- the kiosk against a real server ---

TEST_CASE("the printed QR reads as the server's follow URL and opens that ticket - absolute with public_url - and the key is in no log or file") {
    TestServer s;
    testing::TempDir dir;
    const KioskConfig c = config_for(s, dir);
    Kiosk k(c, s.clock_ms.load());
    k.sync(s);
    const TicketOutcome& first = k.take_number("A");
    REQUIRE(first.print == PrintState::printed);
    const std::string key = first.ticket.value("follow_key", "");
    REQUIRE(key.size() == 22);
    CHECK(first.ticket["follow_url"] == "/t/" + key);
    const std::string qr = printed_qr(dir / "prints", 0);
    CHECK(qr == c.server + "/t/" + key);
    // The address on paper is the ticket's: its public view answers with its number.
    const std::string from_qr = qr.substr(qr.rfind('/') + 1);
    const auto view = s.call("GET", "/api/public/tickets/" + from_qr);
    REQUIRE(view.status == 200);
    CHECK(view.body["number"] == first.ticket["number"]);
    CHECK(view.body["state"] == "waiting");

    // The key is the citizen's: not in the kiosk's log, nor in any file it keeps (its
    // catalog cache) or prints (the raster's bytes only draw it).
    for (const auto& line : k.log) CHECK(line.find(key) == std::string::npos);
    for (const auto& f : files_under(dir.path)) {
        INFO(f);
        CHECK(read_file(f).find(key) == std::string::npos);
    }
    k.tap("ticket:done");
    CHECK_FALSE(k.state().outcome);  // and gone from memory once the person is done

    // The center sets public_url: the QR is that address, absolute, as the server answered it.
    s.stop();
    k.until([&] { return !k.app->online(); }, "the link to drop");
    s.tune = [](api::Core::Options& o) { o.phone.public_url = kPublicUrl; };
    s.start(false);
    k.sync(s);
    const TicketOutcome& second = k.take_number("A");
    REQUIRE(second.print == PrintState::printed);
    const std::string key2 = second.ticket.value("follow_key", "");
    CHECK(printed_qr(dir / "prints", 1) == kPublicUrl + "/t/" + key2);
    CHECK(s.call("GET", "/api/public/tickets/" + key2).body["number"] == second.ticket["number"]);

    // The kiosk's own template still overrides, and may name the key.
    testing::TempDir other;
    KioskConfig templated = config_for(s, other);
    templated.follow_url = "https://theodoi.example.vn/t/{key}?n={number}";
    Kiosk t(templated, s.clock_ms.load());
    t.sync(s);
    const TicketOutcome& third = t.take_number("B");
    CHECK(printed_qr(other / "prints", 0) ==
          "https://theodoi.example.vn/t/" + third.ticket.value("follow_key", "") + "?n=" + third.ticket.value("number", ""));
}

TEST_CASE("a center without a message sender: the kiosk says so kindly and stops offering messages until the link comes back") {
    TestServer s;  // no MessageSink: POST .../notify answers 409 no_sender
    testing::TempDir dir;
    Kiosk k(config_for(s, dir), s.clock_ms.load());
    k.sync(s);
    k.take_number("A");
    k.tap("ticket:phone");
    REQUIRE(k.screen() == Screen::phone);
    k.type("0912345678");
    k.tap("phone:send");
    k.until([&] { return k.screen() == Screen::phone; }, "the server's answer");
    CHECK(k.state().phone_message == "phone.no_sender");
    CHECK(k.state().phone.empty());  // nothing to keep the number for
    k.app->run_once(0);
    CHECK_FALSE(k.app->target("phone:send"));
    CHECK(k.app->target("ticket:done"));
    CHECK(k.said("no message sender"));
    for (const auto& line : k.log) CHECK(line.find("345678") == std::string::npos);
    check_golden(k, "kiosk-phone-no-sender-1080x1920");

    // The next ticket: no button (the kiosk learnt it), until the server restarts.
    k.tap("ticket:done");
    k.take_number("A");
    k.app->run_once(0);
    CHECK_FALSE(k.app->target("ticket:phone"));
    k.tap("ticket:done");
    s.stop();
    k.until([&] { return !k.app->online(); }, "the link to drop");
    s.start(false);
    k.sync(s);
    k.take_number("A");
    k.app->run_once(0);
    CHECK(k.app->target("ticket:phone"));
}

TEST_CASE("messages asked for with touches: a wrong number is refused and kept to fix - the right one reaches the server - masked everywhere") {
    TestServer s;
    FileNotifier messages(s);
    testing::TempDir dir;
    Kiosk k(config_for(s, dir), s.clock_ms.load());
    k.sync(s);
    for (int i = 0; i < 4; ++i) s.post("/api/tickets", {{"service", "A"}}, s.kiosk);
    k.sync(s);
    const TicketOutcome& o = k.take_number("A");
    const std::string key = o.ticket.value("follow_key", ""), number = o.ticket.value("number", "");
    REQUIRE(o.ticket["people_ahead"] == 4);
    k.tap("ticket:phone");
    REQUIRE(k.screen() == Screen::phone);
    k.app->run_once(0);
    CHECK_FALSE(k.app->targets().empty());
    CHECK(k.app->target("phone:send"));

    // A landline-length number: the server says no, the kiosk says so and keeps it to be fixed.
    k.type("012345");
    k.tap("phone:send");
    k.until([&] { return k.screen() == Screen::phone && !k.app->busy(); }, "the answer to a bad number");
    CHECK(k.state().phone_message == "phone.bad");
    CHECK(k.state().phone == "012345");
    k.tap("key:clear");
    k.type("0912345670");
    k.tap("key:back");
    k.type("8");
    CHECK(k.state().phone == "0912345678");
    CHECK(k.state().phone_message.empty());
    check_targets_fit(k, "the phone screen");
    check_golden(k, "kiosk-phone-1080x1920");

    k.tap("phone:send");
    k.until([&] { return k.screen() == Screen::phone && !k.app->busy(); }, "the server's answer");
    CHECK(k.state().phone_masked == "09*****678");
    CHECK(k.state().phone.empty());  // the kiosk keeps only the masked form
    CHECK(k.said("messages asked for ticket " + number));
    check_golden(k, "kiosk-phone-done-1080x1920");

    // The server has it: its public view shows the contact masked, and the notifier sends at 3 ahead.
    const auto view = s.call("GET", "/api/public/tickets/" + key);
    REQUIRE(view.status == 200);
    CHECK(view.body["messages"]["phone"] == "09*****678");
    CHECK(view.body["messages"]["ahead"] == 3);
    const std::string staff = s.staff(1);
    REQUIRE(s.call("POST", "/api/counters/1/next", "", staff).status == 200);
    REQUIRE(messages.notifier->wait_idle(std::chrono::seconds(10)));
    const std::string sent = read_file(messages.sent);
    INFO(sent);
    CHECK(sent.find("09*****678") != std::string::npos);  // the file sender keeps the contact masked
    CHECK(sent.find("Sắp đến lượt số " + number) != std::string::npos);
    for (const auto& line : k.log) {
        CHECK(line.find("345678") == std::string::npos);
        CHECK(line.find(key) == std::string::npos);
    }

    // Signed up: the screen goes home after the ticket's time, the key and the masked number with it.
    k.advance(21'000);
    CHECK(k.screen() == Screen::home);
    CHECK_FALSE(k.state().outcome);
    CHECK(k.state().phone_masked.empty());
    s.stop();  // before the notifier the server uses
}

TEST_CASE("the phone screen at every kiosk size and in English and it goes home when left alone") {
    TestServer s;
    for (auto [w, h] : std::vector<std::pair<int, int>>{{1080, 1920}, {1920, 1080}, {768, 1024}, {1280, 800}}) {
        for (bool large : {false, true}) {
            testing::TempDir dir;
            Kiosk k(config_for(s, dir, w, h), s.clock_ms.load());
            k.sync(s);
            if (large) k.tap("large");
            k.take_number("C");
            const std::string size = std::to_string(w) + "x" + std::to_string(h) + (large ? " large" : "");
            k.app->run_once(0);
            check_targets_fit(k, "the ticket screen " + size);
            k.tap("ticket:phone");
            k.type("0987654321");
            k.app->run_once(0);
            check_targets_fit(k, "the phone screen " + size);
            if (w == 1920 && !large) check_golden(k, "kiosk-phone-1920x1080");
            k.tap("nav:back");
            CHECK(k.screen() == Screen::ticket);
            k.tap("ticket:phone");
            CHECK(k.state().phone == "0987654321");  // back and forth keeps what was typed
            // Left alone: home after the idle time, the number typed cleared with the ticket.
            k.advance(59'000);
            CHECK(k.screen() == Screen::phone);
            k.advance(2'000);
            CHECK(k.screen() == Screen::home);
            CHECK(k.state().phone.empty());
            CHECK_FALSE(k.state().outcome);
        }
    }
    testing::TempDir dir;
    KioskConfig en = config_for(s, dir, 1920, 1080);
    en.english_first = true;
    Kiosk k(en, s.clock_ms.load());
    k.sync(s);
    k.take_number("B");
    k.tap("ticket:phone");
    k.type("0912345678");
    check_golden(k, "kiosk-en-phone-1920x1080");
}

TEST_CASE("arrival with a booking: its QR from the phone and the chip ID card's QR check it in and print the ticket - ahead of walk-ins - the card's number nowhere", "[booking]") {
    testing::BookingHall h;
    testing::TempDir dir;
    const std::string card = "001150012345|123456789|Nguyễn Văn An|01011950|Nam|Số 1 Tràng Tiền, Hà Nội|01012021";
    auto by_phone = h.book("0912345678", h.code_for("0912345678"), 20261124, "08:15");
    REQUIRE(by_phone.status == 201);
    auto by_card = h.post("/api/public/bookings", {{"service", "A"}, {"day", 20261124}, {"start", "08:30"}, {"phone", "0987654321"},
                                                   {"code", h.code_for("0987654321")}, {"id_number", "001150012345"},
                                                   {"birth_date", "01011950"}, {"name", "Nguyễn Văn An"}});
    REQUIRE(by_card.status == 201);
    REQUIRE(h.s.post("/api/tickets", {{"service", "A"}, {"category", "normal"}}, h.s.kiosk).status == 201);  // a walk-in first

    Kiosk k(config_for(h.s, dir), h.s.clock_ms.load());
    k.sync(h.s);
    const TicketOutcome& booked = k.printed_after_scan("http://127.0.0.1:" + std::to_string(h.s.port) + by_phone.body["url"].get<std::string>());
    CHECK(booked.print == PrintState::printed);
    CHECK(booked.ticket["booked"] == true);
    CHECK(booked.ticket["number"] == "A002");
    CHECK(booked.ticket["people_ahead"] == 0);  // the slot has begun: ahead of the walk-in
    CHECK(h.s.call("GET", "/api/public/bookings/" + by_phone.body["key"].get<std::string>()).body["state"] == "checked_in");
    k.tap("ticket:done");

    const TicketOutcome& carded = k.printed_after_scan(card);
    CHECK(carded.print == PrintState::printed);
    CHECK(carded.ticket["booked"] == true);
    CHECK(carded.ticket["category"] == "elderly");  // born 1950: the priority without asking
    CHECK(carded.category_vi == "Người cao tuổi");
    CHECK(carded.ticket.dump().find("001150012345") == std::string::npos);
    for (const auto& line : k.log) {
        CHECK(line.find("001150012345") == std::string::npos);
        CHECK(line.find("Tràng Tiền") == std::string::npos);
    }
    for (const auto& f : files_under(dir.path)) {
        INFO(f);
        CHECK(read_file(f).find("001150012345") == std::string::npos);
    }
    k.tap("ticket:done");

    // Its booking has its number: the card now takes a walk-in number, counted in the person's limits.
    k.scan(card);
    k.until([&] { return k.screen() == Screen::services; }, "the services, for a walk-in number with the card");
    CHECK(k.said("no booking for this ID card today"));
    k.tap("service:A");  // the booking of A was the one of A today
    k.until([&] { return k.screen() == Screen::refused; }, "the limit's refusal");
    CHECK(k.state().refusal == "refused.limit");
    k.tap("nav:home");
    CHECK(k.state().card_id.empty());  // gone with the person
    k.scan(card);
    k.until([&] { return k.screen() == Screen::services; }, "the services again");
    k.tap("service:B");  // no category asked: the card says elderly
    k.until([&] { return k.state().outcome && k.state().outcome->print != PrintState::printing; }, "the walk-in's ticket printed");
    CHECK(k.state().outcome->ticket["category"] == "elderly");
    CHECK(k.state().outcome->ticket["masked_name"] == "Nguyễn V** A**");
    CHECK(k.state().outcome->ticket.dump().find("001150012345") == std::string::npos);
    k.tap("ticket:done");
    // A center that gives walk-in numbers by card only says so to whoever comes without one.
    engine::Center c = h.s.on_loop([&] { return h.s.core->engine().state().center; });
    c.booking.walk_in_identity = true;
    REQUIRE(h.s.call("PUT", "/api/admin/center", engine::center_to_json(c).dump(), h.admin).status == 200);
    k.tap("home:take");
    k.tap("service:C");
    if (k.screen() == Screen::category) k.tap("category:normal");
    k.until([&] { return k.screen() == Screen::refused; }, "the card asked for");
    CHECK(k.state().refusal == "refused.card_needed");
    for (const auto& line : k.log) CHECK(line.find("001150012345") == std::string::npos);
    k.tap("nav:home");
    k.scan("123456789||Nguyễn Văn An|01011950|Nam|Hà Nội|01012021");  // an old 9-digit card's
    k.until([&] { return k.screen() == Screen::refused; }, "the card's refusal");
    CHECK(k.state().refusal == "refused.card_old");
    k.tap("nav:home");
    k.scan("H55.26-1124-0001|1234");  // a receipt still opens the dossier lookup
    // Looking, the result, or back on the form with the server's answer (no such dossier here): not a card.
    k.until([&] { return k.state().dossier_code == "H55.26-1124-0001" && k.screen() != Screen::refused && !k.app->busy(); },
            "the dossier lookup");
    CHECK(k.state().dossier_check == "1234");
}

TEST_CASE("a booking's code typed at the kiosk checks it in - a short or unknown code says why", "[booking]") {
    testing::BookingHall h;
    testing::TempDir dir;
    auto booked = h.book("0912345678", h.code_for("0912345678"), 20261124, "08:15");
    REQUIRE(booked.status == 201);
    const std::string code = booked.body["code"];
    REQUIRE(code.size() == 8);

    Kiosk k(config_for(h.s, dir), h.s.clock_ms.load());
    k.sync(h.s);
    k.tap("home:booked");
    REQUIRE(k.screen() == Screen::booking_code);
    k.type("k7q");
    k.scan("");  // Enter with three characters
    CHECK(k.state().booking_message == "booking.short");
    CHECK(k.state().booking_code == "K7Q");
    check_golden(k, "kiosk-booking-code-1080x1920");
    k.tap("key:clear");
    k.type("zzzzozzzz9");  // no O in the code's alphabet (it looks like 0), nothing past its 8 characters
    CHECK(k.state().booking_code == "ZZZZZZZZ");
    k.tap("booking:check_in");
    k.until([&] { return k.screen() == Screen::refused; }, "the refusal");
    CHECK(k.state().refusal == "refused.no_booking");

    k.tap("nav:home");
    k.tap("home:booked");
    std::string lower = code;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    k.type(lower);
    k.tap("booking:check_in");
    k.until([&] { return k.state().outcome && k.state().outcome->print != PrintState::printing; }, "the ticket printed");
    CHECK(k.state().outcome->print == PrintState::printed);
    CHECK(k.state().outcome->ticket["booked"] == true);
    CHECK(h.s.call("GET", "/api/public/bookings/" + booked.body["key"].get<std::string>()).body["state"] == "checked_in");
    CHECK(k.said("a booking's code typed"));
}
