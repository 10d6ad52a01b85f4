// follow_step_test: the citizen's phone on the counter's real day (issue 22),
// against a real server — the ticket's view (GET and its live stream) says the
// visit's step and the steps still to come, and a parked ticket the time it must
// be back by in the center's own time; never the reason staff wrote for the park.
#include <catch2/catch.hpp>

#include <array>

#include "public_client.hpp"

using testing::PhoneStream;
using testing::until;
using testing::TestServer;
using json = nlohmann::json;

namespace {

json steps(std::initializer_list<std::array<const char*, 3>> list) {
    json out = json::array();
    for (const auto& [code, vi, en] : list) out.push_back({{"service", code}, {"name_vi", vi}, {"name_en", en}});
    return out;
}

}  // namespace

TEST_CASE("a followed visit shows its next step and those after it, and parked the time to be back by",
          "[public][follow][counter-day]") {
    TestServer s;
    const std::string admin = s.login("admin", s.admin_password);
    json center = s.call("GET", "/api/admin/center", "", admin).body;
    center["services"][0]["next_steps"] = {"B", "C"};
    center["services"][1]["name_vi"] = "Thu phí";
    center["services"][1]["name_en"] = "Fees";
    REQUIRE(s.call("PUT", "/api/admin/center", center.dump(), admin).status == 200);
    const std::string staff1 = s.staff(1), staff2 = s.staff(2);
    const testing::Taken t = testing::take_ticket(s, "A");
    const std::string path = "/api/tickets/" + std::to_string(t.id) + "/";

    PhoneStream phone(s.port, t.key);
    json v = phone.next();
    CHECK(v["step"] == 0);
    CHECK(v["next_steps"] == steps({{"B", "Thu phí", "Fees"}, {"C", "Tư pháp", "Justice"}}));
    CHECK(v["parked_until"] == 0);
    CHECK(v["parked_until_local"] == "");

    REQUIRE(s.post("/api/counters/1/next", json::object(), staff1).status == 200);
    until(phone, [](const json& x) { return x["state"] == "called"; });
    REQUIRE(s.post(path + "finish", json::object(), staff1).status == 200);
    v = until(phone, [](const json& x) { return x["state"] == "waiting"; });
    CHECK(v["number"] == t.number);  // the same paper
    CHECK(v["service"] == "B");
    CHECK(v["service_name_vi"] == "Thu phí");
    CHECK(v["step"] == 1);
    CHECK(v["next_steps"] == steps({{"C", "Tư pháp", "Justice"}}));
    CHECK(v["counter"] == 0);

    REQUIRE(s.post("/api/counters/2/next", json::object(), staff2).status == 200);
    v = until(phone, [](const json& x) { return x["state"] == "called"; });
    CHECK(v["step"] == 1);
    CHECK(v["counter_name"] == "Quầy 2");

    s.clock_ms += 7 * 60'000 + 30'000;  // 08:07:30 in Hà Nội: back by 08:17
    REQUIRE(s.post(path + "park", {{"minutes", 10}, {"reason", "Thiếu bản sao giấy khai sinh"}}, staff2).status == 200);
    v = until(phone, [](const json& x) { return x["state"] == "parked"; });
    CHECK(v["parked_until"] == s.clock_ms + 10 * 60'000);
    CHECK(v["parked_until_local"] == "08:17");
    CHECK(v["counter"] == 2);  // the counter that expects it back
    CHECK(v.dump().find("Thiếu bản sao") == std::string::npos);
    CHECK_FALSE(v.contains("park_reason"));
    const json got = s.call("GET", "/api/public/tickets/" + t.key).body;
    CHECK(got["parked_until_local"] == "08:17");
    CHECK(got["step"] == 1);

    REQUIRE(s.post(path + "return", json::object(), staff2).status == 200);
    v = until(phone, [](const json& x) { return x["state"] == "called"; });
    CHECK(v["returns"] == 1);
    CHECK(v["parked_until"] == 0);
}
