// id_card: what the QR on a Vietnamese chip ID card (CCCD, căn cước) says, read
// strictly (issue 21). The QR holds one line of seven fields split by '|':
//
//   ID number (12 digits) | old ID number (9 digits, or empty) | full name |
//   date of birth DDMMYYYY | sex | address | date of issue DDMMYYYY
//
// Why here: the kiosk reads it from its scanner, the server counts a person's
// bookings by it, and both must refuse the same things (a truncated scan, an
// old 9-digit card, a foreign QR) with the same plain reason. Nothing of it is
// to be printed, shown or logged: callers keep the ID number as a keyed hash
// and the name masked.
#pragma once
#include <cstdint>
#include <string>
#include <variant>

namespace common {

struct IdCard {
    std::string id_number;   // 12 digits
    std::string name;        // NFC
    int32_t birth_date = 0;  // yyyymmdd
};

enum class IdCardProblem {
    not_id_card,  // another QR (a URL, a booking, a receipt): not seven fields
    truncated,    // seven fields but one cut short or empty
    old_card,     // a 9-digit ID card's number: these carry no such QR
    bad_date,     // the birth date is no real date
};
const char* to_string(IdCardProblem p);
// The kiosk's words for it, Vietnamese first.
const char* message_vi(IdCardProblem p);
const char* message_en(IdCardProblem p);

std::variant<IdCard, IdCardProblem> read_id_card_qr(const std::string& text);

// Whole years from a birth date to a day, both yyyymmdd (0 when born later).
int age_on(int32_t birth_date, int32_t day);

}  // namespace common
