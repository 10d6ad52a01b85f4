// phone: a text message when the turn is near, asked for at the kiosk right
// after the ticket (issue 20). The citizen types a mobile number on the digits
// pad, agrees to the consent line, and the kiosk hands the number to the server
// (POST /api/public/tickets/{key}/notify), which keeps it for the day and sends.
//
// Why the follow key and not the ticket id: the public route is the citizen's
// own door, the same one the phone page uses, and the key is what proves the
// ticket is theirs. The key comes in the issue reply, stays in the ticket shown
// (memory only), and is never logged or written to disk; neither is the number,
// which the kiosk shows back only masked, as the server answers it.
#include "kiosk/app.hpp"

namespace kiosk {

namespace {

using client::field;

constexpr int kAlertAhead = 3;  // the contract's default: a message at 3 people ahead (and when called)

std::string ticket_number(const std::optional<TicketOutcome>& o) { return o ? field<std::string>(o->ticket, "number", "") : ""; }

// What the screen says to an answer that did not sign the person up.
std::string message_for(const Reply& r) {
    if (!r.answered()) return "phone.offline";
    const std::string code = r.code();
    if (r.status == 400 && code == "bad_phone") return "phone.bad";
    if (r.status == 409 && code == "no_sender") return "phone.no_sender";
    return "phone.failed";
}

}  // namespace

void KioskApp::open_phone() {
    if (!state_.outcome || field<std::string>(state_.outcome->ticket, "follow_key", "").empty()) return;
    state_.phone_message.clear();
    go(Screen::phone);
}

void KioskApp::send_phone() {
    if (state_.screen != Screen::phone || !state_.outcome || !state_.phone_masked.empty()) return;
    const std::string key = field<std::string>(state_.outcome->ticket, "follow_key", "");
    if (key.empty() || state_.phone_message == "phone.no_sender") return;
    if (state_.phone.empty()) {
        state_.phone_message = "phone.bad";
        dirty_ = true;
        return;
    }
    if (!online_) {
        state_.phone_message = "phone.offline";
        dirty_ = true;
        return;
    }
    const int64_t id = field<int64_t>(state_.outcome->ticket, "id", 0);
    const nlohmann::json body{{"phone", state_.phone}, {"ahead", kAlertAhead}, {"consent", true}};
    go(Screen::phone_sending);
    ++jobs_;
    net_->post([this, key, body, id] {
        Reply r = api_->post("/api/public/tickets/" + key + "/notify", body);
        post_ui([this, r = std::move(r), id] {
            --jobs_;
            phone_replied(r, id);
        });
    });
}

void KioskApp::phone_replied(const Reply& r, int64_t ticket) {
    // The person may have left (idle, Home) while the request was out: the answer has nowhere to go.
    if (state_.screen != Screen::phone_sending || !state_.outcome || field<int64_t>(state_.outcome->ticket, "id", 0) != ticket) return;
    const std::string number = ticket_number(state_.outcome);
    if (r.ok() && r.body.is_object()) {
        state_.phone_masked = field<std::string>(r.body, "phone", "");
        state_.phone_ahead = field<int>(r.body, "ahead", kAlertAhead);
        state_.phone.clear();  // the server has it; the kiosk keeps only the masked form
        log_("messages asked for ticket " + number);
        return go(Screen::phone);
    }
    state_.phone_message = message_for(r);
    if (state_.phone_message == "phone.no_sender") {
        messages_off_ = true;  // not offered again until the link comes back
        state_.phone.clear();
        log_("messages for ticket " + number + ": the center has no message sender (409 no_sender)");
    } else if (state_.phone_message != "phone.bad") {
        log_("messages for ticket " + number + " not asked: " + (r.answered() ? std::to_string(r.status) + " " + r.code() : r.error));
    }
    go(Screen::phone);
}

}  // namespace kiosk
