// feed_test: the pull connector against a fake dossier backend that is a real
// HTTP server — pages, cursor, restart, failures of every kind, slow answers,
// duplicates and out-of-order updates — plus its backoff, URLs and pages.
#include <catch2/catch.hpp>

#include "common/http_url.hpp"
#include <fstream>
#include <set>
#include <sstream>

#include "common/backoff.hpp"
#include "api/config_file.hpp"
#include "fake_dossier_backend.hpp"
#include "feed/pull.hpp"
#include "test_server.hpp"

using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

json step(const std::string& id, const std::string& code, int64_t at, int status) {
    return {{"event_id", id}, {"code", code}, {"at", at}, {"status", status}};
}

// Twelve updates over five dossiers.
std::vector<json> twelve_updates() {
    std::vector<json> out;
    for (int i = 0; i < 12; ++i)
        out.push_back(step("ev-" + std::to_string(i), "H55.26-000" + std::to_string(i % 5), 1'000'000 + i * 1000, i < 5 ? 2 : 4));
    return out;
}

feed::PullConfig quick_config(const testing::FakeDossierBackend& backend) {
    feed::PullConfig c;
    c.url = backend.url();
    c.token = "backend-token";
    c.page_size = 5;
    c.interval = 20ms;  // once caught up, ask again soon: tests wait on requests, not on time
    c.timeout = 10s;
    c.backoff_first = 5ms;
    c.backoff_most = 40ms;
    return c;
}

// A connector on the test server's event loop.
struct Pull {
    testing::TestServer& server;
    std::shared_ptr<feed::PullConnector> connector;

    Pull(testing::TestServer& s, const feed::PullConfig& config) : server(s) {
        connector = server.on_loop([&] {
            auto c = std::make_shared<feed::PullConnector>(*server.io, config, server.core->pull_cursor(),
                                                          server.core->pull_sink(), [&s] { return s.clock_ms.load(); });
            server.core->set_pull_status([c] { return c->status().to_json(); });
            c->start();
            return c;
        });
    }
    ~Pull() { stop(); }
    void stop() {
        if (!connector) return;
        server.on_loop([this] {
            connector->stop();
            server.core->set_pull_status(nullptr);
            return 0;
        });
        server.on_loop([] { return 0; });  // the cancelled handlers have run
        connector.reset();
    }
    feed::PullStatus status() {
        return server.on_loop([this] { return connector->status(); });
    }
    // The reason of the first failed poll. It is recorded on the loop right
    // after the answer (or the refused connection): ask the loop until it is.
    std::string first_failure() {
        for (;;) {
            const auto s = status();
            if (s.failed_polls > 0) return s.last_error;
        }
    }
};

}  // namespace

TEST_CASE("pull: pages until caught up, the cursor saved with the updates, resumed after a restart") {
    testing::FakeDossierBackend backend;
    backend.add_updates(twelve_updates());
    testing::TestServer server;
    testing::WsClient board(server.port, server.display, server.seq());
    CHECK(board.next()["type"] == "catalog_updated");
    CHECK(board.next()["type"] == "phone_settings");
    {
        Pull pull(server, quick_config(backend));
        const auto caught_up = backend.wait_for_cursor("12");  // pages 0-5, 5-10, 10-12 are saved
        CHECK(caught_up.limit == "5");
        CHECK(caught_up.authorization == "Bearer backend-token");
        const auto seen = backend.seen();
        REQUIRE(seen.size() >= 4);
        CHECK(seen[0].cursor == "");
        CHECK(seen[1].cursor == "5");
        CHECK(seen[2].cursor == "10");
        CHECK(seen[0].target.rfind("/api/queue-feed?cursor=&limit=5", 0) == 0);
        const auto status = pull.status();
        CHECK(status.applied == 12);
        CHECK(status.failed_polls == 0);
        CHECK(status.cursor == "12");
        // The admin page shows the connector.
        const json page = server.call("GET", "/api/admin/feed", "", server.login("admin", server.admin_password)).body;
        CHECK(page["pull"]["applied"] == 12);
        CHECK(page["pull"]["url"] == backend.url());
    }
    CHECK(server.dossiers->find("H55.26-0000")->history.size() == 3);  // updates 0, 5, 10
    CHECK(server.dossiers->find("H55.26-0004")->status() == 4);
    CHECK(server.dossiers->cursor() == "12");
    std::set<std::string> announced;
    while (announced.size() < 5) {
        const json n = board.next();
        REQUIRE(n["type"] == "dossier_updated");
        for (const auto& c : n["codes"]) announced.insert(c.get<std::string>());
    }

    // After a restart the connector goes on from the saved cursor.
    server.restart();
    backend.add_updates({step("ev-12", "H55.26-0001", 2'000'000, 9)});
    const size_t before = backend.seen().size();
    Pull again(server, quick_config(backend));
    backend.wait_for_cursor("13");
    CHECK(backend.seen()[before].cursor == "12");
    CHECK(server.dossiers->find("H55.26-0001")->status() == 9);
}

TEST_CASE("pull: errors, nonsense and slow answers change nothing and are retried with backoff") {
    testing::FakeDossierBackend backend;
    backend.add_updates(twelve_updates());
    backend.script({500, "{\"error\":\"database down\"}"});
    backend.script({200, "{not json"});
    backend.script({200, json{{"updates", {step("x", "H55.26-0009", 1, 2), json{{"event_id", "y"}}}}, {"cursor", "2"}}.dump()});
    backend.script({200, json{{"updates", json::array()}}.dump()});  // no cursor
    backend.script({404, "no such path"});
    backend.script({200, "", true});  // held past the timeout
    testing::TestServer server;
    auto config = quick_config(backend);
    config.timeout = 300ms;
    Pull pull(server, config);
    backend.wait_for_cursor("12");
    const auto seen = backend.seen();
    // Seven asks from the start: six failures, then the first real page.
    REQUIRE(seen.size() >= 9);
    for (size_t i = 0; i < 7; ++i) CHECK(seen[i].cursor == "");
    const auto status = pull.status();
    CHECK(status.failed_polls == 6);
    CHECK(status.failures_in_a_row == 0);
    CHECK(status.applied == 12);
    CHECK(status.last_error == "no answer within 300 ms");
    CHECK_FALSE(server.dossiers->find("H55.26-0009"));  // the page with a bad update left nothing
    backend.release();
}

TEST_CASE("pull: each failure is reported with its reason") {
    testing::FakeDossierBackend backend;
    testing::TestServer server;
    auto reason_of = [&](testing::FakeDossierBackend::Answer answer) {
        backend.script(answer);
        auto config = quick_config(backend);
        config.backoff_first = config.backoff_most = 60s;  // one failure, then quiet
        const size_t before = backend.seen().size();
        Pull pull(server, config);
        backend.wait_for_requests(before + 1);
        return pull.first_failure();
    };
    CHECK(reason_of({503, "busy"}) == "the backend answered HTTP 503 Service Unavailable");
    CHECK_THAT(reason_of({200, "[1,2]"}), Catch::Contains("not a JSON object"));
    CHECK_THAT(reason_of({200, json{{"updates", {json{{"code", "x"}, {"at", 1}}}}, {"cursor", "1"}}.dump()}),
               Catch::Contains("update 1: 'event_id' is missing"));
    CHECK_THAT(reason_of({200, json{{"updates", json::array()}, {"cursor", "1"}, {"more", "yes"}}.dump()}),
               Catch::Contains("\"more\" must be true or false"));

    // Nobody listening: the connection is refused.
    feed::PullConfig closed = quick_config(backend);
    {
        boost::asio::io_context io;
        boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
        closed.url = "http://127.0.0.1:" + std::to_string(a.local_endpoint().port()) + "/feed";
    }  // closed again: the port refuses
    closed.backoff_first = closed.backoff_most = 60s;
    Pull pull(server, closed);
    CHECK_THAT(pull.first_failure(), Catch::StartsWith("connect: "));
}

TEST_CASE("pull: a slow answer within the timeout is taken") {
    testing::FakeDossierBackend backend;
    backend.add_updates(twelve_updates());
    backend.script({200, json{{"updates", {step("slow-1", "H55.26-0007", 5, 2)}}, {"cursor", "0"}, {"more", true}}.dump(), true});
    testing::TestServer server;
    Pull pull(server, quick_config(backend));  // 10 s timeout
    backend.wait_for_requests(1);
    backend.release();  // answers now, well after the request
    backend.wait_for_cursor("12");
    CHECK(server.dossiers->find("H55.26-0007"));
    CHECK(pull.status().failed_polls == 0);
}

TEST_CASE("pull: duplicates and out-of-order updates give the right dossier") {
    testing::FakeDossierBackend backend;
    // The backend resends an event and reports steps out of order, across pages.
    backend.add_updates({step("a", "H55.26-0100", 3000, 4), step("b", "H55.26-0100", 1000, 2), step("c", "H55.26-0100", 5000, 9),
                         step("a", "H55.26-0100", 3000, 4), step("d", "H55.26-0100", 4000, 5), step("b", "H55.26-0100", 1000, 2),
                         step("e", "H55.26-0100", 2000, 4)});
    testing::TestServer server;
    auto config = quick_config(backend);
    config.page_size = 2;
    Pull pull(server, config);
    backend.wait_for_cursor("7");
    const auto d = server.dossiers->find("H55.26-0100");
    REQUIRE(d);
    REQUIRE(d->history.size() == 5);
    std::vector<int64_t> times;
    for (const auto& s : d->history) times.push_back(s.at);
    CHECK(times == std::vector<int64_t>{1000, 2000, 3000, 4000, 5000});
    CHECK(d->status() == 9);
    const auto status = pull.status();
    CHECK(status.applied == 5);
    CHECK(status.duplicates == 2);
}

TEST_CASE("backoff doubles up to its cap, jitters by at most a fifth, and starts again after a success") {
    common::Backoff b(1000ms, 8000ms, 42);
    std::vector<int64_t> delays;
    for (int i = 0; i < 6; ++i) delays.push_back(b.next().count());
    const std::vector<int64_t> full = {1000, 2000, 4000, 8000, 8000, 8000};
    for (size_t i = 0; i < full.size(); ++i) {
        CHECK(delays[i] <= full[i]);
        CHECK(delays[i] >= full[i] * 8 / 10);
    }
    CHECK(b.failures() == 6);
    b.reset();
    CHECK(b.next().count() <= 1000);
    // The same seed gives the same delays; another seed others.
    common::Backoff same(1000ms, 8000ms, 42), other(1000ms, 8000ms, 7);
    std::vector<int64_t> again, different;
    for (int i = 0; i < 6; ++i) {
        again.push_back(same.next().count());
        different.push_back(other.next().count());
    }
    CHECK(again == delays);
    CHECK(different != delays);
    // Hundreds of failures never overflow.
    for (int i = 0; i < 500; ++i) CHECK(same.next().count() <= 8000);
}

TEST_CASE("pull URLs: http with host, port, path and query, anything else refused") {
    auto u = feed::parse_http_url("http://dossiers.example.gov.vn:8443/api/feed?center=H55");
    CHECK(u.host == "dossiers.example.gov.vn");
    CHECK(u.port == "8443");
    CHECK(u.target == "/api/feed?center=H55");
    u = feed::parse_http_url("http://10.0.0.5");
    CHECK(u.port == "80");
    CHECK(u.target == "/");
    u = feed::parse_http_url("http://[::1]:9000/feed");
    CHECK(u.host == "::1");
    CHECK(u.port == "9000");
    CHECK_THROWS_WITH(feed::parse_http_url("https://x/feed"), Catch::Contains("https is not supported"));
    CHECK_THROWS_AS(feed::parse_http_url("ftp://x/"), feed::UrlError);
    CHECK_THROWS_AS(feed::parse_http_url("http://"), feed::UrlError);
    CHECK_THROWS_AS(feed::parse_http_url("http://x:0/"), feed::UrlError);
    CHECK_THROWS_AS(feed::parse_http_url("http://x:99999/"), feed::UrlError);
    CHECK_THROWS_AS(feed::parse_http_url("http://user:pw@x/"), feed::UrlError);
    CHECK_THROWS_AS(feed::parse_http_url("http://x/a b"), feed::UrlError);
}

TEST_CASE("percent-encoding: a cursor, a query or a dossier code there and back, and malformed escapes refused") {
    CHECK(common::percent_encode("abc-_.~09") == "abc-_.~09");
    CHECK(common::percent_encode("a b&c=d/e") == "a%20b%26c%3Dd%2Fe");
    CHECK(common::percent_encode("Đăng ký") == "%C4%90%C4%83ng%20k%C3%BD");  // UTF-8 bytes
    for (const std::string text : {"Đăng ký khai sinh", "000.00.01.H29-260310-0420", "a+b c%d", ""})
        CHECK(common::percent_decode(common::percent_encode(text)) == text);
    CHECK(common::percent_decode("dang+ky") == "dang ky");
    CHECK(common::percent_decode("%c4%90") == "Đ");
    CHECK_FALSE(common::percent_decode("%4"));
    CHECK_FALSE(common::percent_decode("%zz"));
    CHECK_FALSE(common::percent_decode("abc%"));
}

TEST_CASE("feed pages and pushes are read strictly") {
    const auto page = dossier::parse_feed_page(
        json{{"updates", {step("a", "X", 1, 2)}}, {"cursor", "abc"}, {"more", true}}.dump());
    CHECK(page.updates.size() == 1);
    CHECK(page.cursor == "abc");
    CHECK(page.more);
    CHECK_FALSE(dossier::parse_feed_page(R"({"updates":[],"cursor":""})").more);
    auto refused = [](const std::string& body, const std::string& words) {
        CHECK_THROWS_WITH(dossier::parse_feed_page(body), Catch::Contains(words));
    };
    refused("", "not a JSON object");
    refused(R"({"updates":[]})", "\"cursor\" must be");
    refused(R"({"updates":[],"cursor":5})", "\"cursor\" must be");
    refused(R"({"updates":{},"cursor":""})", "\"updates\" must be a list");
    refused(R"({"updates":[],"cursor":"","next":1})", "unknown field 'next'");
    refused(R"({"updates":[],"cursor":")" + std::string(1001, 'c') + "\"}", "at most 1,000 bytes");
    json many = {{"updates", json::array()}, {"cursor", ""}};
    for (int i = 0; i < 5001; ++i) many["updates"].push_back(step("e" + std::to_string(i), "X", 1, 2));
    refused(many.dump(), "at most 5000 updates");
    CHECK_THROWS_WITH(dossier::parse_feed_push(R"({"updates":[],"cursor":""})"), Catch::Contains("unknown field 'cursor'"));
}

TEST_CASE("[dossier_feed] in the center config: the pull URL and its timing, checked") {
    auto with = [](const std::string& section) {
        std::ifstream in(DEMO_CENTER_TOML);
        std::stringstream text;
        text << in.rdbuf() << "\n[dossier_feed]\n" << section;
        return api::parse_config(text.str(), "center.toml");
    };
    const auto c = with("pull_url = \"http://10.1.2.3:8080/feed\"\npoll_seconds = 60\npage_size = 200\npull_token_file = \"/etc/t\"\n");
    REQUIRE(c.pull);
    CHECK(c.pull->url == "http://10.1.2.3:8080/feed");
    CHECK(c.pull->interval == 60s);
    CHECK(c.pull->timeout == 15s);
    CHECK(c.pull->page_size == 200);
    CHECK(c.pull_token_file == "/etc/t");
    CHECK_THROWS_WITH(with("pull_url = \"https://x/feed\"\n"), Catch::Contains("dossier_feed.pull_url: https is not supported"));
    CHECK_THROWS_WITH(with("pull_url = \"http://x/\"\npoll_seconds = 0\n"), Catch::Contains("poll_seconds 1-86400"));
    CHECK_THROWS_WITH(with("pull_url = \"http://x/\"\nevery = 5\n"), Catch::Contains("unknown key 'every'"));
    CHECK_THROWS_WITH(with("poll_seconds = 5\n"), Catch::Contains("pull_url"));
    CHECK_FALSE(api::demo_config().pull);
    // The example every installer starts from parses, pull included.
    const auto example = api::load_config_file(EXAMPLE_CENTER_TOML);
    REQUIRE(example.pull);
    CHECK(example.pull->page_size == 500);
}
