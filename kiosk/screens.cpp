// screens: the kiosk's screens drawn from the state (see screens.hpp).
#include "kiosk/screens.hpp"

#include <algorithm>

#include "kiosk/printing.hpp"

namespace kiosk {

namespace {

using client::field;
using client::list;
using client::member;
using nlohmann::json;

struct Frame {
    Box header, banner, content, footer;
};

Frame frame_of(const Metrics& m, const Scene& sc) {
    Frame f;
    f.header = {0, 0, m.width, m.d(9)};
    int y = f.header.bottom();
    if (!sc.online) {
        f.banner = {0, y, m.width, m.d(7)};
        y = f.banner.bottom();
    }
    const int footer_h = sc.state.screen == Screen::home ? 0 : m.d(11);
    f.footer = {0, m.height - footer_h, m.width, footer_h};
    const int pad = m.d(2.5);
    f.content = {pad, y + pad, m.width - 2 * pad, f.footer.y - y - 2 * pad};
    return f;
}

std::string printer_key(drivers::PrinterState s) {
    switch (s) {
        case drivers::PrinterState::ready: return "";
        case drivers::PrinterState::paper_low: return "printer.paper_low";
        case drivers::PrinterState::paper_out: return "printer.paper_out";
        case drivers::PrinterState::cover_open: return "printer.cover_open";
        case drivers::PrinterState::offline: return "printer.offline";
        case drivers::PrinterState::error: return "printer.error";
    }
    return "printer.error";
}

// A printer drawn in boxes on a square of the state's colour (amber: paper low;
// red: out, cover open, offline, error): small, for staff walking by; the ticket
// screen says in words what it means for a citizen.
void printer_icon(Canvas& c, const Box& b, SDL_Color state) {
    c.fill(b, state);
    const Box in = b.inset(b.w / 6);
    c.fill({in.x + in.w / 4, in.y, in.w / 2, in.h * 3 / 10}, colors::white);               // paper in
    c.fill({in.x, in.y + in.h * 3 / 10, in.w, in.h * 4 / 10}, colors::ink);                // body
    c.fill({in.x + in.w / 4, in.y + in.h * 6 / 10, in.w / 2, in.h * 4 / 10}, colors::white);  // paper out
    c.fill({in.x + in.w * 3 / 4, in.y + in.h * 4 / 10, in.w / 10 + 1, in.h / 10 + 1}, state);  // its light
}

void header(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    Canvas& c = ui.canvas();
    c.fill(b, colors::panel);
    const int pad = m.d(2);
    const int clock_w = m.d(17), lang_w = m.d(17), large_w = m.d(15);
    const Box clock{b.w - pad - clock_w, b.y, clock_w, b.h};
    c.text(sc.clock, {clock.x, clock.y + m.d(0.5), clock.w, b.h * 6 / 10}, m.px(4.2), true, colors::white, Align::right);
    c.text(sc.date, {clock.x, clock.y + b.h * 6 / 10, clock.w, b.h * 3 / 10}, m.px(2.2), false, colors::muted, Align::right);
    const Box lang{clock.x - pad - lang_w, b.y + m.d(1.5), lang_w, b.h - m.d(3)};
    ui.button("lang", lang, sc.t("lang.switch"), "", Look::quiet);
    const Box large{lang.x - pad - large_w, lang.y, large_w, lang.h};
    ui.button("large", large, sc.t(sc.state.large_text ? "large.off" : "large.on"), "", Look::quiet);
    int name_right = large.x - pad;
    if (sc.printer && !printer_key(sc.printer->state).empty()) {
        const Box icon{large.x - pad - lang.h, lang.y, lang.h, lang.h};
        printer_icon(c, icon, sc.printer->state == drivers::PrinterState::paper_low ? colors::amber : colors::alert);
        name_right = icon.x - pad;
    }
    const Box name{pad, b.y, std::max(0, name_right - pad), b.h};
    const int name_px = m.px(2.8);
    const int h = c.paragraph_height(sc.mirror.center_name(), name.w, name_px, true);
    c.paragraph(sc.mirror.center_name(), {name.x, name.y + std::max(0, (name.h - h) / 2), name.w, name.h}, name_px, true, colors::white);
}

void banner(Ui& ui, const Scene& sc, const Box& b) {
    if (b.h == 0) return;
    ui.canvas().fill(b, colors::amber);
    ui.canvas().paragraph(sc.t("offline.banner"), b.inset(ui.m().d(1)), ui.m().px(2.5), true, colors::ink, Align::center);
}

// Home and back on the left; the list's pages on the right when it has more than one.
void footer(Ui& ui, const Scene& sc, const Box& b, int page, int pages) {
    if (b.h == 0) return;
    const Metrics& m = ui.m();
    ui.canvas().fill(b, colors::panel);
    const int pad = m.d(1.5), w = std::min(m.d(24), (b.w - 6 * pad) / 5);  // five across a portrait screen
    const Box home{pad, b.y + pad, w, b.h - 2 * pad};
    ui.button("nav:home", home, sc.t("nav.home"), "", Look::quiet);
    if (sc.state.screen != Screen::ticket && sc.state.screen != Screen::refused)
        ui.button("nav:back", {home.x + w + pad, home.y, w, home.h}, sc.t("nav.back"), "", Look::quiet);
    if (pages <= 1) return;
    const Box next{b.w - pad - w, home.y, w, home.h};
    const Box prev{next.x - pad - w, home.y, w, home.h};
    ui.button("nav:next", next, sc.t("nav.next"), "", Look::normal, page + 1 < pages);
    ui.button("nav:prev", prev, sc.t("nav.prev"), "", Look::normal, page > 0);
    const Box count{prev.x - pad - w, home.y, w, home.h};
    ui.canvas().text(sc.words.fill("nav.page", sc.state.lang, {{"n", std::to_string(page + 1)}, {"m", std::to_string(pages)}}),
                     count, m.px(2.6), false, colors::muted, Align::right);
}

// A grid of `count` cells in `area`, `cols` wide, rows as tall as they can be up to `most_h`.
Box cell(const Box& area, int cols, int rows, int i, int gap) {
    const int w = (area.w - gap * (cols - 1)) / cols, h = (area.h - gap * (rows - 1)) / rows;
    return {area.x + (i % cols) * (w + gap), area.y + (i / cols) * (h + gap), w, h};
}

// "2026-11-23" (as the dossier software sends it) → "23/11/2026", as people write it here.
std::string day_text(const std::string& iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return iso;
    return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

const std::string& words_of(const Scene& sc, const std::string& vi, const std::string& en) {
    return sc.state.lang == Lang::en && !en.empty() ? en : vi;
}

int home(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    const int welcome_h = m.d(12);
    ui.canvas().paragraph(sc.t("home.welcome"), {b.x, b.y + m.d(1), b.w, welcome_h}, m.px(4.6), true, colors::white, Align::center);
    const Box area = b.below(welcome_h + m.d(2));
    const int gap = m.d(3);
    struct Choice { const char* id; const char* title; const char* sub; Look look; };
    // A booked citizen's way in beside the walk-in's: most of a morning's citizens may have booked.
    const Choice choices[] = {{"home:take", "home.take", "home.take_sub", Look::primary},
                              {"home:booked", "home.booked", "home.booked_sub", Look::normal},
                              {"home:procedures", "home.procedures", "home.procedures_sub", Look::normal},
                              {"home:dossier", "home.dossier", "home.dossier_sub", Look::normal}};
    for (int i = 0; i < 4; ++i) {
        const Box box = m.portrait ? cell(area, 1, 4, i, gap) : cell(area, 2, 2, i, gap);
        const Choice& ch = choices[i];
        ui.button(ch.id, box, sc.t(ch.title), sc.t(ch.sub), ch.look);
    }
    return 1;
}

std::string waiting_line(const Scene& sc, const client::ServiceInfo& s) {
    if (s.waiting == 0) return sc.t("services.no_wait");
    std::string line = sc.words.fill("services.waiting", sc.state.lang, {{"n", std::to_string(s.waiting)}});
    if (s.est_wait_s > 0)
        line += " · " + sc.words.fill("services.estimate", sc.state.lang, {{"m", std::to_string((s.est_wait_s + 59) / 60)}});
    return line;
}

// Tiles in pages: as many rows as fit at a readable height.
int tiles(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    ui.title(sc.t(sc.state.card_id.empty() ? "services.title" : "services.title_card"), b.top(m.d(8)));
    const Box area = b.below(m.d(10));
    const auto& services = sc.mirror.services();
    if (services.empty()) {
        ui.paragraph(sc.t("services.none"), area, 3.4);
        return 1;
    }
    const int cols = m.portrait ? 2 : 3;
    const int gap = m.d(2);
    const int fit_rows = std::max(1, (area.h + gap) / (m.d(18) + gap));
    const int need_rows = (static_cast<int>(services.size()) + cols - 1) / cols;
    const int rows = std::clamp(need_rows, 1, fit_rows);
    const int per_page = rows * cols;
    const int pages = (static_cast<int>(services.size()) + per_page - 1) / per_page;
    const int page = std::min(sc.state.page, pages - 1);
    const Box grid{area.x, area.y, area.w, std::min(area.h, rows * m.d(34))};
    for (int i = 0; i < per_page; ++i) {
        const size_t at = static_cast<size_t>(page * per_page + i);
        if (at >= services.size()) break;
        const auto& s = services[at];
        ui.button("service:" + s.code, cell(grid, cols, rows, i, gap), words_of(sc, s.name_vi, s.name_en), waiting_line(sc, s));
    }
    return pages;
}

int categories(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    ui.title(sc.t("category.title"), b.top(m.d(8)));
    const int note_h = ui.paragraph(sc.t("category.note"), {b.x, b.y + m.d(9), b.w, m.d(12)}, 2.9, colors::muted);
    const Box area = b.below(m.d(11) + note_h);
    const auto& cats = sc.mirror.categories();
    const int cols = m.portrait ? 1 : 2;
    const int rows = std::max(1, (static_cast<int>(cats.size()) + cols - 1) / cols);
    const Box grid{area.x, area.y, area.w, std::min(area.h, rows * m.d(16))};
    for (size_t i = 0; i < cats.size(); ++i) {
        const auto& k = cats[i];
        ui.button("category:" + k.code, cell(grid, cols, rows, static_cast<int>(i), m.d(1.5)), words_of(sc, k.name_vi, k.name_en),
                  k.priority ? sc.t("category.priority") : "", k.priority ? Look::normal : Look::primary);
    }
    return 1;
}

void centered_message(Ui& ui, const std::string& title, const std::string& text, const Box& b, SDL_Color title_color) {
    const Metrics& m = ui.m();
    const int y = b.y + b.h / 4;
    ui.canvas().paragraph(title, {b.x, y, b.w, m.d(16)}, m.px(6), true, title_color, Align::center);
    ui.canvas().paragraph(text, {b.x + m.d(4), y + m.d(18), b.w - m.d(8), b.h / 2}, m.px(3.6), false, colors::white, Align::center);
}

int ticket(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    Canvas& c = ui.canvas();
    const TicketOutcome& o = *sc.state.outcome;
    const json& t = o.ticket;
    const bool failed = o.print == PrintState::failed;
    Box done{b.x + b.w / 4, b.bottom() - m.d(13), b.w / 2, m.d(13)};
    // Messages offered beside Done while the ticket's follow key is at hand (the key is used, never drawn).
    if (sc.offer_messages && !field<std::string>(t, "follow_key", "").empty()) {
        const int gap = m.d(2), row = b.w * 15 / 16;
        const Box phone{b.x + (b.w - row) / 2, done.y, (row - gap) * 62 / 100, done.h};
        done = {phone.x + phone.w + gap, done.y, row - phone.w - gap, done.h};
        ui.button("ticket:phone", phone, sc.t("ticket.phone"), "", Look::normal);
    }
    Box info = b;
    info.h = done.y - b.y - m.d(2);
    Box qr{};
    if (failed) {  // the QR beside (landscape) or under (portrait) the number
        const int side = std::min(m.portrait ? info.h * 35 / 100 : info.w * 35 / 100, info.h - m.d(20));
        qr = m.portrait ? Box{info.x + (info.w - side) / 2, info.bottom() - side, side, side}
                        : Box{info.x + info.w - side, info.y + (info.h - side) / 2, side, side};
        if (m.portrait) info.h -= side + m.d(2);
        else info.w -= side + m.d(3);
    }
    int y = info.y;
    c.text(sc.t("ticket.your_number"), {info.x, y, info.w, m.d(7)}, m.px(4), false, colors::muted, Align::center);
    y += m.d(7);
    const int number_h = std::min(m.d(26), info.h / 3);
    c.text(field<std::string>(t, "number", ""), {info.x, y, info.w, number_h}, number_h, true, colors::primary, Align::center);
    y += number_h;
    const std::string service = words_of(sc, field<std::string>(t, "service_name_vi", ""), field<std::string>(t, "service_name_en", ""));
    std::string category = words_of(sc, o.category_vi, o.category_en);
    y += c.paragraph(field<bool>(t, "priority", false) ? service + " · " + category : service, {info.x, y, info.w, m.d(12)}, m.px(3.8),
                     true, colors::white, Align::center);
    y += m.d(1.5);
    const int ahead = field<int>(t, "people_ahead", -1), est = field<int>(t, "est_wait_s", -1);
    if (ahead >= 0)
        y += c.paragraph(sc.words.fill("ticket.ahead", sc.state.lang, {{"n", std::to_string(ahead)}}), {info.x, y, info.w, m.d(6)},
                         m.px(3.2), false, colors::white, Align::center);
    if (est > 0)
        y += c.paragraph(sc.words.fill("ticket.estimate", sc.state.lang, {{"m", std::to_string((est + 59) / 60)}}),
                         {info.x, y, info.w, m.d(10)}, m.px(3.2), false, colors::white, Align::center);
    y += m.d(2);
    const Box status{info.x, y, info.w, std::max(0, info.bottom() - y)};
    if (o.print == PrintState::printing) {
        c.paragraph(sc.t("ticket.printing"), status, m.px(3.6), true, colors::muted, Align::center);
    } else if (o.print == PrintState::printed) {
        const int h = c.paragraph(sc.t("ticket.take_paper"), status, m.px(4.4), true, colors::primary, Align::center);
        c.paragraph(sc.t("ticket.watch"), {status.x, status.y + h + m.d(1), status.w, status.h - h}, m.px(3), false, colors::muted,
                    Align::center);
    } else if (failed) {
        const int h = c.paragraph(sc.t("ticket.print_failed"), status, m.px(3.6), true, colors::amber, Align::center);
        c.paragraph(sc.t("ticket.photograph"), {status.x, status.y + h + m.d(1), status.w, status.h - h}, m.px(3.2), false,
                    colors::white, Align::center);
        c.qr(o.proof, qr);
    }
    ui.button("ticket:done", done, sc.t("ticket.done"), "", Look::primary);
    return 1;
}

int refused(Ui& ui, const Scene& sc, const Box& b) {
    centered_message(ui, sc.t("refused.title"), sc.t(sc.state.refusal.c_str()), b, colors::amber);
    const Metrics& m = ui.m();
    ui.button("nav:home", {b.x + b.w / 4, b.bottom() - m.d(13), b.w / 2, m.d(13)}, sc.t("nav.home"), "", Look::primary);
    return 1;
}

}  // namespace

KeyboardSplit split_for_keyboard(const Metrics& m, const Box& b) {
    const int gap = m.d(2);
    if (m.portrait) {
        const int h = std::min(b.h / 2, m.height * 30 / 100);
        return {{b.x, b.y, b.w, b.h - h - gap}, {b.x, b.bottom() - h, b.w, h}};
    }
    const int w = b.w * 55 / 100;
    return {{b.x, b.y, b.w - w - gap, b.h}, {b.x + b.w - w, b.y, w, b.h}};
}

Ui::KeyLabels key_labels(const Scene& sc, bool telex_toggle) {
    return {sc.t("keyboard.space"), sc.t("keyboard.back"), sc.t("keyboard.clear"),
            telex_toggle ? sc.t(sc.state.telex ? "keyboard.telex_on" : "keyboard.telex_off") : ""};
}

namespace {

// Rows of a list from `first`, as many as fit in `area`; ids "prefix:index".
template <class Item, class Words>
int list_rows(Ui& ui, const Box& area, const std::vector<Item>& items, int page, const std::string& prefix, Words words) {
    const Metrics& m = ui.m();
    const int row_h = std::min(area.h, m.d(11) * static_cast<int>(m.text_scale * 10) / 10), gap = m.d(1);
    const int per_page = std::max(1, (area.h + gap) / (row_h + gap));
    const int pages = std::max(1, (static_cast<int>(items.size()) + per_page - 1) / per_page);
    page = std::min(page, pages - 1);
    for (int i = 0; i < per_page; ++i) {
        const size_t at = static_cast<size_t>(page * per_page + i);
        if (at >= items.size()) break;
        const auto [title, sub] = words(items[at]);
        ui.row(prefix + std::to_string(at), {area.x, area.y + i * (row_h + gap), area.w, row_h}, title, sub);
    }
    return pages;
}

int search(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    const KioskState& s = sc.state;
    const Box query{b.x, b.y, b.w, m.d(14)};
    ui.field("search:field", query, sc.t("search.title"), s.query, sc.t("search.hint"), true);
    const auto [rest, keys] = split_for_keyboard(m, b.below(query.h + m.d(2)));
    ui.keyboard(keys, "", key_labels(sc, true));
    Box area = rest;
    if (sc.catalog_size == 0) {
        ui.paragraph(sc.t("search.no_catalog"), area, 3.2, colors::amber);
        return 1;
    }
    if (!sc.online) {
        area.h -= ui.paragraph(sc.t("search.cache_note"), area.top(m.d(5)), 2.4, colors::amber) + m.d(1);
        area.y = area.y + m.d(5);
    }
    if (s.query.empty()) {
        ui.canvas().text(sc.t("search.fields"), area.top(m.d(5)), m.px(3), true, colors::muted);
        const Box rows = area.below(m.d(6));
        return list_rows(ui, rows, sc.fields, s.page, "field:", [&](const catalog::FieldCount& f) {
            return std::pair{f.field, sc.words.fill("search.count", s.lang, {{"n", std::to_string(f.count)}})};
        });
    }
    if (s.hits.empty()) {
        ui.paragraph(sc.t("search.none"), area, 3.2, colors::amber);
        return 1;
    }
    return list_rows(ui, area, s.hits, s.page, "hit:", [](const catalog::Hit& h) { return std::pair{h.name, h.code + " · " + h.field}; });
}

int field_list(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    const int h = ui.paragraph(sc.state.field, b.top(m.d(12)), 4.4, colors::white, true);
    return list_rows(ui, b.below(h + m.d(2)), sc.state.field_list, sc.state.page, "proc:",
                     [](const catalog::Hit& p) { return std::pair{p.name, p.code + " · " + p.level}; });
}

// Text blocks that flow down the page and on to the next (a procedure, a dossier).
struct Block {
    std::string text;
    double size = 3.2;
    bool bold = false;
    SDL_Color color = colors::white;
    double gap = 0.8;  // units above
};

int flow(Ui& ui, const std::vector<Block>& blocks, const Box& area, int page) {
    const Metrics& m = ui.m();
    Canvas& c = ui.canvas();
    std::vector<int> page_of(blocks.size());
    int pages = 1, y = 0;
    for (size_t i = 0; i < blocks.size(); ++i) {
        const int h = std::min(area.h, c.paragraph_height(blocks[i].text, area.w, m.px(blocks[i].size), blocks[i].bold)) + m.d(blocks[i].gap);
        if (y > 0 && y + h > area.h) {
            ++pages;
            y = 0;
        }
        page_of[i] = pages - 1;
        y += h;
    }
    page = std::min(page, pages - 1);
    y = area.y;
    for (size_t i = 0; i < blocks.size(); ++i) {
        if (page_of[i] != page) continue;
        if (y > area.y) y += m.d(blocks[i].gap);
        const Block& k = blocks[i];
        y += c.paragraph(k.text, {area.x, y, area.w, area.bottom() - y}, m.px(k.size), k.bold, k.color);
    }
    return pages;
}

std::string copies_text(const Scene& sc, const json& d) {
    std::vector<std::string> parts;
    if (int n = field<int>(d, "originals", 0)) parts.push_back(sc.words.fill("procedure.originals", sc.state.lang, {{"n", std::to_string(n)}}));
    if (int n = field<int>(d, "copies", 0)) parts.push_back(sc.words.fill("procedure.copies", sc.state.lang, {{"n", std::to_string(n)}}));
    const std::string note = field<std::string>(d, "note", "");
    if (!note.empty()) parts.push_back(note);
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out;
}

std::vector<Block> procedure_blocks(const Scene& sc) {
    const json& p = sc.state.procedure;
    std::vector<Block> out;
    const std::string meta = sc.t("procedure.code") + ": " + field<std::string>(p, "code", "") + " · " + sc.t("procedure.level") +
                             ": " + field<std::string>(p, "level", "");
    out.push_back({meta, 2.6, false, colors::muted, 0});
    out.push_back({sc.t("procedure.documents"), 3.4, true, colors::primary, 2});
    int n = 0;
    for (const auto& d : list(p, "documents")) {
        const std::string extra = copies_text(sc, d);
        out.push_back({std::to_string(++n) + ". " + field<std::string>(d, "name", "") + (extra.empty() ? "" : " (" + extra + ")"), 3.1});
    }
    std::string time = field<std::string>(p, "processing_time", "");
    const json& days = member(p, "processing_days");
    if (time.empty() && days.is_number_integer())
        time = sc.words.fill("procedure.days", sc.state.lang, {{"n", std::to_string(days.get<int>())}});
    if (!time.empty()) out.push_back({sc.t("procedure.time") + ": " + time, 3.1, false, colors::white, 2});
    const std::string fee = field<std::string>(p, "fee", "");
    if (!fee.empty()) out.push_back({sc.t("procedure.fee") + ": " + fee, 3.1, false, colors::white, 1.2});
    const std::string agency = field<std::string>(p, "agency", "");
    if (!agency.empty()) out.push_back({sc.t("procedure.where") + ": " + agency, 3.1, false, colors::white, 1.2});
    return out;
}

int procedure(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    const KioskState& s = sc.state;
    const int title_h = ui.paragraph(field<std::string>(s.procedure, "name", ""), b.top(m.d(16)), 4.4, colors::white, true);
    const int buttons_h = m.d(13);
    const Box buttons{b.x, b.bottom() - buttons_h, b.w, buttons_h};
    Box area{b.x, b.y + title_h + m.d(1.5), b.w, buttons.y - b.y - title_h - m.d(3)};
    if (!s.procedure_note.empty()) {
        const SDL_Color color = s.procedure_note == "procedure.printed" ? colors::good : colors::amber;
        const int h = ui.paragraph(sc.t(s.procedure_note.c_str()), {area.x, buttons.y - m.d(9), area.w, m.d(8)}, 3, color, true);
        area.h -= h + m.d(1);
    }
    const int pages = flow(ui, procedure_blocks(sc), area, s.page);
    const std::string service = field<std::string>(s.procedure, "service", "");
    const bool has_service = !service.empty() && sc.mirror.service(service);
    const int gap = m.d(2);
    ui.button("procedure:print", {buttons.x, buttons.y, (buttons.w - gap) / 2, buttons.h}, sc.t("procedure.print"));
    ui.button("procedure:take", {buttons.x + (buttons.w + gap) / 2, buttons.y, (buttons.w - gap) / 2, buttons.h},
              sc.t("procedure.take"), has_service ? "" : sc.t("procedure.ask_staff"), Look::primary, has_service);
    return pages;
}

int dossier_entry(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    const KioskState& s = sc.state;
    ui.title(sc.t("dossier.title"), b.top(m.d(8)));
    const int field_h = m.d(14), gap = m.d(2);
    int y = b.y + m.d(9);
    const std::string code_hint = "H55.26-1124-0001", check_hint = "1234";
    if (m.portrait) {
        ui.field("dossier:code", {b.x, y, b.w, field_h}, sc.t("dossier.code"), s.dossier_code, code_hint, s.focus == 0);
        y += field_h + gap;
        ui.field("dossier:check", {b.x, y, b.w, field_h}, sc.t("dossier.check"), s.dossier_check, check_hint, s.focus == 1);
    } else {
        const int w = (b.w - gap) * 6 / 10;
        ui.field("dossier:code", {b.x, y, w, field_h}, sc.t("dossier.code"), s.dossier_code, code_hint, s.focus == 0);
        ui.field("dossier:check", {b.x + w + gap, y, b.w - w - gap, field_h}, sc.t("dossier.check"), s.dossier_check, check_hint,
                 s.focus == 1);
    }
    y += field_h + gap;
    const auto [rest, keys] = split_for_keyboard(m, {b.x, y, b.w, b.bottom() - y});
    const int action_h = m.d(12);
    // The button beside the words in portrait, above them in landscape's narrow column.
    const Box action = m.portrait ? Box{rest.x + rest.w - m.d(40), rest.y, m.d(40), action_h} : rest.top(action_h);
    ui.button("dossier:search", action, sc.t("dossier.search"), "", Look::primary);
    const Box words = m.portrait ? Box{rest.x, rest.y, action.x - rest.x - gap, rest.h} : rest.below(action_h + gap);
    if (!s.dossier_message.empty()) {
        ui.paragraph(sc.t(s.dossier_message.c_str()), words, 3.2, colors::amber, true);
    } else {
        ui.paragraph(sc.t("dossier.scan_hint"), words, 2.8, colors::muted);
    }
    ui.keyboard(keys, ".-/", key_labels(sc, false));
    return 1;
}

// The center's own visits that named the dossier at a counter's finish (issue 22):
// "04/12/2026 09:12 — Đã tiếp nhận hồ sơ tại Quầy 3 (Tiếp nhận hồ sơ)".
void visit_blocks(const Scene& sc, std::vector<Block>& out) {
    const auto& visits = list(sc.state.dossier, "visits");
    if (visits.empty()) return;
    const bool en = sc.state.lang == Lang::en;
    out.push_back({sc.t("dossier.visits"), 3.3, true, colors::primary, 2});
    for (const auto& v : visits) {
        std::string where = field<std::string>(v, "counter_name", "");
        if (where.empty()) where = sc.words.fill("dossier.at_counter", sc.state.lang, {{"n", std::to_string(field<int>(v, "counter", 0))}});
        const std::string service = field<std::string>(v, en ? "service_name_en" : "service_name", field<std::string>(v, "service_name", ""));
        if (!service.empty()) where += " (" + service + ")";
        std::string result = field<std::string>(v, "result", "");
        if (result.empty() || sc.words.get("dossier.result." + result, sc.state.lang) == "dossier.result." + result) result = "none";
        const int64_t at = field<int64_t>(v, "at", 0);
        out.push_back({(at > 0 ? local_time_text(at, sc.calendar) + " — " : "") +
                           sc.words.fill("dossier.result." + result, sc.state.lang, {{"x", where}}),
                       2.9, false, colors::white, 0.6});
    }
}

std::vector<Block> dossier_blocks(const Scene& sc) {
    const json& d = sc.state.dossier;
    const bool en = sc.state.lang == Lang::en;
    std::vector<Block> out;
    auto line = [&](const char* key, const std::string& value, double gap = 1.0) {
        if (!value.empty()) out.push_back({sc.t(key) + ": " + value, 3.1, false, colors::white, gap});
    };
    line("dossier.procedure", field<std::string>(member(d, "procedure"), "name", ""), 0);
    line("dossier.applicant", field<std::string>(d, "applicant", ""));
    line("dossier.received", day_text(field<std::string>(d, "received_date", "")));
    std::string due = day_text(field<std::string>(d, "appointment_date", ""));
    if (field<bool>(d, "overdue", false)) due += " (" + sc.t("dossier.overdue") + ")";
    line("dossier.appointment", due);
    line("dossier.pickup", field<std::string>(d, "pickup", ""));
    const json& supplements = member(d, "supplements");
    if (supplements.is_array() && !supplements.empty()) {
        out.push_back({sc.t("dossier.supplements"), 3.3, true, colors::amber, 2});
        for (const auto& item : supplements)
            if (item.is_string()) out.push_back({"• " + item.get<std::string>(), 3.0, false, colors::white, 0.5});
    } else if (supplements.is_string() && !supplements.get<std::string>().empty()) {
        out.push_back({sc.t("dossier.supplements") + ": " + supplements.get<std::string>(), 3.1, true, colors::amber, 2});
    }
    visit_blocks(sc, out);
    out.push_back({sc.t("dossier.timeline"), 3.3, true, colors::primary, 2});
    for (const auto& step : list(d, "timeline")) {
        const std::string label = en ? field<std::string>(step, "english", "") : field<std::string>(step, "label", "");
        const std::string note = field<std::string>(step, "note", "");
        const int64_t at = field<int64_t>(step, "at", 0);
        out.push_back({(at > 0 ? local_time_text(at, sc.calendar) + " — " : "") + label + (note.empty() ? "" : ": " + note), 2.9, false,
                       colors::white, 0.6});
    }
    return out;
}

int dossier_result(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    const json& d = sc.state.dossier;
    const json& status = member(d, "status");
    const bool overdue = field<bool>(d, "overdue", false);
    const Box top = b.top(m.d(20));
    ui.canvas().fill(top, overdue ? colors::alert : colors::tile);
    ui.canvas().text(sc.t("dossier.code") + ": " + field<std::string>(d, "code", ""), {top.x + m.d(2), top.y, top.w - m.d(4), m.d(6)},
                     m.px(2.6), false, colors::muted);
    const std::string label = sc.state.lang == Lang::en ? field<std::string>(status, "english", "") : field<std::string>(status, "label", "");
    ui.canvas().text(sc.t("dossier.status") + ": " + label, {top.x + m.d(2), top.y + m.d(6), top.w - m.d(4), m.d(8)}, m.px(4.4), true,
                     colors::white);
    // The status's plain explanation exists in Vietnamese only (statuses.tsv): not shown in English.
    if (sc.state.lang == Lang::vi)
        ui.canvas().paragraph(field<std::string>(status, "text", ""), {top.x + m.d(2), top.y + m.d(14), top.w - m.d(4), m.d(6)},
                              m.px(2.6), false, colors::white);
    return flow(ui, dossier_blocks(sc), b.below(top.h + m.d(2)), sc.state.page);
}

int admin(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    ui.title(sc.t("admin.title"), b.top(m.d(8)));
    const std::string dots(sc.state.pin.size(), '*');
    ui.canvas().text(sc.state.pin_wrong ? sc.t("admin.wrong") : dots, {b.x, b.y + m.d(9), b.w, m.d(10)}, m.px(6), true,
                     sc.state.pin_wrong ? colors::alert : colors::white, Align::center);
    const int side = std::min(b.w, m.d(70));
    ui.pin_pad({b.x + (b.w - side) / 2, b.y + m.d(21), side, std::min(b.h - m.d(22), side * 4 / 3)}, sc.t("admin.ok"));
    return 1;
}

int content(Ui& ui, const Scene& sc, const Box& b) {
    switch (sc.state.screen) {
        case Screen::home: return home(ui, sc, b);
        case Screen::services: return tiles(ui, sc, b);
        case Screen::category: return categories(ui, sc, b);
        case Screen::issuing:
            centered_message(ui, sc.t("issuing.wait"), "", b, colors::white);
            return 1;
        case Screen::ticket: return sc.state.outcome ? ticket(ui, sc, b) : 1;
        case Screen::phone: return sc.state.outcome ? phone_entry(ui, sc, b) : 1;
        case Screen::phone_sending: return phone_sending(ui, sc, b);
        case Screen::refused: return refused(ui, sc, b);
        case Screen::search: return search(ui, sc, b);
        case Screen::field: return field_list(ui, sc, b);
        case Screen::procedure: return procedure(ui, sc, b);
        case Screen::dossier: return dossier_entry(ui, sc, b);
        case Screen::dossier_looking:
            centered_message(ui, sc.t("dossier.looking"), "", b, colors::white);
            return 1;
        case Screen::dossier_result: return dossier_result(ui, sc, b);
        case Screen::booking_code: return booking_code_entry(ui, sc, b);
        case Screen::admin: return admin(ui, sc, b);
    }
    return 1;
}

}  // namespace

void draw_scene(Ui& ui, const Scene& sc) {
    const Metrics& m = ui.m();
    ui.canvas().fill({0, 0, m.width, m.height}, colors::background);
    const Frame f = frame_of(m, sc);
    const int pages = content(ui, sc, f.content);
    header(ui, sc, f.header);
    banner(ui, sc, f.banner);
    footer(ui, sc, f.footer, sc.state.page, pages);
}

}  // namespace kiosk
