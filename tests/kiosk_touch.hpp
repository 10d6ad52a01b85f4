// kiosk_touch: what a person does to a kiosk, as the SDL events the kiosk's
// loop reads — a finger down and up on a button, a key of the on-screen
// keyboard, a barcode scanner typing a line then Enter. Shared by kiosk_test
// and kiosk_bench; the caller runs the kiosk's loop after each.
#pragma once
#include <algorithm>
#include <SDL2/SDL.h>

#include <cstdio>
#include <string>

#include "kiosk/app.hpp"

namespace testing {

// A finger event at window pixel (x, y): SDL gives touches in 0..1 of the window.
inline bool push_finger(SDL_Window* window, Uint32 type, int x, int y) {
    int w = 0, h = 0;
    SDL_GetWindowSize(window, &w, &h);
    SDL_Event e{};
    e.type = type;
    e.tfinger.touchId = 1;
    e.tfinger.fingerId = 1;
    e.tfinger.x = (static_cast<float>(x) + 0.5f) / static_cast<float>(w);
    e.tfinger.y = (static_cast<float>(y) + 0.5f) / static_cast<float>(h);
    return SDL_PushEvent(&e) == 1;
}

// The on-screen key for a character ("key:a", "key:space").
inline std::string key_for(char c) {
    return c == ' ' ? "key:space" : "key:" + std::string(1, static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
}

// A scanner's line: text events of at most 16 bytes (SDL's limit is 32), then Enter.
inline bool push_scan(const std::string& text) {
    for (size_t at = 0, n = 0; at < text.size(); at += n) {
        n = std::min<size_t>(16, text.size() - at);
        // SDL hands over whole characters: a piece never ends inside one.
        while (at + n < text.size() && (static_cast<unsigned char>(text[at + n]) & 0xC0) == 0x80) --n;
        SDL_Event e{};
        e.type = SDL_TEXTINPUT;
        std::snprintf(e.text.text, sizeof e.text.text, "%s", text.substr(at, n).c_str());
        if (SDL_PushEvent(&e) != 1) return false;
    }
    SDL_Event enter{};
    enter.type = SDL_KEYDOWN;
    enter.key.keysym.sym = SDLK_RETURN;
    return SDL_PushEvent(&enter) == 1;
}

}  // namespace testing
