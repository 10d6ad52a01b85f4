// checkin_screen: the screen where a booked citizen types the booking's code
// (eight letters and digits, on the phone's booking page and in the texts) when
// the phone's QR is not at hand; checkin.cpp checks it in. The scanner works on
// this screen too: the hint under the field says so.
#include "common/booking_code.hpp"
#include "kiosk/screens.hpp"

namespace kiosk {

namespace {

// "K7Q2M9XA" → "K7Q2 M9XA": the way the phone's page shows it.
std::string grouped_code(const std::string& code) {
    return code.size() > 4 ? code.substr(0, 4) + " " + code.substr(4) : code;
}

}  // namespace

int booking_code_entry(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    const KioskState& s = sc.state;
    ui.title(sc.t("booking.title"), b.top(m.d(8)));
    const int field_h = m.d(14), gap = m.d(2);
    const int y = b.y + m.d(9);
    ui.field("booking:code", {b.x, y, m.portrait ? b.w : b.w * 45 / 100, field_h}, sc.t("booking.code"), grouped_code(s.booking_code),
             "K7Q2 M9XA", true);
    const int below = y + field_h + gap;
    const auto [rest, keys] = split_for_keyboard(m, {b.x, below, b.w, b.bottom() - below});
    const int action_h = m.d(12);
    const Box action = m.portrait ? Box{rest.x + rest.w - m.d(40), rest.y, m.d(40), action_h} : rest.top(action_h);
    ui.button("booking:check_in", action, sc.t("booking.check_in"), "", Look::primary, common::is_booking_code(s.booking_code));
    const Box words = m.portrait ? Box{rest.x, rest.y, action.x - rest.x - gap, rest.h} : rest.below(action_h + gap);
    if (!s.booking_message.empty()) ui.paragraph(sc.t(s.booking_message.c_str()), words, 3.2, colors::amber, true);
    else ui.paragraph(sc.t("booking.hint"), words, 2.8, colors::muted);
    ui.keyboard(keys, "", key_labels(sc, false));
    return 1;
}

}  // namespace kiosk
