// screens: each of the kiosk's screens drawn from the state, in the same frame
// of header (center, clock, language, large text, printer and link marks) and
// footer (home, back, pages). Pure drawing: what a touch does is in app.cpp.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "drivers/escpos.hpp"
#include "common/local_time.hpp"
#include "catalog/index.hpp"
#include "client/mirror.hpp"
#include "kiosk/state.hpp"
#include "kiosk/strings.hpp"
#include "kiosk/ui.hpp"

namespace kiosk {

struct Scene {
    const KioskState& state;
    const client::Mirror& mirror;
    const Strings& words;
    bool online = false;
    std::optional<drivers::PrinterStatus> printer;
    std::string clock;        // "08:15"
    std::string date;         // "24/11/2026"
    const std::vector<catalog::FieldCount>& fields;
    size_t catalog_size = 0;
    const common::LocalCalendar& calendar;  // a dossier step's time, in the center's
    bool offer_messages = true;  // the ticket screen offers messages (unless the server has no sender)

    const std::string& t(const char* key) const { return words.get(key, state.lang); }
};

// Draws the whole screen; the Ui keeps the touch targets.
void draw_scene(Ui& ui, const Scene& scene);

// Where the on-screen keyboard goes and what is left beside it: along the bottom
// in portrait, on the right in landscape, so keys stay large and a list keeps
// its height either way.
struct KeyboardSplit {
    Box rest, keys;
};
KeyboardSplit split_for_keyboard(const Metrics& m, const Box& b);
// The keyboard's word keys in the scene's language; `telex_toggle`: with the Telex key.
Ui::KeyLabels key_labels(const Scene& sc, bool telex_toggle);

// checkin_screen.cpp: a booking's code typed to check it in.
int booking_code_entry(Ui& ui, const Scene& scene, const Box& content);

// phone_screen.cpp: the phone number for messages, and its wait; the height of the content's pages (1).
int phone_entry(Ui& ui, const Scene& scene, const Box& content);
int phone_sending(Ui& ui, const Scene& scene, const Box& content);

}  // namespace kiosk
