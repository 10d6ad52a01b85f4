// public_routes_test: the rest of the phones' routes (issue 20) against a real
// server — messages asked for through api::MessageSink (no sender: 409; bad
// phone, e-mail or no consent: 400; the contact only ever shown masked), the
// hall's queue, the catalog with cache headers and the kiosk's answers, the
// dossier lookup with its same-answer rule and its bucket per client address —
// and the center config's [phone] table.
#include <catch2/catch.hpp>
#include <mutex>

#include "api/config_file.hpp"
#include "feed_signing.hpp"
#include "notify/contact.hpp"
#include "public_client.hpp"

using testing::PhoneStream;
using testing::Taken;
using testing::TestServer;
using testing::take_ticket;
using json = nlohmann::json;

namespace {

// The interface's simplest whole implementation: contacts kept in memory, nothing
// sent (sending is the notify library's, tested on its own). Called on the loop.
struct KeptContacts : api::MessageSink {
    bool phones = true, emails = false;
    mutable std::mutex m;
    std::vector<api::Subscription> kept;
    std::vector<int64_t> batch_ends;  // the last seq of each durable batch it was told of

    bool can_send(bool email) const override { return email ? emails : phones; }
    void subscribe(const api::Subscription& s) override {
        std::lock_guard lock(m);
        kept.push_back(s);
    }
    std::optional<std::string> masked_contact(int64_t ticket) const override {
        std::lock_guard lock(m);
        for (const auto& s : kept)
            if (s.ticket == ticket) return s.phone.empty() ? notify::mask_email(s.email) : notify::mask_phone(s.phone);
        return std::nullopt;
    }
    void send_text(const std::string&, int32_t, const std::string&, const std::string&) override {}
    void remind(const api::Reminder&) override {}
    void on_durable(const engine::State& state, const std::vector<engine::Event>& events) override {
        std::lock_guard lock(m);
        if (state.seq >= events.back().seq) batch_ends.push_back(events.back().seq);
    }
    nlohmann::json status() const override { return {{"queued", 0}, {"alert", false}}; }
};

const std::string kDossier = "H55.26-0001";

json dossier_push(int64_t at_ms) {
    return {{"updates", {{{"event_id", "e1"}, {"code", kDossier}, {"at", at_ms}, {"status", 4}, {"check", "1234"},
                          {"applicant_name", "Nguyễn Văn An"}}}}};
}

testing::HttpReply from(TestServer& s, const std::string& source, const std::string& target) {
    return testing::http_call_to("127.0.0.1", s.port, "GET", target, "", "", {}, 0, source);
}

}  // namespace

TEST_CASE("without a message sender the notify route answers 409 no_sender", "[public][notify]") {
    TestServer s;
    const Taken t = take_ticket(s);
    const auto r = s.call("POST", "/api/public/tickets/" + t.key + "/notify", R"({"phone":"0912345678","consent":true})");
    CHECK(r.status == 409);
    CHECK(r.body["error"]["code"] == "no_sender");
}

TEST_CASE("a phone asks for messages: checked, normalised, kept by the sink, shown masked", "[public][notify]") {
    KeptContacts sink;
    TestServer s;
    s.tune = [&](api::Core::Options& o) { o.messages = &sink; };
    s.restart();
    const Taken t = take_ticket(s);
    const std::string notify = "/api/public/tickets/" + t.key + "/notify";
    auto code = [&](const std::string& body) {
        const auto r = s.call("POST", notify, body);
        return std::to_string(r.status) + " " + r.body["error"]["code"].get<std::string>();
    };
    CHECK(code(R"({"phone":"0912345678"})") == "400 no_consent");
    CHECK(code(R"({"phone":"0912345678","consent":false})") == "400 no_consent");
    // notify/contact.hpp's checks: "0241234567" is not a mobile range, "a..b@x.vn" not a dot-atom.
    for (const char* bad : {"12345", "091234567", "09123456789", "+85912345678", "09l2345678", "", "0912 345 678 9",
                            "0241234567"}) {
        INFO(bad);
        CHECK(code(json{{"phone", bad}, {"consent", true}}.dump()) == "400 bad_phone");
    }
    CHECK(code(R"({"phone":912345678,"consent":true})") == "400 bad_phone");
    CHECK(code(R"({"consent":true})") == "400 bad_phone");
    CHECK(code(R"({"email":"not an address","consent":true})") == "400 bad_email");
    CHECK(code(R"({"email":"a..b@x.vn","consent":true})") == "400 bad_email");
    CHECK(code(R"({"email":"a@b.vn","consent":true})") == "409 no_sender");  // this sink sends no e-mail
    CHECK(code(R"({"phone":"0912345678","consent":true,"ahead":0})") == "400 bad_ahead");
    CHECK(code(json{{"phone", std::string(5000, '0')}, {"consent", true}}.dump()) == "413 too_large");
    {
        std::lock_guard lock(sink.m);
        CHECK(sink.kept.empty());
    }
    PhoneStream phone(s.port, t.key);
    CHECK(phone.next()["messages"].is_null());
    const auto ok = s.call("POST", notify, R"({"phone":"+84 912.345-678","ahead":2,"consent":true})");
    REQUIRE(ok.status == 202);
    CHECK(ok.body == json{{"phone", "09*****678"}, {"ahead", 2}});
    CHECK(ok.raw.find("912345678") == std::string::npos);
    {
        std::lock_guard lock(sink.m);
        REQUIRE(sink.kept.size() == 1);
        CHECK(sink.kept[0].phone == "0912345678");
        CHECK(sink.kept[0].ticket == t.id);
        CHECK(sink.kept[0].number == t.number);
        CHECK(sink.kept[0].service == "A");
        CHECK(sink.kept[0].day == 20261124);
        CHECK(sink.kept[0].ahead == 2);
    }
    CHECK(phone.next()["messages"] == json{{"phone", "09*****678"}, {"ahead", 2}});  // the open page sees it at once
    CHECK(s.call("GET", "/api/public/tickets/" + t.key).body["messages"]["phone"] == "09*****678");
    // The sink hears of every durable batch, with the state that holds it.
    REQUIRE(s.post("/api/counters/1/next", json::object(), s.staff(1)).status == 200);
    CHECK(phone.next()["state"] == "called");
    const int64_t seq = s.seq();
    std::lock_guard lock(sink.m);
    REQUIRE_FALSE(sink.batch_ends.empty());
    CHECK(sink.batch_ends.back() == seq);
}

TEST_CASE("the hall's queue for phones: counts, estimates and the last calls, cached two seconds", "[public][waiting]") {
    TestServer s;
    take_ticket(s);
    take_ticket(s);
    take_ticket(s, "B");
    REQUIRE(s.post("/api/counters/1/next", json::object(), s.staff(1)).status == 200);
    const auto r = s.call("GET", "/api/public/waiting");
    REQUIRE(r.status == 200);
    CHECK(r.headers.at("cache-control") == "max-age=2");
    CHECK(r.body["center"] == s.center.name);
    CHECK(r.body["day"] == 20261124);
    REQUIRE(r.body["services"].size() == 3);
    CHECK(r.body["services"][0] == json{{"code", "A"}, {"name_vi", "Hộ tịch"}, {"name_en", "Civil status"}, {"waiting", 1},
                                        {"est_wait_s", 150}});  // 300 s over counters 1 and 2
    CHECK(r.body["services"][1]["waiting"] == 1);
    REQUIRE(r.body["last_calls"].size() == 1);
    CHECK(r.body["last_calls"][0] == json{{"number", "A001"}, {"counter", 1}, {"counter_name", "Quầy 1"}, {"at", s.clock_ms.load()}});
    CHECK(r.raw.find("kiosk") == std::string::npos);  // no source, no ids
}

TEST_CASE("procedures and fields for phones are the kiosk's answers, cacheable", "[public][catalog]") {
    TestServer s;
    const std::string admin = s.login("admin", s.admin_password);
    const std::string catalog = R"([{"code":"1.001193","name":"Đăng ký khai sinh","field":"Hộ tịch","level":"tỉnh"},
                                    {"code":"1.000001","name":"Đăng ký kết hôn","field":"Hộ tịch","level":"xã"}])";
    REQUIRE(s.call("POST", "/api/admin/catalog", catalog, admin).status == 200);
    for (const std::string path : {"/procedures?q=dang%20ky%20khai%20sinh&limit=5", "/procedures/1.001193", "/fields"}) {
        INFO(path);
        const auto kiosk = s.call("GET", "/api" + path, "", s.kiosk);
        const auto phone = s.call("GET", "/api/public" + path);
        REQUIRE(phone.status == 200);
        CHECK(phone.raw == kiosk.raw);
        CHECK(phone.headers.at("cache-control") == "public, max-age=300");
    }
    const auto hits = s.call("GET", "/api/public/procedures?q=dang%20ky%20khai%20sinh").body["hits"];
    REQUIRE_FALSE(hits.empty());
    CHECK(hits[0]["code"] == "1.001193");
    const auto missing = s.call("GET", "/api/public/procedures/9.999999");
    CHECK(missing.status == 404);
    CHECK(missing.headers.at("cache-control") == "no-store");
}

TEST_CASE("a dossier from a phone: the kiosk's answer, the same 404 for an unknown code and a wrong check, a bucket per address",
          "[public][dossier]") {
    TestServer s;
    const std::string body = dossier_push(s.clock_ms.load()).dump();
    const std::string ts = std::to_string(s.clock_ms.load() / 1000);
    REQUIRE(s.call("POST", "/api/feed/dossiers", body, "", {{"X-Timestamp", ts}, {"X-Signature", testing::sign(s.feed_secret, ts, body)}})
                .status == 200);
    const std::string good = "/api/public/dossiers/" + kDossier + "?check=1234";
    const auto phone = s.call("GET", good);
    REQUIRE(phone.status == 200);
    CHECK(phone.raw == s.call("GET", "/api/dossiers/" + kDossier + "?check=1234", "", s.kiosk).raw);
    CHECK(phone.raw.find("Nguyễn Văn An") == std::string::npos);  // the name is masked
    const auto wrong = from(s, "127.0.0.3", "/api/public/dossiers/" + kDossier + "?check=9999");
    const auto unknown = from(s, "127.0.0.3", "/api/public/dossiers/H55.26-0002?check=1234");
    CHECK(wrong.status == 404);
    CHECK(unknown.status == 404);
    CHECK(wrong.raw == unknown.raw);
    // 127.0.0.1 spends its lookups (10 a minute, one used above); another address still has its own.
    int refused = 0;
    for (int i = 0; i < 10; ++i) refused += s.call("GET", good).status == 429;
    CHECK(refused == 1);
    const auto spent = s.call("GET", good);
    CHECK(spent.status == 429);
    CHECK(spent.body["error"]["code"] == "too_many_lookups");
    CHECK(spent.headers.contains("retry-after"));
    CHECK(from(s, "127.0.0.2", good).status == 200);
}

TEST_CASE("center config: the [phone] table, its checks, and the senders left to notify", "[public][config]") {
    const std::string base = R"([center]
name = "Trung tâm xã"
[[services]]
code = "A"
name_vi = "Hộ tịch"
[[counters]]
id = 1
services = ["A"]
)";
    const auto plain = api::parse_config(base, "c.toml");
    CHECK(plain.phone.public_url.empty());
    CHECK(plain.phone.late_places == 3);
    CHECK(plain.phone.alert_ahead == 3);
    CHECK_FALSE(plain.phone.display_qr);
    CHECK(plain.phone_table.is_null());
    const auto full = api::parse_config(base + R"(
[phone]
public_url = "https://hcc.example.vn"
late_places = 5
alert_ahead = 2
display_qr = true
[[phone.sender]]
kind = "http"
url = "http://127.0.0.1:9/sms"
)", "c.toml");
    CHECK(full.phone.public_url == "https://hcc.example.vn");
    CHECK(full.phone.late_places == 5);
    CHECK(full.phone.alert_ahead == 2);
    CHECK(full.phone.display_qr);
    REQUIRE(full.phone_table["sender"].is_array());
    CHECK(full.phone_table["sender"][0]["kind"] == "http");
    for (const char* bad : {"public_url = \"https://hcc.example.vn/\"", "public_url = \"ftp://hcc.example.vn\"",
                            "public_url = \"hcc.example.vn\"", "public_url = \"https://\"", "late_places = 0",
                            "alert_ahead = 99", "display_qr = true", "colour = \"blue\""}) {
        INFO(bad);
        CHECK_THROWS_AS(api::parse_config(base + "[phone]\n" + bad + "\n", "c.toml"), api::ConfigError);
    }
}
