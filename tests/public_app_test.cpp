// public_app_test: the queue-server program itself sends the citizens' messages
// its config names (issue 20). The real binary on loopback with a center TOML
// whose [phone] table has an SMS gateway (a receiver the test starts) and a
// webhook: a phone asks for messages on its ticket's public route, a counter
// calls it, the gateway gets "Mời số A001 đến Quầy 1."; managers see how sending
// goes at GET /api/admin/messages and on /metrics, with the alert raised while a
// receiver fails. The demo's own [phone] writes its messages to
// DATA/messages.jsonl. Reverse proxies: X-Forwarded-For is taken only from the
// addresses the config trusts.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "http_receiver.hpp"
#include "notify_support.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

using testing::HttpReceiver;
using testing::http_call;
using json = nlohmann::json;

namespace {

// The demo center's TOML without its [phone] table, for a test's own.
std::string demo_center_without_phone() {
    std::ifstream in(DEMO_CENTER_TOML);
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    const size_t phone = text.find("\n[phone]");
    REQUIRE(phone != std::string::npos);
    return text.substr(0, text.rfind("\n#", phone));  // without the comment above it
}

struct RunningServer {
    testing::TempDir dir;
    std::unique_ptr<testing::Process> process;
    uint16_t port = 0;
    json creds;
    std::vector<std::string> lines;  // the server's output read so far

    explicit RunningServer(const std::string& phone_toml) {
        std::vector<std::string> argv = {QUEUE_SERVER_BIN, "--data", (dir / "data").string(), "--demo", "--listen", "127.0.0.1:0",
                                         "--log-level", "info"};  // the sender's lines are what a test waits on
        if (!phone_toml.empty()) {
            std::ofstream(dir / "center.toml") << demo_center_without_phone() << "\n" << phone_toml;
            argv.insert(argv.end(), {"--config", (dir / "center.toml").string()});
        }
        process = std::make_unique<testing::Process>(argv);
        const std::string banner = process->wait_for_line("listening", &lines);
        REQUIRE_FALSE(banner.empty());
        port = testing::port_from_banner(banner);
        creds = json::parse(std::ifstream(dir / "data" / "demo-credentials.json"));
    }
    std::string admin() {
        const auto r = http_call(port, "POST", "/api/login", json{{"user", creds["admin"]["user"]}, {"password", creds["admin"]["password"]}}.dump());
        return r.body["token"].get<std::string>();
    }
    // A ticket of service A taken at the kiosk, and its follow key.
    std::string take_ticket() {
        const auto r = http_call(port, "POST", "/api/tickets", R"({"service":"A"})", creds["kiosk_token"].get<std::string>());
        REQUIRE(r.status == 201);
        return r.body["follow_key"].get<std::string>();
    }
    int ask_for_messages(const std::string& key, const std::string& phone) {
        return http_call(port, "POST", "/api/public/tickets/" + key + "/notify",
                         json{{"phone", phone}, {"consent", true}, {"ahead", 1}}.dump()).status;
    }
    json message_status(const std::string& token) { return http_call(port, "GET", "/api/admin/messages", "", token).body; }
    // The server's own log line (an event, not a clock): REQUIREs that it came before the program ended.
    // Its threads log on their own: the line may have come before the banner.
    void wait_for_log(const std::string& needle, const std::string& also = "") {
        auto matches = [&](const std::string& line) { return line.find(needle) != std::string::npos && line.find(also) != std::string::npos; };
        for (size_t i = 0;; ++i) {
            if (i == lines.size()) REQUIRE_FALSE(process->wait_for_line(needle, &lines).empty());
            if (matches(lines[i])) return;
        }
    }
};

std::string sms_gateway(const std::string& url, const std::string& secret_file) {
    return "[[phone.sender]]\nkind = \"http\"\nname = \"sms\"\nurl = \"" + url + "\"\nsecret_file = \"" + secret_file +
           "\"\nheaders = { Authorization = \"Bearer {secret}\" }\nbody = '{\"to\":\"{phone}\",\"text\":\"{text}\",\"ref\":\"{id}\"}'\n";
}

std::string webhook(const std::string& url, const std::string& secret_file) {
    return "[[phone.sender]]\nkind = \"webhook\"\nname = \"erp\"\nurl = \"" + url + "\"\nsecret_file = \"" +
           secret_file + "\"\ntimeout_seconds = 2\n";
}

}  // namespace

TEST_CASE("the server program sends a ticket's messages through its config's gateway and managers see it", "[public][app]") {
    HttpReceiver gw, hook;
    testing::TempDir secrets;
    const std::string phone = "[phone]\n" + sms_gateway(gw.url("/sms"), testing::write_secret(secrets / "sms.secret", "sms-key")) +
                              webhook(hook.url("/events"), testing::write_secret(secrets / "hook.secret", "hook-key"));
    RunningServer server(phone);
    const std::string admin = server.admin();
    const std::string key = server.take_ticket();
    REQUIRE(server.ask_for_messages(key, "0912345678") == 202);
    REQUIRE(http_call(server.port, "POST", "/api/counters/1/next", "", admin).status == 200);

    const auto got = gw.wait_until(
        [](const auto& seen) {
            for (const auto& r : seen)
                if (r.body.find("Mời số A001 đến Quầy 1.") != std::string::npos) return true;
            return false;
        },
        std::chrono::seconds(30), "no called message");
    bool told = false;
    for (const auto& r : got)
        if (r.body.find("Mời số A001") != std::string::npos) {
            CHECK(json::parse(r.body)["to"] == "0912345678");
            CHECK(r.header("authorization") == "Bearer sms-key");
            told = true;
        }
    CHECK(told);
    hook.wait_for_delivered(1);  // every queue event goes to the webhook too, signed
    CHECK_FALSE(hook.seen()[0].header("x-signature").empty());

    server.wait_for_log("sent by sms", "-called-");
    const json s = server.message_status(admin);
    CHECK(s["alert"] == false);
    CHECK(s["queued"] == 0);
    CHECK(s["webhooks"][0]["name"] == "erp");
    CHECK(http_call(server.port, "GET", "/api/admin/messages", "", server.creds["kiosk_token"].get<std::string>()).status == 403);
    const auto metrics = http_call(server.port, "GET", "/metrics");
    CHECK(metrics.raw.find("center_messages_sent_total ") != std::string::npos);
    CHECK(metrics.raw.find("center_webhook_behind{name=\"erp\"}") != std::string::npos);
    CHECK(metrics.raw.find("0912345678") == std::string::npos);
}

TEST_CASE("a receiver that is down raises the managers' alert - the hall goes on", "[public][app]") {
    testing::TempDir secrets;
    // Nothing listens on port 9 (discard): both senders fail at once, every time.
    RunningServer server("[phone]\n" + sms_gateway("http://127.0.0.1:9/sms", testing::write_secret(secrets / "sms.secret", "k")) +
                         webhook("http://127.0.0.1:9/events", testing::write_secret(secrets / "hook.secret", "k")));
    const std::string admin = server.admin();
    const std::string key = server.take_ticket();
    REQUIRE(server.ask_for_messages(key, "0912345678") == 202);
    REQUIRE(http_call(server.port, "POST", "/api/counters/1/next", "", admin).status == 200);
    server.wait_for_log("webhook erp: event");  // its first failure, recorded before it is logged
    const json s = server.message_status(admin);
    CHECK(s["alert"] == true);
    CHECK_FALSE(s["webhooks"][0]["last_error"].get<std::string>().empty());
    CHECK(s["webhooks"][0]["behind"].get<int64_t>() > 0);
    CHECK(http_call(server.port, "GET", "/metrics").raw.find("center_messages_alert 1") != std::string::npos);
    // The queue does not wait for them.
    CHECK(http_call(server.port, "POST", "/api/tickets", R"({"service":"B"})", server.creds["kiosk_token"].get<std::string>()).status == 201);
}

TEST_CASE("the demo writes its messages to DATA/messages.jsonl and without senders the route says so", "[public][app]") {
    RunningServer demo("");
    const std::string admin = demo.admin();
    const std::string key = demo.take_ticket();
    REQUIRE(demo.ask_for_messages(key, "0987654321") == 202);
    REQUIRE(http_call(demo.port, "POST", "/api/counters/1/next", "", admin).status == 200);
    demo.wait_for_log("sent by demo", "-called-");
    const std::string lines = testing::read_bytes(demo.dir / "data" / "messages.jsonl");
    CHECK(lines.find("Mời số A001 đến Quầy 1.") != std::string::npos);
}

TEST_CASE("a center with no sender answers 404 no_sender to the managers' status and 409 to a phone", "[public][app]") {
    RunningServer plain("[phone]\nlate_places = 2\n");
    const std::string admin = plain.admin();
    const auto r = http_call(plain.port, "GET", "/api/admin/messages", "", admin);
    CHECK(r.status == 404);
    CHECK(r.body["error"]["code"] == "no_sender");
    CHECK(plain.ask_for_messages(plain.take_ticket(), "0912345678") == 409);
}

TEST_CASE("X-Forwarded-For counts only from a trusted proxy", "[public][app][limits]") {
    RunningServer server("[phone]\nrequest_burst = 2\nrequests_per_minute = 1\ntrusted_proxies = [\"127.0.0.2\"]\n");
    const std::string key = server.take_ticket();
    const std::string view = "/api/public/tickets/" + key;
    auto from = [&](const std::string& source, const std::string& forwarded) {
        std::map<std::string, std::string> headers;
        if (!forwarded.empty()) headers["X-Forwarded-For"] = forwarded;
        return testing::http_call_to("127.0.0.1", server.port, "GET", view, "", "", headers, 0, source).status;
    };
    // Through the trusted proxy, each phone has its own bucket; what a phone wrote before the proxy's hop is not believed.
    for (const std::string phone : {"203.0.113.7", "203.0.113.8"}) {
        CHECK(from("127.0.0.2", phone) == 200);
        CHECK(from("127.0.0.2", "10.9.9.9, " + phone) == 200);
        CHECK(from("127.0.0.2", "10.9.9.10, " + phone) == 429);
    }
    // From any other address the header is the client's own word: counted as that address.
    CHECK(from("127.0.0.3", "203.0.113.9") == 200);
    CHECK(from("127.0.0.3", "203.0.113.10") == 200);
    CHECK(from("127.0.0.3", "203.0.113.11") == 429);
}

TEST_CASE("[phone] refuses a proxy that is not an address and limits out of range", "[public][app][config]") {
    for (const char* bad : {"trusted_proxies = [\"proxy.local\"]", "trusted_proxies = \"127.0.0.1\"", "request_burst = 0",
                            "requests_per_minute = -1", "requests_per_second_overall = 0"}) {
        INFO(bad);
        testing::TempDir dir;
        std::ofstream(dir / "center.toml") << demo_center_without_phone() << "\n[phone]\n" << bad << "\n";
        const auto [code, output] = testing::run_command(std::string(QUEUE_SERVER_BIN) + " --data " + (dir / "data").string() +
                                                         " --config " + (dir / "center.toml").string() + " --listen 127.0.0.1:0");
        CHECK(code == 2);
        CHECK(output.find("phone.") != std::string::npos);
    }
}
