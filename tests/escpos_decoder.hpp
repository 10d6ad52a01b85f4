// escpos_decoder: turns ESC/POS bytes back into the images a printer would burn,
// so tests can compare what reached the "paper" with what the layout drew.
//
// It knows the commands the drivers send (ESC @, GS v 0, ESC d, GS V, ESC B,
// ESC p, DLE EOT) and rejects anything else: an unexpected byte is a test failure,
// not something to skip over.
#pragma once
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "drivers/bitmap.hpp"

namespace testing {

struct DecodedJob {
    std::vector<drivers::Bitmap> pages;  // one per cut (and the tail, if uncut)
    int initialisations = 0, feeds = 0, partial_cuts = 0, full_cuts = 0, beeps = 0, drawer_kicks = 0;
    int status_requests = 0;
    std::vector<int> band_rows;
};

inline DecodedJob decode_escpos(std::span<const uint8_t> b) {
    DecodedJob job;
    drivers::Bitmap page;
    size_t i = 0;
    auto need = [&](size_t n) {
        if (i + n > b.size()) throw std::runtime_error("truncated command at byte " + std::to_string(i));
    };
    auto end_page = [&] {
        job.pages.push_back(std::move(page));
        page = drivers::Bitmap();
    };
    while (i < b.size()) {
        const uint8_t c = b[i];
        if (c == 0x1B && i + 1 < b.size() && b[i + 1] == '@') {
            ++job.initialisations;
            i += 2;
        } else if (c == 0x1D && i + 1 < b.size() && b[i + 1] == 'v') {
            need(8);
            if (b[i + 2] != '0' || b[i + 3] != 0) throw std::runtime_error("unsupported GS v mode");
            const int stride = b[i + 4] | b[i + 5] << 8, rows = b[i + 6] | b[i + 7] << 8;
            i += 8;
            need(static_cast<size_t>(stride) * rows);
            if (page.empty()) page = drivers::Bitmap(stride * 8, 0);
            if (page.stride() != stride) throw std::runtime_error("band width changed within a page");
            const int top = page.height();
            page.grow(rows);
            for (int y = 0; y < rows; ++y)
                std::copy_n(&b[i + static_cast<size_t>(y) * stride], stride, page.row(top + y));
            i += static_cast<size_t>(stride) * rows;
            job.band_rows.push_back(rows);
        } else if (c == 0x1B && i + 1 < b.size() && b[i + 1] == 'd') {
            need(3);
            ++job.feeds;
            i += 3;
        } else if (c == 0x1D && i + 1 < b.size() && b[i + 1] == 'V') {
            need(3);
            const uint8_t m = b[i + 2];
            const bool with_n = m == 65 || m == 66;
            if (with_n) need(4);
            ((m == 1 || m == 49 || m == 66) ? job.partial_cuts : job.full_cuts)++;
            i += with_n ? 4 : 3;
            end_page();
        } else if (c == 0x1B && i + 1 < b.size() && b[i + 1] == 'B') {
            need(4);
            ++job.beeps;
            i += 4;
        } else if (c == 0x1B && i + 1 < b.size() && b[i + 1] == 'p') {
            need(5);
            ++job.drawer_kicks;
            i += 5;
        } else if (c == 0x10 && i + 1 < b.size() && b[i + 1] == 0x04) {
            need(3);
            ++job.status_requests;
            i += 3;
        } else {
            throw std::runtime_error("unknown ESC/POS byte " + std::to_string(c) + " at " + std::to_string(i));
        }
    }
    if (!page.empty()) end_page();
    return job;
}

}  // namespace testing
