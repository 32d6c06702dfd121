// What a command leaves on the connection it ran on, and so whether the session keeps that
// connection (pin, hold) or gives it back to the pool after the response.
#include <functional>

#include <spdlog/spdlog.h>

#include "protocol/frame.h"
#include "session/machine.h"

namespace weft::session {
namespace {

namespace p = protocol;

// The SETs replayed on every new connection: beyond this many the session is pinned instead.
constexpr std::size_t max_replayed_sets = 32;

}  // namespace

void machine::pin(std::string_view reason) {
  if (!pinned_) spdlog::debug("event=session_pinned backend={} reason=\"{}\"", held_.server, reason);
  pinned_ = true;
}

bool machine::keeps_connection(std::uint16_t status_flags) const {
  const bool in_transaction = status_flags & p::status::in_trans;
  const bool autocommit = status_flags & p::status::autocommit;
  const bool cursor = status_flags & p::status::cursor_exists;
  return pinned_ || holding_ || in_transaction || !autocommit || cursor || !settings_.multiplexing;
}

// What a command does to the session's hold on its backend, decided before it runs.
resumable<void> machine::note_effects(std::uint8_t cmd, std::uint32_t payload_length) {
  pending_set_.clear();
  switch (static_cast<p::command>(cmd)) {
    case p::command::query:  // a whole one goes through forward_query()
      pin("statement too long to inspect");
      co_return;
    case p::command::init_db: {
      const auto& body = co_await perform({.kind = action_kind::read_client, .bytes = p::frame_header_size + 1});
      if (body.result != outcome::ok || body.client.size() < p::frame_header_size + payload_length) {
        pin("COM_INIT_DB too long to inspect");
        co_return;
      }
      pending_schema_ = p::as_chars(body.client.subspan(p::frame_header_size + 1, payload_length - 1));
      co_return;
    }
    case p::command::reset_connection:
    case p::command::ping:
    case p::command::statistics:
    case p::command::field_list:
    case p::command::stmt_execute:
    case p::command::stmt_fetch:
    case p::command::stmt_reset:
    case p::command::stmt_close:
    case p::command::stmt_send_long_data:
      co_return;
    default:
      pin(p::command_name(cmd));
  }
}

// What the response tells: the transaction state, warnings to keep readable, a new schema.
resumable<void> machine::apply_response_effects(std::uint8_t cmd) {
  const bool ok = !tracker_.failed();
  const bool schema_command = cmd == static_cast<std::uint8_t>(p::command::init_db) ||
                              (cmd == static_cast<std::uint8_t>(p::command::query) && pending_use_);
  pending_use_ = false;
  if (ok && schema_command) {
    who_.schema = pending_schema_;
    co_await perform({.kind = action_kind::schema_changed, .text = who_.schema});
  }
  if (ok && !pending_set_.empty()) {
    if (++sets_remembered_ > max_replayed_sets) pin("too many SET statements to replay");
    if (auto charset = sharding::charset_after_set(pending_set_)) key_charset_ = std::move(*charset);
    settings_digest_ = (settings_digest_ ^ std::hash<std::string>{}(pending_set_)) * 1099511628211u;
    co_await perform({.kind = action_kind::set_remembered, .text = pending_set_});
  }
  pending_set_.clear();
  if (ok && cmd == static_cast<std::uint8_t>(p::command::reset_connection)) {
    co_await reset_state();
    forget_statements();  // the server closed them all
    forget_insert_id();
  }
  if (!tracker_.done()) pin("unfinished response");
  if (tracker_.failed() && p::server_closes_after(tracker_.error_code())) {
    // The server closes this connection after such an error: the client saw it; a session whose
    // state lived there ends as a direct connection would, the others go on elsewhere.
    // (A pin this very command took does not count: it failed, so its state never existed.)
    state_lost_ = pinned_before_command_ || (last_status_ & p::status::in_trans);
    co_await drop();
    co_return;
  }
  if (tracker_.has_status()) last_status_ = tracker_.status_flags();
  co_await after_response(last_status_, tracker_.warnings(), tracker_.failed(), tracker_.result_sets() == 0);
}

// After a command's response: keeps the connection when the session state needs it
// (transaction open, autocommit off, pinned), otherwise returns it to the pool — marked as
// this session's when it holds warnings or an error the next SHOW WARNINGS may ask about, or
// the affected rows of an OK the next ROW_COUNT() may ask about.
resumable<void> machine::after_response(std::uint16_t status_flags, std::uint16_t warnings, bool failed,
                                        bool affected_rows) {
  if (!holds() || keeps_connection(status_flags)) co_return;
  co_await release(warnings > 0 || failed || affected_rows);
}

resumable<void> machine::release(bool soft_owned) {
  held_ = {};
  co_await perform({.kind = action_kind::release, .soft_owned = soft_owned});
}

resumable<void> machine::drop() {
  held_ = {};
  holding_ = false;
  co_await perform({.kind = action_kind::drop});
}

// The server session restarted (COM_RESET_CONNECTION, a changed user): nothing left to keep.
resumable<void> machine::reset_state() {
  pinned_ = false;
  holding_ = false;
  sets_remembered_ = 0;
  settings_digest_ = 0;
  // The server's reset gives the connection its handshake's character set again; a changed user's
  // is its COM_CHANGE_USER's, which weft does not read: unknown until SET NAMES.
  key_charset_ = std::string(sharding::charset_of_collation_id(settings_.client_charset));
  co_await perform({.kind = action_kind::state_reset});
}

}  // namespace weft::session
