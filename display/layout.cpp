// layout: shares of the window for each box (see layout.hpp).
#include "display/layout.hpp"

#include <algorithm>
#include <cmath>

namespace display {

namespace {

int share(int total, double fraction) { return static_cast<int>(std::lround(total * fraction)); }

// The header: logo square at the left, title, then clock over date at the right.
void place_header(Layout& l, int height) {
    const int m = l.margin, W = l.window.w;
    l.header = {0, 0, W, height};
    l.logo = {m, m, height - 2 * m, height - 2 * m};
    const int clock_w = share(W, l.portrait ? 0.30 : 0.22);
    l.title = {l.logo.x + l.logo.w + m, m, W - clock_w - l.logo.w - 4 * m, height - 2 * m};
    l.clock = {W - clock_w - m, m, clock_w, share(height - 2 * m, 0.6)};
    l.date = {l.clock.x, l.clock.y + l.clock.h, clock_w, height - 2 * m - l.clock.h};
}

// The newest call's box split into its lines: label, number, counter, service.
void split_newest(Layout& l) {
    const Rect& n = l.newest;
    const int pad = l.margin;
    const int inner_w = n.w - 2 * pad, inner_h = n.h - 2 * pad;
    int y = n.y + pad;
    auto take = [&](double f) {
        Rect r{n.x + pad, y, inner_w, share(inner_h, f)};
        y += r.h;
        return r;
    };
    l.newest_label = take(0.13);
    l.newest_number = take(0.47);
    l.newest_counter = take(0.22);
    l.newest_service = {n.x + pad, y, inner_w, n.y + n.h - pad - y};
}

// The phone QR's side, quiet zone included: 28% of the shorter side (302 px at
// 1080 lines, so a 25-module code gets 8-px modules and about 200 px of code: a
// phone reads it from 2-3 m), at most half the box it is taken from.
int qr_side(const Layout& l, const Rect& from) {
    return std::max(0, std::min({share(std::min(l.window.w, l.window.h), 0.28), from.w / 2, from.h / 2}));
}

// From the bottom of `box`: the QR at the right, its caption to its left.
void qr_from_bottom(Layout& l, Rect& box) {
    const int side = qr_side(l, box), m = l.margin;
    l.qr = {box.x + box.w - side, box.y + box.h - side, side, side};
    l.qr_caption = {box.x, l.qr.y, box.w - side - m, side};
    box.h -= side + m;
}

// From the right of `box`: the QR at the top, its caption under it.
void qr_from_side(Layout& l, Rect& box) {
    const int side = qr_side(l, box), m = l.margin;
    l.qr = {box.x + box.w - side, box.y, side, side};
    l.qr_caption = {l.qr.x, l.qr.y + side + m, side, std::max(0, std::min(box.h - side - m, side / 2))};
    box.w -= side + m;
}

// The previous calls' rows once the QR took part of their box: as many as asked
// while a row keeps three quarters of its height without the QR, so the numbers
// stay as readable from across the hall.
int rows_left(int full_h, int h, int calls_shown) {
    const int min_row = std::max(1, (full_h / (calls_shown + 1) * 3 + 3) / 4);
    return std::clamp(h / min_row - 1, 0, calls_shown);
}

void place_waiting(Layout& l, int top, int bottom, size_t services) {
    const int m = l.margin;
    l.waiting = {m, top, l.window.w - 2 * m, std::max(0, bottom - top)};
    const size_t most = l.portrait ? 3 : 6;
    l.waiting_columns = static_cast<int>(std::clamp<size_t>(services, 1, most));
}

Layout hall(Layout l, size_t services, bool ticker, int calls_shown, bool qr) {
    const int W = l.window.w, H = l.window.h, m = l.margin;
    const int ticker_h = ticker ? share(H, l.portrait ? 0.05 : 0.07) : 0;
    l.ticker = {0, H - ticker_h, W, ticker_h};
    place_header(l, share(H, l.portrait ? 0.08 : 0.11));
    const int body = l.header.h + m;
    if (l.portrait) {
        l.newest = {m, body, W - 2 * m, share(H, 0.30)};
        l.calls = {m, l.newest.y + l.newest.h + m, W - 2 * m, share(H, 0.33)};
        place_waiting(l, l.calls.y + l.calls.h + m, l.ticker.y - m, services);
        if (qr) qr_from_side(l, l.calls);
    } else {
        const int waiting_h = share(H, ticker ? 0.15 : 0.19);
        const int body_h = l.ticker.y - waiting_h - m - body - m;
        l.newest = {m, body, share(W, 0.56) - 2 * m, body_h};
        l.calls = {l.newest.x + l.newest.w + m, body, W - l.newest.w - 3 * m, body_h};
        place_waiting(l, body + body_h + m, l.ticker.y - m, services);
        if (qr) qr_from_bottom(l, l.calls);
    }
    split_newest(l);
    l.call_rows = std::max(0, calls_shown);
    if (qr && !l.portrait) l.call_rows = rows_left(l.calls.h + l.qr.h + m, l.calls.h, l.call_rows);
    return l;
}

Layout counter(Layout l, bool ticker, bool qr) {
    const int W = l.window.w, H = l.window.h;
    const int ticker_h = ticker ? share(H, 0.08) : 0;
    l.ticker = {0, H - ticker_h, W, ticker_h};
    place_header(l, share(H, 0.16));
    l.newest = {l.margin, l.header.h + l.margin, W - 2 * l.margin, l.ticker.y - l.header.h - 2 * l.margin};
    if (qr && l.portrait) qr_from_bottom(l, l.newest);
    else if (qr) qr_from_side(l, l.newest);
    split_newest(l);
    return l;
}

}  // namespace

std::vector<Rect> Layout::parts() const {
    std::vector<Rect> out = {header, newest};
    for (const Rect& r : {calls, waiting, ticker, qr, qr_caption})
        if (r.w > 0 && r.h > 0) out.push_back(r);
    return out;
}

Layout compute_layout(LayoutKind kind, Orientation orientation, int width, int height, size_t services, bool ticker,
                      int calls_shown, bool qr) {
    Layout l;
    l.window = {0, 0, std::max(width, 1), std::max(height, 1)};
    l.portrait = orientation == Orientation::portrait || (orientation == Orientation::automatic && height > width);
    l.margin = std::max(2, std::min(width, height) / 90);
    l = kind == LayoutKind::hall ? hall(l, services, ticker, calls_shown, qr) : counter(l, ticker, qr);
    l.mark = l.date;  // offline, the mark takes the date's place: discreet, and nothing moves
    return l;
}

Rect waiting_tile(const Layout& l, size_t i, size_t count) {
    const int cols = l.waiting_columns;
    const int rows = static_cast<int>((std::max<size_t>(count, 1) + static_cast<size_t>(cols) - 1) / static_cast<size_t>(cols));
    const int gap = l.margin / 2;
    const int tile_w = (l.waiting.w - gap * (cols - 1)) / cols;
    // Tall tiles read badly (a portrait board with three services): at most a few lines' height.
    const int tile_h = std::min((l.waiting.h - gap * (rows - 1)) / rows, share(l.window.h, l.portrait ? 0.07 : 0.12));
    const int col = static_cast<int>(i) % cols, row = static_cast<int>(i) / cols;
    return {l.waiting.x + col * (tile_w + gap), l.waiting.y + row * (tile_h + gap), tile_w, tile_h};
}

Rect call_row(const Layout& l, int i) {
    const int rows = l.call_rows + 1;
    const int h = l.calls.h / std::max(rows, 1);
    return {l.calls.x, l.calls.y + i * h, l.calls.w, h};
}

}  // namespace display
