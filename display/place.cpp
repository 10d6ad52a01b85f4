// place: the board's and the voice's words for where a call sends the citizen (see place.hpp).
#include "display/place.hpp"

#include <algorithm>
#include <sstream>

#include "display/speech.hpp"

namespace display {

namespace {

bool is_number(const std::string& w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Marks a sign puts between its words, which say nothing of what the counter does.
bool is_mark(const std::string& w) { return w == "-" || w == "–" || w == "—" || w == ":" || w == "." || w == "#"; }

bool past_first(const PlaceOf& p) { return p.step > 0 && !p.service_vi.empty(); }

}  // namespace

bool numbered_only(const std::string& counter_name) {
    std::istringstream words(clip_key(counter_name));
    for (std::string w; words >> w;)
        if (w != "quầy" && w != "số" && !is_number(w) && !is_mark(w)) return false;
    return true;
}

std::string counter_label(const std::string& counter_name, int counter) {
    return counter_name.empty() ? "Quầy " + std::to_string(counter) : counter_name;
}

std::string board_place(const PlaceOf& p) {
    const std::string name = counter_label(p.counter_name, p.counter);
    if (!numbered_only(p.counter_name) || !past_first(p)) return name;
    return name + " – " + p.service_vi;
}

std::string spoken_place(const PlaceOf& p) {
    if (!numbered_only(p.counter_name)) return p.counter_name;
    // "quầy số hai" as the default wording says it; the service after a pause.
    const std::string number = "quầy số " + std::to_string(std::max(p.counter, 0));
    return past_first(p) ? number + ", " + p.service_vi : number;
}

}  // namespace display
