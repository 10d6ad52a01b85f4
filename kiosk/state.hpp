// state: what the kiosk is showing and what the person has typed or chosen —
// everything a screen is drawn from, and nothing else, so the same state always
// draws the same picture (the golden screenshots depend on it).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog/index.hpp"
#include "kiosk/strings.hpp"

namespace kiosk {

enum class Screen {
    home,
    services,         // service tiles
    category,         // normal or a priority category
    issuing,          // waiting for the server's number
    ticket,           // the number, printed or on screen
    phone,            // a phone number for messages about that ticket (phone.cpp)
    phone_sending,    // waiting for the server to take it
    refused,          // no number was issued, and why
    search,           // keyboard, field list or results
    field,            // the procedures of one field
    procedure,        // one procedure's papers, fees, time
    dossier,          // code and check entry
    dossier_looking,  // waiting for the server
    dossier_result,   // status and timeline
    booking_code,     // a booking's code typed, to check it in (checkin.cpp)
    admin,            // the PIN pad to leave the kiosk
};

enum class PrintState { none, printing, printed, failed };

struct TicketOutcome {
    nlohmann::json ticket;       // the server's answer (or the event, when the answer was lost)
    std::string category_vi, category_en;
    PrintState print = PrintState::none;
    std::string print_error;     // for the log and staff; the screen says it plainly
    std::string proof;           // the QR's text when the paper failed
};

struct KioskState {
    Screen screen = Screen::home;
    Lang lang = Lang::vi;
    bool large_text = false;
    int page = 0;  // of the list on screen

    // Taking a number.
    std::string service;        // chosen service code
    std::string refusal;        // strings key: why no number
    std::optional<TicketOutcome> outcome;

    // A chip ID card scanned with no booking for today: the walk-in number is
    // taken with it, and the server keeps only its keyed hash (for the limits)
    // and the masked name. The number and the name live here, never on the
    // screen or the paper, and go at the next reset.
    std::string card_id;
    std::string card_name;
    bool card_elderly = false;  // old enough: the elderly priority without asking

    // Messages about the ticket shown. The digits live here until sent (the
    // person sees what they type); the server keeps the number, the kiosk keeps
    // only its masked form, and all of it goes with the ticket at the next reset.
    std::string phone;          // digits as typed
    std::string phone_message;  // strings key: bad number, no sender, offline
    std::string phone_masked;   // "09*****678" once the server took it
    int phone_ahead = 3;        // as the server took it

    // Procedures.
    std::string query;
    bool telex = false;
    std::vector<catalog::Hit> hits;
    std::string field;                     // browsed field
    std::vector<catalog::Hit> field_list;  // its procedures
    nlohmann::json procedure;              // the record shown
    std::string procedure_note;            // strings key: printed, or could not print
    Screen procedure_from = Screen::search;

    // Dossiers.
    std::string dossier_code, dossier_check;
    int focus = 0;                // 0 the code, 1 the check
    std::string dossier_message;  // strings key: not found, too many, offline
    nlohmann::json dossier;       // the server's view

    // A booking checked in by its code (typed from the phone's page or the text).
    std::string booking_code;     // what was typed, the booking alphabet only
    std::string booking_message;  // strings key: the code is too short

    // Leaving the kiosk.
    std::string pin;
    bool pin_wrong = false;

};

}  // namespace kiosk
