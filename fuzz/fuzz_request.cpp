// fuzz_request: raw bytes as an HTTP request, through Beast's parser and the
// server core (routing, auth, JSON, engine, store). Nothing may crash, hang or
// leave a request unanswered; the server must still answer /healthz after.
#include <boost/asio.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <filesystem>
#include <sodium.h>
#include <unistd.h>

#include "api/core.hpp"
#include "catalog/import.hpp"

namespace {

struct World {
    std::filesystem::path dir;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<catalog::Catalog> procedures;
    std::unique_ptr<dossier::Store> dossiers;
    std::unique_ptr<api::Core> core;
    boost::asio::io_context io;
    // The writer answers from its thread: the loop must wait for it, not stop when idle.
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work = boost::asio::make_work_guard(io);
    std::string kiosk, staff;

    World() {
        if (sodium_init() < 0) std::abort();
        char tmpl[] = "/tmp/center-fuzz-XXXXXX";
        dir = ::mkdtemp(tmpl);
        store = std::make_unique<store::Store>(dir / "center.db");
        api::Core::Options o;
        o.password_cost = {1, 8 * 1024};
        o.clock = [] { return int64_t{1'795'482'000'000}; };  // fixed: a fuzz run is repeatable
        o.timezone = "UTC+07:00";
        // The catalog and dossier paths too: a small catalog, one dossier, a feed secret.
        procedures = std::make_unique<catalog::Catalog>((dir / "catalog.db").string(), catalog::kSynonymsTsv);
        procedures->replace(catalog::parse_catalog("code,name,field,level\n1.1,Đăng ký khai sinh,Hộ tịch,xã\n"));
        dossiers = std::make_unique<dossier::Store>((dir / "dossiers.db").string(), (dir / "dossier-key").string());
        dossiers->ingest(dossier::updates_from_csv("code,status,at,check\nH1,4,2026-11-20T08:00:00Z,1234\n"));
        o.catalog = procedures.get();
        o.dossiers = dossiers.get();
        o.feed_secret = "fuzz-feed-secret-0123456789";
        core = std::make_unique<api::Core>(*store, o);
        engine::Center c;
        c.name = "Fuzz";
        c.timezone = "UTC+07:00";
        c.services = {{"A", "Hộ tịch", "", "A", 1, 999, 0, 1440, 0, true, 300, {}}, {"B", "Đất đai", "", "B", 1, 99, 0, 1440, 5, false, 300, {}}};
        c.counters = {{1, "Quầy 1", {{"A"}, {"B"}}}, {2, "Quầy 2", {{"B"}}}};
        c.categories = engine::default_categories();
        if (core->run_startup(engine::Configure{c})) std::abort();
        core->add_user_now({"staff1", "staff", 1, api::hash_password("staff-password", o.password_cost)});
        core->add_user_now({"admin", "admin", 0, api::hash_password("admin-password", o.password_cost)});
        kiosk = core->add_device_now("kiosk", "k");
        core->start({.post = [this](api::Task t) { boost::asio::post(io, std::move(t)); }, .fatal = [] { std::abort(); }, .later = {}});
    }
    ~World() {
        core->stop();
        std::filesystem::remove_all(dir);
    }

    void call(api::Request r) {
        bool answered = false;
        core->handle(r, [&](api::Reply reply) {
            answered = true;
            if (reply.status < 200 || reply.status > 599 || reply.body.empty()) std::abort();
        });
        while (!answered) io.run_one();
    }
};

World& world() {
    static World w;
    return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace http = boost::beast::http;
    World& w = world();
    http::request_parser<http::string_body> parser;
    parser.eager(true);
    parser.header_limit(8 * 1024);
    parser.body_limit(64 * 1024);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (!ec && !parser.is_done()) parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;
    auto& req = parser.get();
    // The first byte of the target picks who asks: nobody, the kiosk, or a (bad) token.
    std::string token;
    const auto auth = req[http::field::authorization];
    if (auth == "kiosk") token = w.kiosk;
    else if (!auth.empty()) token = std::string(auth);
    api::Request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.body = req.body();
    r.token = token;
    r.signature = std::string(req["X-Signature"]);
    r.timestamp = std::string(req["X-Timestamp"]);
    r.peer = "127.0.0.1";
    w.call(r);
    api::Request health;
    health.method = "GET";
    health.target = "/healthz";
    w.call(health);
    return 0;
}
