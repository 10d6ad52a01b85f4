// board_layouts: the screens a hall display may be put on, for the layout tests
// of the board (display_test) and of its phone QR (display_phone_test) — 720p
// to 4K either way round, a square screen and a small 800x480 one, each with
// both layouts and with and without the ticker — and the check every layout
// must pass on all of them: each box on the screen, no two overlapping.
#pragma once
#include <catch2/catch.hpp>

#include <cstddef>
#include <utility>
#include <vector>

#include "display/layout.hpp"

namespace testing {

inline const std::vector<std::pair<int, int>> kBoardSizes = {{1280, 720},  {1366, 768},  {1920, 1080},
                                                             {3840, 2160}, {720, 1280},  {1080, 1920},
                                                             {2160, 3840}, {1024, 1024}, {800, 480}};

// check(w, h, kind, ticker) for every size, layout and ticker, its failures
// named by the board they were on ("1920x1080 counter ticker").
template <class Check>
void for_each_board(Check check) {
    using display::LayoutKind;
    for (auto [w, h] : kBoardSizes)
        for (LayoutKind kind : {LayoutKind::hall, LayoutKind::counter})
            for (bool ticker : {false, true}) {
                INFO(w << "x" << h << (kind == LayoutKind::hall ? " hall" : " counter") << (ticker ? " ticker" : ""));
                check(w, h, kind, ticker);
            }
}

// Every box of the layout is inside its window and none overlaps another.
inline void check_boxes_apart(const display::Layout& l) {
    const auto parts = l.parts();
    for (size_t i = 0; i < parts.size(); ++i) {
        CHECK(parts[i].inside(l.window));
        for (size_t j = i + 1; j < parts.size(); ++j) CHECK_FALSE(parts[i].overlaps(parts[j]));
    }
}

}  // namespace testing
