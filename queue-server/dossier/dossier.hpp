// dossier: a citizen's dossier (hồ sơ) as the province's dossier software reports
// it, folded from status updates that may arrive twice or out of order, and the
// view a kiosk may show: status in plain words, timeline, what is missing, the
// appointment date, whether it is overdue, and the applicant's name masked.
//
// Status codes are those of one-stop software (statuses.tsv, 1–10); "overdue"
// is not a status but derived: not finished and the appointment date passed.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace dossier {

struct UpdateError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One message from the dossier backend. Only event_id, code and at are required;
// a field left out keeps its earlier value.
struct Update {
    std::string event_id;  // unique per backend event: a repeat is ignored
    std::string code;      // as printed on the receipt
    int64_t at = 0;        // when this happened (ms since epoch), orders the steps
    std::optional<int> status;
    std::string note;
    std::optional<std::string> procedure_code, procedure_name, applicant_name, check;
    std::optional<std::string> received_date, appointment_date;  // "YYYY-MM-DD"
    std::optional<std::vector<std::string>> supplements;       // documents still needed
    std::optional<std::string> pickup;                          // "Quầy số 3", "Bưu điện"
};

struct Step {
    int status = 0;
    int64_t at = 0;
    std::string note;
    std::string event_id;
};

struct Dossier {
    std::string code, procedure_code, procedure_name, applicant_name, check;
    std::string received_date, appointment_date, pickup;
    std::vector<std::string> supplements;
    std::vector<Step> history;  // by time, whatever order they came in
    int64_t fields_at = 0;      // time of the update the other fields come from
    int status() const { return history.empty() ? 0 : history.back().status; }
};

// Strict reading of one update object (unknown keys refused); throws UpdateError.
Update update_from_json(const nlohmann::json& j);

// The most updates one push or one pulled page may carry.
constexpr size_t max_updates_per_batch = 5000;

// A push body, {"updates": [...]}: all or nothing, throws UpdateError
// ("update 7: at is missing (nothing in this request was applied)").
std::vector<Update> parse_feed_push(std::string_view body);

// A page of the pull connector's endpoint: {"updates": [...], "cursor": "...",
// "more": true|false}. The cursor is opaque, given back in the next request;
// "more" says another page is ready at once. Throws UpdateError.
struct FeedPage {
    std::vector<Update> updates;
    std::string cursor;
    bool more = false;
};
FeedPage parse_feed_page(std::string_view body);

// A CSV export of the dossier software, one row a step: code, status, at
// (required; at is ISO 8601 with its offset: 2026-11-24T08:15:00+07:00), then
// any of procedure_code, procedure_name, applicant_name, check, received_date,
// appointment_date, pickup, note, supplements (" | " between documents). A row's
// event id is made of code, status and at, so importing a file twice changes
// nothing. All or nothing: throws UpdateError("line 7: ...").
std::vector<Update> updates_from_csv(std::string_view text);
// "2026-11-24T08:15:00+07:00" (or Z, seconds optional) → ms since 1970.
std::optional<int64_t> parse_iso_time(std::string_view s);

// Folds an update in: a step goes into the timeline at its time; other fields
// change only if this update is not older than the one they came from.
void apply(Dossier& d, const Update& u);

nlohmann::json to_json(const Dossier& d);
Dossier dossier_from_json(const nlohmann::json& j);

// "Nguyễn Văn An" → "Nguyễn V** A**": the family name and each initial
// (name_mask.cpp). The name is taken in NFC; a word is a run of letters, marks
// and digits, and anything else (any Unicode space, tab, newline, U+200B and
// other invisible format characters, punctuation, symbols) only separates
// words, so no way of writing a space can bring the rest of a word to screen.
// The promise: the output is the first word whole, then for each later word one
// space, its first code point and "**"; invalid UTF-8 gives "".
std::string mask_name(std::string_view name);
// The form a dossier code is kept and looked up in (NFC; bytes that are not
// UTF-8 are kept as they are and match no dossier), so a keyboard that sends
// decomposed letters finds the same dossier and counts against the same limit.
std::string normal_code(std::string_view code);
bool finished(int status);  // refused, withdrawn, stopped, returned
// The kiosk's answer: no check value, no full name. `today` is "YYYY-MM-DD".
nlohmann::json public_view(const Dossier& d, const std::string& today);

}  // namespace dossier
