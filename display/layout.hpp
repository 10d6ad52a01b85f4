// layout: where each part of a board goes, computed from the window's size.
//
// Why proportions and not pixels: the same program drives a 720p screen above a
// counter and a 4K panel in the hall, turned either way. Every box is a share of
// the window's width and height, with a margin from its shorter side; text is
// then fitted into its box by the painter. Pure, so it is tested at many sizes.
#pragma once
#include <vector>

#include "display/config.hpp"

namespace display {

struct Rect {
    int x = 0, y = 0, w = 0, h = 0;
    bool inside(const Rect& outer) const {
        return x >= outer.x && y >= outer.y && x + w <= outer.x + outer.w && y + h <= outer.y + outer.h;
    }
    bool overlaps(const Rect& o) const { return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h; }
};

struct Layout {
    Rect window;
    bool portrait = false;
    int margin = 0;
    // Header: logo, center name, clock and date.
    Rect header, logo, title, clock, date;
    // The newest call (hall), or the counter's ticket (counter layout).
    Rect newest, newest_label, newest_number, newest_counter, newest_service;
    // The previous calls: a title row and `call_rows` rows.
    Rect calls;
    int call_rows = 0;
    // Waiting per service: a grid of tiles.
    Rect waiting;
    int waiting_columns = 1;
    Rect ticker;  // zero height when there is no ticker
    Rect mark;    // the discreet "reconnecting" mark, where the date is
    // The QR to the phone's queue page (white square, quiet zone included) and its
    // caption; zero size when no QR is shown. Taken from the previous calls (hall)
    // or beside the number (counter), never over them.
    Rect qr, qr_caption;

    // The boxes that must not overlap, for tests.
    std::vector<Rect> parts() const;
};

// `services` is how many waiting tiles to place; `ticker` whether a notice line is shown;
// `qr` whether the phone QR is shown.
Layout compute_layout(LayoutKind kind, Orientation orientation, int width, int height, size_t services, bool ticker,
                      int calls_shown, bool qr = false);
// The tile of service `i` in the waiting grid.
Rect waiting_tile(const Layout& l, size_t i, size_t count);
// Row `i` of the previous calls (row 0 is the column titles).
Rect call_row(const Layout& l, int i);

}  // namespace display
