// id_card: the chip ID card's QR, read strictly (see id_card.hpp).
#include "common/id_card.hpp"

#include <algorithm>
#include <vector>

#include "common/local_time.hpp"
#include "common/text.hpp"

namespace common {
namespace {

bool digits(const std::string& s, size_t n) {
    return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> fields_of(const std::string& text) {
    std::vector<std::string> out(1);
    for (const char c : text) {
        if (c == '|') out.emplace_back();
        else if (c != '\r' && c != '\n') out.back() += c;
    }
    return out;
}

}  // namespace

const char* to_string(IdCardProblem p) {
    switch (p) {
        case IdCardProblem::not_id_card: return "not_id_card";
        case IdCardProblem::truncated: return "truncated";
        case IdCardProblem::old_card: return "old_card";
        case IdCardProblem::bad_date: return "bad_date";
    }
    return "?";
}

const char* message_vi(IdCardProblem p) {
    switch (p) {
        case IdCardProblem::not_id_card: return "Mã vừa quét không phải mã QR trên căn cước công dân.";
        case IdCardProblem::truncated: return "Mã QR chưa đọc được hết, xin quét lại.";
        case IdCardProblem::old_card: return "Chứng minh nhân dân 9 số không có mã QR này; xin dùng căn cước gắn chíp.";
        case IdCardProblem::bad_date: return "Ngày sinh trên mã QR không hợp lệ.";
    }
    return "";
}

const char* message_en(IdCardProblem p) {
    switch (p) {
        case IdCardProblem::not_id_card: return "This is not the QR code of a chip ID card.";
        case IdCardProblem::truncated: return "The QR code was not read whole; please scan it again.";
        case IdCardProblem::old_card: return "Old 9-digit ID cards carry no such code; please use a chip ID card.";
        case IdCardProblem::bad_date: return "The date of birth in the QR code is not a date.";
    }
    return "";
}

std::variant<IdCard, IdCardProblem> read_id_card_qr(const std::string& text) {
    const auto f = fields_of(text);
    if (f.size() != 7) return f.size() >= 2 && f.size() < 7 && digits(f[0], 12) ? IdCardProblem::truncated : IdCardProblem::not_id_card;
    if (digits(f[0], 9) && f[1].empty()) return IdCardProblem::old_card;
    if (!digits(f[0], 12)) return IdCardProblem::not_id_card;
    if (!f[1].empty() && !digits(f[1], 9)) return IdCardProblem::not_id_card;
    if (f[2].empty() || f[3].empty() || f[4].empty() || f[6].empty()) return IdCardProblem::truncated;
    if (!digits(f[3], 8)) return IdCardProblem::bad_date;
    const int32_t birth = std::stoi(f[3].substr(4, 4)) * 10000 + std::stoi(f[3].substr(2, 2)) * 100 + std::stoi(f[3].substr(0, 2));
    if (!is_date(birth)) return IdCardProblem::bad_date;
    const auto name = to_nfc(f[2]);
    if (!name) return IdCardProblem::not_id_card;  // not UTF-8
    return IdCard{f[0], *name, birth};
}

int age_on(int32_t birth_date, int32_t day) {
    const int years = day / 10000 - birth_date / 10000;
    const bool had_birthday = day % 10000 >= birth_date % 10000;
    return std::max(0, had_birthday ? years : years - 1);
}

}  // namespace common
