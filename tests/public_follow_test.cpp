// public_follow_test: following a ticket from a phone (issue 20), against a real
// server on loopback — the follow key answered once at issue, the ticket's view
// by its key, its live stream (a call shows on the phone in the same durable
// batch; nothing of any other ticket), leaving the line and "I'll be late", the
// 404s for malformed, wrong and past days' keys, and the key kept only as a hash
// (in the log, never sent to clients), still working after a restart.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "api/follow.hpp"
#include "public_client.hpp"
#include "sqlite/sqlite.hpp"

using testing::PhoneStream;
using testing::until;
using testing::Taken;
using testing::TestServer;
using testing::take_ticket;
using json = nlohmann::json;

namespace {

std::string file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Every event in the log on disk as (type, json), read with SQLite itself.
std::vector<std::pair<std::string, std::string>> logged(TestServer& s) {
    sqlite::Database db((s.dir / "center.db").string());
    sqlite::Statement q(db, "SELECT type, json FROM events ORDER BY seq");
    std::vector<std::pair<std::string, std::string>> out;
    while (q.step()) out.emplace_back(q.text_at(0), q.text_at(1));
    return out;
}

void next_call(TestServer& s, const std::string& staff, int counter) {
    REQUIRE(s.post("/api/counters/" + std::to_string(counter) + "/next", json::object(), staff).status == 200);
}

}  // namespace

TEST_CASE("a kiosk ticket answers its follow key once, and the key shows that ticket's view", "[public][follow]") {
    TestServer s;
    const Taken t = take_ticket(s);
    CHECK(t.key.size() == 22);
    CHECK(api::is_follow_key(t.key));
    CHECK(t.url == "/t/" + t.key);
    CHECK(take_ticket(s).key != t.key);
    const auto r = s.call("GET", "/api/public/tickets/" + t.key);
    REQUIRE(r.status == 200);
    CHECK(r.headers.at("cache-control") == "no-store");
    const json& v = r.body;
    CHECK(v["number"] == "A001");
    CHECK(v["service"] == "A");
    CHECK(v["service_name_vi"] == "Hộ tịch");
    CHECK(v["service_name_en"] == "Civil status");
    CHECK(v["state"] == "waiting");
    CHECK(v["people_ahead"] == 0);
    CHECK(v["counter"] == 0);
    CHECK(v["day"] == 20261124);
    CHECK(v["center"] == s.center.name);
    CHECK(v["late_used"] == false);
    CHECK(v["late_places"] == 3);
    CHECK(v["alert_ahead"] == 3);
    CHECK(v["messages"].is_null());
    CHECK_FALSE(v.contains("id"));
    CHECK_FALSE(v.contains("source"));
    // Asked again, the ticket does not give its key out any more.
    const auto again = s.call("GET", "/api/tickets/" + std::to_string(t.id), "", s.kiosk);
    CHECK(again.raw.find(t.key) == std::string::npos);
    CHECK_FALSE(again.body.contains("follow_key"));
}

TEST_CASE("with a public_url the follow URL is absolute", "[public][follow]") {
    TestServer s;
    s.tune = [](api::Core::Options& o) { o.phone.public_url = "https://hcc.example.vn"; };
    s.restart();
    const Taken t = take_ticket(s);
    CHECK(t.url == "https://hcc.example.vn/t/" + t.key);
}

TEST_CASE("the phone's stream shows its place as others are called and its own call at once and nothing of other tickets", "[public][stream]") {
    TestServer s;
    const std::string staff = s.staff(1);
    const Taken a1 = take_ticket(s), a2 = take_ticket(s), mine = take_ticket(s);
    PhoneStream phone(s.port, mine.key);
    json v = phone.next();
    CHECK(v["number"] == mine.number);
    CHECK(v["people_ahead"] == 2);
    take_ticket(s);       // behind it: its view does not change, nothing is sent
    take_ticket(s, "B");
    next_call(s, staff, 1);  // A001 called: one fewer ahead, and that is the very next message (the first round is at once)
    v = phone.next();
    CHECK(v["state"] == "waiting");
    CHECK(v["people_ahead"] == 1);
    REQUIRE(s.post("/api/tickets/" + std::to_string(a1.id) + "/finish", json::object(), staff).status == 200);
    next_call(s, staff, 1);  // A002
    v = until(phone, [](const json& x) { return x["people_ahead"] == 0; });
    CHECK(v["state"] == "waiting");
    REQUIRE(s.post("/api/tickets/" + std::to_string(a2.id) + "/finish", json::object(), staff).status == 200);
    s.clock_ms += 90'000;
    next_call(s, staff, 1);  // mine
    v = until(phone, [](const json& x) { return x["state"] != "waiting"; });
    CHECK(v["state"] == "called");
    CHECK(v["counter"] == 1);
    CHECK(v["counter_name"] == "Quầy 1");
    CHECK(v["called_at"] == s.clock_ms.load());
    REQUIRE(s.post("/api/tickets/" + std::to_string(mine.id) + "/recall", json::object(), staff).status == 200);
    CHECK(phone.next()["recalls"] == 1);  // a recall calls it again: the page alerts again
    REQUIRE(s.post("/api/tickets/" + std::to_string(mine.id) + "/start", json::object(), staff).status == 200);
    CHECK(phone.next()["state"] == "serving");
    // Nothing of any other ticket came: not their numbers, not a key, not a hash.
    for (const auto& m : phone.seen) {
        const std::string text = m.dump();
        INFO(text);
        for (const char* other : {"A002", "A004", "B001", "A001"}) CHECK(text.find(other) == std::string::npos);
        CHECK(text.find("follow") == std::string::npos);
        CHECK(m["ticket"]["number"] == mine.number);
    }
}

TEST_CASE("people ahead go down as others are called, on every counter that serves the service", "[public][stream]") {
    TestServer s;
    for (int i = 0; i < 4; ++i) take_ticket(s);
    const Taken mine = take_ticket(s);
    PhoneStream phone(s.port, mine.key);
    CHECK(phone.next()["people_ahead"] == 4);
    const std::string one = s.staff(1), two = s.staff(2);
    next_call(s, one, 1);
    CHECK(until(phone, [](const json& v) { return v["people_ahead"] != 4; })["people_ahead"] == 3);
    next_call(s, two, 2);  // counter 2 serves A when B is empty
    CHECK(until(phone, [](const json& v) { return v["people_ahead"] != 3; })["people_ahead"] == 2);
    CHECK(s.call("GET", "/api/public/tickets/" + mine.key).body["people_ahead"] == 2);
}

// The places of a crowd of phones are brought up to date in rounds, at most one a
// second (public_view.cpp); here the round the Core asks for is held by the test.
TEST_CASE("the places of many calls reach a phone in one round while a ticket an event names is shown at once", "[public][stream]") {
    TestServer s;
    s.hold_later = true;
    s.restart();
    const std::string staff = s.staff(1);
    std::vector<Taken> line;
    for (int i = 0; i < 6; ++i) line.push_back(take_ticket(s));
    PhoneStream leaving(s.port, line[4].key), staying(s.port, line[5].key);
    CHECK(leaving.next()["people_ahead"] == 4);
    CHECK(staying.next()["people_ahead"] == 5);
    next_call(s, staff, 1);  // the first round comes at once
    CHECK(leaving.next()["people_ahead"] == 3);
    CHECK(staying.next()["people_ahead"] == 4);
    CHECK(s.held_count() == 0);
    for (int k = 0; k < 2; ++k) {
        REQUIRE(s.post("/api/tickets/" + std::to_string(line[k].id) + "/finish", json::object(), staff).status == 200);
        next_call(s, staff, 1);
    }
    CHECK(s.held_count() == 1);  // four batches, one round waiting for its second
    // Its own event is not held: the phone that leaves sees it next, not a place.
    REQUIRE(s.call("POST", "/api/public/tickets/" + line[4].key + "/cancel", "{}").status == 200);
    CHECK(leaving.next()["state"] == "cancelled");
    CHECK(s.held_count() == 1);
    s.run_held();
    json v = staying.next();  // three fewer ahead in one view: two called, one gone
    CHECK(v["people_ahead"] == 1);
    CHECK(v["state"] == "waiting");
}

TEST_CASE("a phone leaves the line or says it will be late, once, and only while waiting", "[public][actions]") {
    TestServer s;
    const Taken mine = take_ticket(s);
    for (int i = 0; i < 4; ++i) take_ticket(s);
    const std::string base = "/api/public/tickets/" + mine.key;
    PhoneStream phone(s.port, mine.key);
    CHECK(phone.next()["people_ahead"] == 0);
    auto late = s.call("POST", base + "/late", "{}");
    REQUIRE(late.status == 200);
    CHECK(late.body["late_used"] == true);
    CHECK(late.body["people_ahead"] == 3);
    CHECK(late.body["number"] == mine.number);
    CHECK(phone.next()["people_ahead"] == 3);
    const auto twice = s.call("POST", base + "/late", "{}");
    CHECK(twice.status == 409);
    CHECK(twice.body["error"]["code"] == "already_late");
    CHECK(s.call("POST", base + "/late", R"({"places":10})").status == 400);  // the center decides how far
    const auto left = s.call("POST", base + "/cancel", "{}");
    REQUIRE(left.status == 200);
    CHECK(left.body["state"] == "cancelled");
    CHECK(phone.next()["state"] == "cancelled");
    const auto gone = s.call("POST", base + "/cancel", "{}");
    CHECK(gone.status == 409);
    CHECK(gone.body["error"]["code"] == "not_waiting");
    CHECK(s.call("POST", base + "/late", "{}").body["error"]["code"] == "not_waiting");
    // The log says who did it: the citizen, at no counter.
    bool cancelled = false, postponed = false;
    for (const auto& [type, body] : logged(s)) {
        const json j = json::parse(body);
        if (type == "ticket_cancelled" && j["ticket"] == mine.id) cancelled = j["by"] == "citizen" && j["counter"] == 0;
        if (type == "ticket_postponed") postponed = j["by"] == "citizen" && j["places"] == 3;
    }
    CHECK(cancelled);
    CHECK(postponed);
}

TEST_CASE("a called ticket cannot be left or moved back from its phone", "[public][actions]") {
    TestServer s;
    const Taken mine = take_ticket(s);
    REQUIRE(s.post("/api/counters/1/next", json::object(), s.staff(1)).status == 200);
    for (const char* action : {"cancel", "late"}) {
        const auto r = s.call("POST", "/api/public/tickets/" + mine.key + "/" + action, "{}");
        INFO(action);
        CHECK(r.status == 409);
        CHECK(r.body["error"]["code"] == "not_waiting");
    }
    CHECK(s.call("GET", "/api/public/tickets/" + mine.key).body["state"] == "called");
}

TEST_CASE("malformed, wrong and past days' keys are 404 everywhere, before any upgrade", "[public][keys]") {
    TestServer s;
    const Taken t = take_ticket(s);
    const std::vector<std::string> bad = {"abc", t.key + "A", t.key.substr(0, 21) + "!", std::string(22, '.'),
                                          "%41" + t.key.substr(3), api::new_follow_key()};
    for (const auto& key : bad) {
        INFO(key);
        const auto r = s.call("GET", "/api/public/tickets/" + key);
        CHECK(r.status == 404);
        CHECK(r.body["error"]["code"] == "unknown_key");
        CHECK(r.raw.find("A001") == std::string::npos);
        CHECK(s.call("POST", "/api/public/tickets/" + key + "/cancel", "{}").status == 404);
        CHECK(PhoneStream::status_for(s.port, key) == 404);
    }
    CHECK(s.call("GET", "/t/" + t.key).status == 200);
    const auto page = s.call("GET", "/t/" + bad.back());
    CHECK(page.status == 404);
    CHECK(page.content_type == "text/html; charset=utf-8");
    CHECK(page.headers.at("cache-control") == "no-store");
    CHECK(page.raw.find("Không tìm thấy") != std::string::npos);
    CHECK(PhoneStream::status_for(s.port, t.key) == 101);
    // Past midnight yesterday's key ends, before any command opens the new day, and after.
    s.clock_ms += 24 * 3600 * 1000;
    CHECK(s.call("GET", "/api/public/tickets/" + t.key).status == 404);
    CHECK(s.call("GET", "/t/" + t.key).status == 404);
    CHECK(PhoneStream::status_for(s.port, t.key) == 404);
    const Taken today = take_ticket(s);
    CHECK(today.number == "A001");
    CHECK(s.call("GET", "/api/public/tickets/" + t.key).status == 404);
    CHECK(s.call("GET", "/api/public/tickets/" + today.key).status == 200);
}

TEST_CASE("the phone page is the web build's /m/index.html, 200 or 404", "[public][keys]") {
    TestServer s;
    testing::TempDir web;
    std::filesystem::create_directories(web / "m");
    std::ofstream(web / "m" / "index.html") << "<!doctype html><title>phone app</title>";
    const auto files = api::WebFiles::load(web.path);
    s.web = &files;
    s.restart();
    const Taken t = take_ticket(s);
    const auto ok = s.call("GET", "/t/" + t.key);
    CHECK(ok.status == 200);
    CHECK(ok.raw == "<!doctype html><title>phone app</title>");
    CHECK(ok.headers.at("cache-control") == "no-store");
    const auto missing = s.call("GET", "/t/" + api::new_follow_key());
    CHECK(missing.status == 404);
    CHECK(missing.raw == ok.raw);
}

TEST_CASE("the log keeps the key's hash and never the key - no client is sent the hash - a restart keeps the key", "[public][privacy]") {
    TestServer s;
    const std::string admin = s.login("admin", s.admin_password);
    testing::WsClient events(s.port, admin, 0);
    CHECK(events.next()["type"] == "snapshot");
    const Taken t = take_ticket(s);
    const std::string hash = api::follow_hash(t.key);
    const json issued = events.next();
    REQUIRE(issued["type"] == "ticket_issued");
    CHECK(issued.dump().find(hash) == std::string::npos);
    CHECK_FALSE(issued["ticket"].contains("follow_hash"));
    CHECK(s.call("GET", "/api/state", "", admin).raw.find(hash) == std::string::npos);
    CHECK(s.call("GET", "/api/tickets/" + std::to_string(t.id), "", admin).raw.find(hash) == std::string::npos);
    bool kept = false;
    for (const auto& [type, body] : logged(s)) {
        CHECK(body.find(t.key) == std::string::npos);
        if (type == "ticket_issued") kept = json::parse(body)["ticket"]["follow_hash"] == hash;
    }
    CHECK(kept);
    s.restart();
    for (const auto& entry : std::filesystem::directory_iterator(s.dir.path)) {
        INFO(entry.path());
        if (entry.is_regular_file()) CHECK(file_bytes(entry.path()).find(t.key) == std::string::npos);
    }
    const auto after = s.call("GET", "/api/public/tickets/" + t.key);
    CHECK(after.status == 200);
    CHECK(after.body["number"] == t.number);
    PhoneStream phone(s.port, t.key);
    CHECK(phone.next()["number"] == t.number);
}
