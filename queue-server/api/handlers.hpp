// handlers: every route's handler, grouped by role family; route_table.cpp
// says who may call each. A handler is a plain function of the core and the
// admitted call: it never checks a role that the table already decided.
#pragma once
#include <functional>
#include <optional>

#include "api/routes.hpp"

namespace stats {
struct Query;
class Stats;
}  // namespace stats

namespace api::reports {

// report_routes.cpp, for every report route: the range of days asked for
// (from, to, target), or nullopt after answering 400 `bad_range`; and a read on
// the reports queue through its own read-only connection (404 when the server
// keeps no statistics, 500 naming `what` when the read fails).
std::optional<stats::Query> range_or_answer(const std::map<std::string, std::string>& query, Respond& respond);
void read_stats(Core& core, const std::string& what, std::function<Reply(stats::Stats&)> read, Respond respond);
// `format=json` (the default) or `csv`: whether CSV is asked for, or nullopt after answering 400 `bad_field`.
std::optional<bool> csv_or_answer(const Call& call, Respond& respond);
Reply csv_reply(std::string text);  // 200, text/csv in UTF-8

}  // namespace api::reports

namespace api::handlers {

// session_routes.cpp: health, metrics, the UI's files, login, who am I, the state
void healthz(Core&, const Call&, Respond);
void metrics(Core&, const Call&, Respond);
void web_file(Core&, const Call&, Respond);
void login(Core&, const Call&, Respond);
void logout(Core&, const Call&, Respond);
void me(Core&, const Call&, Respond);
void state(Core&, const Call&, Respond);

// ticket_routes.cpp: kiosks and counters with tickets; devices' reports
void issue_ticket(Core&, const Call&, Respond);
void get_ticket(Core&, const Call&, Respond);
void recall(Core&, const Call&, Respond);
void start(Core&, const Call&, Respond);
void finish(Core&, const Call&, Respond);
void no_show(Core&, const Call&, Respond);
void cancel(Core&, const Call&, Respond);
void reactivate(Core&, const Call&, Respond);
void transfer(Core&, const Call&, Respond);
void park(Core&, const Call&, Respond);
void return_parked(Core&, const Call&, Respond);
void rate_ticket(Core&, const Call&, Respond);
void device_status(Core&, const Call&, Respond);

// counter_routes.cpp: a counter calls (next or a chosen ticket), pauses, resumes; staff sign in and out
void call_next(Core&, const Call&, Respond);
void call_ticket(Core&, const Call&, Respond);
void sign_in(Core&, const Call&, Respond);
void sign_out(Core&, const Call&, Respond);
void pause_counter(Core&, const Call&, Respond);
void resume_counter(Core&, const Call&, Respond);

// catalog_routes.cpp: the procedure catalog (public reads, an admin's import)
void catalog_info(Core&, const Call&, Respond);
void catalog_export(Core&, const Call&, Respond);
void fields(Core&, const Call&, Respond);
void search_procedures(Core&, const Call&, Respond);
void get_procedure(Core&, const Call&, Respond);
void import_catalog(Core&, const Call&, Respond);

// dossier_routes.cpp: a dossier's status by code and check value
void look_up_dossier(Core&, const Call&, Respond);
void look_up_dossier_for(Core&, const Call&, const std::string& limits_key, Respond);  // the lookups of `limits_key`

// public_routes.cpp: the citizens' phones (issue 20) — a followed ticket by its key,
// the hall's queue, procedures and dossiers from home; no token, rate-limited per address
void follow_page(Core&, const Call&, Respond);
void public_ticket(Core&, const Call&, Respond);
void public_cancel(Core&, const Call&, Respond);
void public_late(Core&, const Call&, Respond);
void public_notify(Core&, const Call&, Respond);
void public_waiting(Core&, const Call&, Respond);
void public_procedures(Core&, const Call&, Respond);
void public_procedure(Core&, const Call&, Respond);
void public_fields(Core&, const Call&, Respond);
void public_dossier(Core&, const Call&, Respond);

// Bookings (booking_routes.cpp).
void booking_page(Core&, const Call&, Respond);
void booking_calendar(Core&, const Call&, Respond);
void booking_qr(Core&, const Call&, Respond);
void public_services(Core&, const Call&, Respond);
void public_slots(Core&, const Call&, Respond);
void public_verify(Core&, const Call&, Respond);
void public_book(Core&, const Call&, Respond);
void public_booking(Core&, const Call&, Respond);
void public_unbook(Core&, const Call&, Respond);
void public_move(Core&, const Call&, Respond);
void check_in(Core&, const Call&, Respond);
void list_bookings(Core&, const Call&, Respond);
void confirm_identity(Core&, const Call&, Respond);

// feed_routes.cpp: the dossier backend's signed push, and how the feeds are doing
void feed_push(Core&, const Call&, Respond);
void feed_status(Core&, const Call&, Respond);
void message_status(Core&, const Call&, Respond);

// report_routes.cpp: the managers' figures
void stats(Core&, const Call&, Respond);
void tickets_csv(Core&, const Call&, Respond);
void booking_stats(Core&, const Call&, Respond);
void province(Core&, const Call&, Respond);

// visit_report_routes.cpp: the counter's real day in figures (issue 22)
void visit_stats(Core&, const Call&, Respond);
void outcome_stats(Core&, const Call&, Respond);
void out_of_order_stats(Core&, const Call&, Respond);
void staff_stats(Core&, const Call&, Respond);

// admin_routes.cpp: accounts, devices, the center
void list_users(Core&, const Call&, Respond);
void add_user(Core&, const Call&, Respond);
void change_user(Core&, const Call&, Respond);
void delete_user(Core&, const Call&, Respond);
void end_sessions(Core&, const Call&, Respond);
void list_devices(Core&, const Call&, Respond);
void add_device(Core&, const Call&, Respond);
void revoke_device(Core&, const Call&, Respond);
void get_center(Core&, const Call&, Respond);
void configure(Core&, const Call&, Respond);

}  // namespace api::handlers
