// LAST_INSERT_ID() for a session whose statements run on several pooled connections.
//
// The server's rule (MariaDB sql_insert.cc, the id given to my_ok): LAST_INSERT_ID() becomes the
// first value an AUTO_INCREMENT column *generated* in the statement, or the argument of
// LAST_INSERT_ID(expr); explicit values leave it as it was. The OK packet's insert id reports
// explicit values too, so it cannot tell weft what LAST_INSERT_ID() now is. Instead:
// - every connection goes back to the pool with LAST_INSERT_ID() = 0 (a new login, a
//   COM_RESET_CONNECTION, or weft's own reset below), so on a connection taken from the pool any
//   non-zero value was set by this session's statements;
// - a connection on which such a statement ran stays with the session until its next statement
//   if the pool can spare it (nothing read back when that statement runs there too); before it
//   goes back, weft reads the value and sets it to 0 in one statement
//   (SELECT LAST_INSERT_ID(), LAST_INSERT_ID(0));
// - before a statement that reads it (LAST_INSERT_ID(), @@IDENTITY) on a connection that does not
//   hold the session's value, weft sets it there first.
#include <charconv>

#include <spdlog/spdlog.h>

#include "protocol/errors.h"
#include "session/machine.h"

namespace weft::session {
namespace {

namespace p = protocol;

std::optional<std::uint64_t> parse_id(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  std::uint64_t value = 0;
  const auto* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

// Before a statement that reads LAST_INSERT_ID(). A value this session's statements set on the
// held connection since it was taken (non-zero there) is the session's; otherwise the session's
// remembered value is set.
resumable<std::optional<p::err_packet>> machine::restore_insert_id() {
  const auto here = held_.acquisition;
  if (insert_id_exact_on_ == here) co_return std::nullopt;
  if (last_insert_id_ == 0) {  // 0 there, or this session's own value
    insert_id_exact_on_ = here;
    co_return std::nullopt;
  }
  const auto v = std::to_string(last_insert_id_);
  const auto sql = "SELECT LAST_INSERT_ID(IF(LAST_INSERT_ID() = 0, " + v + ", LAST_INSERT_ID()))";
  const auto& answer = co_await perform({.kind = action_kind::run_internal, .text = sql});
  if (answer.result == outcome::ok) {
    insert_id_exact_on_ = here;
    insert_id_unsettled_ = true;  // set there: to be put back to 0 before the connection goes
    co_return std::nullopt;
  }
  const std::string name(held_.server);
  if (answer.result == outcome::backend_failed) co_await drop();
  co_return p::make_error(p::er::backend_lost, "weft: could not restore LAST_INSERT_ID() on backend " + name);
}

// After a response: could the statement have changed LAST_INSERT_ID() on the held connection?
// An OK reporting an insert id (generated or explicit: only the server knows which), a
// LAST_INSERT_ID(expr), or a write that failed part way (rows before the error may have
// generated values on a non-transactional table).
void machine::note_insert_id_effects(bool statement_sets_it, bool statement_writes) {
  if (!holds()) return;
  if (tracker_.insert_id_reported() || statement_sets_it || (statement_writes && tracker_.failed())) {
    insert_id_unsettled_ = true;
  }
}

// Before the held connection goes back to the pool: the session's value is read, and the
// connection's set to 0 for whoever takes it next.
resumable<void> machine::settle_insert_id() {
  spdlog::debug("event=insert_id_read_back backend={}", held_.server);
  insert_id_unsettled_ = false;
  const bool exact = insert_id_exact_on_ == held_.acquisition;
  insert_id_exact_on_ = 0;
  const auto& answer = co_await perform({.kind = action_kind::run_internal, .text = "SELECT LAST_INSERT_ID(), LAST_INSERT_ID(0)"});
  const auto value = parse_id(answer.value);
  if (answer.result != outcome::ok || !value) {
    spdlog::warn("event=insert_id_unknown backend={} reason={}", held_.server,
                 answer.result == outcome::backend_failed ? "connection broke"
                 : answer.error                           ? answer.error->message
                                                          : "no value");
    co_await drop();  // its value is not known to be 0: never pooled
    co_return;
  }
  // Not restored here: the connection started at 0, so 0 means "nothing generated".
  if (exact || *value != 0) last_insert_id_ = *value;
}

void machine::forget_insert_id() {
  last_insert_id_ = 0;  // a reset or a changed user starts a new server session
  insert_id_exact_on_ = 0;
  insert_id_unsettled_ = false;
}

resumable<void> machine::finish_response(std::uint8_t cmd, bool sets_insert_id, bool writes) {
  note_insert_id_effects(sets_insert_id, writes);
  const auto status = tracker_.has_status() ? tracker_.status_flags() : last_status_;
  const bool closing = tracker_.failed() && p::server_closes_after(tracker_.error_code());
  if (insert_id_unsettled_ && holds() && tracker_.done() && !closing && !keeps_connection(status)) {
    // Kept for the next statement when the pool can spare it: ROW_COUNT() stays readable there
    // (reading the value back would reset it), and a session inserting in a loop reads nothing.
    holding_ = world_.pool_has_spare_room();
    if (!holding_) co_await settle_insert_id();
  }
  co_await apply_response_effects(cmd);
}

// A statement that would run on another server (a replica, another group's primary, or lanes of
// their own) ends the hold: the value is read back and the connection released first.
resumable<void> machine::end_insert_id_hold(const std::optional<target>& next) {
  if (!holding_) co_return;
  const bool here = next && world_.routes_to_held(*next);
  holding_ = false;
  if (here) co_return;
  co_await settle_insert_id();
  co_await after_response(last_status_, 0, false, false);
}

}  // namespace weft::session
