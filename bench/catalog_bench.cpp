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

#include "catalog.hpp"
#include "catalog_queries.hpp"
#include "import.hpp"

using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

const char* verbs[] = {"Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Thu hồi", "Đăng ký", "Đăng ký thay đổi",
                       "Xác nhận", "Công nhận", "Phê duyệt", "Thẩm định", "Chấp thuận", "Giải quyết", "Thông báo",
                       "Cấp bản sao", "Hủy bỏ", "Sửa đổi, bổ sung"};
const char* objects[] = {
    "giấy phép kinh doanh rượu", "giấy chứng nhận đủ điều kiện an toàn thực phẩm", "giấy phép hoạt động khám bệnh, chữa bệnh",
    "chứng chỉ hành nghề dược", "giấy phép lao động cho người nước ngoài", "giấy phép khai thác tài nguyên nước",
    "quyết định thành lập trường mầm non", "giấy phép biểu diễn nghệ thuật", "giấy chứng nhận đăng ký tàu cá",
    "giấy phép kinh doanh vận tải bằng xe ô tô", "giấy chứng nhận đăng ký hợp tác xã", "giấy phép xả nước thải vào nguồn nước",
    "giấy phép môi trường", "chứng chỉ hành nghề kiến trúc", "giấy chứng nhận quyền tác giả", "giấy phép thành lập thư viện",
    "giấy phép tổ chức lễ hội", "giấy phép quảng cáo", "giấy chứng nhận cơ sở đủ điều kiện kinh doanh thuốc thú y",
    "giấy phép kinh doanh karaoke", "giấy phép hoạt động điện lực", "giấy chứng nhận đăng ký đầu tư",
    "giấy phép kinh doanh xăng dầu", "giấy chứng nhận nhãn hiệu", "giấy phép hoạt động giáo dục nghề nghiệp",
    "chứng chỉ năng lực hoạt động xây dựng", "giấy phép sử dụng vật liệu nổ công nghiệp", "giấy phép bán lẻ sản phẩm thuốc lá",
    "giấy chứng nhận đạt chuẩn quốc gia trường tiểu học", "quyết định công nhận làng nghề", "giấy phép nhập khẩu thuốc",
    "giấy chứng nhận kiểm định phương tiện thủy nội địa", "giấy phép cải tạo nhà ở", "giấy phép di dời công trình",
    "giấy phép đào đường", "giấy chứng nhận chất lượng giống cây trồng", "giấy phép khai thác khoáng sản",
    "giấy phép hoạt động ngân hàng mô", "giấy chứng nhận doanh nghiệp khoa học công nghệ", "giấy phép xuất bản bản tin",
    "giấy phép hoạt động dịch vụ việc làm", "giấy phép thành lập cơ sở trợ giúp xã hội", "giấy chứng nhận người có công",
    "trợ cấp mai táng phí", "hỗ trợ học phí cho học sinh", "chế độ thai sản", "hưu trí một lần", "trợ cấp tuất hằng tháng",
    "thẻ bảo hiểm y tế cho người cao tuổi", "giấy chứng nhận đăng ký kinh doanh dịch vụ lữ hành", "thẻ hướng dẫn viên du lịch",
    "giấy phép hoạt động cơ sở thể thao", "giấy chứng nhận đủ điều kiện kinh doanh dịch vụ bảo vệ",
    "giấy phép sản xuất rượu thủ công", "giấy chứng nhận cơ sở an toàn dịch bệnh động vật", "giấy phép vận chuyển hàng nguy hiểm",
    "giấy chứng nhận đăng ký biện pháp bảo đảm", "giấy phép hành nghề luật sư", "thẻ công chứng viên", "giấy phép hoạt động in"};
const char* qualifiers[] = {"", " đối với doanh nghiệp", " cho cá nhân", " trong trường hợp bị mất, hỏng", " do thay đổi thông tin",
                            " có yếu tố nước ngoài", " theo hình thức trực tuyến", " đối với hộ gia đình", " tại cơ quan cấp tỉnh",
                            " cho tổ chức", " khi hết hạn", " đối với cơ sở ngoài công lập"};
const char* fields[] = {"Công thương", "Y tế", "Lao động - Thương binh và Xã hội", "Tài nguyên và Môi trường", "Giáo dục và Đào tạo",
                        "Văn hóa", "Nông nghiệp", "Giao thông vận tải", "Xây dựng", "Kế hoạch và Đầu tư", "Tư pháp", "Khoa học và Công nghệ"};
const char* documents[] = {"Đơn đề nghị (theo mẫu)", "Bản sao giấy chứng nhận đăng ký doanh nghiệp", "Bản sao giấy tờ tùy thân",
                           "Giấy ủy quyền (nếu nộp thay)", "Bản thuyết minh điều kiện cơ sở vật chất", "Danh sách nhân sự kèm bằng cấp",
                           "Bản chính giấy phép đã được cấp", "Sơ đồ vị trí", "Báo cáo đánh giá tác động môi trường", "Hợp đồng thuê địa điểm"};
const char* levels[] = {"tỉnh", "xã"};

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<catalog::Procedure> generated_catalog(const std::string& sample, size_t total) {
    auto out = catalog::parse_catalog(sample);
    std::mt19937 rng(20261124);
    std::set<std::string> names;
    for (const auto& p : out) names.insert(p.name);
    auto pick = [&](const auto& list) { return list[rng() % std::size(list)]; };
    while (out.size() < total) {
        catalog::Procedure p;
        p.name = std::string(pick(verbs)) + " " + pick(objects) + pick(qualifiers);
        if (!names.insert(p.name).second) continue;
        char code[24];
        std::snprintf(code, sizeof code, "9.%06zu", out.size());  // apart from the real codes (1.x, 2.x)
        p.code = code;
        p.field = pick(fields);
        p.level = pick(levels);
        p.agency = std::string("Sở ") + p.field;
        p.processing_days = static_cast<int>(rng() % 30) + 1;
        for (int d = 0, n = 3 + static_cast<int>(rng() % 4); d < n; ++d) p.documents.push_back({pick(documents), 1, 0, ""});
        out.push_back(std::move(p));
    }
    return out;
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

std::string percent_encode(const std::string& s) {
    std::string out;
    char b[4];
    for (unsigned char c : s) {
        if (std::isalnum(c)) {
            out += static_cast<char>(c);
        } else {
            std::snprintf(b, sizeof b, "%%%02X", c);
            out += b;
        }
    }
    return out;
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
        http::request<http::empty_body> req(http::verb::get, "/api/procedures?limit=10&q=" + percent_encode(prefix), 11);
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
