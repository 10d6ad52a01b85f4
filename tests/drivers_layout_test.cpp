// drivers_layout_test: Vietnamese text on paper, the ticket and checklist
// layouts against committed golden images, the ESC/POS encoding decoded back,
// the printer status bits, and bad content. Set UPDATE_GOLDEN=1 to rewrite the
// golden PNGs after an intended change, then look at them before committing.
#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <utf8proc.h>

#include "common/text.hpp"
#include "drivers/errors.hpp"
#include "drivers/escpos.hpp"
#include "drivers/layout.hpp"
#include "drivers/samples.hpp"
#include "escpos_decoder.hpp"
#include "temp_dir.hpp"

using namespace drivers;

namespace {

const std::filesystem::path golden_dir = GOLDEN_DIR;

// A round emblem with a grey ramp and a cross, like a province seal: it needs dithering.
std::filesystem::path write_emblem(const std::filesystem::path& path) {
    SDL_Surface* s = SDL_CreateRGBSurfaceWithFormat(0, 300, 300, 32, SDL_PIXELFORMAT_ABGR8888);
    auto* px = static_cast<uint8_t*>(s->pixels);
    for (int y = 0; y < 300; ++y)
        for (int x = 0; x < 300; ++x) {
            uint8_t* p = px + y * s->pitch + x * 4;
            const double r = std::hypot(x - 150, y - 150);
            const bool inside = r < 140, ring = r > 125 && r < 140, cross = std::abs(x - 150) < 12 || std::abs(y - 150) < 12;
            const auto grey = static_cast<uint8_t>(ring || (inside && cross) ? 0 : 60 + x * 180 / 300);
            p[0] = p[1] = p[2] = grey;
            p[3] = inside ? 255 : 0;  // transparent outside the circle
        }
    REQUIRE(IMG_SavePNG(s, path.c_str()) == 0);
    SDL_FreeSurface(s);
    return path;
}

void check_golden(const Bitmap& image, const std::string& name) {
    const auto path = golden_dir / (name + ".png");
    if (std::getenv("UPDATE_GOLDEN")) {
        save_png(image, path);
        WARN("wrote " << path);
    }
    INFO("golden image " << path);
    const Bitmap golden = load_png(path);
    REQUIRE(golden.width() == image.width());
    REQUIRE(golden.height() == image.height());
    CHECK(golden == image);
}

LayoutConfig paper(int width) {
    LayoutConfig config;
    config.paper.width_dots = width;
    return config;
}

// Every Vietnamese vowel with every tone, upper and lower case, plus đ/Đ, as NFC.
std::vector<std::string> vietnamese_letters() {
    const char* bases[] = {"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
                           "A", "Ă", "Â", "E", "Ê", "I", "O", "Ô", "Ơ", "U", "Ư", "Y"};
    const char* tones[] = {"", "\xCC\x80", "\xCC\x81", "\xCC\x89", "\xCC\x83", "\xCC\xA3"};
    std::vector<std::string> out{"đ", "Đ"};
    for (const char* b : bases)
        for (const char* t : tones) out.push_back(*common::to_nfc(std::string(b) + t));
    return out;
}

}  // namespace

TEST_CASE("every Vietnamese letter draws its own glyph, the same from NFC and NFD input") {
    TextRenderer text;
    const auto letters = vietnamese_letters();
    REQUIRE(letters.size() == 146);
    std::set<std::vector<uint8_t>> seen;
    int decomposable = 0;
    for (const auto& letter : letters) {
        INFO(letter);
        const Bitmap nfc = text.render(letter, 40, false);
        CHECK(nfc.black_dots() > 20);
        CHECK(seen.insert(nfc.bits()).second);  // a missing glyph would draw the same box twice
        // Decomposed input (base letter + combining marks) must give the same picture.
        utf8proc_uint8_t* nfd = nullptr;
        const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(letter.c_str()), 0, &nfd,
                                    static_cast<utf8proc_option_t>(UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE));
        REQUIRE(n > 0);
        const std::string decomposed(reinterpret_cast<char*>(nfd), static_cast<size_t>(n));
        std::free(nfd);
        decomposable += decomposed != letter;
        CHECK(text.render(decomposed, 40, false) == nfc);
    }
    CHECK(decomposable == 146 - 14);  // all but a e i o u y, their capitals, đ and Đ
}

TEST_CASE("stacked marks above capitals are inside the line, never clipped") {
    TextRenderer text;
    for (int px : {16, 24, 34, 150}) {
        for (bool bold : {false, true}) {
            INFO("size " << px << (bold ? " bold" : ""));
            const Bitmap marks = text.render("Ừ Ậ Ữ Ợ Ẫ Ỗ", px, bold);
            const Bitmap plain = text.render("U A U O A O", px, bold);
            REQUIRE(marks.height() == text.line_height(px, bold));
            CHECK(marks.first_ink_row() > 0);  // a blank row above the highest mark
            CHECK(marks.last_ink_row() < marks.height() - 1);  // and below the dot under Ậ
            CHECK(marks.first_ink_row() < plain.first_ink_row());  // the marks really are drawn above
        }
    }
}

TEST_CASE("word wrap keeps every line within the paper and loses no word") {
    TextRenderer text;
    const std::string s = "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất "
                          "lần đầu MÃ-HỒ-SƠ-RẤT-DÀI-KHÔNG-CÓ-DẤU-CÁCH-000000000000000000000000";
    const auto lines = text.wrap(s, 24, false, 300);
    CHECK(lines.size() > 3);
    std::string joined;
    for (const auto& line : lines) {
        CHECK(text.width(line, 24, false) <= 300);
        joined += line;
    }
    std::string without_spaces = s;
    std::erase(without_spaces, ' ');
    std::erase(joined, ' ');
    CHECK(joined == without_spaces);

    const auto cut = text.wrap_at_most(s, 24, false, 300, 2);
    REQUIRE(cut.size() == 2);
    CHECK(cut[1].ends_with("…"));
    CHECK(text.width(cut[1], 24, false) <= 300);
    CHECK(text.wrap("dòng một\ndòng hai", 24, false, 500).size() == 2);
}

TEST_CASE("ticket and checklist match the golden images at 80 and 58 mm") {
    testing::TempDir dir;
    for (int width : {576, 384}) {
        const std::string mm = width == 576 ? "80mm" : "58mm";
        LayoutConfig config = paper(width);
        config.logo = write_emblem(dir / "emblem.png");
        Layout layout(config);
        const Bitmap ticket = layout.ticket(samples::ticket());
        CHECK(ticket.width() == width);
        check_golden(ticket, "ticket-" + mm);
        const auto pages = layout.checklist(samples::checklist());
        REQUIRE(pages.size() == 1);
        check_golden(pages[0], "checklist-" + mm);
    }
}

TEST_CASE("a long checklist is cut into pages at line boundaries, none taller than the limit") {
    LayoutConfig config = paper(576);
    config.paper.max_page_dots = 900;
    Layout layout(config);
    ChecklistContent c = samples::checklist();
    for (int i = 0; i < 40; ++i) c.documents.push_back({"Giấy tờ bổ sung số " + std::to_string(i + 1) + " theo hướng dẫn của cán bộ tiếp nhận hồ sơ", 1, 2, ""});
    const auto pages = layout.checklist(c);
    CHECK(pages.size() >= 4);
    for (const auto& p : pages) {
        CHECK(p.height() <= 900);
        CHECK(p.width() == 576);
        CHECK(p.black_dots() > 1000);
    }
    const Bitmap one = Layout(paper(576)).checklist(samples::checklist()).front();
    CHECK(one.height() < 2400);
}

TEST_CASE("ESC/POS bytes decode back to the rendered pages, bit for bit") {
    Layout layout(paper(576));
    LayoutConfig small = paper(576);
    small.paper.max_page_dots = 700;
    ChecklistContent c = samples::checklist();
    for (int i = 0; i < 10; ++i) c.documents.push_back({"Bản sao giấy tờ chứng minh nơi cư trú", 0, 1, ""});
    const auto checklist = Layout(small).checklist(c);
    REQUIRE(checklist.size() >= 2);

    SECTION("ticket, partial cut, bands of 128 rows") {
        const std::vector<Bitmap> pages{layout.ticket(samples::ticket())};
        const auto bytes = encode_job(pages, EscPosOptions{});
        const auto job = testing::decode_escpos(bytes);
        CHECK(job.initialisations == 1);
        CHECK(job.partial_cuts == 1);
        CHECK(job.full_cuts == 0);
        CHECK(job.feeds == 1);
        REQUIRE(job.pages.size() == 1);
        CHECK(job.pages[0] == pages[0]);
        CHECK(job.band_rows.front() == 128);
        CHECK(job.band_rows.size() == static_cast<size_t>((pages[0].height() + 127) / 128));
    }
    SECTION("checklist pages, full cuts, beep and drawer, odd band size") {
        EscPosOptions options;
        options.cut = Cut::full;
        options.beep = true;
        options.open_drawer = true;
        options.band_rows = 37;
        const auto job = testing::decode_escpos(encode_job(checklist, options));
        CHECK(job.full_cuts == static_cast<int>(checklist.size()));
        CHECK(job.beeps == static_cast<int>(checklist.size()));
        CHECK(job.drawer_kicks == static_cast<int>(checklist.size()));
        CHECK(job.pages == checklist);
    }
    SECTION("streamed pieces are the same bytes as the whole") {
        std::vector<uint8_t> streamed;
        int pieces = 0;
        encode_job(checklist, EscPosOptions{}, [&](std::span<const uint8_t> p) {
            streamed.insert(streamed.end(), p.begin(), p.end());
            ++pieces;
        });
        CHECK(streamed == encode_job(checklist, EscPosOptions{}));
        CHECK(pieces > static_cast<int>(checklist.size()) * 2);
    }
}

TEST_CASE("a logo is dithered or thresholded, scaled to fit, transparency on white") {
    testing::TempDir dir;
    const auto emblem = write_emblem(dir / "emblem.png");
    const Bitmap dithered = load_logo(emblem, 200, 120, LogoMode::dither);
    const Bitmap flat = load_logo(emblem, 200, 120, LogoMode::threshold);
    CHECK(dithered.width() == 120);
    CHECK(dithered.height() == 120);
    CHECK(!dithered.get(0, 0));  // transparent corner stays white
    // In the grey ramp, dithering makes a mix of dots where a threshold is all or nothing.
    auto dots_in_row = [](const Bitmap& b, int y, int x0, int x1) {
        int n = 0;
        for (int x = x0; x < x1; ++x) n += b.get(x, y);
        return n;
    };
    const int ramp_mid = dots_in_row(dithered, 40, 60, 90);
    CHECK(ramp_mid > 3);
    CHECK(ramp_mid < 27);
    CHECK(dots_in_row(flat, 40, 20, 50) + dots_in_row(flat, 40, 75, 100) < dots_in_row(dithered, 40, 20, 50) + 30);
}

TEST_CASE("bad content is a clear LayoutError before anything prints") {
    Layout layout(paper(576));
    auto fails_with = [&](TicketContent t, const std::string& words) {
        CHECK_THROWS_WITH(layout.ticket(t), Catch::Contains(words));
    };
    TicketContent t = samples::ticket();
    SECTION("empty or blank service name") {
        t.service = "";
        fails_with(t, "service name is empty");
        t.service = "   ";
        fails_with(t, "service name is empty");
    }
    SECTION("empty ticket number") {
        t.number = "";
        fails_with(t, "ticket number is empty");
    }
    SECTION("text far too long") {
        t.service = std::string(5000, 'x');
        fails_with(t, "service name is 5000 characters");
        t = samples::ticket();
        t.number = "A1234567890123";
        fails_with(t, "ticket number is 14 characters");
    }
    SECTION("invalid UTF-8") {
        t.center_name = "Trung t\xC3\x28m";
        fails_with(t, "center name is not valid UTF-8");
    }
    SECTION("a QR text too long for a QR code") {
        t.follow_url = "https://x/" + std::string(4000, 'q');
        fails_with(t, "QR code text is too long");
    }
    SECTION("a long service name is cut to three lines with an ellipsis") {
        t.service = "Thủ tục " + std::string(40, 'A') + " đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường hợp chuyển đổi, chuyển nhượng, cho thuê";
        const Bitmap cut = layout.ticket(t);
        CHECK(cut.height() < layout.ticket(samples::ticket()).height() + 120);
    }
    SECTION("checklist without a name, or with an empty document") {
        ChecklistContent c = samples::checklist();
        c.procedure_name = "";
        CHECK_THROWS_WITH(layout.checklist(c), Catch::Contains("procedure name is empty"));
        c = samples::checklist();
        c.documents[2].name = "";
        CHECK_THROWS_WITH(layout.checklist(c), Catch::Contains("document 3 name is empty"));
    }
}

TEST_CASE("missing fonts, a logo that is no image and bad paper sizes are refused clearly") {
    testing::TempDir dir;
    LayoutConfig config = paper(576);
    config.fonts.regular = "/nonexistent/NotoSans-Regular.ttf";
    CHECK_THROWS_WITH(Layout(config), Catch::Contains("font file not found: /nonexistent/NotoSans-Regular.ttf"));

    const auto fake = dir / "logo.png";
    { std::ofstream(fake) << "this is not a picture"; }
    config = paper(576);
    config.logo = fake;
    CHECK_THROWS_WITH(Layout(config), Catch::Contains("is not an image"));
    config.logo = dir / "missing.png";
    CHECK_THROWS_WITH(Layout(config), Catch::Contains("logo file not found"));

    CHECK_THROWS_WITH(Layout(paper(500)), Catch::Contains("multiple of 8"));
    CHECK_THROWS_WITH(Layout(paper(0)), Catch::Contains("paper width"));
}

TEST_CASE("DLE EOT status bytes give the printer state") {
    using S = PrinterState;
    auto state = [](uint8_t p, uint8_t o, uint8_t e, uint8_t r) { return parse_status(p, o, e, r)->state; };
    CHECK(state(0x12, 0x12, 0x12, 0x12) == S::ready);
    CHECK(state(0x12, 0x12, 0x12, 0x1E) == S::paper_low);
    CHECK(state(0x1A, 0x32, 0x12, 0x72) == S::paper_out);
    CHECK(state(0x1A, 0x16, 0x12, 0x12) == S::cover_open);
    CHECK(state(0x1A, 0x12, 0x12, 0x12) == S::offline);
    CHECK(state(0x1A, 0x52, 0x16, 0x12) == S::error);
    CHECK(parse_status(0x12, std::nullopt, std::nullopt, std::nullopt)->state == S::ready);
    CHECK_FALSE(parse_status(0xFF, 0x12, 0x12, 0x12).has_value());
    CHECK_FALSE(parse_status(0x12, 0x12, 0x12, 0x00).has_value());
    CHECK(PrinterStatus{S::paper_low, ""}.ok());
    CHECK_FALSE(PrinterStatus{S::paper_out, ""}.ok());
}

TEST_CASE("drawing a bitmap at any bit offset and clipped at any edge copies exactly its dots") {
    Bitmap src(21, 5);
    for (int y = 0; y < 5; ++y)
        for (int x = 0; x < 21; ++x)
            if ((x * 7 + y * 3) % 5 < 2) src.set(x, y);
    for (int x = -22; x <= 40; ++x)
        for (int y : {-3, 0, 2, 6}) {
            Bitmap fast(40, 9);
            fast.draw(src, x, y);
            Bitmap expected(40, 9);
            for (int sy = 0; sy < 5; ++sy)
                for (int sx = 0; sx < 21; ++sx)
                    if (src.get(sx, sy)) expected.set(x + sx, y + sy);
            INFO("at " << x << "," << y);
            REQUIRE(fast == expected);
        }
}
