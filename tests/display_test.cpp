// display_test: the hall board against a real queue server — in the test
// process with an injected clock, or as the real program killed with -9 and
// restarted. The board runs in a real SDL window under the dummy video driver
// (software renderer), its frames compared with committed golden images
// (tests/golden/display-*.png; UPDATE_GOLDEN=1 rewrites them — look at them
// before committing). Also: the layout at sizes from 720p to 4K, what is spoken
// and when, filters, and bad input that must not stop a board.
#include <catch2/catch.hpp>

#include <SDL2/SDL_image.h>

#include <chrono>
#include <fstream>

#include "board_layouts.hpp"
#include "common/text.hpp"
#include "display_board.hpp"
#include "display/layout.hpp"
#include "process.hpp"
#include "test_server.hpp"

using namespace display;
using testing::TestServer;
using json = nlohmann::json;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using testing::Board;
using testing::check_golden;
using testing::config_for;

json issue(TestServer& s, const std::string& service, const std::string& category = "normal") {
    auto r = s.post("/api/tickets", {{"service", service}, {"category", category}}, s.kiosk);
    REQUIRE(r.status == 201);
    return r.body;
}

json next(TestServer& s, int counter, const std::string& token) {
    auto r = s.call("POST", "/api/counters/" + std::to_string(counter) + "/next", "", token);
    REQUIRE(r.status == 200);
    return r.body["ticket"];
}

// A morning: nine tickets, two of them priority, three counters calling, counter 1 on its second ticket.
void busy_morning(TestServer& s) {
    for (const char* svc : {"A", "A", "A", "B", "B", "C", "C"}) issue(s, svc);
    issue(s, "A", "elderly");
    issue(s, "B", "disabled");
    const std::string admin = s.login("admin", s.admin_password);
    next(s, 3, admin);
    next(s, 2, admin);
    const json first = next(s, 1, admin);
    REQUIRE(s.call("POST", "/api/tickets/" + std::to_string(first["id"].get<int64_t>()) + "/start", "", admin).status == 200);
    next(s, 1, admin);
}

}  // namespace

TEST_CASE("the layout fits every box in the window at every size from 720p to 4K, either way round") {
    testing::for_each_board([](int w, int h, LayoutKind kind, bool ticker) {
        const Layout l = compute_layout(kind, Orientation::automatic, w, h, 12, ticker, 8);
        CHECK(l.portrait == (h > w));
        testing::check_boxes_apart(l);
        for (const Rect& r : {l.newest_label, l.newest_number, l.newest_counter, l.newest_service})
            CHECK(r.inside(l.newest));
        CHECK(l.newest_number.h >= std::min(w, h) / 6);  // the number is the biggest thing on the screen
        if (kind == LayoutKind::hall) {
            for (size_t i = 0; i < 12; ++i) CHECK(waiting_tile(l, i, 12).inside(l.waiting));
            CHECK(call_row(l, l.call_rows).inside(l.calls));
        }
        CHECK(l.mark.inside(l.header));
    });
}

TEST_CASE("the hall board shows what the server reports and matches its golden images in landscape and portrait") {
    TestServer s;
    busy_morning(s);
    const json state = s.call("GET", "/api/state", "", s.display).body;
    for (auto [w, h] : std::vector<std::pair<int, int>>{{1920, 1080}, {1080, 1920}}) {
        DisplayConfig c = config_for(s.port, s.display, w, h);
        c.logo = LOGO_PNG;
        Board board(c);
        board.sync(s.seq());
        const BoardView& v = board.view();
        CHECK(v.center_name == "Trung tâm Phục vụ hành chính công (thử nghiệm)");
        REQUIRE(v.newest);
        CHECK(v.newest->number == "A001");  // after the elderly citizen's A004: priority first
        CHECK(v.newest->counter_name == "Quầy 1");
        CHECK(v.newest->service_vi == "Hộ tịch");
        REQUIRE(v.previous.size() == 3);
        CHECK(v.previous[0].number == "A004");
        CHECK(v.previous[1].number == "B003");
        CHECK(v.previous[2].number == "C001");
        REQUIRE(v.waiting.size() == 3);
        for (size_t i = 0; i < 3; ++i) CHECK(v.waiting[i].waiting == state["services"][i]["waiting"].get<int>());
        CHECK(v.clock == "09:41");
        CHECK(v.date_vi == "Thứ Ba, 24/11/2026");
        CHECK_FALSE(v.status.highlight);  // a snapshot does not blink: only calls seen live do
        CHECK(board.spoken.empty());      // nor is it spoken
        check_golden(board, "display-hall-" + std::to_string(w) + "x" + std::to_string(h));
    }
}

TEST_CASE("the counter board shows its own counter's ticket, and 'closed' when paused, at two sizes") {
    TestServer s;
    busy_morning(s);
    for (auto [w, h] : std::vector<std::pair<int, int>>{{1280, 720}, {720, 1280}}) {
        DisplayConfig c = config_for(s.port, s.display, w, h);
        c.layout = LayoutKind::counter;
        c.counter = 2;
        c.ticker.clear();
        Board board(c);
        board.sync(s.seq());
        REQUIRE(board.view().counter_ticket);
        CHECK(board.view().counter_ticket->number == "B003");
        CHECK(board.view().counter_name == "Quầy 2");
        check_golden(board, "display-counter-" + std::to_string(w) + "x" + std::to_string(h));
    }
    DisplayConfig c = config_for(s.port, s.display, 1280, 720);
    c.layout = LayoutKind::counter;
    c.counter = 3;
    Board board(c);
    board.sync(s.seq());
    const std::string admin = s.login("admin", s.admin_password);
    const int64_t held = board.view().counter_ticket->ticket;
    REQUIRE(s.call("POST", "/api/tickets/" + std::to_string(held) + "/cancel", "", admin).status == 200);
    REQUIRE(s.call("POST", "/api/counters/3/pause", "", admin).status == 200);
    board.sync(s.seq());
    CHECK_FALSE(board.view().counter_ticket);
    CHECK(board.view().counter_paused);
}

TEST_CASE("a window resized or turned is laid out again for its new size") {
    TestServer s;
    busy_morning(s);
    Board board(config_for(s.port, s.display, 1280, 720));
    board.sync(s.seq());
    const uint64_t frames = board.app->frames();
    SDL_SetWindowSize(board.app->window(), 720, 1280);
    board.until([&] { return board.app->frames() > frames; }, "a frame at the new size");
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(board.app->renderer(), &w, &h);
    CHECK(w == 720);
    CHECK(h == 1280);
    const auto shot = std::filesystem::path(ACTUAL_DIR) / "display-resized.png";
    std::string error;
    REQUIRE(board.app->screenshot(shot, error));
    SDL_Surface* image = testing::load_rgb(shot);
    REQUIRE(image);
    CHECK(image->w == 720);
    CHECK(image->h == 1280);
    SDL_FreeSurface(image);
}

TEST_CASE("after midnight the board shows no calls from yesterday, then the new day's") {
    TestServer s;
    busy_morning(s);
    Board board(config_for(s.port, s.display, 1280, 720));
    board.sync(s.seq());
    REQUIRE(board.view().newest);
    board.advance(24 * 3600 * 1000LL);  // the next morning: the server has not been asked anything yet
    CHECK_FALSE(board.view().newest);
    CHECK(board.view().previous.empty());
    for (const auto& w : board.view().waiting) CHECK(w.waiting == 0);
    CHECK(board.view().date_vi == "Thứ Tư, 25/11/2026");
    s.clock_ms += 24 * 3600 * 1000LL;
    issue(s, "B");
    next(s, 2, s.login("admin", s.admin_password));
    board.sync(s.seq());
    REQUIRE(board.view().newest);
    CHECK(board.view().newest->number == "B001");  // numbering started afresh
    CHECK(board.view().previous.empty());
}

TEST_CASE("a live call shows at once and blinks, then stays, calls are spoken in order and a recall again") {
    TestServer s;
    Board board(config_for(s.port, s.display, 1280, 720));
    board.sync(s.seq());
    CHECK_FALSE(board.view().newest);
    for (int i = 0; i < 3; ++i) issue(s, "A");
    issue(s, "C");
    const std::string admin = s.login("admin", s.admin_password);
    const json a1 = next(s, 1, admin);
    next(s, 3, admin);
    board.sync(s.seq());
    REQUIRE(board.view().newest);
    CHECK(board.view().newest->number == "C001");
    CHECK(board.view().status.highlight);
    board.advance(500);
    CHECK_FALSE(board.view().status.highlight);  // blinking: half a second off
    board.advance(500);
    CHECK(board.view().status.highlight);
    board.advance(6000);
    CHECK_FALSE(board.view().status.highlight);  // and then it stays, steady
    CHECK(board.view().newest->number == "C001");

    // Both calls were spoken, in order, never over each other.
    board.until([&] { return board.spoken.size() == 2; }, "two announcements");
    CHECK(board.spoken[0].number == "A001");
    CHECK(board.spoken[1].number == "C001");
    REQUIRE(s.call("POST", "/api/tickets/" + std::to_string(a1["id"].get<int64_t>()) + "/recall", "", admin).status == 200);
    board.sync(s.seq());
    CHECK(board.view().newest->number == "A001");  // a recall comes back to the top
    board.advance(10'000);
    board.until([&] { return board.spoken.size() == 3; }, "the recall spoken");
    CHECK(board.spoken[2].number == "A001");
    CHECK(board.spoken[2].recall);
}

TEST_CASE("a burst of calls beyond the voice's limit is shown at once, and the board says some were not read") {
    TestServer s;
    DisplayConfig c = config_for(s.port, s.display, 1280, 720);
    c.voice.max_pending = 1;
    Board board(c);
    board.sync(s.seq());
    const std::string admin = s.login("admin", s.admin_password);
    for (const char* svc : {"A", "B", "C"}) issue(s, svc);
    for (int k : {1, 2, 3}) next(s, k, admin);
    board.sync(s.seq());
    CHECK(board.view().newest->number == "C001");
    // However the three events arrived, at most one call was speaking and one waiting.
    CHECK(board.app->announcer().skipped() >= 1);
    CHECK(board.view().status.skipped_calls);
    CHECK(board.spoken.size() <= 2);
    board.advance(61'000);
    CHECK_FALSE(board.view().status.skipped_calls);  // the notice goes after a minute
}

TEST_CASE("filters: a board for some services and counters shows, counts and speaks only theirs") {
    TestServer s;
    DisplayConfig c = config_for(s.port, s.display, 1280, 720);
    c.services = {"A", "B"};
    c.counters = {1};
    Board board(c);
    board.sync(s.seq());
    const std::string admin = s.login("admin", s.admin_password);
    for (const char* svc : {"A", "B", "C", "C"}) issue(s, svc);
    next(s, 3, admin);  // C001 at counter 3: not this board's
    next(s, 2, admin);  // B001 at counter 2: not this board's counter
    board.sync(s.seq());
    CHECK_FALSE(board.view().newest);
    next(s, 1, admin);
    board.sync(s.seq());
    REQUIRE(board.view().newest);
    CHECK(board.view().newest->number == "A001");
    REQUIRE(board.view().waiting.size() == 2);
    CHECK(board.view().waiting[0].code == "A");
    CHECK(board.view().waiting[1].code == "B");
    board.until([&] { return !board.spoken.empty(); }, "the call spoken");
    CHECK(board.spoken.size() == 1);
    CHECK(board.spoken[0].number == "A001");
}

TEST_CASE("the server killed with -9 and restarted: the board keeps its screen, says it is reconnecting, and catches up") {
    testing::TempDir data;
    auto start = [&](const std::string& listen) {
        return std::make_unique<testing::Process>(std::vector<std::string>{
            QUEUE_SERVER_BIN, "--data", data.path.string(), "--listen", listen, "--log-level", "warn", "--config",
            CRASH_CENTER_TOML, "--demo"});
    };
    auto server = start("127.0.0.1:0");
    const uint16_t port = testing::port_from_banner(server->wait_for_line("listening on"));
    std::ifstream creds_file(data / "demo-credentials.json");
    const json creds = json::parse(creds_file);
    const std::string kiosk = creds["kiosk_token"], display_token = creds["display_token"];
    const json admin_account = creds["admin"];
    auto admin = [&] {
        auto r = testing::http_call(port, "POST", "/api/login",
                                    json{{"user", admin_account["user"]}, {"password", admin_account["password"]}}.dump());
        REQUIRE(r.status == 200);
        return r.body["token"].get<std::string>();
    };
    auto post = [&](const std::string& target, const json& body, const std::string& token) {
        auto r = testing::http_call(port, "POST", target, body.dump(), token);
        REQUIRE(r.status / 100 == 2);
        return r.body;
    };
    auto seq = [&] { return testing::http_call(port, "GET", "/healthz").body["seq"].get<int64_t>(); };

    for (int i = 0; i < 3; ++i) post("/api/tickets", {{"service", "A"}}, kiosk);
    std::string token = admin();
    post("/api/counters/1/next", json::object(), token);
    Board board(config_for(port, display_token, 1280, 720));
    board.sync(seq());
    CHECK(board.view().newest->number == "A00001");

    server->kill(SIGKILL);
    board.until([&] { return !board.app->online(); }, "the board to notice the server is gone");
    CHECK_FALSE(board.view().status.offline);  // a blink of the network is not worth a mark
    board.advance(3'500);
    CHECK(board.view().status.offline);
    CHECK(board.view().newest->number == "A00001");  // the last state stays on screen, never blank
    check_golden(board, "display-offline-1280x720");

    server = start("127.0.0.1:" + std::to_string(port));
    server->wait_for_line("listening on");
    token = admin();
    post("/api/counters/2/next", json::object(), token);
    post("/api/tickets", {{"service", "K"}}, kiosk);
    board.sync(seq());
    CHECK(board.app->online());
    CHECK_FALSE(board.view().status.offline);
    CHECK(board.view().newest->number == "A00002");
    CHECK(board.view().previous.at(0).number == "A00001");
    CHECK(board.app->mirror().service("K")->waiting == 1);
    CHECK(board.app->mirror().service("A")->waiting == 1);
}

TEST_CASE("bad input keeps a board running and says what is wrong: a huge ticker, a missing font, logo and voice") {
    TestServer s;
    DisplayConfig c = config_for(s.port, s.display, 1280, 720);
    c.ticker.clear();
    for (int i = 0; i < 5000; ++i) c.ticker += "Thông báo ";
    c.ticker_speed = 120;
    c.font_bold = "/nonexistent/NotoSans-Bold.ttf";
    c.logo = "/nonexistent/logo.png";
    c.voice.pack = "/nonexistent/voice";
    Board board(c);
    board.sync(s.seq());
    auto said = [&](const std::string& needle) {
        return std::any_of(board.log.begin(), board.log.end(), [&](const std::string& l) { return l.find(needle) != std::string::npos; });
    };
    CHECK(said("only the first 2000 are shown"));
    CHECK(said("font /nonexistent/NotoSans-Bold.ttf cannot be opened"));
    CHECK(said("logo /nonexistent/logo.png cannot be loaded"));
    CHECK(said("voice folder /nonexistent/voice is missing"));
    CHECK(common::utf8_length(board.view().ticker) == kMaxTickerChars + 1);
    issue(s, "A");
    next(s, 1, s.login("admin", s.admin_password));
    board.sync(s.seq());
    CHECK(board.view().newest->number == "A001");
    const uint64_t frames = board.app->frames();
    board.advance(1000);  // a moving ticker draws frames as time passes
    CHECK(board.app->frames() > frames);
    board.until([&] { return board.spoken.size() == 1; }, "the call spoken by synthesis");
}

TEST_CASE("a bad display config is refused with the line or key and the reason") {
    CHECK_THROWS_WITH(parse_display_config("[display]\nlayout = \"wall\"\n", "d.toml"), Catch::Contains("display.layout"));
    CHECK_THROWS_WITH(parse_display_config("[display]\ncolour = 1\n", "d.toml"), Catch::Contains("unknown key 'colour'"));
    CHECK_THROWS_WITH(parse_display_config("[display\n", "d.toml"), Catch::Contains("d.toml:1:"));
    CHECK_THROWS_WITH(parse_display_config("[display]\nlayout = \"counter\"\n", "d.toml"), Catch::Contains("counter's number"));
    CHECK_THROWS_WITH(parse_display_config("[voice]\nquiet_hours = \"22:00\"\n", "d.toml"), Catch::Contains("voice.quiet_hours"));
    CHECK_THROWS_WITH(parse_display_config("[voice]\nwording = \"Mời quầy {counter}\"\n", "d.toml"), Catch::Contains("{number}"));
    const DisplayConfig ok = parse_display_config(
        "[display]\nlayout = \"counter\"\ncounter = 4\nservices = [\"A\"]\n[voice]\nquiet_hours = \"21:30-06:15\"\n"
        "number_reading = \"digit_by_digit\"\n",
        "d.toml");
    CHECK(ok.counter == 4);
    CHECK(ok.services == std::set<std::string>{"A"});
    CHECK(ok.voice.quiet == std::pair{21 * 60 + 30, 6 * 60 + 15});
    CHECK(ok.voice.reading == NumberReading::digit_by_digit);
    // The sample in deploy/ is a valid config and says what the defaults are.
    DisplayConfig sample = parse_display_config(
        [] {
            std::ifstream in(EXAMPLE_DISPLAY_TOML);
            std::string text((std::istreambuf_iterator<char>(in)), {});
            return text.replace(text.find("token_file"), 10, "# token_file");  // the sample's token is not on this machine
        }(),
        "display.example.toml");
    CHECK(sample.layout == LayoutKind::hall);
    CHECK(sample.voice.wording == DisplayConfig{}.voice.wording);
    CHECK(sample.calls_shown == DisplayConfig{}.calls_shown);
    CHECK(sample.software_renderer);
}

namespace {

// A scripted event server: for each WebSocket connection in turn, records the
// target it asked for (its `since`) and sends that connection's messages; the
// last connection stays open until the board hangs up.
struct ScriptedEvents {
    asio::io_context io;
    tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
    std::vector<std::vector<std::string>> scripts;
    std::vector<std::string> targets;  // written by the server thread, read after join
    std::thread thread;

    explicit ScriptedEvents(std::vector<std::vector<std::string>> s) : scripts(std::move(s)) {
        thread = std::thread([this] {
            for (const auto& script : scripts) {
                tcp::socket socket(io);
                acceptor.accept(socket);
                beast::flat_buffer buffer;
                http::request<http::string_body> req;
                http::read(socket, buffer, req);
                targets.emplace_back(req.target());
                beast::websocket::stream<tcp::socket> ws(std::move(socket));
                ws.accept(req);
                for (const auto& m : script) ws.write(asio::buffer(m));
                beast::error_code ec;
                for (beast::flat_buffer b; !ec;) ws.read(b, ec);  // until the board closes this link
            }
        });
    }
    ~ScriptedEvents() { thread.join(); }
    uint16_t port() const { return acceptor.local_endpoint().port(); }
};

std::string called(int64_t seq, int64_t ticket, const std::string& number, int counter) {
    return json{{"seq", seq}, {"at", 1}, {"day", 20261125}, {"type", "ticket_called"}, {"ticket", ticket},
                {"number", number}, {"service", "A"}, {"counter", counter}}
        .dump();
}

}  // namespace

TEST_CASE("odd events from a server keep the board running: unknown fields and types, an unknown counter, garbage, a gap") {
    const std::string snapshot = json{{"type", "snapshot"}, {"seq", 5},
                                      {"state", {{"seq", 5}, {"day", 20261125}, {"center", {{"name", "Trung tâm lạ"}}},
                                                 {"services", {{{"code", "A"}, {"name_vi", "Hộ tịch"}}}},
                                                 {"counters", {{{"id", 1}, {"name", "Quầy 1"}}}},
                                                 {"recent_calls", json::array()}, {"tickets", json::array()}}}}
                                     .dump();
    json extra = json::parse(called(6, 1, "A001", 1));
    extra["hologram"] = {{"colour", "blue"}};
    ScriptedEvents server({{snapshot, extra.dump(),
                            json{{"seq", 7}, {"type", "queue_reshuffled"}, {"whatever", 1}}.dump(),
                            "this is not json {", called(8, 2, "A002", 42), called(10, 4, "A004", 1)},
                           {called(9, 3, "A003", 1), called(10, 4, "A004", 1)}});
    {
        Board board(config_for(server.port(), "token", 1280, 720));
        board.until([&] { return board.app->mirror().seq() == 10; }, "the events after the gap, from a new link");
        board.app->run_once(0);
        const BoardView& v = board.view();
        CHECK(v.center_name == "Trung tâm lạ");
        REQUIRE(v.newest);
        CHECK(v.newest->number == "A004");
        REQUIRE(v.previous.size() == 3);
        CHECK(v.previous[0].number == "A003");
        CHECK(v.previous[1].number == "A002");
        CHECK(v.previous[1].counter_name == "Quầy 42");  // a counter the snapshot never listed
        CHECK(v.previous[2].number == "A001");
        CHECK(std::any_of(board.log.begin(), board.log.end(),
                          [](const std::string& l) { return l.find("events missing after 8") != std::string::npos; }));
    }
    REQUIRE(server.targets.size() == 2);
    CHECK(server.targets[0].find("since") == std::string::npos);
    CHECK(server.targets[1].find("since=8") != std::string::npos);  // resumed after the last event applied
}
