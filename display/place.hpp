// place: where a call sends the citizen, as the board writes it and as the
// voice says it (issue 22: a visit goes from desk to desk with one number).
//
// Why a counter's name alone is not always enough: a center names its counters
// either by number only ("Quầy 2") or by what they do ("Quầy thu phí số 2").
// At a visit's first step the citizen chose the service at the kiosk, so the
// number is all they need. At a later step they have just left another desk
// and do not know this one: "đến Quầy 2" would not tell them it is the cashier,
// so a number-only counter is followed by the step's service, "Quầy 2 – Thu phí"
// (the dash reads as the apposition Vietnamese signs use: "Quầy 2 – Thu phí").
// A counter whose name already says what it is keeps its name as it is:
// "Quầy thu phí số 2 – Thu phí" would say it twice.
#pragma once
#include <string>

namespace display {

struct PlaceOf {
    std::string counter_name;  // the center's name for the counter; may be empty
    int counter = 0;
    std::string service_vi;    // the service of the step it is called for
    int step = 0;              // 0: the visit's first service
};

// True when the name says nothing but "Quầy" and a number ("Quầy 2", "quầy số 2",
// "2", empty): then the counter is known by its number only.
bool numbered_only(const std::string& counter_name);

// The counter's name on the board: its own, or "Quầy N" when it has none.
std::string counter_label(const std::string& counter_name, int counter);

// The place written on the board: "Quầy thu phí số 2", "Quầy 2 – Thu phí", "Quầy 3".
std::string board_place(const PlaceOf& p);

// The place as spoken, digits left as digits (speech reads them as numbers):
// "quầy thu phí số 2", "quầy số 2, thu phí", "quầy số 3".
std::string spoken_place(const PlaceOf& p);

}  // namespace display
