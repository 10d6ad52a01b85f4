// board: mirror + filters + time → BoardView (see board.hpp).
#include "display/board.hpp"

#include <array>
#include <cstdio>
#include <set>

#include "display/place.hpp"

namespace display {

namespace {

void set_clock(BoardView& v, const common::Instant& local) {
    static const std::array<const char*, 7> vi = {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"};
    static const std::array<const char*, 7> en = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    v.clock = common::clock_text(local);
    const std::string date = common::date_text(local);
    const auto w = static_cast<size_t>(common::weekday_of(local.day));
    v.date_vi = std::string(vi[w]) + ", " + date;
    v.date_en = std::string(en[w]) + " " + date;
}

CallLine line_of(const client::Mirror& m, int64_t ticket, const std::string& number, const std::string& service, int counter,
                 bool recall, int step = 0, bool returned = false) {
    CallLine line{ticket, number, counter, "", "", "", recall, step, returned, ""};
    const client::CounterInfo* k = m.counter(counter);
    const std::string name = k ? k->name : "";
    line.counter_name = counter_label(name, counter);
    if (const client::ServiceInfo* s = m.service(service)) {
        line.service_vi = s->name_vi;
        line.service_en = s->name_en;
    }
    line.place = board_place({name, counter, line.service_vi, step});
    return line;
}

}  // namespace

std::string phone_qr_text(QrMode mode, const std::string& public_url, bool display_qr) {
    // The server refuses display_qr without a public_url; a path alone would mean nothing to a phone.
    if (public_url.empty() || mode == QrMode::off || (mode == QrMode::automatic && !display_qr)) return "";
    return public_url + "/m/q";
}

bool shown(const DisplayConfig& config, const std::string& service, int counter) {
    return (config.services.empty() || config.services.count(service)) &&
           (config.counters.empty() || config.counters.count(counter));
}

BoardView make_view(const client::Mirror& m, const DisplayConfig& config, const BoardStatus& status,
                    const common::Instant& local) {
    BoardView v;
    v.kind = config.layout;
    v.english = config.english;
    v.center_name = config.center_name.empty() ? m.center_name() : config.center_name;
    v.status = status;
    v.ticker = config.ticker;
    set_clock(v, local);
    // The server opens a new day at its first command after midnight; until then
    // what it last said is yesterday's. A morning board must not show last night's calls.
    const bool yesterday = m.day() != 0 && local.day > m.day();
    // Each ticket once, at its latest call: a recall moves it back to the top.
    std::set<int64_t> seen;
    for (const auto& c : m.recent_calls()) {
        if (yesterday) break;
        if (!shown(config, c.service, c.counter) || !seen.insert(c.ticket).second) continue;
        CallLine line = line_of(m, c.ticket, c.number, c.service, c.counter, c.recall, c.step, c.returned);
        if (!v.newest) v.newest = line;
        else if (static_cast<int>(v.previous.size()) < config.calls_shown) v.previous.push_back(line);
    }
    for (const auto& s : m.services())
        if (config.services.empty() || config.services.count(s.code))
            v.waiting.push_back({s.code, s.name_vi, s.name_en, yesterday ? 0 : s.waiting});
    if (config.layout == LayoutKind::counter) {
        const client::CounterInfo* k = m.counter(config.counter);
        v.counter_name = counter_label(k ? k->name : "", config.counter);
        v.counter_paused = k && k->paused;
        if (k && k->ticket && !yesterday) v.counter_ticket = line_of(m, k->ticket, k->number, k->service, k->id, false);
    }
    return v;
}

}  // namespace display
