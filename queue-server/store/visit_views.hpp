// visit_views: the statements that keep the views of the counter's real day
// (issue 22) — steps, calls, staff_time — in step with the log. Internal to
// the store; store.cpp holds them beside its own (see visit_views.cpp).
#pragma once
#include "sqlite/sqlite.hpp"

namespace store {

struct Store::VisitStatements {
    explicit VisitStatements(sqlite::Database& db);
    sqlite::Statement step_new, step_called, step_started, step_finished, step_state, step_parked, step_returned,
        step_service, ticket_next_step, ticket_outcome, call_insert, shift_open, shift_close, break_open, break_close,
        step_last;
};

}  // namespace store
