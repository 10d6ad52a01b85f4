// counter_day_test: the counter's real day through the API of a real server
// (issue 22) — a visit across desks with the same number, the outcome at finish
// (required, checked against the catalog), park and return, a chosen ticket
// with its reason, sign in and out, a break's reason; and the events a board or
// a console receives for each. A dossier named at finish is linked to its lookup.
#include <catch2/catch.hpp>

#include <fstream>

#include "dossier/dossier.hpp"
#include "test_server.hpp"

using testing::TestServer;
using testing::WsClient;
using json = nlohmann::json;

namespace {

std::string sample_catalog() {
    std::ifstream in(SAMPLE_CATALOG, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The test center with A → B → C as one visit, B asking for the outcome, and the sample catalog.
struct Hall {
    TestServer s;
    std::string admin = s.login("admin", s.admin_password);
    std::string staff1 = s.staff(1), staff2 = s.staff(2), staff3 = s.staff(3);
    Hall() {
        json center = s.call("GET", "/api/admin/center", "", admin).body;
        center["services"][0]["next_steps"] = {"B", "C"};
        center["services"][1]["outcome"] = "required";
        REQUIRE(s.call("PUT", "/api/admin/center", center.dump(), admin).status == 200);
        REQUIRE(s.call("POST", "/api/admin/catalog", sample_catalog(), admin).status == 200);
    }
    json issue(const std::string& service) {
        auto r = s.post("/api/tickets", {{"service", service}}, s.kiosk);
        REQUIRE(r.status == 201);
        return r.body;
    }
    json next(int counter, const std::string& token) {
        auto r = s.post("/api/counters/" + std::to_string(counter) + "/next", json::object(), token);
        REQUIRE(r.status == 200);
        return r.body["ticket"];
    }
    testing::HttpReply act(const std::string& path, const json& body, const std::string& token) { return s.post(path, body, token); }
    static std::string ticket(const json& t, const std::string& verb) { return "/api/tickets/" + std::to_string(t["id"].get<int64_t>()) + "/" + verb; }
};

}  // namespace

TEST_CASE("a visit goes from desk to desk with one number, and a required outcome is asked at the desk that needs it", "[counter-day][api]") {
    Hall h;
    const int64_t since = h.s.seq();
    const json t = h.issue("A");
    CHECK(t["next_steps"] == json::array({"B", "C"}));
    REQUIRE(h.next(1, h.staff1)["id"] == t["id"]);
    auto done = h.act(Hall::ticket(t, "finish"), {{"outcome", {{"procedure", "1.001193"}, {"result", "advised_only"}}}}, h.staff1);
    REQUIRE(done.status == 200);
    CHECK(done.body["state"] == "waiting");
    CHECK(done.body["service"] == "B");
    CHECK(done.body["number"] == t["number"]);
    CHECK(done.body["step"] == 1);
    CHECK(done.body["service_name_vi"] == "Đất đai");

    REQUIRE(h.next(2, h.staff2)["id"] == t["id"]);
    auto refused = h.act(Hall::ticket(t, "finish"), json::object(), h.staff2);
    CHECK(refused.status == 400);
    CHECK(refused.body["error"]["code"] == "outcome_required");
    refused = h.act(Hall::ticket(t, "finish"), {{"outcome", {{"procedure", "9.999999"}, {"result", "received"}}}}, h.staff2);
    CHECK(refused.body["error"]["code"] == "unknown_procedure");
    refused = h.act(Hall::ticket(t, "finish"), {{"outcome", {{"procedure", "1.001193"}, {"result", "maybe"}}}}, h.staff2);
    CHECK(refused.body["error"]["code"] == "bad_outcome");
    refused = h.act(Hall::ticket(t, "finish"), {{"outcome", {{"procedure", "1.001193"}, {"colour", "red"}}}}, h.staff2);
    CHECK(refused.status == 400);  // an unknown field
    CHECK(h.s.call("GET", "/api/tickets/" + std::to_string(t["id"].get<int64_t>()), "", h.staff2).body["state"] == "called");
    const json outcome = {{"procedure", "1.001193"}, {"dossier", "000.00.01.H29-261124-0001"}, {"result", "received"}};
    done = h.act(Hall::ticket(t, "finish"), {{"outcome", outcome}, {"next_steps", json::array()}}, h.staff2);  // no fee after all
    REQUIRE(done.status == 200);
    CHECK(done.body["state"] == "done");

    // The stream said where to go after the first desk, and what the second came to.
    WsClient ws(h.s.port, h.staff3, since);
    bool next_step = false, with_outcome = false;
    for (int i = 0; i < 40 && !(next_step && with_outcome); ++i) {
        const json m = ws.next();
        if (m["type"] != "ticket_finished") continue;
        if (m.value("next_step", "") == "B") next_step = m["later_steps"] == json::array({"C"});
        if (m.contains("outcome")) with_outcome = with_outcome || m["outcome"] == outcome;
    }
    CHECK(next_step);
    CHECK(with_outcome);
}

TEST_CASE("a parked ticket leaves the line and comes back at a counter of its service - a stranger's counter may not take it", "[counter-day][api]") {
    Hall h;
    const json t = h.issue("C");
    REQUIRE(h.next(3, h.staff3)["id"] == t["id"]);
    CHECK(h.act(Hall::ticket(t, "park"), {{"minutes", 90}}, h.staff3).body["error"]["code"] == "bad_minutes");
    CHECK(h.act(Hall::ticket(t, "park"), {{"minutes", 10}}, h.staff1).status == 403);  // not held at counter 1
    auto parked = h.act(Hall::ticket(t, "park"), {{"minutes", 10}, {"reason", "Đi bổ sung giấy tờ"}}, h.staff3);
    REQUIRE(parked.status == 200);
    CHECK(parked.body["state"] == "parked");
    CHECK(parked.body["park_reason"] == "Đi bổ sung giấy tờ");
    const json state = h.s.call("GET", "/api/state", "", h.staff3).body;
    CHECK(state["services"][2]["waiting"] == 0);
    CHECK(h.next(3, h.staff3).is_null());  // never called by next
    CHECK(h.act(Hall::ticket(t, "return"), json::object(), h.staff1).body["error"]["code"] == "not_your_service");
    CHECK(h.act(Hall::ticket(t, "return"), json::object(), h.admin).body["error"]["code"] == "bad_counter");
    auto back = h.act(Hall::ticket(t, "return"), json::object(), h.staff3);
    REQUIRE(back.status == 200);
    CHECK(back.body["state"] == "called");
    CHECK(back.body["returns"] == 1);
    CHECK(h.s.call("GET", "/api/state", "", h.staff3).body["recent_calls"][0]["returned"] == true);

    // Parked again and not back in time: a no-show, folded by the time alone.
    REQUIRE(h.act(Hall::ticket(t, "park"), {{"minutes", 5}}, h.staff3).status == 200);
    h.s.clock_ms += 6 * 60'000;
    h.issue("A");  // any command folds what the time did
    CHECK(h.s.call("GET", "/api/tickets/" + std::to_string(t["id"].get<int64_t>()), "", h.staff3).body["state"] == "no_show");
}

TEST_CASE("a chosen ticket is called with its reason, once - without a reason, or by another service's counter, it is refused", "[counter-day][api]") {
    Hall h;
    const json first = h.issue("C"), second = h.issue("C"), other = h.issue("B");
    const std::string call = "/api/counters/3/call";
    CHECK(h.act(call, {{"ticket", second["id"]}}, h.staff3).body["error"]["code"] == "reason_required");
    CHECK(h.act(call, {{"ticket", other["id"]}, {"reason", "nhầm"}}, h.staff3).body["error"]["code"] == "not_your_service");
    CHECK(h.act(call, {{"ticket", second["id"]}, {"reason", "x"}}, h.staff1).status == 403);  // staff1 works at counter 1
    auto called = h.act(call, {{"ticket", second["id"]}, {"reason", "Người dùng máy trợ thính"}}, h.staff3);
    REQUIRE(called.status == 200);
    CHECK(called.body["ticket"]["id"] == second["id"]);
    CHECK(called.body["ticket"]["state"] == "called");
    auto twice = h.act("/api/counters/2/call", {{"ticket", second["id"]}, {"reason", "again"}}, h.admin);
    CHECK(twice.body["error"]["code"] == "not_waiting");
    REQUIRE(h.act(Hall::ticket(second, "finish"), json::object(), h.staff3).status == 200);
    CHECK(h.next(3, h.staff3)["id"] == first["id"]);
}

TEST_CASE("staff sign in and out of their counter, a break carries its reason, and the state says who is where", "[counter-day][api]") {
    Hall h;
    auto in = h.act("/api/counters/1/sign-in", json::object(), h.staff1);
    REQUIRE(in.status == 200);
    CHECK(in.body["staff"] == "staff1");
    CHECK(h.act("/api/counters/2/sign-in", json::object(), h.staff1).status == 403);
    CHECK(h.s.call("GET", "/api/state", "", h.staff2).body["counters"][0]["staff"] == "staff1");
    auto state = [&] { return h.s.call("GET", "/api/state", "", h.staff2).body; };
    CHECK(state()["counters"][0]["signed_in"] == "staff1");
    CHECK(state()["policy"]["park_max_minutes"] == 30);  // what the console's park dialog offers at most
    auto pause = h.act("/api/counters/1/pause", {{"reason", "Nghỉ trưa"}}, h.staff1);
    REQUIRE(pause.status == 200);
    CHECK(pause.body["paused"] == true);
    CHECK(state()["counters"][0]["pause_reason"] == "Nghỉ trưa");  // a console opened during the break knows why
    REQUIRE(h.act("/api/counters/1/resume", json::object(), h.staff1).status == 200);
    CHECK(state()["counters"][0]["pause_reason"] == "");
    const json t = h.issue("A");
    h.next(1, h.staff1);
    CHECK(h.act("/api/counters/1/sign-out", json::object(), h.staff1).body["error"]["code"] == "counter_busy");
    REQUIRE(h.act(Hall::ticket(t, "finish"), json::object(), h.staff1).status == 200);
    auto out = h.act("/api/counters/1/sign-out", json::object(), h.staff1);
    REQUIRE(out.status == 200);
    CHECK(out.body["staff"] == "");
    CHECK(state()["counters"][0]["signed_in"] == "");  // nobody, though staff1 acted there last
    CHECK(state()["counters"][0]["staff"] == "staff1");
}

TEST_CASE("a dossier named at a counter's finish shows in its lookup where and when it was handed in and what came of it", "[counter-day][api][dossier]") {
    Hall h;
    const std::string code = "000.00.01.H29-261124-0007";
    h.s.dossiers->ingest({dossier::update_from_json({{"event_id", "e1"}, {"code", code}, {"at", 1000}, {"status", 2},
                                                     {"applicant_name", "Nguyễn Văn An"}, {"check", "1234"}})});
    const std::string lookup = "/api/dossiers/" + code + "?check=1234";
    auto r = h.s.call("GET", lookup, "", h.s.kiosk);
    REQUIRE(r.status == 200);
    CHECK(r.body["visits"] == json::array());  // not yet at any counter

    const json t = h.issue("B");
    REQUIRE(h.next(2, h.staff2)["id"] == t["id"]);
    h.s.clock_ms += 90'000;
    const int64_t handed_in = h.s.clock_ms;
    const json outcome = {{"procedure", "1.001193"}, {"dossier", code}, {"result", "received"}};
    REQUIRE(h.act(Hall::ticket(t, "finish"), {{"outcome", outcome}}, h.staff2).status == 200);
    const json other = h.issue("B");  // another visit, another dossier: not shown
    REQUIRE(h.next(2, h.staff2)["id"] == other["id"]);
    REQUIRE(h.act(Hall::ticket(other, "finish"),
                  {{"outcome", {{"procedure", "1.001193"}, {"dossier", "000.00.01.H29-261124-0008"}, {"result", "received"}}}},
                  h.staff2).status == 200);

    r = h.s.call("GET", lookup, "", h.s.kiosk);
    REQUIRE(r.status == 200);
    REQUIRE(r.body["visits"].size() == 1);
    const json& v = r.body["visits"][0];
    CHECK(v["at"] == handed_in);
    CHECK(v["at_local"] == "08:01 24/11/2026");  // in the center's zone, whatever the phone's
    CHECK(v["counter"] == 2);
    CHECK(v["service"] == "B");
    CHECK(v["service_name"] == "Đất đai");
    CHECK(v["result"] == "received");
    CHECK(r.raw.find(t["number"].get<std::string>()) == std::string::npos);  // nothing of the ticket or the person
    CHECK(r.raw.find("Nguyễn Văn An") == std::string::npos);
    // The phone's public lookup says the same.
    CHECK(h.s.call("GET", "/api/public/dossiers/" + code + "?check=1234").body["visits"] == r.body["visits"]);
}

TEST_CASE("the hall's devices get the stream and the state without the staff's reasons and the dossier - staff get them whole", "[counter-day][api][privacy]") {
    Hall h;
    const int64_t since = h.s.seq();
    const json chosen = h.issue("C"), parked = h.issue("A"), handed = h.issue("B");
    REQUIRE(h.act("/api/counters/3/call", {{"ticket", chosen["id"]}, {"reason", "Người dùng máy trợ thính"}}, h.staff3).status == 200);
    REQUIRE(h.next(1, h.staff1)["id"] == parked["id"]);
    REQUIRE(h.act(Hall::ticket(parked, "park"), {{"minutes", 10}, {"reason", "Thiếu bản sao CCCD"}}, h.staff1).status == 200);
    REQUIRE(h.next(2, h.staff2)["id"] == handed["id"]);
    const json outcome = {{"procedure", "1.001193"}, {"dossier", "000.00.01.H29-261124-0009"}, {"result", "received"}};
    REQUIRE(h.act(Hall::ticket(handed, "finish"), {{"outcome", outcome}}, h.staff2).status == 200);

    auto read_all = [&](const std::string& token) {
        WsClient ws(h.s.port, token, since);
        std::string all;
        for (int seen = 0; seen < 3;) {  // the call, the park, the finish
            const json m = ws.next();
            all += m.dump();
            if (m["type"] == "ticket_parked" || (m["type"] == "ticket_called" && m.value("out_of_order", false)) ||
                (m["type"] == "ticket_finished" && m.contains("outcome")))
                ++seen;
        }
        return all;
    };
    const std::string board = read_all(h.s.display), staff = read_all(h.staff3);
    for (const char* words : {"máy trợ thính", "CCCD", "261124-0009"}) {
        CAPTURE(words);
        CHECK(board.find(words) == std::string::npos);
        CHECK(staff.find(words) != std::string::npos);
    }
    CHECK(board.find("\"out_of_order\":true") != std::string::npos);  // what happened, without why
    CHECK(board.find("\"result\":\"received\"") != std::string::npos);
    const std::string kiosk_state = h.s.call("GET", "/api/state", "", h.s.kiosk).raw;
    CHECK(kiosk_state.find("CCCD") == std::string::npos);
    CHECK(h.s.call("GET", "/api/state", "", h.staff1).raw.find("CCCD") != std::string::npos);
    // A display that joins with a snapshot (no resumable seq) gets it without them too.
    WsClient fresh(h.s.port, h.s.display, 0);
    const json snap = fresh.next();
    REQUIRE(snap["type"] == "snapshot");
    CHECK(snap.dump().find("CCCD") == std::string::npos);
}
