// layout: the ticket and the checklist drawn as columns of text, logo and QR
// (see layout.hpp). Sizes are in 80 mm dots and go through dots() to scale.
#include "drivers/layout.hpp"

#include <algorithm>
#include <cmath>

#include "common/text.hpp"
#include "drivers/errors.hpp"

namespace drivers {

namespace {

enum class Align { left, center };

// A strip of paper that grows downwards as pieces are added.
class Column {
public:
    explicit Column(int width) : canvas_(width, 0) {}

    void add(const Bitmap& piece, Align align, int x = 0) {
        const int top = canvas_.height();
        canvas_.grow(piece.height());
        if (align == Align::center) x = (canvas_.width() - piece.width()) / 2;
        canvas_.draw(piece, x, top);
    }
    void gap(int rows) { canvas_.grow(rows); }
    void rule(int thickness, int margin) {
        const int top = canvas_.height();
        canvas_.grow(thickness);
        canvas_.fill_rect(margin, top, canvas_.width() - 2 * margin, thickness);
    }
    int height() const { return canvas_.height(); }
    Bitmap take() { return std::move(canvas_); }

private:
    Bitmap canvas_;
};

// NFC text of a field, checked for length in code points; names the field in errors.
std::string field(std::string_view text, std::string_view what, size_t max_chars, bool required) {
    std::string nfc = checked_nfc(text, what);
    const size_t n = common::utf8_length(nfc);
    if (required && nfc.find_first_not_of(" \t\r\n") == std::string::npos)
        throw LayoutError(std::string(what) + " is empty");
    if (n > max_chars)
        throw LayoutError(std::string(what) + " is " + std::to_string(n) + " characters; at most " +
                          std::to_string(max_chars) + " fit on paper");
    return nfc;
}

// White text on a black band, for what must not be missed (a priority category).
Bitmap inverted(const Bitmap& text, int width, int pad) {
    Bitmap band(width, text.height() + 2 * pad);
    band.fill_rect(0, 0, band.width(), band.height());
    const int x0 = (width - text.width()) / 2;
    for (int y = 0; y < text.height(); ++y)
        for (int x = 0; x < text.width(); ++x)
            if (text.get(x, y)) band.set(x0 + x, pad + y, false);
    return band;
}

std::string counts(const ChecklistDocument& d, const Labels& l) {
    std::string s;
    if (d.originals > 0) s += std::to_string(d.originals) + " " + l.original;
    if (d.copies > 0) s += (s.empty() ? "" : ", ") + std::to_string(d.copies) + " " + l.copy;
    if (!d.note.empty()) s += (s.empty() ? "" : "; ") + d.note;
    return s.empty() ? s : " (" + s + ")";
}

}  // namespace

Layout::Layout(LayoutConfig config) : config_(std::move(config)), text_(config_.fonts) {
    const auto& paper = config_.paper;
    if (paper.width_dots < 160 || paper.width_dots > 2048 || paper.width_dots % 8 != 0)
        throw LayoutError("paper width must be a multiple of 8 dots between 160 and 2048 (576 for 80 mm, "
                          "384 for 58 mm); got " + std::to_string(paper.width_dots));
    if (paper.margin_dots < 0 || 2 * paper.margin_dots > paper.width_dots / 2)
        throw LayoutError("paper margin is out of range: " + std::to_string(paper.margin_dots));
    if (paper.max_page_dots < 400) throw LayoutError("max_page_dots must be at least 400");
    if (config_.logo)
        logo_ = load_logo(*config_.logo, text_width(), dots(config_.logo_max_height), config_.logo_mode);
}

int Layout::dots(int design_80mm) const {
    return std::max(1, design_80mm * config_.paper.width_dots / 576);
}

// Letters shrink less than the paper: a 58 mm ticket must still be read by
// someone without glasses, so type scales with the square root of the width.
int Layout::px(int design_80mm) const {
    return std::max(8, static_cast<int>(design_80mm * std::sqrt(config_.paper.width_dots / 576.0)));
}

Bitmap Layout::ticket(const TicketContent& c) const {
    const Labels& l = config_.labels;
    const std::string center = field(c.center_name, "center name", 200, false);
    const std::string number = field(c.number, "ticket number", 12, true);
    const std::string service = field(c.service, "service name", 200, true);
    const std::string priority = field(c.priority, "priority category", 80, false);
    const std::string issued = field(c.issued_at, "issue time", 40, false);
    const std::string footer = field(c.footer, "footer", 400, false);
    const int width = config_.paper.width_dots, inner = text_width();

    Column col(width);
    col.gap(dots(12));
    if (!logo_.empty()) {
        col.add(logo_, Align::center);
        col.gap(dots(8));
    }
    for (const auto& line : text_.wrap_at_most(center, px(28), true, inner, 3))
        col.add(text_.render(line, px(28), true), Align::center);
    col.gap(dots(8));
    col.rule(dots(3), config_.paper.margin_dots);
    col.gap(dots(10));
    col.add(text_.render(l.number, px(24), false), Align::center);

    int number_px = px(150);
    while (number_px > 16 && text_.width(number, number_px, true) > inner) number_px = number_px * 9 / 10;
    col.add(text_.render(number, number_px, true), Align::center);

    for (const auto& line : text_.wrap_at_most(service, px(34), true, inner, 3))
        col.add(text_.render(line, px(34), true), Align::center);
    if (!priority.empty()) {
        col.gap(dots(8));
        const auto label = text_.wrap_at_most(l.priority + ": " + priority, px(28), true, inner - px(16), 1);
        col.add(inverted(text_.render(label.front(), px(28), true), inner, px(6)), Align::center);
    }
    col.gap(dots(12));
    if (c.people_ahead >= 0)
        col.add(text_.render(l.people_ahead + ": " + std::to_string(c.people_ahead), px(26), false),
                Align::center);
    if (c.estimated_wait_minutes >= 0)
        col.add(text_.render(l.estimated_wait + ": ~" + std::to_string(c.estimated_wait_minutes) + " " +
                                 l.minutes, px(26), false),
                Align::center);
    if (!issued.empty()) col.add(text_.render(l.issued_at + ": " + issued, px(24), false), Align::center);

    if (!c.follow_url.empty()) {
        col.gap(dots(12));
        col.add(qr_code(c.follow_url, std::max(3, dots(6))), Align::center);
        for (const auto& line : text_.wrap(l.follow, px(22), false, inner))
            col.add(text_.render(line, px(22), false), Align::center);
    }
    if (!footer.empty()) {
        col.gap(dots(10));
        for (const auto& line : text_.wrap_at_most(footer, px(22), false, inner, 4))
            col.add(text_.render(line, px(22), false), Align::center);
    }
    col.gap(dots(24));
    return col.take();
}

std::vector<Bitmap> Layout::checklist(const ChecklistContent& c) const {
    const Labels& l = config_.labels;
    const std::string name = field(c.procedure_name, "procedure name", 1000, true);
    if (c.documents.size() > 300)
        throw LayoutError("a checklist holds at most 300 documents; got " + std::to_string(c.documents.size()));
    const int width = config_.paper.width_dots, margin = config_.paper.margin_dots, inner = text_width();

    // Every block is one line (or rule) that must not be split between pages.
    std::vector<Bitmap> blocks;
    auto line = [&](const std::string& text, int px, bool bold, Align align, int indent = 0) {
        Column row(width);
        row.add(text_.render(text, px, bold), align, margin + indent);
        blocks.push_back(row.take());
    };
    auto paragraph = [&](const std::string& text, int px, bool bold, Align align) {
        for (const auto& l2 : text_.wrap(text, px, bold, inner)) line(l2, px, bold, align);
    };
    auto space = [&](int rows) { blocks.push_back(Bitmap(width, rows)); };

    const std::string center = field(c.center_name, "center name", 200, false);
    if (!center.empty()) paragraph(center, px(22), false, Align::center);
    paragraph(l.checklist_title, px(30), true, Align::center);
    space(dots(8));
    paragraph(name, px(28), true, Align::left);
    const std::string code = field(c.procedure_code, "procedure code", 60, false);
    if (!code.empty()) paragraph(l.procedure_code + ": " + code, px(22), false, Align::left);
    space(dots(6));
    Column rule(width);
    rule.rule(dots(2), margin);
    blocks.push_back(rule.take());
    space(dots(8));

    const int indent = text_.width("00.", px(24), true) + px(10);
    for (size_t i = 0; i < c.documents.size(); ++i) {
        const auto& d = c.documents[i];
        const std::string what = "document " + std::to_string(i + 1) + " name";
        const std::string text = field(d.name, what, 1000, true) + counts(d, l);
        const auto lines = text_.wrap(text, px(24), false, inner - indent);
        for (size_t k = 0; k < lines.size(); ++k) {
            Column row(width);
            row.add(text_.render(lines[k], px(24), false), Align::left, margin + indent);
            Bitmap b = row.take();
            if (k == 0) b.draw(text_.render(std::to_string(i + 1) + ".", px(24), true), margin, 0);
            blocks.push_back(std::move(b));
        }
        space(dots(6));
    }
    space(dots(6));
    const std::string time = field(c.processing_time, "processing time", 300, false);
    const std::string fee = field(c.fee, "fee", 300, false);
    if (!time.empty()) paragraph(l.processing_time + ": " + time, px(24), false, Align::left);
    if (!fee.empty()) paragraph(l.fee + ": " + fee, px(24), false, Align::left);
    const std::string printed = field(c.printed_at, "print time", 40, false);
    if (!printed.empty()) paragraph(l.printed_at + ": " + printed, px(20), false, Align::left);
    const std::string footer = field(c.footer, "footer", 400, false);
    if (!footer.empty()) {
        space(dots(8));
        paragraph(footer, px(20), false, Align::center);
    }

    // Pages: as many whole blocks as fit, leaving room for the "Trang i/n" line.
    const int top = dots(12), bottom = dots(24);
    const int footer_height = text_.line_height(px(20), false) + px(8);
    const int room = config_.paper.max_page_dots - top - bottom - footer_height;
    std::vector<std::vector<const Bitmap*>> pages(1);
    int used = 0;
    for (const auto& b : blocks) {
        if (used + b.height() > room && used > 0) {
            pages.emplace_back();
            used = 0;
        }
        pages.back().push_back(&b);
        used += b.height();
    }
    std::vector<Bitmap> out;
    for (size_t p = 0; p < pages.size(); ++p) {
        Column page(width);
        page.gap(top);
        for (const Bitmap* b : pages[p]) page.add(*b, Align::left);
        if (pages.size() > 1) {
            page.gap(dots(8));
            page.add(text_.render(l.page + " " + std::to_string(p + 1) + "/" + std::to_string(pages.size()),
                                  px(20), false), Align::center);
        }
        page.gap(bottom);
        out.push_back(page.take());
    }
    return out;
}

}  // namespace drivers
