// web_files_test: the browser UI's static files served by the real server on a
// loopback port — pages, a single-page app's routes, cache headers, content
// types — and what must never be served: paths out of the folder, links, a
// missing asset as a page.
#include <catch2/catch.hpp>

#include <fstream>

#include "test_server.hpp"
#include "api/web_files.hpp"

using testing::TempDir;
using testing::TestServer;

namespace {

void write(const std::filesystem::path& file, const std::string& text) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

// A GET with its reply's headers, which http_call does not keep.
std::pair<int, std::map<std::string, std::string>> head_of(uint16_t port, const std::string& target) {
    namespace http = boost::beast::http;
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    http::request<http::empty_body> req(http::verb::get, target, 11);
    req.set(http::field::host, "127.0.0.1");
    http::write(socket, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    std::map<std::string, std::string> headers;
    for (const auto& h : res) headers[std::string(h.name_string())] = std::string(h.value());
    return {res.result_int(), headers};
}

}  // namespace

TEST_CASE("the UI's files are served at /, with a single-page app's routes and cache headers") {
    TempDir ui;
    write(ui / "index.html", "<!doctype html><title>Trung tâm</title>");
    write(ui / "console/index.html", "<!doctype html><title>Quầy</title>");
    write(ui / "assets/app.1a2b3c.js", "console.log('xin chào')");
    write(ui / "assets/logo.svg", "<svg/>");
    std::filesystem::create_symlink("/etc/hostname", ui / "hostname");
    const api::WebFiles web = api::WebFiles::load(ui.path);
    CHECK(web.size() == 4);  // the link is not one of them

    TestServer s;
    s.stop();
    s.web = &web;
    s.start(false);
    auto get = [&](const std::string& target) { return s.call("GET", target); };

    CHECK(get("/").raw == "<!doctype html><title>Trung tâm</title>");
    CHECK(get("/console").raw == "<!doctype html><title>Quầy</title>");
    CHECK(get("/console/").raw == "<!doctype html><title>Quầy</title>");
    CHECK(get("/console/counter/3?lang=vi").raw == "<!doctype html><title>Quầy</title>");  // the app's own route
    CHECK(get("/dashboard/today").raw == "<!doctype html><title>Trung tâm</title>");     // nearest index.html above
    CHECK(get("/assets/app.1a2b3c.js").raw == "console.log('xin chào')");

    auto [status, headers] = head_of(s.port, "/assets/app.1a2b3c.js");
    CHECK(status == 200);
    CHECK(headers["Content-Type"] == "text/javascript; charset=utf-8");
    CHECK(headers["Cache-Control"] == "public, max-age=31536000, immutable");
    std::tie(status, headers) = head_of(s.port, "/console/");
    CHECK(headers["Content-Type"] == "text/html; charset=utf-8");
    CHECK(headers["Cache-Control"] == "no-cache");  // a new build is seen at once
    std::tie(status, headers) = head_of(s.port, "/api/procedures?q=a");
    CHECK(headers["Cache-Control"] == "no-store");  // the API stays uncached

    // A link out of the folder was never loaded: its name is just another route of the app.
    CHECK(get("/hostname").raw == "<!doctype html><title>Trung tâm</title>");
    for (const char* never : {"/assets/missing.js", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                              "/console/../../../etc/hostname", "/console/..%2F..%2Fetc/hostname", "/assets/logo.svg/x.js"}) {
        INFO(never);
        const auto r = get(never);
        CHECK(r.status == 404);
        CHECK(r.body["error"]["code"] == "not_found");
    }
    CHECK(s.call("POST", "/", "{}").status == 404);   // files are only read
    CHECK(get("/api/state").status == 401);            // the API is the API
    CHECK(get("/healthz").status == 200);
}

TEST_CASE("without a UI folder only the API answers, and a missing or oversized folder is refused") {
    TestServer s;
    CHECK(s.call("GET", "/").status == 404);
    TempDir ui;
    CHECK_THROWS_WITH(api::WebFiles::load(ui / "nowhere"), Catch::Contains("is missing"));
    write(ui / "big.bin", std::string(2048, 'x'));
    CHECK_THROWS_WITH(api::WebFiles::load(ui.path, 1024), Catch::Contains("holds more than"));
    CHECK(api::content_type_for("a.woff2") == "font/woff2");
    CHECK(api::content_type_for("a.unknown") == "application/octet-stream");
}
