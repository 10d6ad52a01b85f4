// checkin: a booked citizen arrives (issue 21). The booking's QR from the
// phone's screen (its link, /b/{key}) or the chip ID card's QR, read by the
// kiosk's scanner on any screen, becomes today's ticket through
// POST /api/checkins, shown and printed like a number taken. A card whose
// holder has reached the elderly age checks in with the elderly priority by
// itself (`elderly_age` in the kiosk's config, 60 by the Law on the Elderly),
// when the center has that category.
//
// A card with no booking for today takes a walk-in number: the person picks
// a service (the elderly priority comes from the card), and the number goes
// with the card, so the per-person limits count it; a center may give walk-in
// numbers to scanned cards only (walk_in_identity), and then says so.
//
// The card's ID number goes to the server and nowhere else: not on the
// screen, not on the paper, not in the log. A card QR that is cut short, an
// old card's or a bad date says so on the refusal screen; any other scan goes
// on to the dossier lookup as before.
#include <algorithm>

#include "common/booking_code.hpp"
#include "common/id_card.hpp"
#include "kiosk/app.hpp"

namespace kiosk {

namespace {

bool key_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

const char* card_refusal(common::IdCardProblem p) {
    switch (p) {
        case common::IdCardProblem::truncated: return "refused.card_truncated";
        case common::IdCardProblem::old_card: return "refused.card_old";
        case common::IdCardProblem::bad_date: return "refused.card_date";
        case common::IdCardProblem::not_id_card: break;
    }
    return "refused.other";
}

}  // namespace

std::optional<std::string> booking_key_in(const std::string& text) {
    const size_t at = text.rfind("/b/");
    if (at == std::string::npos) return std::nullopt;
    std::string key = text.substr(at + 3);
    while (!key.empty() && (key.back() == '/' || key.back() == '\r' || key.back() == '\n')) key.pop_back();
    if (key.size() != 22 || !std::all_of(key.begin(), key.end(), key_char)) return std::nullopt;
    return key;
}

void KioskApp::check_in_code() {
    if (!common::is_booking_code(state_.booking_code)) {
        state_.booking_message = "booking.short";
        dirty_ = true;
        return;
    }
    log_("a booking's code typed: checking it in");
    check_in({{"code", state_.booking_code}}, "normal");
}

bool KioskApp::scanned_arrival(const std::string& text) {
    if (const auto key = booking_key_in(text)) {
        log_("a booking's QR scanned: checking it in");
        check_in({{"key", *key}}, "normal");
        return true;
    }
    const auto card = common::read_id_card_qr(text);
    if (const auto* problem = std::get_if<common::IdCardProblem>(&card)) {
        if (*problem == common::IdCardProblem::not_id_card) return false;
        log_(std::string("an ID card's QR not read: ") + common::to_string(*problem));
        reset(false);
        state_.refusal = card_refusal(*problem);
        go(Screen::refused);
        return true;
    }
    const common::IdCard& c = std::get<common::IdCard>(card);
    const bool elderly = config_.elderly_age > 0 && common::age_on(c.birth_date, calendar_.at(clock_()).day) >= config_.elderly_age &&
                         std::any_of(mirror_.categories().begin(), mirror_.categories().end(),
                                     [](const auto& cat) { return cat.code == "elderly"; });
    log_(std::string("an ID card's QR scanned: checking its booking in") + (elderly ? " (elderly)" : ""));
    nlohmann::json body = {{"id_number", c.id_number}};
    if (elderly) body["category"] = "elderly";
    check_in(body, elderly ? "elderly" : "normal");
    // No booking today: the number is taken with the card (flows.cpp, issued).
    state_.card_id = c.id_number;
    state_.card_name = c.name;
    state_.card_elderly = elderly;
    return true;
}

void KioskApp::check_in(const nlohmann::json& body, const std::string& category) {
    reset(false);
    if (!online_) {
        state_.refusal = "refused.offline";
        return go(Screen::refused);
    }
    go(Screen::issuing);
    ++jobs_;
    const int64_t seq = mirror_.seq();
    net_->post([this, body, category, seq] {
        Reply r = api_->post("/api/checkins", body);
        post_ui([this, r = std::move(r), category, seq] {
            --jobs_;
            issued(r, category, seq);
        });
    });
}

}  // namespace kiosk
