// ui: the kiosk's widgets — buttons, tiles, text fields, the on-screen keyboard,
// the header and footer — drawn the same way on every screen, sized from the
// window, and remembered for the touch that follows.
//
// Why immediate mode: each frame the screen code says what is there ("a button
// 'service:A' here, saying this"); the Ui draws it and keeps the list, and a
// touch is matched against the list of the frame the person saw. No widget
// objects to keep in step with the state, and a test taps a button by its id.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "kiosk/canvas.hpp"

namespace kiosk {

enum class Look { normal, primary, quiet, key, selected };

struct Target {
    std::string id;
    Box box;
    bool enabled = true;
};

// Sizes from the window: `u` is a hundredth of its shorter side; type grows by
// a third in large-text mode.
struct Metrics {
    int width = 0, height = 0;
    bool portrait = false;
    double u = 10;
    double text_scale = 1.0;
    int px(double units) const { return static_cast<int>(units * u * text_scale); }
    int d(double units) const { return static_cast<int>(units * u); }
};
Metrics metrics_for(int width, int height, bool large_text);

namespace colors {
constexpr SDL_Color background{11, 25, 44, 255};
constexpr SDL_Color panel{22, 48, 82, 255};
constexpr SDL_Color tile{29, 78, 137, 255};
constexpr SDL_Color primary{255, 210, 20, 255};
constexpr SDL_Color ink{11, 25, 44, 255};
constexpr SDL_Color white{255, 255, 255, 255};
constexpr SDL_Color muted{185, 200, 222, 255};
constexpr SDL_Color pressed{255, 255, 255, 255};
constexpr SDL_Color disabled{58, 74, 94, 255};
constexpr SDL_Color alert{200, 28, 44, 255};
constexpr SDL_Color amber{255, 170, 0, 255};
constexpr SDL_Color good{46, 160, 67, 255};
}  // namespace colors

class Ui {
public:
    Ui(Canvas& canvas, Metrics m, std::string pressed) : canvas_(canvas), m_(m), pressed_(std::move(pressed)) {}

    Canvas& canvas() { return canvas_; }
    const Metrics& m() const { return m_; }
    std::vector<Target> take_targets() { return std::move(targets_); }

    // A button with a title and an optional second line; `id` is what a touch on it does.
    void button(const std::string& id, const Box& b, const std::string& title, const std::string& sub = "",
                Look look = Look::normal, bool enabled = true);
    // A tappable line of a list (a search hit, a field).
    void row(const std::string& id, const Box& b, const std::string& title, const std::string& sub);
    // A text field: its label above, the text (or a grey hint) and a caret when focused.
    void field(const std::string& id, const Box& b, const std::string& label, const std::string& text,
               const std::string& hint, bool focused);
    // Letters and digits, Vietnamese-friendly; `extra` adds keys such as ". -" for codes.
    // Ids: "key:a", "key:space", "key:back", "key:clear", "key:telex"; telex_label empty: no toggle.
    struct KeyLabels {
        std::string space, back, clear, telex;  // telex empty: no toggle
    };
    void keyboard(const Box& b, const std::string& extra, const KeyLabels& labels);
    // Digits for a phone number, as the keyboard's keys ("key:0".."key:9", "key:back",
    // "key:clear"), so typing goes where the keyboard's does.
    void digit_pad(const Box& b, const KeyLabels& labels);
    // A digits pad for the PIN: "pin:0".."pin:9", "pin:back", "pin:ok".
    void pin_pad(const Box& b, const std::string& ok_label);

    void title(const std::string& s, const Box& b);
    int paragraph(const std::string& s, const Box& b, double size, SDL_Color c = colors::white, bool bold = false) {
        return canvas_.paragraph(s, b, m_.px(size), bold, c);
    }

private:
    void add(const std::string& id, const Box& b, bool enabled) { targets_.push_back({id, b, enabled}); }

    Canvas& canvas_;
    Metrics m_;
    std::string pressed_;
    std::vector<Target> targets_;
};

// The target under a point, among those of the last frame (the last drawn wins).
std::optional<Target> target_at(const std::vector<Target>& targets, int x, int y);

}  // namespace kiosk
