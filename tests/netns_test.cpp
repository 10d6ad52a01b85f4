// netns_test: three hosts on one machine — network namespaces joined by veth
// links. The real queue-server runs in one; a kiosk client and a display
// client (the client library both programs use: the event stream and the
// mirror, and the kiosk's ticket requests) run in the others, each on threads
// that entered their namespace. The links are cut (set down: packets vanish,
// no reset, as when a cable is pulled), calls are made at the server, the links
// come back, and both clients must end with the server's exact state. Every
// wait is for an event (a line, a callback), not for the clock.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <fcntl.h>
#include <future>
#include <mutex>
#include <queue>
#include <sched.h>
#include <unistd.h>

#include "client/event_stream.hpp"
#include "http_client.hpp"
#include "client/mirror.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

using testing::run_command;
using json = nlohmann::json;

namespace {

// A worker thread living in a network namespace: what it runs opens its sockets there.
class NsThread {
public:
    explicit NsThread(const std::string& netns) {
        std::promise<void> entered;
        thread_ = std::thread([this, netns, &entered] {
            const int fd = ::open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
                entered.set_exception(std::make_exception_ptr(std::runtime_error("cannot enter netns " + netns)));
                return;
            }
            ::close(fd);
            entered.set_value();
            loop();
        });
        entered.get_future().get();
    }
    ~NsThread() {
        post({});
        thread_.join();
    }
    template <class F>
    auto run(F f) {
        auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
        auto result = task->get_future();
        post([task] { (*task)(); });
        return result.get();
    }

private:
    void post(std::function<void()> f) {
        std::lock_guard lock(mutex_);
        tasks_.push(std::move(f));
        ready_.notify_one();
    }
    void loop() {
        for (;;) {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [this] { return !tasks_.empty(); });
            auto f = std::move(tasks_.front());
            tasks_.pop();
            lock.unlock();
            if (!f) return;
            f();
        }
    }
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::queue<std::function<void()>> tasks_;
};

// The namespaces and links of one test, removed at the end.
struct Hosts {
    const std::string tag = std::to_string(::getpid() % 100000);
    const std::string server = "srv" + tag, kiosk = "kio" + tag, display = "dis" + tag;
    Hosts() {
        const std::string script =
            "set -e; for n in " + server + " " + kiosk + " " + display + "; do ip netns add $n; ip -n $n link set lo up; done;"
            "ip link add sk" + tag + " netns " + server + " type veth peer name ks" + tag + " netns " + kiosk + ";"
            "ip link add sd" + tag + " netns " + server + " type veth peer name ds" + tag + " netns " + display + ";"
            "ip -n " + server + " addr add 10.213.1.1/30 dev sk" + tag + "; ip -n " + kiosk + " addr add 10.213.1.2/30 dev ks" + tag + ";"
            "ip -n " + server + " addr add 10.213.2.1/30 dev sd" + tag + "; ip -n " + display + " addr add 10.213.2.2/30 dev ds" + tag + ";"
            "for l in sk sd; do ip -n " + server + " link set ${l}" + tag + " up; done;"
            "ip -n " + kiosk + " link set ks" + tag + " up; ip -n " + display + " link set ds" + tag + " up";
        const auto [code, output] = run_command(script);
        if (code != 0) {
            remove();
            throw std::runtime_error("network namespaces: " + output);
        }
    }
    ~Hosts() { remove(); }
    void remove() { run_command("for n in " + server + " " + kiosk + " " + display + "; do ip netns del $n 2>/dev/null; done"); }
    // Both of the server's links down or up: a pulled cable, for both clients.
    void links(bool up) {
        for (const char* l : {"sk", "sd"})
            REQUIRE(run_command("ip -n " + server + " link set " + l + tag + (up ? " up" : " down")).first == 0);
    }
};

// A client as the display and kiosk are: the event stream into a mirror.
struct StreamClient {
    client::Mirror mirror;
    std::mutex mutex;
    std::condition_variable changed;
    bool up = false;
    int downs = 0;
    std::unique_ptr<client::EventStream> stream;

    StreamClient(NsThread& host, const std::string& address, uint16_t port, const std::string& token) {
        client::StreamOptions o;
        o.host = address;
        o.port = std::to_string(port);
        o.token = token;
        o.idle_timeout = std::chrono::milliseconds(1500);  // a pulled cable is found within this
        o.backoff_first = std::chrono::milliseconds(100);
        o.backoff_most = std::chrono::milliseconds(500);
        o.connect_timeout = std::chrono::milliseconds(1000);
        host.run([&] {
            stream = std::make_unique<client::EventStream>(o, client::EventStream::Handlers{
                [this](json m) { on_message(std::move(m)); },
                [this](bool is_up, const std::string&) {
                    std::lock_guard lock(mutex);
                    if (up && !is_up) ++downs;
                    up = is_up;
                    changed.notify_all();
                }});
            stream->start(0);
            return 0;
        });
    }
    ~StreamClient() { stream->stop(); }

    void on_message(json m) {
        std::lock_guard lock(mutex);
        if (client::field<std::string>(m, "type", "") == "snapshot") mirror.apply_snapshot(m);
        else if (mirror.apply_event(m) == client::Mirror::Applied::gap) stream->resync();
        stream->applied(mirror.seq());
        changed.notify_all();
    }
    template <class P>
    void wait_until(P done) {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return done(); });
    }
    std::vector<std::string> calls() {
        std::lock_guard lock(mutex);
        std::vector<std::string> out;
        for (const auto& c : mirror.recent_calls()) out.push_back(c.number + "@" + std::to_string(c.counter));
        return out;
    }
};

std::vector<std::string> server_calls(const json& state) {
    std::vector<std::string> out;
    for (const auto& c : state["recent_calls"]) out.push_back(c["number"].get<std::string>() + "@" + std::to_string(c["counter"].get<int>()));
    return out;
}

}  // namespace

TEST_CASE("three hosts: the links are cut, calls are made, the links return, and the kiosk and display converge") {
    REQUIRE(::geteuid() == 0);  // network namespaces need root (CI runs as root)
    Hosts hosts;
    testing::TempDir data;
    testing::Process server({"/usr/sbin/ip", "netns", "exec", hosts.server, QUEUE_SERVER_BIN, "--data", data.path.string(),
                             "--demo", "--listen", "0.0.0.0:0"});
    const std::string line = server.wait_for_line("listening");
    REQUIRE_FALSE(line.empty());
    const uint16_t port = static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    const json creds = json::parse(testing::run_command("cat " + (data / "demo-credentials.json").string()).second);

    NsThread at_server(hosts.server), at_kiosk(hosts.kiosk), at_display(hosts.display);
    auto server_state = [&] {
        return at_server.run([&] { return testing::http_call(port, "GET", "/api/state", "", creds["display_token"]).body; });
    };
    const std::string staff = at_server.run([&] {
        return testing::http_call(port, "POST", "/api/login",
                                  json{{"user", "staff1"}, {"password", creds["staff"][0]["password"]}}.dump()).body["token"].get<std::string>();
    });
    // Call next (which finishes the one served), then start the one called, as staff do.
    auto call_next = [&] {
        return at_server.run([&] {
            const auto r = testing::http_call(port, "POST", "/api/counters/1/next", "", staff);
            if (r.status == 200 && r.body["ticket"].is_object())
                testing::http_call(port, "POST", "/api/tickets/" + std::to_string(r.body["ticket"]["id"].get<int64_t>()) + "/start", "", staff);
            return r.status;
        });
    };
    // The kiosk's requests go from its host to the server's address on their link.
    auto kiosk_issue = [&] {
        return at_kiosk.run([&] {
            try {
                return testing::http_call_to("10.213.1.1", port, "POST", "/api/tickets", R"({"service":"A"})",
                                             creds["kiosk_token"], {}, 2000).status;
            } catch (const std::exception&) {
                return 0;  // no answer: the kiosk's own request timeout says "no number was issued"
            }
        });
    };

    StreamClient kiosk(at_kiosk, "10.213.1.1", port, creds["kiosk_token"]);
    StreamClient display(at_display, "10.213.2.1", port, creds["display_token"]);
    for (int i = 0; i < 4; ++i) REQUIRE(kiosk_issue() == 201);
    REQUIRE(call_next() == 200);
    int64_t seq = server_state()["seq"];
    kiosk.wait_until([&] { return kiosk.mirror.seq() == seq; });
    display.wait_until([&] { return display.mirror.seq() == seq; });
    CHECK(display.calls() == server_calls(server_state()));

    hosts.links(false);
    // Both find the silent link dead by their pings, as a pulled cable gives no reset.
    kiosk.wait_until([&] { return !kiosk.up; });
    display.wait_until([&] { return !display.up; });
    CHECK(kiosk_issue() != 201);  // no number is promised while the server is away
    for (int i = 0; i < 3; ++i) CHECK(call_next() == 200);  // the hall goes on at the counters
    const json after = server_state();
    CHECK(after["recent_calls"].size() == 4);

    hosts.links(true);
    seq = after["seq"];
    kiosk.wait_until([&] { return kiosk.up && kiosk.mirror.seq() == seq; });
    display.wait_until([&] { return display.up && display.mirror.seq() == seq; });
    CHECK(display.calls() == server_calls(after));
    CHECK(kiosk.calls() == server_calls(after));
    CHECK(display.downs == 1);
    CHECK(kiosk.downs == 1);
    // Live again: a new ticket from the kiosk reaches both.
    REQUIRE(kiosk_issue() == 201);
    seq = server_state()["seq"];
    display.wait_until([&] { return display.mirror.seq() == seq; });
    kiosk.wait_until([&] { return kiosk.mirror.seq() == seq; });
}
