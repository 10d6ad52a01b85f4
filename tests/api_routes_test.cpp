// api_routes_test: who may call what, end to end (issue 19). docs/api.md's
// matrix (between <!-- routes:begin --> and <!-- routes:end -->) must be what
// `queue-server routes` prints from the route table, byte for byte; and the
// real server must follow the DOC's matrix — parsed here, not the code's
// table — for every route and every caller. Then the audit's findings, pinned
// by hand so that they hold whatever the doc and the table say.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "api/route_doc.hpp"
#include "api/routes.hpp"
#include "feed_signing.hpp"
#include "public_client.hpp"
#include "test_server.hpp"

using testing::HttpReply;
using testing::TestServer;
using json = nlohmann::json;

namespace {

// The matrix's caller columns: no token, every role, the signed dossier backend.
const std::vector<std::string> kCallers = {"anyone", "kiosk", "display", "rating", "staff", "manager", "admin", "feed"};
const std::string kDossier = "H55.26-0001", kCheck = "1234", kWalkUser = "walk-user";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The text between the markers, each on a line of its own.
std::string documented_matrix() {
    const std::string doc = slurp(DOCS_API_MD);
    const std::string begin = "<!-- routes:begin -->\n", end = "<!-- routes:end -->";
    size_t from = doc.find(begin);
    REQUIRE(from != std::string::npos);
    from += begin.size();
    const size_t to = doc.find(end, from);
    REQUIRE(to != std::string::npos);
    return doc.substr(from, to - from);
}

std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// "| a | `b` |" → {"a", "`b`"}; "\|" stays inside its cell.
std::vector<std::string> split_row(const std::string& line) {
    REQUIRE(line.size() > 1);
    REQUIRE(line.front() == '|');
    REQUIRE(line.back() == '|');
    std::vector<std::string> cells;
    std::string cell;
    for (size_t i = 1; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') cell += line[++i];
        else if (line[i] != '|') cell += line[i];
        else {
            cells.push_back(trim(cell));
            cell.clear();
        }
    }
    return cells;
}

struct DocRoute {
    std::string method, path;
    std::set<std::string> allowed;  // callers with a ✓
};

DocRoute parse_row(const std::vector<std::string>& head, const std::vector<std::string>& cells) {
    auto column = [&](const std::string& name) {
        const auto at = std::find(head.begin(), head.end(), name);
        REQUIRE(at != head.end());
        return cells.at(static_cast<size_t>(at - head.begin()));
    };
    DocRoute r{column("method"), column("path"), {}};
    REQUIRE(r.path.size() > 2);
    REQUIRE(r.path.front() == '`');
    REQUIRE(r.path.back() == '`');
    r.path = r.path.substr(1, r.path.size() - 2);
    for (const auto& caller : kCallers) {
        const std::string mark = column(caller);
        INFO(r.method << " " << r.path << ", column " << caller << ": '" << mark << "'");
        REQUIRE((mark == "✓" || mark.empty()));
        if (mark == "✓") r.allowed.insert(caller);
    }
    return r;
}

std::vector<DocRoute> parse_matrix(const std::string& table) {
    std::istringstream in(table);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    REQUIRE(lines.size() > 2);
    const auto head = split_row(lines[0]);
    std::vector<DocRoute> routes;
    for (size_t i = 2; i < lines.size(); ++i) {  // lines[1] is the header's rule
        const auto cells = split_row(lines[i]);
        REQUIRE(cells.size() == head.size());
        routes.push_back(parse_row(head, cells));
    }
    return routes;
}

json dossier_update(const std::string& event_id, int64_t at_ms, int status) {
    return {{"updates", {{{"event_id", event_id}, {"code", kDossier}, {"at", at_ms}, {"status", status}, {"check", kCheck}}}}};
}

struct Credentials {
    std::string token;                           // Bearer, empty for none
    std::map<std::string, std::string> headers;  // the feed's signature
};

// A real server with something to act on: a ticket finished at counter 1 (to
// rate), one waiting for service A (counter 1 serves it), a dossier, a spare
// device to revoke, a rating tablet at counter 1, and a session per user role.
struct World {
    TestServer s;
    std::string admin, manager, staff, rating, spare_device, center, follow_key;
    int64_t done = 0, waiting = 0;

    World() {
        // The walk calls each phone route once per caller from one address: above the phones' limit (public_limits_test).
        s.tune = [](api::Core::Options& o) { o.public_limits.per_address_burst = 10'000; };
        s.restart();
        admin = s.login("admin", s.admin_password);
        manager = s.login("manager", "manager-password");
        staff = s.staff(1);
        rating = s.post("/api/admin/devices", {{"role", "rating"}, {"name", "Tablet 1"}, {"counter", 1}}, admin).body["token"];
        spare_device = s.post("/api/admin/devices", {{"role", "display"}, {"name", "Spare board"}}, admin).body["id"];
        done = s.post("/api/tickets", {{"service", "A"}}, s.kiosk).body["id"];
        REQUIRE(s.post("/api/counters/1/next", json::object(), staff).status == 200);
        REQUIRE(s.post("/api/tickets/" + std::to_string(done) + "/finish", json::object(), staff).status == 200);
        waiting = s.post("/api/tickets", {{"service", "A"}}, s.kiosk).body["id"];
        follow_key = s.post("/api/tickets", {{"service", "C"}}, s.kiosk).body["follow_key"];  // the phones' ticket
        REQUIRE(push(dossier_update("walk-setup", s.clock_ms.load(), 4).dump()).status == 200);
        center = s.call("GET", "/api/admin/center", "", admin).raw;
    }

    std::map<std::string, std::string> signature(const std::string& body) const {
        const std::string ts = std::to_string(s.clock_ms.load() / 1000);
        return {{"X-Timestamp", ts}, {"X-Signature", testing::sign(s.feed_secret, ts, body)}};
    }
    HttpReply push(const std::string& body) { return s.call("POST", "/api/feed/dossiers", body, "", signature(body)); }

    // A logout ends the session it is sent with: it gets a session of its own.
    Credentials as(const std::string& caller, const std::string& pattern, const std::string& body) {
        const bool fresh = pattern == "/api/logout";
        if (caller == "anyone") return {};
        if (caller == "feed") return {"", signature(body)};
        if (caller == "kiosk") return {s.kiosk, {}};
        if (caller == "display") return {s.display, {}};
        if (caller == "rating") return {rating, {}};
        if (caller == "staff") return {fresh ? s.staff(1) : staff, {}};
        if (caller == "manager") return {fresh ? s.login("manager", "manager-password") : manager, {}};
        if (caller == "admin") return {fresh ? s.login("admin", s.admin_password) : admin, {}};
        FAIL("no such caller: " << caller);
        return {};
    }

    // A concrete target for a path pattern: things that exist, and the query a route needs.
    std::string target(const std::string& pattern) const {
        static const std::map<std::string, std::string> queries = {
            {"/api/dossiers/{code}", "?check=" + kCheck}, {"/api/stats", "?from=20261124"}, {"/api/stats/tickets", "?from=20261124"},
            {"/api/province", "?from=20261124"},          {"/api/procedures", "?q=khai%20sinh"},
            {"/api/public/dossiers/{code}", "?check=" + kCheck}, {"/api/public/procedures", "?q=khai%20sinh"}};
        std::string path = pattern;
        auto put = [&](const std::string& hole, const std::string& value) {
            if (const size_t at = path.find(hole); at != std::string::npos) path.replace(at, hole.size(), value);
        };
        if (pattern.starts_with("/api/tickets/")) put("{id}", std::to_string(pattern.ends_with("/rating") ? done : waiting));
        if (pattern.starts_with("/api/counters/")) put("{id}", "1");  // staff1's own counter
        if (pattern.starts_with("/api/admin/devices/")) put("{id}", spare_device);
        if (pattern.starts_with("/api/dossiers/") || pattern.starts_with("/api/public/dossiers/")) put("{code}", kDossier);
        if (pattern.starts_with("/api/procedures/") || pattern.starts_with("/api/public/procedures/")) put("{code}", "1.001193");
        put("{key}", follow_key);
        put("{name}", kWalkUser);
        INFO(pattern);
        REQUIRE(path.find('{') == std::string::npos);  // a new kind of {param}: say here what it names
        if (const auto q = queries.find(pattern); q != queries.end()) path += q->second;
        return path;
    }

    // A plausible small body, so that an allowed call mostly does its work.
    std::string body(const std::string& method, const std::string& pattern) const {
        static const std::map<std::string, json> bodies = {
            {"POST /api/login", json{{"user", "manager"}, {"password", "manager-password"}}},
            {"POST /api/tickets", json{{"service", "B"}}},
            {"POST /api/tickets/{id}/transfer", json{{"to_service", "B"}}},
            {"POST /api/tickets/{id}/rating", json{{"rating", "good"}}},
            {"POST /api/devices/status", json{{"printer", "ok"}}},
            {"POST /api/admin/users", json{{"user", kWalkUser}, {"password", "walk-password"}, {"role", "staff"}, {"counter", 2}}},
            {"PUT /api/admin/users/{name}", json{{"counter", 3}}},
            {"POST /api/admin/devices", json{{"role", "display"}, {"name", "Walk board"}}},
        };
        const std::string key = method + " " + pattern;
        if (key == "PUT /api/admin/center") return center;
        if (key == "POST /api/admin/catalog")
            return R"([{"code":"9.000001","name":"Thủ tục thử","field":"Thử nghiệm","level":"tỉnh"}])";
        if (key == "POST /api/feed/dossiers") return dossier_update("walk-push", s.clock_ms.load(), 5).dump();
        if (const auto b = bodies.find(key); b != bodies.end()) return b->second.dump();
        return method == "GET" ? "" : "{}";
    }
};

// One HTTP route as one caller: allowed is anything but 401/403 (a 400, 404 or
// 409 is the handler's word on this body); refused is 401 without credentials
// the route takes, 403 for a role not in the row, and nothing changed.
void check_call(World& w, const DocRoute& r, const std::string& caller) {
    const std::string body = w.body(r.method, r.path);
    const Credentials who = w.as(caller, r.path, body);
    const int64_t before = w.s.seq();
    const HttpReply reply = w.s.call(r.method, w.target(r.path), body, who.token, who.headers);
    INFO(r.method << " " << r.path << " as " << caller << ": " << reply.status << " " << reply.raw.substr(0, 300));
    if (r.allowed.contains(caller)) {
        CHECK(reply.status != 401);
        CHECK(reply.status != 403);
        CHECK(reply.status < 500);
        return;
    }
    const bool signed_route = r.allowed == std::set<std::string>{"feed"};  // a token means nothing there
    CHECK(reply.status == (who.token.empty() || signed_route ? 401 : 403));
    CHECK(w.s.seq() == before);
}

// The event stream: the WebSocket handshake succeeds (a snapshot comes) or fails.
void check_stream(World& w, const DocRoute& r, const std::string& caller) {
    const Credentials who = w.as(caller, r.path, "");
    INFO("the event stream as " << caller);
    if (r.allowed.contains(caller)) {
        testing::WsClient stream(w.s.port, who.token, 0);
        CHECK(stream.next()["type"] == "snapshot");
    } else {
        CHECK_THROWS(testing::WsClient(w.s.port, who.token, 0));
    }
}

// A followed ticket's stream: anyone with the key opens it (a token changes nothing), and its view comes.
void check_follow_stream(World& w, const DocRoute& r, const std::string& caller) {
    INFO("a followed ticket's stream as " << caller);
    REQUIRE(r.allowed.contains(caller));
    testing::PhoneStream phone(w.s.port, w.follow_key);
    CHECK(phone.next()["service"] == "C");
}

// Appends the token to a target's query.
std::string with_query_token(const std::string& target, const std::string& token) {
    return target + (target.find('?') == std::string::npos ? "?" : "&") + "token=" + token;
}

// The role a route's ?token= probe uses: the first token-carrying role it allows.
std::optional<std::string> a_token_role(const api::Route& route) {
    for (const char* role : {"kiosk", "display", "rating", "staff", "manager", "admin"})
        if (route.roles.has(*api::role_from_name(role))) return role;
    return std::nullopt;
}

}  // namespace

TEST_CASE("docs/api.md's matrix is the route table's, as `queue-server routes` prints it", "[routes][docs]") {
    const std::string documented = documented_matrix(), generated = api::route_matrix_markdown();
    INFO("regenerate with: queue-server routes  (and paste it between the markers in docs/api.md)");
    CHECK(documented == generated);
    // Every route has its row, in the table's order.
    const auto rows = parse_matrix(generated);
    REQUIRE(rows.size() == api::route_table().size());
    for (size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].method == api::method_name(api::route_table()[i].method));
        CHECK(rows[i].path == api::route_table()[i].path);
    }
}

TEST_CASE("the real server answers every route and every caller as docs/api.md's matrix says", "[routes][roles]") {
    World w;
    const auto rows = parse_matrix(documented_matrix());
    size_t walked = 0;
    for (const DocRoute& r : rows) {
        if (r.path == "/*") continue;  // the UI's files: web_files_test
        for (const auto& caller : kCallers) {
            if (r.path == "/api/events") check_stream(w, r, caller);
            else if (r.path == "/api/public/tickets/{key}/events") check_follow_stream(w, r, caller);
            else check_call(w, r, caller);
        }
        ++walked;
    }
    CHECK(walked + 1 == rows.size());
}

TEST_CASE("a rating tablet cannot take numbers: 200 tries are refused and the service's numbers stay untouched", "[routes][roles]") {
    TestServer s;
    const std::string admin = s.login("admin", s.admin_password);
    const std::string rating = s.post("/api/admin/devices", {{"role", "rating"}, {"name", "Tablet 1"}, {"counter", 1}}, admin).body["token"];
    const int64_t before = s.seq();
    int refused = 0;
    for (int i = 0; i < 200; ++i) refused += s.post("/api/tickets", {{"service", "A"}}, rating).status == 403;
    CHECK(refused == 200);
    CHECK(s.seq() == before);
    const auto state = s.call("GET", "/api/state", "", admin).body;
    for (const auto& service : state["services"]) CHECK(service["waiting"] == 0);
    const auto first = s.post("/api/tickets", {{"service", "A"}}, s.kiosk);  // the kiosk still gets the first number
    REQUIRE(first.status == 201);
    CHECK(first.body["serial"] == 1);
}

TEST_CASE("a display token can neither read a dossier nor post a device status", "[routes][roles]") {
    World w;
    const std::string lookup = w.target("/api/dossiers/{code}");
    const auto refused = w.s.call("GET", lookup, "", w.s.display);
    CHECK(refused.status == 403);
    CHECK(refused.raw.find(kDossier) == std::string::npos);
    CHECK(w.s.call("GET", lookup, "", w.s.kiosk).status == 200);  // the dossier is there for a kiosk
    CHECK(w.s.post("/api/devices/status", {{"printer", "paper_out"}}, w.s.display).status == 403);
    const auto devices = w.s.call("GET", "/api/state", "", w.admin).body["devices"];
    CHECK(devices.dump().find("Board 1") == std::string::npos);  // nothing was kept for the display
    CHECK(w.s.post("/api/devices/status", {{"printer", "ok"}}, w.s.kiosk).status == 200);
}

TEST_CASE("?token= opens nothing but the event stream: every other route answers 401 with the token only in the query",
          "[routes][auth]") {
    World w;
    for (const api::Route& route : api::route_table()) {
        if (route.roles.is_anyone() || route.roles.has(api::Role::feed) || route.runs == api::Runs::stream) continue;
        const auto role = a_token_role(route);
        REQUIRE(role);
        const std::string method(api::method_name(route.method)), pattern(route.path), body = w.body(method, pattern);
        const std::string token = w.as(*role, pattern, body).token;
        INFO(method << " " << pattern << " with a " << *role << " token");
        const int64_t before = w.s.seq();
        CHECK(w.s.call(method, with_query_token(w.target(pattern), token), body).status == 401);
        CHECK(w.s.seq() == before);
        const int in_header = w.s.call(method, w.target(pattern), body, token).status;  // the same token is good
        CHECK(in_header != 401);
        CHECK(in_header != 403);
    }
    testing::WsClient stream(w.s.port, w.staff, 0);  // the stream takes it: browsers cannot set headers there
    CHECK(stream.next()["type"] == "snapshot");
}

TEST_CASE("device tokens are refused on every /api/admin route before the body is read", "[routes][roles]") {
    TestServer s;
    const std::string admin = s.login("admin", s.admin_password);
    const std::string rating = s.post("/api/admin/devices", {{"role", "rating"}, {"name", "Tablet 1"}, {"counter", 1}}, admin).body["token"];
    const std::string large = json{{"pad", std::string(100 * 1024, 'x')}}.dump();  // over any command's limit
    size_t admin_routes = 0;
    for (const api::Route& route : api::route_table()) {
        if (!route.path.starts_with("/api/admin/")) continue;
        ++admin_routes;
        const std::string method(api::method_name(route.method)), path(route.path);
        std::string target = path;
        if (const size_t hole = target.find('{'); hole != std::string::npos) target.replace(hole, target.find('}') - hole + 1, "x");
        const int64_t before = s.seq();
        for (const std::string& token : {s.kiosk, s.display, rating}) {
            INFO(method << " " << path);
            CHECK(s.call(method, target, method == "GET" ? "" : "{}", token).status == 403);
            CHECK(s.call(method, target, large, token).status == 403);  // refused as a kiosk, not as too large
        }
        CHECK(s.seq() == before);
    }
    CHECK(admin_routes >= 10);
}
