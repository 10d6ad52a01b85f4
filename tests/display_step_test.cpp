// display_step_test: the hall board on the counter's real day (issue 22) against a
// real queue server — a visit whose next step is called says where that step is
// ("Mời công dân có số A001 đến quầy thu phí số 2"; a number-only counter with the
// step's service, "Quầy 1 – Hộ tịch"), and a ticket back from being parked is
// marked on the board and told to come back. What is shown, what is spoken (the
// announcement's clips) and golden screenshots (tests/golden/display-step-*.png).
#include <catch2/catch.hpp>

#include "display/place.hpp"
#include "display/speech.hpp"
#include "display_board.hpp"
#include "test_server.hpp"

using testing::Board;
using testing::TestServer;
using json = nlohmann::json;
using Clips = std::vector<std::string>;

namespace {

// The test center with A → B as one visit and C → A as another; B is the
// cashier's ("Thu phí", counter 2 named so), counter 1 is known by its number.
struct Hall {
    TestServer s;
    std::string admin = s.login("admin", s.admin_password);
    Hall() {
        json center = s.call("GET", "/api/admin/center", "", admin).body;
        center["services"][0]["next_steps"] = {"B"};
        center["services"][1]["name_vi"] = "Thu phí";
        center["services"][1]["name_en"] = "Fees";
        center["services"][2]["next_steps"] = {"A"};
        center["counters"][1]["name"] = "Quầy thu phí số 2";
        REQUIRE(s.call("PUT", "/api/admin/center", center.dump(), admin).status == 200);
    }
    json issue(const std::string& service) {
        auto r = s.post("/api/tickets", {{"service", service}}, s.kiosk);
        REQUIRE(r.status == 201);
        return r.body;
    }
    json next(int counter) {
        auto r = s.post("/api/counters/" + std::to_string(counter) + "/next", json::object(), admin);
        REQUIRE(r.status == 200);
        return r.body["ticket"];
    }
    void act(const json& t, const std::string& verb, const json& body = json::object()) {
        const std::string path = "/api/tickets/" + std::to_string(t["id"].get<int64_t>()) + "/" + verb;
        REQUIRE(s.post(path, body, admin).status == 200);
    }
};

// The announcement's words, chime left out.
Clips words(const Clips& clips) {
    Clips out;
    for (const auto& c : clips)
        if (c != display::kChime) out.push_back(c);
    return out;
}

}  // namespace

TEST_CASE("the place of a call: a counter named for its work keeps its name, a numbered one adds the step's service") {
    using display::PlaceOf;
    CHECK(display::numbered_only("Quầy 2"));
    CHECK(display::numbered_only("quầy số 12"));
    CHECK(display::numbered_only(""));
    CHECK_FALSE(display::numbered_only("Quầy thu phí số 2"));
    CHECK_FALSE(display::numbered_only("Quầy 10 - Ưu tiên"));
    CHECK(display::board_place(PlaceOf{"Quầy 2", 2, "Thu phí", 1}) == "Quầy 2 – Thu phí");
    CHECK(display::board_place(PlaceOf{"Quầy 2", 2, "Thu phí", 0}) == "Quầy 2");  // a first step: the citizen chose it
    CHECK(display::board_place(PlaceOf{"Quầy thu phí số 2", 2, "Thu phí", 1}) == "Quầy thu phí số 2");
    CHECK(display::board_place(PlaceOf{"", 7, "Trả kết quả", 2}) == "Quầy 7 – Trả kết quả");
    CHECK(display::spoken_place(PlaceOf{"Quầy 2", 2, "Thu phí", 1}) == "quầy số 2, Thu phí");  // speech folds the case
    display::VoiceConfig v;
    v.chime = false;
    CHECK(display::call_clips(v, "A105", 2, "Quầy 10 - Ưu tiên", display::CallWording::next_step) ==
          Clips{"mời công dân có số", "a", "một", "trăm", "linh", "năm", "đến", "quầy", "mười", "ưu tiên"});
    CHECK(display::call_clips(v, "A105", 3, "quầy số 3", display::CallWording::returned) ==
          Clips{"mời công dân có số", "a", "một", "trăm", "linh", "năm", "quay lại", "quầy số", "ba"});
    const auto pack = display::pack_clips(v);
    for (const char* needed : {"đến", "quay lại", "quầy số"}) CHECK(std::count(pack.begin(), pack.end(), needed) == 1);
}

TEST_CASE("a visit's next step is called by its place: on the board and in the voice, by name or by number and service") {
    Hall h;
    Board board(testing::config_for(h.s.port, h.s.display, 1920, 1080));
    board.sync(h.s.seq());
    const json c = h.issue("C");
    REQUIRE(h.next(3)["id"] == c["id"]);
    board.sync(h.s.seq());
    board.hear(1);
    CHECK(words(board.said[0]) == Clips{"mời công dân có số", "xê", "một", "đến quầy số", "ba"});  // a first step: as before
    h.act(c, "finish");
    board.sync(h.s.seq());
    CHECK(board.app->mirror().service("A")->waiting == 1);  // the same ticket, in its next step's line
    CHECK(board.app->mirror().counter(3)->ticket == 0);

    const json a = h.issue("A");
    REQUIRE(h.next(1)["id"] == c["id"]);  // counter 1, "Quầy 1": its number says nothing of the step
    board.sync(h.s.seq());
    REQUIRE(board.view().newest);
    CHECK(board.view().newest->number == "C001");
    CHECK(board.view().newest->step == 1);
    CHECK(board.view().newest->place == "Quầy 1 – Hộ tịch");
    board.hear(2);
    CHECK(words(board.said[1]) == Clips{"mời công dân có số", "xê", "một", "đến", "quầy số", "một", "hộ tịch"});

    h.act(c, "finish");  // its last step: the visit is over
    REQUIRE(h.next(1)["id"] == a["id"]);
    h.act(a, "finish");
    REQUIRE(h.next(2)["id"] == a["id"]);  // counter 2 is the cashier's, and named so
    board.sync(h.s.seq());
    const display::CallLine& step = *board.view().newest;
    CHECK(step.number == "A001");
    CHECK(step.step == 1);
    CHECK(step.counter_name == "Quầy thu phí số 2");
    CHECK(step.place == "Quầy thu phí số 2");
    CHECK(step.service_vi == "Thu phí");
    REQUIRE(board.view().previous.size() == 1);  // each ticket once, at its latest call
    CHECK(board.view().previous[0].place == "Quầy 1 – Hộ tịch");
    board.hear(4);
    CHECK(words(board.said[2]) == Clips{"mời công dân có số", "a", "một", "đến quầy số", "một"});
    CHECK(words(board.said[3]) == Clips{"mời công dân có số", "a", "một", "đến", "quầy thu phí số", "hai"});
    board.advance_to(testing::kBoardStart + 50'000);  // the blink is over: a steady frame, still 09:41
    testing::check_golden(board, "display-step-1920x1080");
}

TEST_CASE("a ticket back from being parked is marked on the board, in its row too, and told to come back") {
    Hall h;
    Board board(testing::config_for(h.s.port, h.s.display, 1080, 1920));
    board.sync(h.s.seq());
    const json b = h.issue("B");
    REQUIRE(h.next(2)["id"] == b["id"]);
    h.act(b, "park", {{"minutes", 10}, {"reason", "Đi bổ sung giấy tờ"}});
    board.sync(h.s.seq());
    CHECK(board.app->mirror().counter(2)->ticket == 0);  // parked: the counter is free
    h.act(b, "return", {{"counter", 2}});
    board.sync(h.s.seq());
    REQUIRE(board.view().newest);
    CHECK(board.view().newest->number == "B001");
    CHECK(board.view().newest->returned);
    CHECK(board.app->mirror().counter(2)->ticket == b["id"].get<int64_t>());
    board.hear(2);
    CHECK(words(board.said[1]) == Clips{"mời công dân có số", "bê", "một", "quay lại", "quầy thu phí số", "hai"});
    board.advance_to(testing::kBoardStart + 30'000);
    testing::check_golden(board, "display-returned-1080x1920");

    h.issue("C");
    h.next(3);
    board.sync(h.s.seq());
    CHECK_FALSE(board.view().newest->returned);
    REQUIRE(board.view().previous.size() == 1);
    CHECK(board.view().previous[0].returned);  // the row keeps its mark
    board.advance_to(testing::kBoardStart + 50'000);
    testing::check_golden(board, "display-returned-row-1080x1920");
}
