// catalog_test: Vietnamese folding, catalog import (JSON, CSV, broken files),
// search quality on the sample catalog (what people really type), bad queries,
// and the catalog API on a real loopback server.
#include <catch2/catch.hpp>

#include <fstream>
#include <utf8proc.h>

#include "catalog/catalog.hpp"
#include "common/text.hpp"
#include "catalog/fold.hpp"
#include "catalog/import.hpp"
#include "catalog_queries.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

using namespace catalog;

namespace {

std::string sample_text() {
    std::ifstream in(SAMPLE_CATALOG, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string nfd(const std::string& s) {
    utf8proc_uint8_t* out = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.c_str()), 0, &out,
                                static_cast<utf8proc_option_t>(UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE));
    std::string r(reinterpret_cast<char*>(out), static_cast<size_t>(n));
    std::free(out);
    return r;
}

struct SampleCatalog {
    testing::TempDir dir;
    Catalog catalog{(dir / "catalog.db").string(), kSynonymsTsv};
    SampleCatalog() { catalog.replace(parse_catalog(sample_text())); }
    std::string first(const std::string& q) {
        auto hits = catalog.search(q, 3);
        return hits.empty() ? "" : hits[0].name;
    }
    std::vector<std::string> top3(const std::string& q) {
        std::vector<std::string> names;
        for (const auto& h : catalog.search(q, 3)) names.push_back(h.name);
        return names;
    }
};

}  // namespace

TEST_CASE("folding: every vowel with every tone, both cases, NFC or NFD, folds to the bare letter") {
    const std::vector<std::pair<std::string, std::string>> vowels = {
        {"aàáảãạ", "a"}, {"ăằắẳẵặ", "a"}, {"âầấẩẫậ", "a"}, {"eèéẻẽẹ", "e"}, {"êềếểễệ", "e"}, {"iìíỉĩị", "i"},
        {"oòóỏõọ", "o"}, {"ôồốổỗộ", "o"}, {"ơờớởỡợ", "o"}, {"uùúủũụ", "u"}, {"ưừứửữự", "u"}, {"yỳýỷỹỵ", "y"}};
    int checked = 0;
    for (const auto& [letters, bare] : vowels) {
        std::string lower = letters;
        for (size_t i = 0; i < lower.size();) {
            const auto len = static_cast<size_t>(utf8proc_utf8class[static_cast<uint8_t>(lower[i])]);
            const std::string letter = lower.substr(i, len);
            utf8proc_uint8_t* upper = nullptr;
            utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(letter.c_str()), 0, &upper,
                         static_cast<utf8proc_option_t>(UTF8PROC_NULLTERM | UTF8PROC_COMPOSE));
            std::string up(reinterpret_cast<char*>(upper));
            std::free(upper);
            // Upper case through utf8proc's code point mapping.
            int32_t cp = 0;
            utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(letter.c_str()), -1, &cp);
            utf8proc_uint8_t buf[4];
            up.assign(reinterpret_cast<char*>(buf), static_cast<size_t>(utf8proc_encode_char(utf8proc_toupper(cp), buf)));
            for (const auto& form : {letter, up, nfd(letter), nfd(up)}) {
                INFO(form);
                CHECK(fold(form) == bare);
                ++checked;
            }
            i += len;
        }
    }
    CHECK(checked == 12 * 6 * 4);
    CHECK(fold("Đ") == "d");
    CHECK(fold("đường") == "duong");
    CHECK(fold("ĐĂNG  KÝ, KHAI-SINH!") == "dang ky khai sinh");
    CHECK(fold(nfd("Đăng ký khai sinh")) == "dang ky khai sinh");
    CHECK(fold("  ...  ") == "");
    CHECK(fold("1.001193") == "1 001193");
    CHECK_FALSE(fold("\xC3\x28").has_value());
    CHECK(fold_case("ĐĂNG Ký") == "đăng ký");
}

TEST_CASE("the sample catalog imports whole, codes made for procedures without one are stable") {
    const auto procedures = parse_catalog(sample_text());
    REQUIRE(procedures.size() == 40);
    CHECK(procedures[0].code == "1.001193");
    CHECK(procedures[0].documents.size() == 5);
    CHECK(procedures[1].code.starts_with("local."));
    CHECK(parse_catalog(sample_text())[1].code == procedures[1].code);
    for (const auto& p : procedures) CHECK(common::to_nfc(p.name) == p.name);
}

TEST_CASE("a broken catalog file is refused with the line and the reason") {
    auto refused = [](const std::string& text, const std::string& words) {
        CHECK_THROWS_WITH(parse_catalog(text), Catch::Contains(words));
    };
    refused("[\n {\"name\": \"A\", \"field\": \"F\", \"level\": \"xã\"},\n {\"name\": }\n]", "line 3: not valid JSON");
    refused("{\"name\": \"A\"}", "JSON catalog is a list");
    refused("[{\"name\": \"A\", \"field\": \"F\", \"level\": \"x\", \"processing_days\": 179548290e19548290}]",
            "not valid JSON");  // a number overflow: found by fuzz_catalog
    refused("[{\"name\": \"A\", \"field\": \"F\"}]", "level is empty");
    refused("[{\"code\": \"1.1\", \"name\": \"A\", \"field\": \"F\", \"level\": \"x\"},"
            " {\"code\": \"1.1\", \"name\": \"B\", \"field\": \"F\", \"level\": \"x\"}]",
            "procedure 2 ('B'): duplicate code 1.1 (also at procedure 1 ('A'))");
    refused("[{\"name\": \"A\", \"field\": \"F\", \"level\": \"x\", \"processing_days\": \"five\"}]", "processing_days");
    refused("[{\"name\": \"A\", \"field\": \"F\", \"level\": \"x\", \"documents\": [{\"originals\": 1}]}]", "no name");
    refused("[]", "no procedures");
    refused("name,field,level\nA,F,x\nB,F\xC3\x28,x\n", "line 3: not valid UTF-8");
    refused("name,field,level\nA,F,x\n" + std::string(1100000, 'a') + "\n", "line 3: longer than 1 MiB");
    // A minified JSON export is one long line, and fine.
    nlohmann::json many = nlohmann::json::array();
    for (int i = 0; i < 3000; ++i)
        many.push_back({{"code", "9." + std::to_string(i)}, {"name", "Thủ tục " + std::to_string(i) + std::string(400, 'x')},
                        {"field", "Hộ tịch"}, {"level", "xã"}});
    REQUIRE(many.dump().size() > (1u << 20));
    CHECK(parse_catalog(many.dump()).size() == 3000);
    refused("name,field\nA,F\n", "line 1: the header has no column 'level'");
    refused("name,field,level\nA,F,x\nB,F\n", "line 3: 2 columns where the header has 3");
    refused("name,field,level\n\"A,F,x\n", "never closed");
    refused("name,field,level,online_level\nA,F,x,high\n", "'online_level' must be a whole number");
    refused("", "empty");
}

TEST_CASE("a CSV catalog: quotes, line breaks in cells, a BOM, lists with |") {
    const std::string csv =
        "\xEF\xBB\xBF" "code,name,field,level,documents,processing_days,service\r\n"
        "1.001193,\"Đăng ký khai sinh\",Hộ tịch,xã,\"Tờ khai | Giấy chứng sinh; nếu không có thì văn bản \"\"làm chứng\"\"\",1,A\r\n"
        ",\"Cấp phiếu lý lịch\ntư pháp\",Lý lịch tư pháp,tỉnh,,,\r\n";
    const auto p = parse_catalog(csv);
    REQUIRE(p.size() == 2);
    CHECK(p[0].documents.size() == 2);
    CHECK(p[0].documents[1].name == "Giấy chứng sinh; nếu không có thì văn bản \"làm chứng\"");
    CHECK(p[0].processing_days == 1);
    CHECK(p[0].service == "A");
    CHECK(p[1].name == "Cấp phiếu lý lịch\ntư pháp");
    CHECK(p[1].code.starts_with("local."));
}

TEST_CASE("search finds what people type: no diacritics, capitals, prefixes, typos, everyday names") {
    SampleCatalog s;
    const auto queries = testing::load_catalog_queries(CATALOG_QUERIES);
    REQUIRE(queries.size() >= 45);
    for (const auto& q : queries) {
        INFO("query: " << q.query);
        const auto names = s.top3(q.query);
        if (q.must_be_first)
            CHECK(s.first(q.query) == q.procedure);
        else
            CHECK(std::find(names.begin(), names.end(), q.procedure) != names.end());
    }
    CHECK(s.first(nfd("Đăng ký khai sinh")) == "Đăng ký khai sinh");  // decomposed input, as some keyboards send
}

TEST_CASE("bad queries: empty, punctuation, too long, invalid UTF-8, unknown words") {
    SampleCatalog s;
    CHECK(s.catalog.search("", 10).empty());
    CHECK(s.catalog.search("   ", 10).empty());
    CHECK(s.catalog.search("?!.,;:-\"'()*", 10).empty());
    CHECK(s.catalog.search("\"dang\" OR *", 10).size() > 0);  // FTS5 syntax in a query is just text
    CHECK(s.catalog.search("zzqx wvvk", 10).empty());
    CHECK_THROWS_WITH(s.catalog.search(std::string(10 * 1024, 'a'), 10), Catch::Contains("longer than 200"));
    CHECK_THROWS_WITH(s.catalog.search("dang \xC3\x28", 10), Catch::Contains("not valid UTF-8"));
    CHECK(s.catalog.search("dang ky", 0).empty());
    CHECK(s.catalog.search("dang ky", 2).size() == 2);
}

TEST_CASE("a new catalog replaces the old at once with a new version, the fields are counted") {
    SampleCatalog s;
    const auto v1 = s.catalog.version();
    CHECK(s.catalog.size() == 40);
    const auto fields = s.catalog.fields();
    CHECK(fields[0].field == "Hộ tịch");
    CHECK(fields[0].count == 10);
    s.catalog.replace(parse_catalog("name,field,level\nCấp giấy phép kinh doanh karaoke,Văn hóa,tỉnh\n"));
    CHECK(s.catalog.version() == v1 + 1);
    CHECK(s.catalog.size() == 1);
    CHECK(s.catalog.search("thuong tru", 5).empty());
    CHECK(s.first("karaoke") == "Cấp giấy phép kinh doanh karaoke");
    // Another process (the import command) changing the file is seen.
    Catalog other((s.dir / "catalog.db").string(), kSynonymsTsv);
    other.replace(parse_catalog(sample_text()));
    CHECK(s.catalog.refresh_if_changed());
    CHECK(s.catalog.size() == 40);
    CHECK_FALSE(s.catalog.refresh_if_changed());
}

TEST_CASE("catalog API: search and records for anyone, import for admins only, all or nothing") {
    testing::TestServer server;
    const std::string admin = server.login("admin", server.admin_password);
    auto r = server.call("POST", "/api/admin/catalog", sample_text(), admin);
    REQUIRE(r.status == 200);
    CHECK(r.body["procedures"] == 40);
    const int64_t version = r.body["version"];

    r = server.call("GET", "/api/procedures?q=dang%20ky%20khai+sinh&limit=2");
    REQUIRE(r.status == 200);
    CHECK(r.body["hits"].size() == 2);
    CHECK(r.body["hits"][0]["code"] == "1.001193");
    CHECK(r.body["version"] == version);
    r = server.call("GET", "/api/procedures?q=%C4%91%C4%83ng%20k%C3%BD%20k%E1%BA%BFt%20h%C3%B4n");
    CHECK(r.body["hits"][0]["name"] == "Đăng ký kết hôn");
    r = server.call("GET", "/api/procedures/1.001193");
    REQUIRE(r.status == 200);
    CHECK(r.body["documents"].size() == 5);
    CHECK(server.call("GET", "/api/procedures/9.999999").status == 404);
    r = server.call("GET", "/api/fields");
    CHECK(r.body["fields"][0]["field"] == "Hộ tịch");
    int by_level = 0;
    for (const auto& [level, n] : r.body["fields"][0]["levels"].items()) by_level += n.get<int>();
    CHECK(by_level == r.body["fields"][0]["count"]);
    CHECK(r.body["fields"][0]["levels"].contains("xã"));
    // A new subscriber's snapshot says which catalog is in use.
    testing::WsClient fresh(server.port, server.display, 0);
    const auto snapshot = fresh.next();
    CHECK(snapshot["type"] == "snapshot");
    CHECK(snapshot["catalog_version"] == version);
    CHECK(server.call("GET", "/api/catalog").body["procedures"] == 40);

    CHECK(server.call("GET", "/api/procedures?q=%ZZ").status == 400);
    CHECK(server.call("GET", "/api/procedures?q=%C3%28").status == 400);
    CHECK(server.call("GET", "/api/procedures?q=" + std::string(300, 'a')).status == 400);
    CHECK(server.call("GET", "/api/procedures?q=a&limit=0").status == 400);
    CHECK(server.call("GET", "/api/procedures?q=a&limit=1000").status == 400);
    CHECK(server.call("GET", "/api/procedures").body["hits"].empty());
    CHECK(server.call("DELETE", "/api/procedures").status == 405);

    // A subscriber hears of a new catalog; a broken file changes nothing. One
    // that resumes is told the version in use (notices are not replayed).
    testing::WsClient board(server.port, server.display, server.seq());
    CHECK(board.next() == nlohmann::json{{"type", "catalog_updated"}, {"version", version}});
    CHECK(board.next()["type"] == "phone_settings");  // and the phone settings
    CHECK(server.call("POST", "/api/admin/catalog", sample_text(), server.staff(1)).status == 403);
    CHECK(server.call("POST", "/api/admin/catalog", sample_text(), "").status == 401);
    r = server.call("POST", "/api/admin/catalog", "name,field,level\nA,B\n", admin);
    CHECK(r.status == 400);
    CHECK_THAT(r.body["error"]["message"].get<std::string>(), Catch::Contains("line 2"));
    CHECK(server.call("GET", "/api/catalog").body["version"] == version);
    r = server.call("POST", "/api/admin/catalog", "name,field,level\nĐăng ký khai sinh,Hộ tịch,xã\n", admin);
    REQUIRE(r.status == 200);
    nlohmann::json notice = board.next();
    CHECK(notice["type"] == "catalog_updated");
    CHECK(notice["version"] == version + 1);
    CHECK(server.call("GET", "/api/catalog").body["procedures"] == 1);
}

TEST_CASE("an admin's large catalog upload is taken, anyone else's large body is refused") {
    testing::TestServer server;
    const std::string admin = server.login("admin", server.admin_password);
    std::string big = "name,field,level,documents\n";
    for (int i = 0; i < 3000; ++i)
        big += "Thủ tục số " + std::to_string(i) + ",Lĩnh vực " + std::to_string(i % 30) + ",xã,Tờ khai | Bản sao giấy tờ tùy thân\n";
    REQUIRE(big.size() > 64 * 1024);
    auto r = server.call("POST", "/api/admin/catalog", big, admin);
    REQUIRE(r.status == 200);
    CHECK(r.body["procedures"] == 3000);
    CHECK(server.call("POST", "/api/admin/catalog", big, server.staff(1)).status == 403);  // refused before its body is read
    CHECK(server.call("POST", "/api/tickets", big, server.staff(1)).status == 413);        // the route's own limit
}

TEST_CASE("queue-server catalog import: a good file replaces, a broken one is refused with its line") {
    testing::TempDir dir;
    { std::ofstream(dir / "good.csv") << "name,field,level\nĐăng ký khai sinh,Hộ tịch,xã\n"; }
    { std::ofstream(dir / "bad.csv") << "name,field,level\nA,B,c\nD,E\n"; }
    auto run = [&](const std::string& file) {
        return testing::run_command(std::string(QUEUE_SERVER_BIN) + " --data " + (dir / "data").string() + " catalog import " +
                                    (dir / file).string());
    };
    auto [good, said] = run("good.csv");
    CHECK(good == 0);
    CHECK_THAT(said, Catch::Contains("imported 1 procedures"));
    auto [bad, why] = run("bad.csv");
    CHECK(bad == 2);
    CHECK_THAT(why, Catch::Contains("line 3: 2 columns"));
    Catalog check((dir / "data" / "catalog.db").string(), kSynonymsTsv);
    CHECK(check.size() == 1);
}
