// dossier_test: updates folded in any order and at most once, the masked kiosk
// view, the signed push feed and the rate-limited lookup on a real loopback server.
#include <set>
#include <catch2/catch.hpp>

#include <sodium.h>

#include "dossier/dossier.hpp"
#include "dossier/dossier_store.hpp"
#include <fstream>

#include "process.hpp"
#include "temp_dir.hpp"
#include "feed_signing.hpp"
#include "test_server.hpp"

using namespace dossier;
using nlohmann::json;

namespace {

Update step(const std::string& id, int64_t at, int status) {
    Update u;
    u.event_id = id;
    u.code = "H55-0001";
    u.at = at;
    u.status = status;
    return u;
}

using testing::sign;

json full_update(const std::string& id, int64_t at, int status) {
    return {{"event_id", id}, {"code", "H55.26-0001"}, {"at", at}, {"status", status}, {"applicant_name", "Nguyễn Văn An"},
            {"check", "1234"}, {"procedure_name", "Đăng ký khai sinh"}, {"received_date", "2026-11-20"},
            {"appointment_date", "2026-11-23"}};
}

}  // namespace

TEST_CASE("updates arriving out of order build the same timeline, older details never undo newer ones") {
    Dossier in_order, shuffled;
    Update a = step("e1", 1000, 2), b = step("e2", 2000, 4), c = step("e3", 3000, 9);
    a.pickup = "Quầy 1";
    c.pickup = "Quầy 3";
    for (const auto& u : {a, b, c}) apply(in_order, u);
    for (const auto& u : {c, a, b}) apply(shuffled, u);
    CHECK(to_json(in_order)["history"] == to_json(shuffled)["history"]);
    CHECK(shuffled.status() == 9);
    CHECK(shuffled.pickup == "Quầy 3");  // a's older pickup came later and did not win
}

TEST_CASE("the store applies a batch at most once per event id") {
    testing::TempDir dir;
    Store store((dir / "dossiers.db").string(), (dir / "dossier-key").string());
    auto r = store.ingest({step("e1", 1000, 2), step("e2", 2000, 4)});
    CHECK(r.applied == 2);
    CHECK(r.changed == std::vector<std::string>{"H55-0001"});
    r = store.ingest({step("e2", 2000, 4), step("e3", 1500, 5)});
    CHECK(r.applied == 1);
    CHECK(r.duplicates == 1);
    const auto d = store.find("H55-0001");
    REQUIRE(d);
    CHECK(d->history.size() == 3);
    CHECK(d->status() == 4);  // e3 happened before e2
    CHECK_FALSE(store.find("nope"));
    Store again((dir / "dossiers.db").string(), (dir / "dossier-key").string());  // durable
    CHECK(again.find("H55-0001")->history.size() == 3);
}

TEST_CASE("the kiosk view: masked name, plain status words, overdue from the appointment date") {
    CHECK(mask_name("Nguyễn Văn An") == "Nguyễn V** A**");
    CHECK(mask_name("Đặng Thị Ánh Tuyết") == "Đặng T** Á** T**");
    CHECK(mask_name("  Lê  ") == "Lê");
    CHECK(mask_name("") == "");
    Dossier d;
    apply(d, update_from_json(full_update("e1", 1000, 4)));
    auto view = public_view(d, "2026-11-24");
    CHECK(view["applicant"] == "Nguyễn V** A**");
    CHECK(view["status"]["text"] == "Đang giải quyết");
    CHECK(view["overdue"] == true);
    CHECK_FALSE(view.dump().find("1234") != std::string::npos);  // the check value never leaves
    CHECK(public_view(d, "2026-11-23")["overdue"] == false);
    apply(d, update_from_json(full_update("e2", 2000, 9)));
    CHECK(public_view(d, "2026-11-30")["overdue"] == false);  // result ready: nothing late any more
}

TEST_CASE("a malformed update is refused with the reason") {
    auto refused = [](json j, const std::string& words) {
        CHECK_THROWS_WITH(update_from_json(j), Catch::Contains(words));
    };
    refused(json::array(), "JSON object");
    refused({{"code", "x"}, {"at", 1}}, "'event_id' is missing");
    refused({{"event_id", "e"}, {"code", "x"}, {"at", "yesterday"}}, "'at' must be milliseconds");
    refused({{"event_id", "e"}, {"code", "x"}, {"at", 1}, {"status", 11}}, "status code from 1 to 10");
    refused({{"event_id", "e"}, {"code", "x"}, {"at", 1}, {"colour", "red"}}, "unknown field 'colour'");
    refused({{"event_id", "e"}, {"code", "x"}, {"at", 1}, {"appointment_date", "24/11/2026"}}, "YYYY-MM-DD");
    refused({{"event_id", "e"}, {"code", ""}, {"at", 1}}, "must not be empty");
}

TEST_CASE("dossier feed: signed, fresh and well-formed requests only, replays change nothing") {
    testing::TestServer server;
    const int64_t now_s = server.clock_ms.load() / 1000;
    auto feed = [&](const json& body, int64_t ts_s, const std::string& secret) {
        const std::string text = body.dump(), ts = std::to_string(ts_s);
        return server.call("POST", "/api/feed/dossiers", text, "",
                           {{"X-Timestamp", ts}, {"X-Signature", sign(secret, ts, text)}});
    };
    testing::WsClient board(server.port, server.display, server.seq());
    const json batch = {{"updates", {full_update("e1", 1000, 2), full_update("e2", 2000, 4)}}};
    auto r = feed(batch, now_s, server.feed_secret);
    REQUIRE(r.status == 200);
    CHECK(r.body["applied"] == 2);
    CHECK(board.next()["type"] == "catalog_updated");  // told on resuming
    CHECK(board.next()["type"] == "phone_settings");
    CHECK(board.next() == json{{"type", "dossier_updated"}, {"codes", json::array({"H55.26-0001"})}});

    r = feed(batch, now_s, server.feed_secret);  // the same request again
    CHECK(r.body["applied"] == 0);
    CHECK(r.body["duplicates"] == 2);
    CHECK(feed(batch, now_s - 301, server.feed_secret).body["error"]["code"] == "stale");
    CHECK(feed(batch, now_s + 301, server.feed_secret).body["error"]["code"] == "stale");
    CHECK(feed(batch, now_s, "another-secret-of-some-length").body["error"]["code"] == "bad_signature");
    CHECK(server.call("POST", "/api/feed/dossiers", batch.dump()).body["error"]["code"] == "unsigned");
    // The signature covers the body: change one byte and it fails.
    const std::string ts = std::to_string(now_s), text = batch.dump();
    std::string tampered = text;
    tampered[tampered.find("1234")] = '9';
    r = server.call("POST", "/api/feed/dossiers", tampered, "", {{"X-Timestamp", ts}, {"X-Signature", sign(server.feed_secret, ts, text)}});
    CHECK(r.status == 401);
    // One bad update: nothing of the request is applied.
    r = feed({{"updates", {full_update("e3", 3000, 9), json{{"event_id", "e4"}}}}}, now_s, server.feed_secret);
    CHECK(r.status == 400);
    const std::string message = r.body["error"]["message"];
    CHECK_THAT(message, Catch::Contains("update 2"));
    CHECK(server.dossiers->find("H55.26-0001")->status() == 4);
    CHECK(feed({{"nope", 1}}, now_s, server.feed_secret).status == 400);
    // A large signed batch is taken (the usual body limit is 64 KiB).
    json big = {{"updates", json::array()}};
    for (int i = 0; i < 3000; ++i) {
        json u = full_update("big" + std::to_string(i), 5000 + i, 4);
        u["code"] = "H55.26-" + std::to_string(i);
        big["updates"].push_back(u);
    }
    REQUIRE(big.dump().size() > 64 * 1024);
    r = feed(big, now_s, server.feed_secret);
    REQUIRE(r.status == 200);
    CHECK(r.body["applied"] == 3000);
    CHECK(server.call("POST", "/api/feed/dossiers", big.dump()).status == 401);  // unsigned: refused before its body is read
    // 3,000 changed dossiers are announced in six messages, every code once.
    std::set<std::string> announced;
    for (int i = 0; i < 6; ++i) {
        const json n = board.next();
        REQUIRE(n["type"] == "dossier_updated");
        CHECK(n["codes"].size() == 500);
        for (const auto& c : n["codes"]) announced.insert(c.get<std::string>());
    }
    CHECK(announced.size() == 3000);
    // The admin page counts what the feed brought and what it refused.
    const json status = server.call("GET", "/api/admin/feed", "", server.login("manager", "manager-password")).body;
    CHECK(status["push"]["applied"] == 3002);
    CHECK(status["push"]["duplicates"] == 2);
    CHECK(status["push"]["refused"] == 2);         // a bad update, {"nope": 1}
    CHECK(status["push"]["bad_signatures"] == 2);  // wrong secret, tampered body: counted apart, never the last error
    CHECK(status["pull"].is_null());
    CHECK(server.call("GET", "/api/admin/feed", "", server.staff(1)).status == 403);
}

TEST_CASE("dossier lookup: same answer for a wrong check and an unknown code, and a few lookups a minute") {
    testing::TestServer server;
    server.dossiers->ingest({update_from_json(full_update("e1", 1000, 5))});
    auto look = [&](const std::string& target, const std::string& token) { return server.call("GET", target, "", token); };
    auto r = look("/api/dossiers/H55.26-0001?check=1234", server.kiosk);
    REQUIRE(r.status == 200);
    CHECK(r.body["applicant"] == "Nguyễn V** A**");
    CHECK(r.body["status"]["code"] == 5);
    CHECK(r.raw.find("Nguyễn Văn An") == std::string::npos);
    const auto wrong = look("/api/dossiers/H55.26-0001?check=1235", server.kiosk);
    const auto unknown = look("/api/dossiers/H55.26-9999?check=1234", server.kiosk);
    CHECK(wrong.status == 404);
    CHECK(wrong.raw == unknown.raw);
    CHECK(look("/api/dossiers/H55.26-0001", server.kiosk).raw == unknown.raw);  // no check at all
    CHECK(look("/api/dossiers/H55.26-0001?check=1234", "").status == 401);
    // Ten a minute per device: the eleventh is refused, and one comes back after six seconds.
    // (Other codes: five wrong checks for one code would lock that code for everyone.)
    for (int i = 0; i < 6; ++i) look("/api/dossiers/H55.26-900" + std::to_string(i) + "?check=0000", server.kiosk);
    CHECK(look("/api/dossiers/H55.26-0001?check=1234", server.kiosk).status == 429);
    const std::string staff = server.staff(1);
    CHECK(look("/api/dossiers/H55.26-0001?check=1234", staff).status == 200);  // another caller, its own budget
    server.clock_ms += 6'000;
    CHECK(look("/api/dossiers/H55.26-0001?check=1234", server.kiosk).status == 200);
    CHECK(look("/api/dossiers/H55.26-0001?check=1234", server.kiosk).status == 429);
}

TEST_CASE("ISO times with their offset, a time without one is refused") {
    CHECK(parse_iso_time("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_iso_time("2026-11-24T08:15:00+07:00") == parse_iso_time("2026-11-24T01:15:00Z"));
    CHECK(parse_iso_time("2026-11-24T01:15Z") == int64_t{1795482900000});
    CHECK_FALSE(parse_iso_time("2026-11-24T08:15:00"));
    CHECK_FALSE(parse_iso_time("2026-13-24T08:15:00Z"));
    CHECK_FALSE(parse_iso_time("24/11/2026"));
}

TEST_CASE("a CSV export imports all or nothing, and twice changes nothing") {
    testing::TempDir dir;
    const std::string csv =
        "code,status,at,applicant_name,check,appointment_date,supplements,note\n"
        "H55-1,2,2026-11-20T08:00:00+07:00,Nguyễn Văn An,1234,2026-11-27,,\n"
        "H55-1,5,2026-11-21T09:30:00+07:00,,,,\"Bản sao sổ hộ khẩu | Ảnh 4x6\",Thiếu giấy tờ\n"
        "H55-2,4,2026-11-22T10:00:00+07:00,Trần Thị Bình,5678,2026-11-29,,\n";
    const auto updates = updates_from_csv(csv);
    REQUIRE(updates.size() == 3);
    CHECK(updates[1].supplements == std::vector<std::string>{"Bản sao sổ hộ khẩu", "Ảnh 4x6"});
    Store store((dir / "dossiers.db").string(), (dir / "dossier-key").string());
    CHECK(store.ingest(updates).applied == 3);
    CHECK(store.ingest(updates_from_csv(csv)).duplicates == 3);
    const auto d = store.find("H55-1");
    REQUIRE(d);
    CHECK(d->status() == 5);
    CHECK(store.check_matches(*d, "1234"));  // a later row without the column keeps it
    CHECK_FALSE(store.check_matches(*d, "1235"));
    CHECK(d->check.find("1234") == std::string::npos);  // only a keyed hash is stored
    CHECK(d->supplements.size() == 2);

    auto refused = [](const std::string& text, const std::string& words) {
        CHECK_THROWS_WITH(updates_from_csv(text), Catch::Contains(words));
    };
    refused("code,at\nH,2026-11-20T08:00:00Z\n", "line 1: the header has no column 'status'");
    refused("code,status,at\nH,2,2026-11-20T08:00:00Z\nH,12,2026-11-20T08:00:00Z\n", "line 3: 'status'");
    refused("code,status,at\nH,2,20/11/2026\n", "line 2: 'at' must be ISO 8601");
    refused("code,status,at,colour\nH,2,2026-11-20T08:00:00Z,red\n", "line 2: unknown field 'colour'");
    refused("code,status,at\nH,2\n", "line 2: the row has a different number of columns");
    refused("code,status,at\n\"H,2,x\n", "never closed");
    refused("code,status,at\nH\xC3\x28,2,2026-11-20T08:00:00Z\n", "not valid UTF-8");
}

TEST_CASE("queue-server dossiers import: exit 0 with the count, or 2 with the line") {
    testing::TempDir dir;
    { std::ofstream(dir / "good.csv") << "code,status,at,check\nH55-9,9,2026-11-20T08:00:00+07:00,4321\n"; }
    { std::ofstream(dir / "bad.csv") << "code,status,at\nH55-9,9,yesterday\n"; }
    auto run = [&](const std::string& file) {
        return testing::run_command(std::string(QUEUE_SERVER_BIN) + " --data " + (dir / "data").string() + " dossiers import " +
                                    (dir / file).string());
    };
    auto [good, said] = run("good.csv");
    CHECK(good == 0);
    CHECK_THAT(said, Catch::Contains("imported 1 dossier steps"));
    auto [bad, why] = run("bad.csv");
    CHECK(bad == 2);
    CHECK_THAT(why, Catch::Contains("line 2"));
    Store check((dir / "data" / "dossiers.db").string(), (dir / "data" / "dossier-key").string());
    CHECK(check.count() == 1);
}
