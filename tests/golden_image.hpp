// golden_image: a screenshot compared with its committed golden PNG, for the
// SDL programs (display, kiosk). UPDATE_GOLDEN=1 rewrites the golden from this
// run — look at the new pictures before committing them.
#pragma once
#include <SDL2/SDL_image.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

namespace testing {

inline SDL_Surface* load_rgb(const std::filesystem::path& file) {
    SDL_Surface* raw = IMG_Load(file.c_str());
    if (!raw) return nullptr;
    SDL_Surface* rgb = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGB888, 0);
    SDL_FreeSurface(raw);
    return rgb;
}

// Same size, and at most 0.1% of the pixels differ (font smoothing may move a little).
inline void check_against_golden(const std::filesystem::path& actual, const std::filesystem::path& golden) {
    if (std::getenv("UPDATE_GOLDEN")) std::filesystem::copy_file(actual, golden, std::filesystem::copy_options::overwrite_existing);
    INFO("golden " << golden << ", this run " << actual);
    SDL_Surface* a = load_rgb(actual);
    SDL_Surface* g = load_rgb(golden);
    REQUIRE(a);
    REQUIRE(g);
    REQUIRE(a->w == g->w);
    REQUIRE(a->h == g->h);
    size_t differ = 0;
    for (int y = 0; y < a->h; ++y) {
        const auto* ra = reinterpret_cast<const uint32_t*>(static_cast<const uint8_t*>(a->pixels) + y * a->pitch);
        const auto* rg = reinterpret_cast<const uint32_t*>(static_cast<const uint8_t*>(g->pixels) + y * g->pitch);
        for (int x = 0; x < a->w; ++x) differ += (ra[x] & 0xFFFFFF) != (rg[x] & 0xFFFFFF);
    }
    CHECK(differ <= static_cast<size_t>(a->w * a->h / 1000));
    SDL_FreeSurface(a);
    SDL_FreeSurface(g);
}

}  // namespace testing
