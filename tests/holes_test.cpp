// holes_test: one regression test per hole of issue 19's section 2 that lives in
// the HTTP server (items 1-4 and 6), against a real server on loopback. Each
// asserts answers, never times: where "at once" matters, the test sends only
// what the server needs to decide (a request's head without its body) or holds
// the work queue's thread with a gate, so what the test sees does not depend
// on how fast the machine is.
#include <catch2/catch.hpp>
#include <algorithm>
#include <condition_variable>
#include <future>
#include <latch>
#include <map>
#include <mutex>
#include <thread>

#include "feed_signing.hpp"
#include "test_server.hpp"

using testing::HttpReply;
using testing::TestServer;
using json = nlohmann::json;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr int64_t kMinute = 60'000, kDay = 24 * 60 * kMinute;

// ---------------------------------------------------------------- helpers

// A request as raw text: `length` is the Content-Length announced, which may
// promise a body the text does not carry.
std::string request_text(const std::string& method, const std::string& target, const std::string& token,
                         const std::map<std::string, std::string>& headers, const std::string& body, size_t length) {
    std::string text = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    if (!token.empty()) text += "Authorization: Bearer " + token + "\r\n";
    for (const auto& [name, value] : headers) text += name + ": " + value + "\r\n";
    return text + "Content-Length: " + std::to_string(length) + "\r\n\r\n" + body;
}

// Writes `text` and reads the answer for at most `wait_ms`: status 0 when none came
// (a server waiting for a body never sent, or stuck behind other work). Asynchronous,
// because a blocking read ignores SO_RCVTIMEO in asio (it polls again forever).
HttpReply ask(uint16_t port, const std::string& text, int wait_ms = 20'000) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(socket, asio::buffer(text));
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    bool done = false;
    beast::error_code ec;
    http::async_read(socket, buffer, res, [&](beast::error_code e, size_t) { ec = e, done = true; });
    io.run_for(std::chrono::milliseconds(wait_ms));
    HttpReply r;
    if (!done || ec) return r;
    r.status = static_cast<int>(res.result_int());
    r.raw = res.body();
    r.body = json::parse(r.raw, nullptr, false);
    if (auto retry = res.find(http::field::retry_after); retry != res.end()) r.headers["retry-after"] = std::string(retry->value());
    return r;
}

// Only the head: the server must answer from it alone, before any body.
HttpReply head_only(uint16_t port, const std::string& target, const std::string& token,
                    const std::map<std::string, std::string>& headers, size_t length) {
    return ask(port, request_text("POST", target, token, headers, "", length), 5'000);
}

HttpReply login_from(TestServer& s, const std::string& source, const std::string& user, const std::string& password) {
    return testing::http_call_to("127.0.0.1", s.port, "POST", "/api/login", json{{"user", user}, {"password", password}}.dump(), "",
                                 {}, 0, source);
}

// Runs f(0..n-1) on n threads released together, and gives back their answers.
template <class F>
std::vector<HttpReply> in_parallel(int n, F f) {
    std::latch go(n);
    std::vector<HttpReply> replies(static_cast<size_t>(n));
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            go.arrive_and_wait();
            replies[static_cast<size_t>(i)] = f(i);
        });
    for (auto& t : threads) t.join();
    return replies;
}

// Holds the one thread of a work queue until released: what is posted behind it
// waits, as behind a very long hash or import, for exactly as long as the test wants.
class Gate {
public:
    explicit Gate(api::WorkQueue& queue) {
        auto entered = std::make_shared<std::promise<void>>();
        auto in = entered->get_future();
        REQUIRE(queue.try_post([entered, opened = opened_] {
            entered->set_value();
            opened.wait_for(std::chrono::minutes(2));  // bounded: a failed test must not hang the suite
        }));
        in.wait();
    }
    ~Gate() { release(); }
    void release() {
        if (released_) return;
        released_ = true;
        open_.set_value();
    }

private:
    std::promise<void> open_;
    std::shared_future<void> opened_ = open_.get_future().share();
    bool released_ = false;
};

// Waits (bounded) until `done()` holds, for state that has no event to wait on.
template <class P>
bool eventually(P done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done())
        if (std::chrono::steady_clock::now() > deadline) return false;
        else std::this_thread::yield();
    return true;
}

int count_status(const std::vector<HttpReply>& replies, int status) {
    return static_cast<int>(std::count_if(replies.begin(), replies.end(), [&](const HttpReply& r) { return r.status == status; }));
}

}  // namespace

// ---------------------------------------------------------------- 1. parallel guesses

namespace {

// 30 wrong guesses for `user` at once from 127.0.0.1, then one from 127.0.0.2 and one
// more from 127.0.0.1: the statuses, the parallel ones sorted (their order is the race's).
std::vector<int> guess(TestServer& s, const std::string& user) {
    const auto replies = in_parallel(30, [&](int) { return login_from(s, "127.0.0.1", user, "wrong-guess"); });
    std::vector<int> statuses;
    for (const auto& r : replies) {
        statuses.push_back(r.status);
        if (r.status == 429) CHECK(std::stoi(r.headers.at("retry-after")) >= 1);
    }
    std::sort(statuses.begin(), statuses.end());
    statuses.push_back(login_from(s, "127.0.0.2", user, "wrong-guess").status);
    statuses.push_back(login_from(s, "127.0.0.1", user, "wrong-guess").status);
    return statuses;
}

}  // namespace

TEST_CASE("30 parallel guesses: at most 3 reach the password check, the right person elsewhere logs in, unknown names look the same",
          "[holes][auth]") {
    TestServer s;
    const std::vector<int> known = guess(s, "staff1");
    const std::vector<int> parallel(known.begin(), known.begin() + 30);
    const auto wrong = std::count(parallel.begin(), parallel.end(), 401);
    CHECK(wrong >= 1);
    CHECK(wrong <= 3);  // counted when they arrive, not when Argon2id is done
    CHECK(std::count(parallel.begin(), parallel.end(), 429) == 30 - wrong);
    CHECK(known[30] == 401);  // another address: a wrong password is just wrong
    CHECK(known[31] == 429);  // the guesser's address still waits
    // The clock has not moved: the right person at their own address is let in at once.
    const HttpReply right = login_from(s, "127.0.0.2", "staff1", "staff-password");
    CHECK(right.status == 200);
    CHECK(right.body["role"] == "staff");
    // A name that is no account: exactly the same answers, so locking tells nothing.
    CHECK(guess(s, "no-such-user") == known);
}

// ---------------------------------------------------------------- 2. bounded work

namespace {

// Counts the answers of a flood as they come, so the test can wait for the quick ones.
struct Tally {
    std::mutex mutex;
    std::condition_variable changed;
    int answered = 0;
    void add() {
        std::lock_guard lock(mutex);
        ++answered;
        changed.notify_all();
    }
    bool wait_for(int n) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(60), [&] { return answered >= n; });
    }
};

HttpReply ask_with(TestServer& s, const std::string& method, const std::string& target, const std::string& token,
                   const std::string& body = "") {
    return ask(s.port, request_text(method, target, token, {}, body, body.size()));
}

}  // namespace

TEST_CASE("a login flood fills its own queue only: 503 busy for the excess, while tickets, calls and statistics answer",
          "[holes][work]") {
    constexpr int kFlood = 100, kWaiting = 4;
    TestServer s;
    s.tune = [](api::Core::Options& o) {
        o.login_threads = 1;
        o.login_queue = kWaiting;
        o.password_cost = api::PasswordCost{};  // the real cost (19 MiB): a hash takes real time
    };
    s.restart();
    const std::string staff = s.staff(1), manager = s.login("manager", "manager-password");

    Tally tally;
    std::vector<HttpReply> flood(kFlood);
    std::latch go(kFlood);
    std::vector<std::jthread> threads;               // joined last, after the gate opened
    Gate hashing(s.core->queue(api::Work::logins));  // the login thread is busy with a hash that lasts
    for (int i = 0; i < kFlood; ++i)
        threads.emplace_back([&, i] {
            go.arrive_and_wait();
            flood[static_cast<size_t>(i)] = login_from(s, "127.0.0.1", "flood-" + std::to_string(i), "guess");
            tally.add();
        });
    // All but the waiting places are refused at once, without waiting for any hash.
    REQUIRE(tally.wait_for(kFlood - kWaiting));
    CHECK(s.core->queue(api::Work::logins).waiting() == kWaiting);

    // During the flood: a kiosk's ticket, a counter's call and a manager's statistics.
    CHECK(ask_with(s, "POST", "/api/tickets", s.kiosk, R"({"service":"A"})").status == 201);
    CHECK(ask_with(s, "POST", "/api/counters/1/next", staff, "{}").status == 200);
    CHECK(ask_with(s, "GET", "/api/stats?from=20261124", manager).status == 200);  // the reports queue, not behind logins
    CHECK(s.core->queue(api::Work::logins).waiting() == kWaiting);  // still during: the flood has not moved

    hashing.release();
    for (auto& t : threads) t.join();
    CHECK(count_status(flood, 503) == kFlood - kWaiting);
    CHECK(count_status(flood, 401) == kWaiting);  // the queued ones were checked, with the real cost
    for (const auto& r : flood)
        if (r.status == 503) {
            CHECK(r.body["error"]["code"] == "busy");
            CHECK(std::stoi(r.headers.at("retry-after")) >= 1);
        }
}

// ---------------------------------------------------------------- 3. unauthenticated stall

namespace {

constexpr size_t kFeedMiB = 8 * 1024 * 1024;  // the feed route's body limit

std::string forged() { return "sha256=" + std::string(64, '0'); }

HttpReply push(TestServer& s, const std::string& body, const std::string& signature) {
    return s.call("POST", "/api/feed/dossiers", body, "", {{"X-Timestamp", std::to_string(s.clock_ms.load() / 1000)}, {"X-Signature", signature}});
}

// A JSON array of zeros exactly `bytes` long: a large batch as it looks on the wire.
std::string zeros_array(size_t bytes) {
    std::string a = "[0";
    a.reserve(bytes);
    while (a.size() + 3 <= bytes) a += ",0";
    a.append(bytes - a.size() - 1, ' ');
    return a + "]";
}

}  // namespace

TEST_CASE("refused from the head alone: a look-alike feed path, an oversized ticket, and a forged 8 MiB push leaves the last error",
          "[holes][feed]") {
    TestServer s;
    const std::string ts = std::to_string(s.clock_ms.load() / 1000);
    // The head promises 8 MB and nothing follows: the answer comes all the same, so the body is never waited for.
    const HttpReply look_alike = head_only(s.port, "/api/feed/dossiersX", "", {{"X-Timestamp", ts}, {"X-Signature", forged()}}, 8'000'000);
    CHECK(look_alike.status == 404);
    const HttpReply oversized = head_only(s.port, "/api/tickets", s.kiosk, {}, 20'000);
    CHECK(oversized.status == 413);
    CHECK(oversized.body["error"]["code"] == "too_large");

    const std::string malformed = R"({"nope": 1})";
    REQUIRE(push(s, malformed, testing::sign(s.feed_secret, ts, malformed)).status == 400);  // a real error, for the admins
    const std::string manager = s.login("manager", "manager-password");
    auto push_status = [&] { return s.call("GET", "/api/admin/feed", "", manager).body["push"]; };
    const json before = push_status();
    REQUIRE(before["last_error"] != "");

    const HttpReply fake = push(s, zeros_array(kFeedMiB), forged());
    CHECK(fake.status == 401);
    CHECK(fake.body["error"]["code"] == "bad_signature");
    const json after = push_status();
    CHECK(after["last_error"] == before["last_error"]);
    CHECK(after["requests"] == before["requests"]);
    CHECK(after["refused"] == before["refused"]);
    CHECK(after["bad_signatures"] == before["bad_signatures"].get<int>() + 1);
}

TEST_CASE("/healthz and a kiosk answer while an 8 MiB signed push waits for its signature check", "[holes][feed]") {
    TestServer s;
    auto& imports = s.core->queue(api::Work::imports);
    std::future<HttpReply> pushed;
    {
        Gate verifying(imports);  // the check of an earlier push, taking its time
        pushed = std::async(std::launch::async, [&] { return push(s, zeros_array(kFeedMiB), forged()); });
        REQUIRE(eventually([&] { return imports.waiting() == 1; }));  // read in full, and queued for its check
        CHECK(s.call("GET", "/healthz").status == 200);
        CHECK(s.post("/api/tickets", {{"service", "A"}}, s.kiosk).status == 201);
        CHECK(pushed.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);  // it was still waiting
    }
    CHECK(pushed.get().status == 401);
}

// ---------------------------------------------------------------- 4. resume

namespace {

// Appends about `count` events to the stopped server's log, as a busy day makes them:
// a ticket of each service issued, then called and finished at counters 1-3, written
// in large batches. The wall clock ends at the last event. Returns its seq.
int64_t grow_log(TestServer& s, int64_t count) {
    store::Store log(s.dir / "center.db");
    engine::Engine engine;
    log.for_each_event(0, [&](const engine::Event& e) { engine.apply(e); });
    testing::Clock clock;
    clock.ms = s.clock_ms.load();
    std::vector<engine::Event> batch;
    auto run = [&](const engine::Command& command) {
        auto out = engine.handle(command, clock.now());
        if (!out.ok()) FAIL("the engine refused: " << out.error->message);
        batch.insert(batch.end(), out.events.begin(), out.events.end());
        if (batch.size() >= 2'500) log.append(batch), batch.clear();
        return out.events;
    };
    const int64_t goal = engine.state().seq + count;
    for (int round = 1; engine.state().seq < goal; ++round) {
        clock.advance_seconds(20);
        if (round % 400 == 0) clock.next_day();  // a service gives at most 999 numbers a day
        for (const char* service : {"A", "B", "C"}) run(engine::IssueTicket{service, "normal", "kiosk:Kiosk 1"});
        for (int counter = 1; counter <= 3; ++counter)
            for (const auto& e : run(engine::CallNext{counter}))
                if (const auto* called = std::get_if<engine::TicketCalled>(&e.body))
                    run(engine::TicketAction{engine::Action::finish, called->ticket, counter});
    }
    if (!batch.empty()) log.append(batch);
    s.clock_ms = clock.ms;
    return engine.state().seq;
}

json next_event(testing::WsClient& ws) {  // skips notices, which carry no seq
    for (;;)
        if (json m = ws.next(); m.contains("seq")) return m;
}

}  // namespace

TEST_CASE("9,999 events behind with a send queue of 64: every one in order on one connection, then live, and a snapshot beyond the window",
          "[holes][ws]") {
    TestServer s;
    s.stop();
    const int64_t last = grow_log(s, 10'000);
    s.limits.ws_backlog = 64;
    s.start(false);
    REQUIRE(s.seq() == last);

    testing::WsClient display(s.port, s.display, last - 9'999);
    for (int64_t expect = last - 9'998; expect <= last; ++expect) {
        const json m = next_event(display);
        REQUIRE(m["type"] != "snapshot");
        REQUIRE(m["seq"] == expect);
    }
    REQUIRE(s.post("/api/tickets", {{"service", "A"}}, s.kiosk).status == 201);
    const json live = next_event(display);  // the same connection, never cut
    CHECK(live["seq"] == last + 1);
    CHECK(live["type"] == "ticket_issued");

    testing::WsClient far_behind(s.port, s.display, 1);
    const json first = next_event(far_behind);
    CHECK(first["type"] == "snapshot");
    CHECK(first["seq"] == last + 1);
}

// ---------------------------------------------------------------- 6. the clock

namespace {

// Every service open all day, so that numbers are taken across midnight.
void open_all_day(TestServer& s) {
    const std::string admin = s.login("admin", s.admin_password);
    json center = s.call("GET", "/api/admin/center", "", admin).body;
    for (auto& service : center["services"]) service["open"] = "00:00", service["close"] = "24:00";
    REQUIRE(s.call("PUT", "/api/admin/center", center.dump(), admin).status == 200);
}

json take_number(TestServer& s) {
    const HttpReply r = s.post("/api/tickets", {{"service", "A"}}, s.kiosk);
    REQUIRE(r.status == 201);
    return r.body;
}

int64_t issued_at(const json& ticket) { return ticket["issued_at"].get<int64_t>(); }

}  // namespace

TEST_CASE("the wall clock 10 minutes back across midnight: numbers go on, later and later, /healthz tells, and a month back after a restart",
          "[holes][clock]") {
    TestServer s;
    s.mono_ms = 7'000'000;  // any origin: only its differences count
    s.restart();
    open_all_day(s);
    auto pass = [&](int64_t ms) { s.clock_ms += ms, s.mono_ms += ms; };  // time that really passes
    pass(15 * 60 * kMinute + 58 * kMinute);                            // 23:58 on 2026-11-24
    CHECK(take_number(s)["day"] == 20261124);
    pass(7 * kMinute);  // 00:05 on the 25th: a new day
    json last = take_number(s);
    CHECK(last["day"] == 20261125);
    CHECK(last["number"] == "A001");

    s.clock_ms -= 10 * kMinute;  // the wall clock is stepped back: it reads 23:55 on the 24th
    for (const char* number : {"A002", "A003"}) {
        pass(kMinute);
        const json t = take_number(s);
        CHECK(t["day"] == 20261125);
        CHECK(t["number"] == number);
        CHECK(issued_at(t) == issued_at(last) + kMinute);
        last = t;
    }
    const json clock = s.call("GET", "/healthz").body["clock"];
    CHECK(clock["ahead_of_wall_ms"] == 10 * kMinute);
    CHECK(clock["steps"].get<int>() >= 1);
    CHECK(clock["last_step_ms"] == -10 * kMinute);

    s.clock_ms = issued_at(last) - 30 * kDay;  // restarted with the wall clock a month behind the log
    s.restart();
    const json a = take_number(s);
    pass(5 * kMinute);
    const json b = take_number(s);
    CHECK(issued_at(a) >= issued_at(last));
    CHECK(issued_at(b) == issued_at(a) + 5 * kMinute);  // not frozen at the log's last time
    CHECK(b["number"] == "A005");
}
