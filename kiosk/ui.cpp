// ui: widgets drawn and remembered for touches (see ui.hpp).
#include "kiosk/ui.hpp"

#include <algorithm>

namespace kiosk {

Metrics metrics_for(int width, int height, bool large_text) {
    Metrics m;
    m.width = width;
    m.height = height;
    m.portrait = height > width;
    m.u = std::min(width, height) / 100.0;
    m.text_scale = large_text ? 1.3 : 1.0;
    return m;
}

void Ui::button(const std::string& id, const Box& b, const std::string& title, const std::string& sub, Look look, bool enabled) {
    const bool down = enabled && id == pressed_;
    SDL_Color fill = look == Look::primary ? colors::primary : look == Look::quiet ? colors::panel : look == Look::key ? colors::panel
                     : look == Look::selected ? colors::primary : colors::tile;
    SDL_Color ink = look == Look::primary || look == Look::selected ? colors::ink : colors::white;
    if (!enabled) {
        fill = colors::disabled;
        ink = colors::muted;
    }
    if (down) {
        fill = colors::pressed;
        ink = colors::ink;
    }
    canvas_.fill(b, fill);
    if (look != Look::key) canvas_.outline(b, down ? colors::primary : colors::background, std::max(1, m_.d(0.3)));
    const int pad = std::min(m_.d(2), b.h / 6);
    const Box inner = b.inset(pad);
    if (sub.empty()) {
        const double share = look == Look::key ? 0.55 : 0.42;
        canvas_.text(title, inner, std::min(m_.px(4.2), static_cast<int>(inner.h * share * m_.text_scale)), true, ink, Align::center);
    } else {
        const int sub_px = std::min(m_.px(2.8), inner.h * 25 / 100);
        const int sub_h = canvas_.paragraph_height(sub, inner.w, sub_px, false);
        // A long title (a category's full name) shrinks until it and its line fit.
        int title_px = std::min(m_.px(4.6), inner.h * 45 / 100);
        int title_h = canvas_.paragraph_height(title, inner.w, title_px, true);
        while (title_h + sub_h > inner.h && title_px > sub_px) {
            title_px = std::max(sub_px, title_px * 9 / 10);
            title_h = canvas_.paragraph_height(title, inner.w, title_px, true);
        }
        const int top = inner.y + std::max(0, (inner.h - title_h - sub_h) / 2);
        canvas_.paragraph(title, {inner.x, top, inner.w, std::min(title_h, inner.h)}, title_px, true, ink, Align::center);
        canvas_.paragraph(sub, {inner.x, top + title_h, inner.w, std::max(0, inner.bottom() - top - title_h)}, sub_px, false,
                          down || look == Look::primary ? ink : colors::muted, Align::center);
    }
    add(id, b, enabled);
}

void Ui::row(const std::string& id, const Box& b, const std::string& title, const std::string& sub) {
    const bool down = id == pressed_;
    canvas_.fill(b, down ? colors::pressed : colors::panel);
    const SDL_Color ink = down ? colors::ink : colors::white;
    const int pad = m_.d(1.5);
    const Box inner = b.inset(pad);
    // The title larger than the line under it, however tall the row.
    const int sub_px = std::min(m_.px(2.6), inner.h * 28 / 100);
    const int sub_h = sub.empty() ? 0 : std::min(inner.h / 2, canvas_.line_height(sub_px, false));
    const int title_px = std::max(sub_px + 2, std::min(m_.px(3.4), (inner.h - sub_h) * 75 / 100));
    canvas_.paragraph(title, {inner.x, inner.y, inner.w, inner.h - sub_h}, title_px, true, ink);
    if (!sub.empty()) canvas_.text(sub, {inner.x, inner.bottom() - sub_h, inner.w, sub_h}, sub_px, false, down ? ink : colors::muted);
    add(id, b, true);
}

void Ui::field(const std::string& id, const Box& b, const std::string& label, const std::string& text,
               const std::string& hint, bool focused) {
    const int label_h = b.h * 35 / 100;
    canvas_.text(label, b.top(label_h), m_.px(2.8), false, colors::muted);
    const Box box = b.below(label_h);
    canvas_.fill(box, colors::white);
    canvas_.outline(box, focused ? colors::primary : colors::muted, std::max(2, m_.d(focused ? 0.8 : 0.3)));
    const Box inner = box.inset(m_.d(1.5));
    if (text.empty()) {
        canvas_.text(hint, inner, m_.px(3), false, {120, 130, 145, 255});
    } else {
        canvas_.text(text, inner, m_.px(4.2), true, colors::ink);
    }
    if (focused) {  // the caret: a bar after the text
        const int typed = text.empty() ? 0 : canvas_.text_width(text, std::min(m_.px(4.2), inner.h), true) + m_.d(0.4);
        const int caret_x = std::min(inner.x + typed, inner.x + inner.w - 2);
        canvas_.fill({caret_x, inner.y + inner.h / 8, std::max(2, m_.d(0.4)), inner.h * 3 / 4}, colors::ink);
    }
    add(id, b, true);
}

void Ui::keyboard(const Box& b, const std::string& extra, const KeyLabels& labels) {
    canvas_.fill(b, colors::background);
    const std::vector<std::string> rows = {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm" + extra};
    const int gap = std::max(2, m_.d(0.6));
    const int row_h = (b.h - gap * 5) / 5;
    size_t widest = 0;
    for (const auto& r : rows) widest = std::max(widest, r.size());
    const int key_w = (b.w - gap * (static_cast<int>(widest) + 1)) / static_cast<int>(widest);
    for (size_t r = 0; r < rows.size(); ++r) {
        const int count = static_cast<int>(rows[r].size());
        const int x0 = b.x + (b.w - count * key_w - (count - 1) * gap) / 2;
        const int y = b.y + gap + static_cast<int>(r) * (row_h + gap);
        for (int i = 0; i < count; ++i) {
            const std::string key(1, rows[r][static_cast<size_t>(i)]);
            button("key:" + key, {x0 + i * (key_w + gap), y, key_w, row_h}, key, "", Look::key);
        }
    }
    const int y = b.y + gap + 4 * (row_h + gap);
    // Ten units across; with its gaps inside and between keys, a row of ten units takes 11 gaps.
    const int unit = (b.w - 11 * gap) / 10;
    int x = b.x + gap;
    auto wide = [&](const std::string& id, int units, const std::string& label, Look look) {
        button(id, {x, y, unit * units + gap * (units - 1), row_h}, label, "", look);
        x += unit * units + gap * units;
    };
    if (!labels.telex.empty()) wide("key:telex", 2, labels.telex, Look::quiet);
    wide("key:space", labels.telex.empty() ? 6 : 4, labels.space, Look::key);
    wide("key:back", 2, labels.back, Look::key);
    wide("key:clear", 2, labels.clear, Look::quiet);
}

void Ui::digit_pad(const Box& b, const KeyLabels& labels) {
    const int gap = std::max(2, m_.d(1));
    const int w = (b.w - 2 * gap) / 3, h = (b.h - 3 * gap) / 4;
    const char* keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"};
    for (int i = 0; i < 12; ++i) {
        const Box k{b.x + (i % 3) * (w + gap), b.y + (i / 3) * (h + gap), w, h};
        const std::string key = keys[i];
        const bool word = key.size() > 1;
        button("key:" + key, k, key == "clear" ? labels.clear : key == "back" ? labels.back : key, "", word ? Look::quiet : Look::key);
    }
}

void Ui::pin_pad(const Box& b, const std::string& ok_label) {
    const int gap = m_.d(1);
    const int w = (b.w - 2 * gap) / 3, h = (b.h - 3 * gap) / 4;
    const char* keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "ok"};
    for (int i = 0; i < 12; ++i) {
        const Box k{b.x + (i % 3) * (w + gap), b.y + (i / 3) * (h + gap), w, h};
        const std::string key = keys[i];
        const std::string label = key == "back" ? "‹" : key == "ok" ? ok_label : key;
        button("pin:" + key, k, label, "", key == "ok" ? Look::primary : Look::key);
    }
}

void Ui::title(const std::string& s, const Box& b) { canvas_.text(s, b, m_.px(5), true, colors::white); }

std::optional<Target> target_at(const std::vector<Target>& targets, int x, int y) {
    for (auto it = targets.rbegin(); it != targets.rend(); ++it)
        if (it->box.contains(x, y)) return *it;
    return std::nullopt;
}

}  // namespace kiosk
