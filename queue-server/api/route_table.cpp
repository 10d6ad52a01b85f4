// route_table: who may do what, in one place (see routes.hpp). docs/api.md's
// role matrix quotes this table, and api_routes_test checks the real server
// against the documented matrix, route by route and role by role.
#include "api/handlers.hpp"

namespace api {
namespace {

using enum Role;
using M = Method;
using namespace handlers;

constexpr size_t kSmall = 16 * 1024;           // a command: a few fields
constexpr size_t kCenter = 256 * 1024;         // a whole center's setup
constexpr size_t kFeed = 8 * 1024 * 1024;      // a signed batch of dossier updates
constexpr size_t kCatalog = 64 * 1024 * 1024;  // a whole catalog file
constexpr size_t kPublic = 1024;               // a phone's command: {} or a contact

const RoleSet kAnyone = RoleSet::anyone();
const RoleSet kDevices{kiosk, display, rating};
const RoleSet kStaff{staff, manager, admin};
const RoleSet kManagers{manager, admin};
const RoleSet kAdmin{admin};
const RoleSet kEveryToken = kDevices | kStaff;
constexpr Limit kLimited = Limit::public_;  // every route a phone calls

}  // namespace

const std::vector<Route>& route_table() {
    static const std::vector<Route> table = {
        {M::get, "/healthz", kAnyone, 0, Runs::loop, healthz, "is the server up, and how far is its log durable"},
        {M::get, "/metrics", kAnyone, 0, Runs::loop, metrics, "the server's figures (Prometheus text)"},
        {M::post, "/api/login", kAnyone, kSmall, Runs::loop, login, "a session token for a user's name and password"},
        {M::post, "/api/logout", kStaff, kSmall, Runs::loop, logout, "ends this session and its event streams"},
        {M::get, "/api/me", kEveryToken, 0, Runs::loop, me, "who this token is"},
        {M::get, "/api/state", kEveryToken, 0, Runs::loop, state, "the whole live state (durable)"},
        {M::get, "/api/events", kEveryToken, 0, Runs::stream, nullptr, "the event stream (WebSocket; ?since=SEQ&token=)"},

        {M::post, "/api/tickets", RoleSet{kiosk} | kStaff, kSmall, Runs::loop, issue_ticket, "takes a number"},
        {M::get, "/api/tickets/{id}", kEveryToken, 0, Runs::loop, get_ticket, "one ticket of today"},
        {M::post, "/api/tickets/{id}/recall", kStaff, kSmall, Runs::loop, recall, "calls the ticket again"},
        {M::post, "/api/tickets/{id}/start", kStaff, kSmall, Runs::loop, start, "the citizen came: serving starts"},
        {M::post, "/api/tickets/{id}/finish", kStaff, kSmall, Runs::loop, finish, "served (with its outcome; on to the visit's next step)"},
        {M::post, "/api/tickets/{id}/park", kStaff, kSmall, Runs::loop, park, "sent for a paper: out of line for some minutes"},
        {M::post, "/api/tickets/{id}/return", kStaff, kSmall, Runs::loop, return_parked, "back from being parked: called at this counter"},
        {M::post, "/api/tickets/{id}/no-show", kStaff, kSmall, Runs::loop, no_show, "the citizen did not come"},
        {M::post, "/api/tickets/{id}/cancel", kStaff, kSmall, Runs::loop, cancel, "cancels a ticket of a service the counter serves"},
        {M::post, "/api/tickets/{id}/reactivate", kStaff, kSmall, Runs::loop, reactivate, "a no-show ticket waits again, in its place"},
        {M::post, "/api/tickets/{id}/transfer", kStaff, kSmall, Runs::loop, transfer, "to another service or counter"},
        {M::post, "/api/tickets/{id}/identity", kStaff, kSmall, Runs::loop, confirm_identity, "the card or phone shown matches the ticket's person"},
        {M::post, "/api/tickets/{id}/rating", RoleSet{rating} | kManagers, kSmall, Runs::loop, rate_ticket, "the citizen's rating"},
        {M::post, "/api/counters/{id}/next", kStaff, kSmall, Runs::loop, call_next, "the counter calls the next ticket"},
        {M::post, "/api/counters/{id}/call", kStaff, kSmall, Runs::loop, call_ticket, "calls a chosen waiting ticket, with a reason"},
        {M::post, "/api/counters/{id}/sign-in", kStaff, kSmall, Runs::loop, sign_in, "the staff member starts at the counter"},
        {M::post, "/api/counters/{id}/sign-out", kStaff, kSmall, Runs::loop, sign_out, "the staff member leaves the counter"},
        {M::post, "/api/counters/{id}/pause", kStaff, kSmall, Runs::loop, pause_counter, "the counter stops calling (a break, with its reason)"},
        {M::post, "/api/counters/{id}/resume", kStaff, kSmall, Runs::loop, resume_counter, "the counter calls again"},
        {M::post, "/api/devices/status", RoleSet{kiosk}, kSmall, Runs::loop, device_status, "a kiosk's printer state"},

        {M::get, "/api/catalog", kAnyone, 0, Runs::loop, catalog_info, "the catalog's version and size"},
        {M::get, "/api/catalog/export", RoleSet{kiosk} | kStaff, 0, Runs::background, catalog_export, "the whole catalog (a kiosk's cache)"},
        {M::get, "/api/fields", kAnyone, 0, Runs::loop, fields, "the catalog's fields"},
        {M::get, "/api/procedures", kAnyone, 0, Runs::loop, search_procedures, "search (?q=&limit=)"},
        {M::get, "/api/procedures/{code}", kAnyone, 0, Runs::loop, get_procedure, "one procedure"},
        {M::post, "/api/admin/catalog", kAdmin, kCatalog, Runs::background, import_catalog, "replaces the catalog (JSON or CSV)"},

        {M::get, "/api/dossiers/{code}", RoleSet{kiosk} | kStaff, 0, Runs::loop, look_up_dossier, "a dossier's status (?check=)"},
        {M::post, "/api/feed/dossiers", RoleSet{feed}, kFeed, Runs::background, feed_push, "the dossier backend's signed updates"},
        {M::get, "/api/admin/feed", kManagers, 0, Runs::loop, feed_status, "how the feeds and shipping are doing"},
        {M::get, "/api/admin/messages", kManagers, 0, Runs::loop, message_status, "how the citizens' messages and webhooks are doing"},

        {M::get, "/api/stats", kManagers, 0, Runs::background, stats, "figures per group over days"},
        {M::get, "/api/stats/tickets", kManagers, 0, Runs::background, tickets_csv, "every ticket of a range (CSV)"},
        {M::get, "/api/stats/bookings", kManagers, 0, Runs::background, booking_stats, "bookings per day and service: show-up, punctuality, slot use"},
        {M::get, "/api/stats/visits", kManagers, 0, Runs::background, visit_stats, "visits across desks: each step's wait, service and parks, whole visits"},
        {M::get, "/api/stats/outcomes", kManagers, 0, Runs::background, outcome_stats, "what the steps came to, per procedure"},
        {M::get, "/api/stats/out-of-order", kManagers, 0, Runs::background, out_of_order_stats, "the calls out of order with their reasons, per caller"},
        {M::get, "/api/stats/staff", kManagers, 0, Runs::background, staff_stats, "per staff and counter: served, service, walk and idle time, shifts, breaks"},
        {M::get, "/api/province", kManagers, 0, Runs::background, province, "the province's centers side by side"},

        {M::get, "/api/admin/users", kAdmin, 0, Runs::loop, list_users, "accounts"},
        {M::post, "/api/admin/users", kAdmin, kSmall, Runs::loop, add_user, "a new account (409 if the name exists)"},
        {M::put, "/api/admin/users/{name}", kAdmin, kSmall, Runs::loop, change_user, "a new role, counter or password"},
        {M::del, "/api/admin/users/{name}", kAdmin, kSmall, Runs::loop, delete_user, "deletes an account and ends its sessions"},
        {M::post, "/api/admin/users/{name}/logout", kAdmin, kSmall, Runs::loop, end_sessions, "ends an account's sessions"},
        {M::get, "/api/admin/devices", kAdmin, 0, Runs::loop, list_devices, "device tokens"},
        {M::post, "/api/admin/devices", kAdmin, kSmall, Runs::loop, add_device, "a new device token"},
        {M::del, "/api/admin/devices/{id}", kAdmin, kSmall, Runs::loop, revoke_device, "revokes a device token and ends its streams"},
        {M::get, "/api/admin/center", kAdmin, 0, Runs::loop, get_center, "the center's setup"},
        {M::put, "/api/admin/center", kAdmin, kCenter, Runs::loop, configure, "a new setup for the center"},

        // The citizens' phones (issue 20): a ticket by its follow key, no token.
        {M::get, "/t/{key}", kAnyone, 0, Runs::loop, follow_page, "the phone page of a followed ticket (404: unknown key)", kLimited},
        {M::get, "/api/public/tickets/{key}", kAnyone, 0, Runs::loop, public_ticket, "a followed ticket's view", kLimited},
        {M::get, "/api/public/tickets/{key}/events", kAnyone, 0, Runs::stream, nullptr, "that view, live (WebSocket)", kLimited},
        {M::post, "/api/public/tickets/{key}/cancel", kAnyone, kPublic, Runs::loop, public_cancel, "the citizen leaves the line", kLimited},
        {M::post, "/api/public/tickets/{key}/late", kAnyone, kPublic, Runs::loop, public_late, "\"I'll be late\": back a few places, once", kLimited},
        {M::post, "/api/public/tickets/{key}/notify", kAnyone, kPublic, Runs::loop, public_notify, "messages to a phone or e-mail (with consent)", kLimited},
        {M::get, "/api/public/waiting", kAnyone, 0, Runs::loop, public_waiting, "the hall's lines and last calls", kLimited},
        {M::get, "/api/public/procedures", kAnyone, 0, Runs::loop, public_procedures, "search (?q=&limit=), cacheable", kLimited},
        {M::get, "/api/public/procedures/{code}", kAnyone, 0, Runs::loop, public_procedure, "one procedure, cacheable", kLimited},
        {M::get, "/api/public/fields", kAnyone, 0, Runs::loop, public_fields, "the catalog's fields, cacheable", kLimited},
        {M::get, "/api/public/dossiers/{code}", kAnyone, 0, Runs::loop, public_dossier, "a dossier's status (?check=), per address", kLimited},

        // Numbers booked ahead (issue 21): a booking by its key, no token; identity by a code sent to the phone.
        {M::get, "/b/{key}", kAnyone, 0, Runs::loop, booking_page, "a booking's page: its code and slot (404: unknown key)", kLimited},
        {M::get, "/api/public/services", kAnyone, 0, Runs::loop, public_services, "the bookable services and their days", kLimited},
        {M::get, "/api/public/slots", kAnyone, 0, Runs::loop, public_slots, "a day's slots and free places (?service=&day=)", kLimited},
        {M::post, "/api/public/verify", kAnyone, kPublic, Runs::loop, public_verify, "a one-time code to a phone number", kLimited},
        {M::post, "/api/public/bookings", kAnyone, kPublic, Runs::loop, public_book, "books a slot (with the code sent)", kLimited},
        {M::get, "/api/public/bookings/{key}", kAnyone, 0, Runs::loop, public_booking, "a booking by its key", kLimited},
        {M::get, "/api/public/bookings/{key}/calendar.ics", kAnyone, 0, Runs::loop, booking_calendar, "the booking as a calendar file", kLimited},
        {M::get, "/api/public/bookings/{key}/qr.svg", kAnyone, 0, Runs::loop, booking_qr, "the booking's link as a QR (for the kiosk's scanner)", kLimited},
        {M::del, "/api/public/bookings/{key}", kAnyone, kPublic, Runs::loop, public_unbook, "cancels a booking", kLimited},
        {M::post, "/api/public/bookings/{key}/move", kAnyone, kPublic, Runs::loop, public_move, "moves a booking to another slot", kLimited},
        {M::post, "/api/checkins", RoleSet{kiosk} | kStaff, kSmall, Runs::loop, check_in, "a booking (code or key) becomes today's ticket"},
        {M::get, "/api/bookings", kStaff, 0, Runs::loop, list_bookings, "a day's bookings (?day=)"},

        {M::get, "/*", kAnyone, 0, Runs::loop, web_file, "the browser UI's files (--web)"},
    };
    return table;
}

}  // namespace api
