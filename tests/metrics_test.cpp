// metrics_test: GET /metrics of a real server on a loopback port, read by the
// Prometheus client library's own parser (Debian's python3-prometheus-client),
// so the text is checked against the format as Prometheus reads it, and then
// every figure against what was done to the server.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "api/metrics.hpp"
#include "process.hpp"
#include "test_server.hpp"

using testing::TestServer;
using json = nlohmann::json;

namespace {

// The samples as the parser sees them: [{"name","labels","value"}], families checked on the way.
json parsed(const std::string& text) {
    testing::TempDir dir;
    std::ofstream(dir / "metrics.txt") << text;
    const std::string script =
        "import json,sys\n"
        "from prometheus_client.parser import text_string_to_metric_families as parse\n"
        "out=[]\n"
        "for f in parse(open(sys.argv[1]).read()):\n"
        "    assert f.documentation, f.name\n"
        "    out += [{'family': f.name, 'type': f.type, 'name': s.name, 'labels': s.labels, 'value': s.value} for s in f.samples]\n"
        "print(json.dumps(out))\n";
    std::ofstream(dir / "parse.py") << script;
    const auto [code, out] = testing::run_command("/usr/bin/python3 " + (dir / "parse.py").string() + " " + (dir / "metrics.txt").string());
    INFO("the parser said: " << out << "\n(python3-prometheus-client, which ./center test installs)");
    REQUIRE(code == 0);
    return json::parse(out);
}

double value(const json& samples, const std::string& name, const json& labels = json::object()) {
    for (const auto& s : samples)
        if (s["name"] == name && s["labels"] == labels) return s["value"].get<double>();
    FAIL("no sample " << name << " " << labels.dump());
    return -1;
}

json scrape(TestServer& s) {
    auto r = s.call("GET", "/metrics");
    REQUIRE(r.status == 200);
    return parsed(r.raw);
}

}  // namespace

TEST_CASE("/metrics: the Prometheus text parses, and its figures follow tickets, calls, commits, clients and printers") {
    TestServer s;
    auto r = s.call("GET", "/metrics");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "text/plain; version=0.0.4; charset=utf-8");
    json m = scrape(s);
    CHECK(value(m, "center_up") == 1);
    CHECK(value(m, "center_tickets_issued_total", {{"service", "A"}}) == 0);
    CHECK(value(m, "center_websocket_clients") == 0);

    for (const char* svc : {"A", "A", "A", "B"}) REQUIRE(s.post("/api/tickets", {{"service", svc}}, s.kiosk).status == 201);
    REQUIRE(s.post("/api/tickets", {{"service", "A"}, {"category", "elderly"}}, s.kiosk).status == 201);
    const std::string admin = s.login("admin", s.admin_password);
    for (int k : {1, 2}) REQUIRE(s.call("POST", "/api/counters/" + std::to_string(k) + "/next", "", admin).status == 200);
    testing::WsClient board(s.port, s.display, s.seq());
    REQUIRE(s.post("/api/devices/status", {{"printer", "paper_out"}, {"detail", "no paper"}}, s.kiosk).status == 200);

    m = scrape(s);
    CHECK(value(m, "center_tickets_issued_total", {{"service", "A"}}) == 4);
    CHECK(value(m, "center_tickets_issued_total", {{"service", "B"}}) == 1);
    CHECK(value(m, "center_tickets_issued_total", {{"service", "C"}}) == 0);
    // Counter 1 took the elderly A; counter 2 serves B first: 3 A and no B wait.
    CHECK(value(m, "center_waiting", {{"service", "A"}, {"category", "all"}}) == 3);
    CHECK(value(m, "center_waiting", {{"service", "A"}, {"category", "priority"}}) == 0);
    CHECK(value(m, "center_waiting", {{"service", "B"}, {"category", "all"}}) == 0);
    CHECK(value(m, "center_calls_total") == 2);
    CHECK(value(m, "center_call_seconds_count") == 2);
    CHECK(value(m, "center_call_seconds_bucket", {{"le", "+Inf"}}) == 2);
    CHECK(value(m, "center_call_seconds_sum") > 0);
    CHECK(value(m, "center_websocket_clients") == 1);
    CHECK(value(m, "center_printer_state", {{"device", "Kiosk 1"}, {"state", "paper_out"}}) == 1);
    CHECK(value(m, "center_event_seq", {{"kind", "durable"}}) == value(m, "center_event_seq", {{"kind", "applied"}}));
    const double commits = value(m, "center_commit_seconds_count");
    CHECK(commits >= 7);  // five tickets and two calls, one request after another: a commit each
    CHECK(value(m, "center_commit_seconds_bucket", {{"le", "+Inf"}}) == commits);
    CHECK(value(m, "center_commit_events_total") >= 7);
    // Buckets only grow, and the last is the count.
    double previous = 0;
    for (const auto& sample : m)
        if (sample["name"] == "center_commit_seconds_bucket") {
            CHECK(sample["value"].get<double>() >= previous);
            previous = sample["value"].get<double>();
        }

    // After a restart the counters start again; the state does not.
    s.restart();
    m = scrape(s);
    CHECK(value(m, "center_tickets_issued_total", {{"service", "A"}}) == 0);
    CHECK(value(m, "center_waiting", {{"service", "A"}, {"category", "all"}}) == 3);
}

TEST_CASE("metrics text: histograms are cumulative, and label values are escaped") {
    api::Histogram h({0.1, 1});
    for (double v : {0.05, 0.1, 0.5, 5.0}) h.observe(v);
    api::MetricsText m;
    m.histogram("x_seconds", "a test", h);
    m.family("y", "gauge", "labels");
    m.sample("y", {{"name", "Ki-ốt \"sảnh\" \\ 2\nB"}}, 1);
    CHECK(api::label_escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
    const json samples = parsed(m.text());
    CHECK(value(samples, "x_seconds_bucket", {{"le", "0.1"}}) == 2);  // 0.05 and 0.1: at or under
    CHECK(value(samples, "x_seconds_bucket", {{"le", "1"}}) == 3);
    CHECK(value(samples, "x_seconds_bucket", {{"le", "+Inf"}}) == 4);
    CHECK(value(samples, "x_seconds_count") == 4);
    CHECK(value(samples, "x_seconds_sum") == Approx(5.65));
    CHECK(value(samples, "y", {{"name", "Ki-ốt \"sảnh\" \\ 2\nB"}}) == 1);  // read back as it was
}
