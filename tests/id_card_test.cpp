// id_card_test: the chip ID card's QR as the kiosk's scanner gives it (issue 21) —
// read whole, or refused with the reason: another QR, a cut-short scan, an old
// 9-digit card, a date that is no date; and the age the elderly priority needs.
#include <catch2/catch.hpp>

#include "common/id_card.hpp"

using namespace common;

namespace {

const std::string kCard = "001150012345|123456789|Nguyễn Văn An|01011950|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|15082021";

IdCardProblem problem(const std::string& text) {
    const auto r = read_id_card_qr(text);
    REQUIRE(std::holds_alternative<IdCardProblem>(r));
    return std::get<IdCardProblem>(r);
}

}  // namespace

TEST_CASE("a chip ID card's QR is read: its number - the name in NFC - the birth date") {
    const auto r = read_id_card_qr(kCard);
    REQUIRE(std::holds_alternative<IdCard>(r));
    const IdCard& c = std::get<IdCard>(r);
    CHECK(c.id_number == "001150012345");
    CHECK(c.name == "Nguyễn Văn An");
    CHECK(c.birth_date == 19500101);
    // Without the old number, with a line end after it, the name decomposed (NFD) by the scanner.
    const auto nfd = read_id_card_qr("001150012345||Nguye\xcc\x82\xcc\x83n Va\xcc\x86n An|01011950|Nam|Hà Nội|15082021\r\n");
    REQUIRE(std::holds_alternative<IdCard>(nfd));
    CHECK(std::get<IdCard>(nfd).name == "Nguyễn Văn An");
}

TEST_CASE("what is not a whole chip ID card QR is refused with its reason") {
    CHECK(problem("https://hcc.example.vn/b/abcdefghijklmnopqrstuv") == IdCardProblem::not_id_card);
    CHECK(problem("H55.26-0001|1234") == IdCardProblem::not_id_card);  // a dossier receipt
    CHECK(problem("") == IdCardProblem::not_id_card);
    CHECK(problem("001150012345|123456789|Nguyễn Văn An") == IdCardProblem::truncated);
    CHECK(problem("001150012345|123456789||01011950|Nam|Hà Nội|15082021") == IdCardProblem::truncated);
    CHECK(problem("123456789||Nguyễn Văn An|01011950|Nam|Hà Nội|15082021") == IdCardProblem::old_card);
    CHECK(problem("00115001234X|123456789|Nguyễn Văn An|01011950|Nam|Hà Nội|15082021") == IdCardProblem::not_id_card);
    CHECK(problem("001150012345|123456789|Nguyễn Văn An|31021950|Nam|Hà Nội|15082021") == IdCardProblem::bad_date);
    CHECK(problem("001150012345|123456789|Nguyễn Văn An|1950-01-01|Nam|Hà Nội|15082021") == IdCardProblem::bad_date);
    CHECK(problem("001150012345|123456789|\xff\xfe|01011950|Nam|Hà Nội|15082021") == IdCardProblem::not_id_card);
    CHECK(std::string(message_vi(IdCardProblem::old_card)).find("9 số") != std::string::npos);
}

TEST_CASE("the age on a day counts whole years: the birthday itself counts") {
    CHECK(age_on(19660315, 20260314) == 59);
    CHECK(age_on(19660315, 20260315) == 60);
    CHECK(age_on(19661231, 20261124) == 59);
    CHECK(age_on(20300101, 20261124) == 0);
}
