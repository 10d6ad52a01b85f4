// phone_screen: the screen where a citizen leaves a phone number for messages
// about the ticket just taken (phone.cpp asks the server): the number typed on a
// digits pad, the consent line right above the button that gives it, and then
// the masked number the server kept, or why it could not.
#include <algorithm>

#include "kiosk/screens.hpp"

namespace kiosk {

namespace {

using client::field;

// "0912345678" → "0912 345 678": the way numbers are read out and written here.
std::string grouped(const std::string& digits) {
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i == 4 || (i > 4 && (i - 4) % 3 == 0)) out += ' ';
        out += digits[i];
    }
    return out;
}

// Where the pad goes: along the bottom in portrait, on the right in landscape.
struct PhoneSplit {
    Box words, pad;
};

PhoneSplit split_for_pad(const Metrics& m, const Box& b) {
    const int gap = m.d(3);
    if (m.portrait) {
        const int h = std::min(b.h * 45 / 100, m.d(80)), w = std::min(b.w, h * 5 / 4);
        return {{b.x, b.y, b.w, b.h - h - gap}, {b.x + (b.w - w) / 2, b.bottom() - h, w, h}};
    }
    const int w = b.w * 40 / 100;
    return {{b.x, b.y, b.w - w - gap, b.h}, {b.x + b.w - w, b.y, w, b.h}};
}

// The outcome in large type and a Done button: signed up, or no messages at this center.
int outcome(Ui& ui, const Scene& sc, const Box& b, const std::string& title, SDL_Color color, const std::string& text) {
    const Metrics& m = ui.m();
    const Box done{b.x + b.w / 4, b.bottom() - m.d(13), b.w / 2, m.d(13)};
    int y = b.y + m.d(4);
    y += ui.canvas().paragraph(title, {b.x, y, b.w, done.y - y}, m.px(5), true, color, Align::center) + m.d(3);
    ui.canvas().paragraph(text, {b.x + m.d(4), y, b.w - m.d(8), std::max(0, done.y - y - m.d(2))}, m.px(3.4), false, colors::white,
                          Align::center);
    ui.button("ticket:done", done, sc.t("ticket.done"), "", Look::primary);
    return 1;
}

}  // namespace

int phone_entry(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    const KioskState& s = sc.state;
    ui.title(sc.t("phone.title"), b.top(m.d(8)));
    const Box area = b.below(m.d(10));
    const std::string ahead = std::to_string(s.phone_ahead);
    if (!s.phone_masked.empty())
        return outcome(ui, sc, area, sc.words.fill("phone.done", s.lang, {{"phone", s.phone_masked}}), colors::good,
                       sc.words.fill("phone.done_sub", s.lang, {{"n", ahead}}));
    if (s.phone_message == "phone.no_sender")
        return outcome(ui, sc, area, sc.t("phone.no_sender"), colors::amber, sc.t("phone.no_sender_sub"));

    const auto [words, pad] = split_for_pad(m, area);
    const std::string number = s.outcome ? field<std::string>(s.outcome->ticket, "number", "") : "";
    int y = words.y;
    y += ui.paragraph(sc.words.fill("phone.intro", s.lang, {{"number", number}, {"n", ahead}}), {words.x, y, words.w, m.d(14)}, 3.2) +
         m.d(2);
    const int field_h = m.d(14);
    ui.field("phone:field", {words.x, y, words.w, field_h}, sc.t("phone.field"), grouped(s.phone), "0912 345 678", true);
    y += field_h + m.d(2);
    const Box confirm{words.x, words.bottom() - m.d(13), words.w, m.d(13)};
    Box rest{words.x, y, words.w, std::max(0, confirm.y - y - m.d(2))};
    if (!s.phone_message.empty()) {
        int h = ui.paragraph(sc.t(s.phone_message.c_str()), rest, 3.4, colors::amber, true);
        if (s.phone_message == "phone.bad") h += ui.paragraph(sc.t("phone.bad_sub"), rest.below(h), 2.8, colors::amber);
        rest = rest.below(std::min(rest.h, h + m.d(2)));
    }
    // The consent the button gives, right above it.
    const int consent_h = std::min(rest.h, ui.canvas().paragraph_height(sc.t("phone.consent"), rest.w, m.px(3), false));
    ui.paragraph(sc.t("phone.consent"), {rest.x, rest.bottom() - consent_h, rest.w, consent_h}, 3);
    ui.button("phone:send", confirm, sc.t("phone.confirm"), "", Look::primary, !s.phone.empty());
    ui.digit_pad(pad, {sc.t("keyboard.space"), sc.t("keyboard.back"), sc.t("keyboard.clear"), ""});
    return 1;
}

int phone_sending(Ui& ui, const Scene& sc, const Box& b) {
    const Metrics& m = ui.m();
    ui.canvas().paragraph(sc.t("phone.sending"), {b.x, b.y + b.h / 4, b.w, m.d(16)}, m.px(6), true, colors::white, Align::center);
    return 1;
}

}  // namespace kiosk
