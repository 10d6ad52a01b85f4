// flows: what the kiosk's screens ask of the server, the printer and the
// catalog, and what comes back (see app.hpp for the threads).
#include <malloc.h>

#include <algorithm>

#include "kiosk/app.hpp"
#include "common/http_url.hpp"
#include "drivers/errors.hpp"

namespace kiosk {

namespace {

using client::field;
using client::member;

constexpr int64_t kLostAnswerWaitMs = 10'000;   // on the "getting your number" screen
constexpr int64_t kLostAnswerKeepMs = 120'000;  // a late event still prints and shows it

std::string refusal_for(const Reply& r) {
    if (!r.answered()) return "refused.offline";
    const std::string code = r.code();
    if (code == "service_closed") return "refused.closed";
    if (code == "sold_out" || code == "range_exhausted") return "refused.cap";
    if (code == "unknown_booking" || code == "no_booking_today") return "refused.no_booking";
    if (code == "too_early") return "refused.too_early";
    if (code == "too_late") return "refused.too_late";
    if (code == "already_checked_in") return "refused.checked_in";
    if (code == "not_today") return "refused.not_today";
    if (code == "identity_required") return "refused.card_needed";
    if (code == "limit_reached") return "refused.limit";
    return "refused.other";
}

}  // namespace

// --- the event stream ---

void KioskApp::link_changed(bool up, const std::string& why) {
    if (up == online_) return;
    online_ = up;
    dirty_ = true;
    log_(up ? "connected to " + config_.server : "offline: " + why);
    if (!up) return;
    reported_.clear();  // a restarted server has forgotten the printer's state
    messages_off_ = false;  // and may have a message sender now
    report_printer();
    if (my_source_.empty()) ask_who_am_i();
    if (state_.screen == Screen::dossier_result) lookup_dossier(true);  // it may have changed while the link was down
}

void KioskApp::receive(const nlohmann::json& m) {
    const std::string type = field<std::string>(m, "type", "");
    if (type == "snapshot") {
        mirror_.apply_snapshot(m);
        stream_->applied(mirror_.seq());
    } else if (type == "dossier_updated") {
        const auto& codes = member(m, "codes");
        const std::string shown = field<std::string>(state_.dossier, "code", "");
        if (state_.screen == Screen::dossier_result && codes.is_array() &&
            std::find(codes.begin(), codes.end(), shown) != codes.end())
            lookup_dossier(true);
    } else {
        switch (mirror_.apply_event(m)) {
            case client::Mirror::Applied::gap:
                log_("events missing after " + std::to_string(mirror_.seq()) + ": resuming");
                stream_->resync();
                return;
            case client::Mirror::Applied::ignored: break;
            case client::Mirror::Applied::changed:
                stream_->applied(mirror_.seq());
                if (type == "ticket_issued") noticed_ticket(member(m, "ticket"), mirror_.seq());
                break;
        }
    }
    sync_catalog();
    if (state_.screen == Screen::services || state_.screen == Screen::home || state_.screen == Screen::category ||
        state_.screen == Screen::procedure || type == "snapshot")
        dirty_ = true;
}

// --- taking a number ---

void KioskApp::choose_service(const std::string& code) {
    if (code.empty() || !mirror_.service(code)) return;
    state_.service = code;
    if (state_.card_elderly) return issue(code, "elderly");  // the card said so: nothing to ask
    if (mirror_.categories().size() <= 1) return issue(code, "normal");
    go(Screen::category);
}

void KioskApp::issue(const std::string& service, const std::string& category) {
    if (!online_) {  // never promise a number the server has not given
        state_.refusal = "refused.offline";
        return go(Screen::refused);
    }
    go(Screen::issuing);
    ++jobs_;
    const int64_t seq = mirror_.seq();  // a ticket this request made comes after this event
    nlohmann::json body = {{"service", service}, {"category", category}};
    if (!state_.card_id.empty()) body.update({{"id_number", state_.card_id}, {"name", state_.card_name}});
    net_->post([this, body = std::move(body), category, seq] {
        Reply r = api_->post("/api/tickets", body);
        post_ui([this, r = std::move(r), category, seq] {
            --jobs_;
            issued(r, category, seq);
        });
    });
}

void KioskApp::issued(const Reply& r, const std::string& category, int64_t since_seq) {
    if (r.ok() && r.body.is_object()) return show_ticket(r.body, category);
    if (r.maybe_applied) {  // sent, no answer: it may exist; the event stream tells
        log_("no answer to a ticket request (" + r.error + "): watching the event stream for it");
        const int64_t now = clock_();
        lost_ = Lost{category, since_seq, now + kLostAnswerWaitMs, now + kLostAnswerKeepMs};
        // Its event may have come before the failed answer did.
        for (const auto& [seq, ticket] : unclaimed_)
            if (seq > since_seq && !my_tickets_.count(field<int64_t>(ticket, "id", 0))) return adopt_lost_ticket(ticket);
        return;
    }
    if (r.answered()) log_("ticket refused: " + std::to_string(r.status) + " " + r.code());
    else log_("ticket request failed: " + r.error);
    if (r.code() == "no_booking_today" && !state_.card_id.empty()) {  // a walk-in with the card: a number, with it
        log_("no booking for this ID card today: a walk-in number with it");
        return go(Screen::services);
    }
    state_.refusal = refusal_for(r);
    go(Screen::refused);
}

// A ticket of this kiosk's on the stream that no answer has shown: the answer
// to a lost request, now or when the request's failure comes in after it.
void KioskApp::noticed_ticket(const nlohmann::json& ticket, int64_t seq) {
    const int64_t id = field<int64_t>(ticket, "id", 0);
    if (my_source_.empty() || field<std::string>(ticket, "source", "") != my_source_ || my_tickets_.count(id)) return;
    if (lost_ && seq > lost_->since_seq) return adopt_lost_ticket(ticket);
    unclaimed_.emplace_back(seq, ticket);
    if (unclaimed_.size() > 8) unclaimed_.pop_front();
}

void KioskApp::adopt_lost_ticket(nlohmann::json ticket) {
    log_("ticket " + field<std::string>(ticket, "number", "") + " was issued while its answer was lost: showing and printing it");
    if (const auto* s = mirror_.service(field<std::string>(ticket, "service", ""))) {  // the answer's words, which the event lacks
        ticket["service_name_vi"] = s->name_vi;
        ticket["service_name_en"] = s->name_en;
    }
    const std::string category = lost_->category;
    lost_.reset();
    show_ticket(ticket, category);
}

void KioskApp::show_ticket(const nlohmann::json& ticket, const std::string& category) {
    my_tickets_.insert(field<int64_t>(ticket, "id", 0));
    TicketOutcome o;
    o.ticket = ticket;
    for (const auto& c : mirror_.categories())
        if (c.code == category) {
            o.category_vi = c.name_vi;
            o.category_en = c.name_en;
        }
    o.proof = ticket_proof(ticket, calendar_);
    o.print = PrintState::printing;
    state_.outcome = std::move(o);
    ticket_shown_at_ = clock_();
    go(Screen::ticket);
    print_ticket();
}

void KioskApp::print_ticket() {
    TicketOutcome& o = *state_.outcome;
    const int64_t id = field<int64_t>(o.ticket, "id", 0);
    const auto tap = last_tap_;
    std::vector<drivers::Bitmap> pages;
    try {
        if (!printer_) throw drivers::TransportError(printer_status_ ? printer_status_->detail : "no printer");
        pages = printer_->ticket_pages(ticket_content(o.ticket, mirror_.center_name(), o.category_vi, config_, calendar_));
    } catch (const std::exception& e) {
        drivers::PrintReport failed;
        failed.error = e.what();
        failed.status = printer_status_.value_or(drivers::PrinterStatus{drivers::PrinterState::error, e.what()});
        return printed(id, failed, tap);
    }
    ++jobs_;
    print_->post([this, pages = std::move(pages), id, tap, name = "ticket-" + field<std::string>(o.ticket, "number", "")] {
        drivers::PrintReport report = printer_->print(pages, name);
        post_ui([this, report = std::move(report), id, tap] {
            --jobs_;
            printed(id, report, tap);
        });
    });
}

void KioskApp::printed(int64_t id, const drivers::PrintReport& report, std::chrono::steady_clock::time_point tap) {
    if (report.printed) {
        const double before_print = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - tap).count() -
                                    report.done_ms;
        if (hooks_.printed) hooks_.printed(report, before_print + report.first_byte_ms);
    } else {
        log_("ticket " + std::to_string(id) + " not printed: " + report.error);
    }
    printer_changed(report.printed || report.status.state != drivers::PrinterState::ready
                        ? report.status
                        : drivers::PrinterStatus{drivers::PrinterState::error, report.error});
    if (!state_.outcome || field<int64_t>(state_.outcome->ticket, "id", 0) != id) return;
    state_.outcome->print = report.printed ? PrintState::printed : PrintState::failed;
    state_.outcome->print_error = report.error;
    ticket_shown_at_ = clock_();
    dirty_ = true;
}

// --- procedures ---

void KioskApp::run_search() {
    state_.hits = state_.query.empty() || !cache_ ? std::vector<catalog::Hit>{} : cache_->search(state_.query, 60);
    state_.page = 0;
    dirty_ = true;
}

void KioskApp::open_field(size_t i) {
    const auto& fields = cache_->fields();
    if (i >= fields.size()) return;
    state_.field = fields[i].field;
    state_.field_list = cache_->in_field(state_.field);
    go(Screen::field);
}

void KioskApp::open_procedure(const std::string& code, Screen from) {
    auto record = cache_->procedure(code);
    if (!record) return;
    state_.procedure = std::move(*record);
    state_.procedure_from = from;
    state_.procedure_note.clear();
    go(Screen::procedure);
}

void KioskApp::print_checklist() {
    std::vector<drivers::Bitmap> pages;
    try {
        if (!printer_) throw drivers::TransportError("no printer");
        pages = printer_->checklist_pages(checklist_content(state_.procedure, mirror_.center_name(), clock_(), calendar_));
    } catch (const std::exception& e) {
        log_(std::string("checklist not printed: ") + e.what());
        state_.procedure_note = "procedure.print_failed";
        return;
    }
    const std::string code = field<std::string>(state_.procedure, "code", "");
    ++jobs_;
    print_->post([this, pages = std::move(pages), code] {
        drivers::PrintReport report = printer_->print(pages, "checklist-" + code);
        post_ui([this, report = std::move(report), code] {
            --jobs_;
            printer_changed(report.status);
            if (!report.printed) log_("checklist not printed: " + report.error);
            if (state_.screen != Screen::procedure || field<std::string>(state_.procedure, "code", "") != code) return;
            state_.procedure_note = report.printed ? "procedure.printed" : "procedure.print_failed";
            dirty_ = true;
        });
    });
}

void KioskApp::sync_catalog() {
    const int64_t wanted = mirror_.catalog_version();
    if (catalog_fetching_ || wanted <= 0 || wanted == cache_->version()) return;
    catalog_fetching_ = true;
    ++jobs_;
    bg_->post([this] {
        std::shared_ptr<const catalog::Index> index;
        std::string error;
        const Reply r = api_->get("/api/catalog/export");
        try {
            if (!r.ok()) throw std::runtime_error(r.answered() ? "status " + std::to_string(r.status) : r.error);
            index = cache_->prepare(r.body);
        } catch (const std::exception& e) {
            error = e.what();
        }
        post_ui([this, index, error] {
            --jobs_;
            catalog_fetching_ = false;
            if (!index) return log_("catalog not updated: " + error + " (the saved one stays in use)");
            cache_->install(index);
            // The download, its parse and the old index are freed by now: give the
            // memory back, or a kiosk keeps the peak of every catalog update.
            malloc_trim(0);
            log_("catalog version " + std::to_string(cache_->version()) + ": " + std::to_string(cache_->size()) + " procedures");
            if (state_.screen == Screen::search) run_search();
            sync_catalog();  // a newer one may have been announced meanwhile
        });
    });
}

// --- dossiers ---

void KioskApp::lookup_dossier(bool quiet) {
    const ScannedDossier scan = parse_scan(state_.dossier_code);
    std::string code = scan.code, check = state_.dossier_check.empty() ? scan.check : state_.dossier_check;
    if (quiet) code = field<std::string>(state_.dossier, "code", code);
    if (code.empty() || check.empty()) {
        state_.dossier_message = "dossier.need_both";
        state_.focus = code.empty() ? 0 : 1;
        dirty_ = true;
        return;
    }
    state_.dossier_code = code;
    state_.dossier_check = check;
    if (!quiet) go(Screen::dossier_looking);
    ++jobs_;
    net_->post([this, code, check, quiet] {
        Reply r = api_->get("/api/dossiers/" + common::percent_encode(code) + "?check=" + common::percent_encode(check));
        post_ui([this, r = std::move(r), quiet] {
            --jobs_;
            looked_up(r, quiet);
        });
    });
}

void KioskApp::looked_up(const Reply& r, bool quiet) {
    if (quiet) {  // a refresh of the dossier on screen: only a good answer changes it
        if (r.ok() && state_.screen == Screen::dossier_result) state_.dossier = r.body;
        dirty_ = true;
        return;
    }
    if (state_.screen != Screen::dossier_looking) return;  // the person went elsewhere
    if (r.ok() && r.body.is_object()) {
        state_.dossier = r.body;
        return go(Screen::dossier_result);
    }
    state_.dossier_message = !r.answered() ? "dossier.offline"
                             : r.status == 404 ? "dossier.not_found"
                             : r.status == 429 ? "dossier.too_many"
                                               : "dossier.failed";
    if (r.answered() && r.status != 404) log_("dossier lookup: " + std::to_string(r.status) + " " + r.code());
    go(Screen::dossier);
}

// --- the printer and the server's view of it ---

void KioskApp::check_printer() {
    next_printer_check_ = clock_() + int64_t{config_.printer_check_seconds} * 1000;
    if (!printer_) return report_printer();
    ++jobs_;
    print_->post([this] {
        const drivers::PrinterStatus status = printer_->status();
        post_ui([this, status] {
            --jobs_;
            printer_changed(status);
        });
    });
}

void KioskApp::printer_changed(const drivers::PrinterStatus& status) {
    if (!printer_status_ || printer_status_->state != status.state) {
        log_("printer: " + drivers::to_string(status.state) + " (" + status.detail + ")");
        dirty_ = true;
    }
    printer_status_ = status;
    report_printer();
}

void KioskApp::report_printer() {
    if (!printer_status_ || !online_) return;
    const std::string word = server_printer_word(printer_status_->state);
    if (word == reported_) return;
    reported_ = word;
    const nlohmann::json body{{"printer", word}, {"detail", printer_status_->detail.substr(0, 200)}};
    ++jobs_;
    bg_->post([this, body] {
        const Reply r = api_->post("/api/devices/status", body);
        post_ui([this, r, word = body["printer"].get<std::string>()] {
            --jobs_;
            if (!r.ok() && reported_ == word) reported_.clear();  // told again at the next change or link
            if (!r.ok()) log_("printer state not reported: " + (r.answered() ? std::to_string(r.status) : r.error));
        });
    });
}

void KioskApp::ask_who_am_i() {
    ++jobs_;
    bg_->post([this] {
        const Reply r = api_->get("/api/me");
        post_ui([this, r] {
            --jobs_;
            if (r.ok()) my_source_ = "kiosk:" + field<std::string>(r.body, "name", "");
            else log_("GET /api/me: " + (r.answered() ? std::to_string(r.status) + " " + r.code() : r.error));
        });
    });
}

}  // namespace kiosk
