// catalog_bench: procedure search over a 10,000-procedure catalog, keystroke by
// keystroke, in-process and over HTTP, and how often the procedure meant comes
// first / in the top three. Prints figures; passes or fails on nothing.
//
// The catalog: the 40 real procedures of assets/catalog-sample.json plus 9,960
// generated from real wording (verbs, objects, qualifiers, fields, documents of
// Vietnamese administrative procedures), fixed seed, so runs compare.
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <thread>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

#include "catalog/catalog.hpp"
#include "common/http_url.hpp"
#include "catalog_queries.hpp"
#include "generated_catalog.hpp"
#include "catalog/import.hpp"

using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;

using bench::generated_catalog;

namespace {

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Every prefix a person types on the way to the query, at letter boundaries.
std::vector<std::string> keystrokes(const std::string& q) {
    std::vector<std::string> out;
    for (size_t i = 1; i <= q.size(); ++i)
        if (i == q.size() || (static_cast<unsigned char>(q[i]) & 0xC0) != 0x80) out.push_back(q.substr(0, i));
    return out;
}

void print_ms(const char* what, std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double f) { return v[std::min(v.size() - 1, static_cast<size_t>(f * static_cast<double>(v.size())))]; };
    std::printf("  %-48s p50 %7.3f ms   p99 %7.3f ms   max %7.3f ms   (n=%zu)\n", what, at(0.5), at(0.99), v.back(), v.size());
}

}  // namespace

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// One keep-alive connection typing into the search box.
struct Typist {
    asio::io_context io;
    asio::ip::tcp::socket socket{io};
    boost::beast::flat_buffer buffer;
    explicit Typist(uint16_t port) { socket.connect({asio::ip::make_address("127.0.0.1"), port}); }
    double search(const std::string& prefix) {
        http::request<http::empty_body> req(http::verb::get, "/api/procedures?limit=10&q=" + common::percent_encode(prefix), 11);
        req.set(http::field::host, "127.0.0.1");
        const auto t0 = Clock::now();
        http::write(socket, req);
        http::response<http::string_body> res;
        http::read(socket, buffer, res);
        if (res.result_int() != 200) std::printf("    HTTP %d for %s\n", res.result_int(), prefix.c_str());
        return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    }
};

std::pair<int, json> http_call(uint16_t port, http::verb verb, const std::string& target, const std::string& body,
                               const std::string& token) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    http::request<http::string_body> req(verb, target, 11);
    req.set(http::field::host, "127.0.0.1");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    req.body() = body;
    req.prepare_payload();
    http::write(socket, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return {res.result_int(), json::parse(res.body(), nullptr, false)};
}

int main(int argc, char** argv) {
    CLI::App cli{"catalog_bench: procedure search latency and quality"};
    std::string server_bin = "build-release/queue-server/queue-server", sample = "assets/catalog-sample.json",
                queries_file = "tests/data/catalog_queries.tsv";
    size_t total = 10'000;
    cli.add_option("--server", server_bin)->capture_default_str();
    cli.add_option("--sample", sample)->capture_default_str();
    cli.add_option("--queries", queries_file)->capture_default_str();
    cli.add_option("--procedures", total)->capture_default_str();
    CLI11_PARSE(cli, argc, argv);

    char tmpl[] = "/tmp/catalog-bench-XXXXXX";
    const std::filesystem::path dir = mkdtemp(tmpl);
    const auto procedures = generated_catalog(read(sample), total);
    const auto queries = testing::load_catalog_queries(queries_file);

    catalog::Catalog cat((dir / "catalog.db").string(), catalog::kSynonymsTsv);
    auto t0 = Clock::now();
    cat.replace(procedures);
    const double import_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    std::printf("catalog_bench: %zu procedures (40 real + generated), %zu realistic queries\n", cat.size(), queries.size());
    std::printf("  import (replace in one transaction, word index rebuilt): %.0f ms\n", import_ms);

    std::vector<double> typing;
    for (const auto& q : queries)
        for (const auto& prefix : keystrokes(q.query)) {
            t0 = Clock::now();
            (void)cat.search(prefix, 10);
            typing.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
    print_ms("search per keystroke, in-process, limit 10", typing);
    if (std::getenv("SLOWEST")) {
        std::vector<std::pair<double, std::string>> slow;
        size_t k = 0;
        for (const auto& q : queries)
            for (const auto& prefix : keystrokes(q.query)) slow.emplace_back(typing[k++], prefix);
        std::sort(slow.rbegin(), slow.rend());
        for (size_t i = 0; i < 15; ++i) std::printf("    %.2f ms  '%s'\n", slow[i].first, slow[i].second.c_str());
    }

    int first_right = 0, first_total = 0, top3_right = 0;
    for (const auto& q : queries) {
        const auto hits = cat.search(q.query, 3);
        const bool first = !hits.empty() && hits[0].name == q.procedure;
        const bool top3 = std::any_of(hits.begin(), hits.end(), [&](const auto& h) { return h.name == q.procedure; });
        if (q.must_be_first) {
            ++first_total;
            first_right += first;
            if (!first) std::printf("    not first: \"%s\" → %s\n", q.query.c_str(), hits.empty() ? "(nothing)" : hits[0].name.c_str());
        }
        top3_right += top3;
        if (!top3) std::printf("    not in top 3: \"%s\"\n", q.query.c_str());
    }
    std::printf("  right answer first: %d of %d (%.0f%%); in the top 3: %d of %zu (%.0f%%)\n", first_right, first_total,
                100.0 * first_right / first_total, top3_right, queries.size(), 100.0 * top3_right / static_cast<double>(queries.size()));

    // Over HTTP: the real server on this catalog, one keep-alive connection.
    std::filesystem::create_directories(dir / "data");
    std::filesystem::copy_file(dir / "catalog.db", dir / "data" / "catalog.db");
    int fds[2];
    if (pipe(fds) != 0) return 1;
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        execl(server_bin.c_str(), server_bin.c_str(), "--data", (dir / "data").c_str(), "--listen", "127.0.0.1:0",
              "--demo", "--log-level", "warn", nullptr);  // demo: an admin to import with (the catalog is kept)
        _exit(127);
    }
    close(fds[1]);
    FILE* out = fdopen(fds[0], "r");
    char line[512];
    uint16_t port = 0;
    while (!port && fgets(line, sizeof line, out))
        if (const char* at = std::strstr(line, "http://127.0.0.1:")) port = static_cast<uint16_t>(std::atoi(at + 17));
    if (!port) {
        std::printf("  the server did not start\n");
        return 1;
    }
    Typist typist(port);
    std::vector<double> over_http;
    for (const auto& q : queries)
        for (const auto& prefix : keystrokes(q.query)) over_http.push_back(typist.search(prefix));
    print_ms("search per keystroke, over HTTP (loopback)", over_http);

    // The same typing while an admin imports the 10,000 procedures again and
    // again: the import runs off the event loop, so searches should barely notice.
    const json creds = json::parse(std::ifstream(dir / "data" / "demo-credentials.json"));
    json file = json::array();
    for (const auto& p : procedures) file.push_back(catalog::to_json(p));
    const std::string body = file.dump();
    const std::string admin = http_call(port, http::verb::post, "/api/login",
                                        json{{"user", "admin"}, {"password", creds["admin"]["password"]}}.dump(), "")
                                  .second.value("token", "");
    std::atomic<bool> importing = true;
    std::atomic<int> imports = 0;
    std::vector<double> import_ms_http;
    std::thread importer([&] {
        for (int i = 0; i < 3; ++i) {
            const auto t = Clock::now();
            const auto [status, reply] = http_call(port, http::verb::post, "/api/admin/catalog", body, admin);
            import_ms_http.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
            if (status != 200) std::printf("    import: HTTP %d %s\n", status, reply.dump().c_str());
            ++imports;
        }
        importing = false;
    });
    std::vector<double> during;
    while (importing)
        for (const auto& q : queries)
            for (const auto& prefix : keystrokes(q.query))
                if (importing) during.push_back(typist.search(prefix));
    importer.join();
    std::printf("  import over HTTP (%.1f MiB of JSON, %d times): %.0f ms each (median)\n",
                static_cast<double>(body.size()) / (1 << 20), imports.load(), median(import_ms_http));
    print_ms("search per keystroke, over HTTP, while importing", during);
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    std::filesystem::remove_all(dir);
    return 0;
}
