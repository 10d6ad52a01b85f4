// visit_views: the views of the counter's real day (issue 22), derived from the
// events in the transaction that stores them, like the tickets view:
//   steps       a row per step of a visit: where, who, wait, service, outcome, parks
//   calls       every call (next, chosen, back from parked) with its idle time
//   staff_time  the shifts at a counter and the breaks, with their reasons
// The statistics (queue-server/stats) read these; nothing of a person is here.
#include "store/store.hpp"
#include "store/visit_views.hpp"

namespace store {
namespace {

// The step a ticket is at: the last row of its visit.
#define CURRENT "ticket = ?1 AND step = (SELECT MAX(step) FROM steps WHERE ticket = ?1)"

}  // namespace

Store::VisitStatements::VisitStatements(sqlite::Database& db)
    : step_new(db, "INSERT INTO steps(ticket, step, day, number, service, state, queued_at, counter, updated_seq) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, 'waiting', ?6, NULLIF(?7, 0), ?8)"),
      step_called(db, "UPDATE steps SET state = 'called', counter = ?2, staff = COALESCE(NULLIF(?3, ''), staff), "
                      "called_at = COALESCE(called_at, ?4), updated_seq = ?5 WHERE " CURRENT),
      step_started(db, "UPDATE steps SET state = 'serving', started_at = COALESCE(started_at, ?2), "
                       "staff = COALESCE(NULLIF(?3, ''), staff), updated_seq = ?4 WHERE " CURRENT),
      step_finished(db, "UPDATE steps SET state = 'done', finished_at = ?2, procedure = NULLIF(?3, ''), dossier = NULLIF(?4, ''), "
                        "result = NULLIF(?5, ''), next_step = NULLIF(?6, ''), staff = COALESCE(NULLIF(?7, ''), staff), "
                        "updated_seq = ?8 WHERE " CURRENT),
      step_state(db, "UPDATE steps SET state = ?2, updated_seq = ?3 WHERE " CURRENT),
      step_parked(db, "UPDATE steps SET state = 'parked', parks = parks + 1, parked_at = ?2, updated_seq = ?3 WHERE " CURRENT),
      step_returned(db, "UPDATE steps SET state = 'called', counter = ?2, parked_ms = parked_ms + (?3 - parked_at), "
                        "parked_at = NULL, updated_seq = ?4 WHERE " CURRENT),
      step_service(db, "UPDATE steps SET service = ?2, state = 'waiting', updated_seq = ?3 WHERE " CURRENT),
      ticket_next_step(db, "UPDATE tickets SET state = 'waiting', service = ?2, steps = steps + 1, target_counter = NULL, "
                           "updated_seq = ?3 WHERE id = ?1"),
      ticket_outcome(db, "UPDATE tickets SET procedure = ?2, dossier = NULLIF(?3, ''), result = ?4 WHERE id = ?1"),
      call_insert(db, "INSERT INTO calls(seq, day, at, ticket, number, service, counter, staff, out_of_order, reason, returned, idle_ms) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULLIF(?8, ''), ?9, NULLIF(?10, ''), ?11, ?12)"),
      shift_open(db, "INSERT INTO staff_time(day, counter, staff, kind, from_at) VALUES (?1, ?2, ?3, 'shift', ?4)"),
      // Only the day's own rows: a shift or break left open on an earlier day (a new day
      // signs everyone out without an event) ends at that day's end, in the statistics.
      shift_close(db, "UPDATE staff_time SET to_at = ?3 WHERE counter = ?1 AND staff = ?2 AND to_at IS NULL AND day = ?4"),
      break_open(db, "INSERT INTO staff_time(day, counter, staff, kind, from_at, reason) "
                     "SELECT ?1, ?2, COALESCE((SELECT staff FROM staff_time WHERE counter = ?2 AND kind = 'shift' AND to_at IS NULL AND day = ?1 "
                     "ORDER BY id DESC LIMIT 1), ''), 'break', ?3, NULLIF(?4, '')"),
      break_close(db, "UPDATE staff_time SET to_at = ?2 WHERE counter = ?1 AND kind = 'break' AND to_at IS NULL AND day = ?3"),
      step_last(db, "SELECT step + 1, day, number FROM steps WHERE ticket = ?1 ORDER BY step DESC LIMIT 1") {}

#undef CURRENT

void Store::update_visit_views(const engine::Event& e) {
    using namespace engine;
    auto& s = *visit_;
    auto state = [&](int64_t id, const char* st) { s.step_state.bind(1, id).bind(2, st).bind(3, e.seq).run(); };
    auto call = [&](int64_t ticket, const std::string& number, const std::string& service, int counter, bool out_of_order,
                    const std::string& reason, bool returned, int64_t idle_ms) {
        s.call_insert.bind(1, e.seq).bind(2, e.day).bind(3, e.at).bind(4, ticket).bind(5, number).bind(6, service).bind(7, counter)
            .bind(8, e.by).bind(9, out_of_order ? 1 : 0).bind(10, reason).bind(11, returned ? 1 : 0).bind(12, idle_ms).run();
    };
    std::visit([&](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, TicketIssued>) {
            const Ticket& t = b.ticket;
            s.step_new.bind(1, t.id).bind(2, 0).bind(3, t.day).bind(4, t.number).bind(5, t.service).bind(6, t.issued_at)
                .bind(7, 0).bind(8, e.seq).run();
        } else if constexpr (std::is_same_v<T, TicketCalled>) {
            s.step_called.bind(1, b.ticket).bind(2, b.counter).bind(3, e.by).bind(4, e.at).bind(5, e.seq).run();
            call(b.ticket, b.number, b.service, b.counter, b.out_of_order, b.reason, false, b.idle_ms);
        } else if constexpr (std::is_same_v<T, TicketReturned>) {
            s.step_returned.bind(1, b.ticket).bind(2, b.counter).bind(3, e.at).bind(4, e.seq).run();
            call(b.ticket, b.number, b.service, b.counter, false, "", true, b.idle_ms);
        } else if constexpr (std::is_same_v<T, TicketStarted>) {
            s.step_started.bind(1, b.ticket).bind(2, e.at).bind(3, e.by).bind(4, e.seq).run();
        } else if constexpr (std::is_same_v<T, TicketFinished>) {
            finish_step(e, b);
        } else if constexpr (std::is_same_v<T, TicketParked>) {
            s.step_parked.bind(1, b.ticket).bind(2, e.at).bind(3, e.seq).run();
        } else if constexpr (std::is_same_v<T, TicketNoShow>) {
            state(b.ticket, "no_show");
        } else if constexpr (std::is_same_v<T, TicketCancelled>) {
            state(b.ticket, "cancelled");
        } else if constexpr (std::is_same_v<T, TicketReactivated>) {
            state(b.ticket, "waiting");
        } else if constexpr (std::is_same_v<T, TicketTransferred>) {
            s.step_service.bind(1, b.ticket).bind(2, b.to_service).bind(3, e.seq).run();
        } else if constexpr (std::is_same_v<T, StaffSignedIn>) {
            s.shift_open.bind(1, e.day).bind(2, b.counter).bind(3, b.staff).bind(4, e.at).run();
        } else if constexpr (std::is_same_v<T, StaffSignedOut>) {
            s.break_close.bind(1, b.counter).bind(2, e.at).bind(3, e.day).run();
            s.shift_close.bind(1, b.counter).bind(2, b.staff).bind(3, e.at).bind(4, e.day).run();
        } else if constexpr (std::is_same_v<T, CounterPaused>) {
            s.break_open.bind(1, e.day).bind(2, b.counter).bind(3, e.at).bind(4, b.reason).run();
        } else if constexpr (std::is_same_v<T, CounterResumed>) {
            s.break_close.bind(1, b.counter).bind(2, e.at).bind(3, e.day).run();
        } else if constexpr (std::is_same_v<T, DayOpened>) {
            db_.exec("UPDATE steps SET state = 'expired' WHERE state IN ('waiting', 'called', 'serving', 'no_show', 'parked') "
                     "AND day < " + std::to_string(b.day));
        }
    }, e.body);
}

// The step ends with its outcome; a next step is a new row of the same visit,
// and the visit's row waits again, at the next service.
void Store::finish_step(const engine::Event& e, const engine::TicketFinished& b) {
    auto& s = *visit_;
    s.step_finished.bind(1, b.ticket).bind(2, e.at).bind(3, b.outcome.procedure).bind(4, b.outcome.dossier).bind(5, b.outcome.result)
        .bind(6, b.next_step).bind(7, e.by).bind(8, e.seq).run();
    if (!b.outcome.empty())
        s.ticket_outcome.bind(1, b.ticket).bind(2, b.outcome.procedure).bind(3, b.outcome.dossier).bind(4, b.outcome.result).run();
    if (b.next_step.empty()) return;
    auto& q = s.step_last;
    q.bind(1, b.ticket);
    if (!q.step()) return q.reset();
    const int64_t step = q.int_at(0), day = q.int_at(1);
    const std::string number = q.text_at(2);
    q.reset();
    s.step_new.bind(1, b.ticket).bind(2, step).bind(3, day).bind(4, number).bind(5, b.next_step).bind(6, e.at).bind(7, 0)
        .bind(8, e.seq).run();
    s.ticket_next_step.bind(1, b.ticket).bind(2, b.next_step).bind(3, e.seq).run();
}

}  // namespace store
