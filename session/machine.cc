#include "session/machine.h"

#include <spdlog/spdlog.h>

#include "protocol/frame.h"
#include "session/log_text.h"
#include "sharding/statement_scan.h"

namespace weft::session {
namespace {

namespace p = protocol;

// Commands a proxy cannot pass through.
bool refused(std::uint8_t cmd) {
  switch (static_cast<p::command>(cmd)) {
    case p::command::binlog_dump:  // replication streams are not proxied
    case p::command::binlog_dump_gtid:
    case p::command::register_slave:
    case p::command::table_dump:
    case p::command::connect_out:
    case p::command::connect:
    case p::command::daemon:
    case p::command::delayed_insert:
    case p::command::time:
    case p::command::sleep:
      return true;
    default:
      return false;
  }
}

// COM_STMT_EXECUTE, _SEND_LONG_DATA, _CLOSE, _RESET, _FETCH and MariaDB's _BULK_EXECUTE: they
// name a prepared statement by id.
bool is_statement_command(std::uint8_t cmd) {
  switch (static_cast<p::command>(cmd)) {
    case p::command::stmt_execute:
    case p::command::stmt_send_long_data:
    case p::command::stmt_close:
    case p::command::stmt_reset:
    case p::command::stmt_fetch:
    case p::command::mariadb_stmt_bulk_execute:
      return true;
    default:
      return false;
  }
}

// Actions after which the client bytes seen buffered may have moved or gone.
bool moves_client_bytes(action_kind kind) {
  return kind == action_kind::skip_command || kind == action_kind::send_command || kind == action_kind::relay ||
         kind == action_kind::change_user;
}

// Statements longer than this are not scanned for session effects: the session is pinned.
constexpr std::size_t max_scanned_statement = 64 * 1024;

}  // namespace

machine::machine(surroundings& world, machine_settings settings, identity who, activity& now_doing)
    : world_(world), settings_(settings), who_(std::move(who)), activity_(now_doing), frames_(world.frames()) {
  group_ = world_.topology().default_group();
  key_charset_ = std::string(sharding::charset_of_collation_id(settings_.client_charset));
  pinned_ = !settings_.multiplexing;  // every connection stays with its session
  update_read_your_writes();
}

std::coroutine_handle<> machine::awaited_action::await_suspend(std::coroutine_handle<> waiting) noexcept {
  m.suspended_ = waiting;
  return std::noop_coroutine();  // back to the driver, which performs next()
}

void machine::start() {
  program_.emplace(run());
  program_->start();
}

bool machine::rest() {
  // run() keeps nothing across commands but its loop: restarting it at forward_one's first
  // action is the same program in the same place.
  if (!program_ || next_.kind != action_kind::read_command) return false;
  suspended_ = {};
  program_.reset();
  return true;
}

void machine::resume() {
  if (next_.kind == action_kind::read_command || next_.kind == action_kind::read_client) {
    client_view_ = event_.result == outcome::ok ? event_.client : std::span<std::uint8_t>{};
  } else if (moves_client_bytes(next_.kind)) {
    client_view_ = {};
  }
  std::exchange(suspended_, {}).resume();
  if (program_->finished()) {
    next_ = action{};  // done
    program_->rethrow_if_failed();
  }
}

// The user's setting wins over the group's.
void machine::update_read_your_writes() {
  const auto own = world_.read_your_writes_of(who_.user);
  read_your_writes_ = own ? *own : world_.topology().policy_of(group_).read_your_writes;
}

session_facts machine::facts() const {
  return {.user = who_.user, .schema = who_.schema, .client_address = who_.client_address, .group = group_,
          .key_charset = key_charset_, .result_cache = world_.result_cache_on()};
}

resumable<void> machine::run() {
  for (;;) {
    const step next = co_await forward_one();
    activity_.command = "Sleep";
    activity_.statement.clear();
    activity_.since = world_.now();
    if (next == step::stop || state_lost_ || world_.stopping()) break;
  }
  // A session that ends in the middle of a response (any path) leaves bytes of it on the
  // connection: never pooled again, whatever state the session thought it had.
  if (!tracker_.done() && holds()) co_await drop();
}

resumable<machine::step> machine::forward_one() {
  const auto& arrived = co_await perform({.kind = action_kind::read_command});
  if (arrived.result != outcome::ok) co_return step::stop;  // client went away
  const auto header = p::decode_frame_header(arrived.client.data());
  // (Errors go to locals: g++ 12 may destroy a temporary inside a co_await expression twice.)
  std::optional<p::err_packet> framing;
  if (header.sequence_id != 0) framing = p::make_error(p::er::net_packets_out_of_order, "Got packets out of order");
  if (!framing && header.payload_length == 0) framing = p::make_error(p::er::unknown_com, "Malformed packet: empty command");
  if (!framing && header.payload_length > settings_.max_allowed_packet) {
    framing = p::make_error(p::er::net_packet_too_large, "Got a packet bigger than 'max_allowed_packet' bytes");
  }
  if (framing) {
    co_await reply_error(*framing);
    co_return step::stop;
  }
  // Small single-frame commands are read whole, so their text can be looked at; with shard maps
  // every single-frame one is (a big INSERT must go where its rows belong, never unplanned).
  const bool whole = header.payload_length < p::max_frame_payload &&
                     (header.payload_length <= max_scanned_statement || !world_.shards().empty());
  const auto& body = co_await perform(
      {.kind = action_kind::read_client, .bytes = p::frame_header_size + (whole ? header.payload_length : 1)});
  if (body.result != outcome::ok) co_return step::stop;
  const std::uint8_t cmd = body.client[p::frame_header_size];
  ++commands_;
  pinned_before_command_ = pinned_;
  activity_.command = p::command_name(cmd);
  activity_.since = world_.now();
  const step after = co_await dispatch(cmd, header.payload_length, whole);
  co_return after;
}

resumable<machine::step> machine::dispatch(std::uint8_t cmd, std::uint32_t payload_length, bool whole) {
  const auto command = static_cast<p::command>(cmd);
  if (command == p::command::quit) co_return step::stop;  // the backend connection stays open for the next session
  if (command == p::command::change_user) co_return co_await change_user();
  if (command == p::command::ping && !holds()) co_return co_await answer_ping_locally();
  if (refused(cmd)) {
    const auto refusal = p::make_error(
        p::er::not_supported_yet, "This version of weft doesn't yet support '" + std::string(p::command_name(cmd)) + "'");
    co_return co_await skip_command_with_error(refusal);
  }
  // Only a text BEGIN followed directly by a statement for a shard moves to that shard.
  if (command != p::command::query && command != p::command::ping && command != p::command::stmt_execute) {
    fresh_begin_.clear();
  }
  if (command == p::command::stmt_prepare) co_return co_await forward_prepare(payload_length);
  if (is_statement_command(cmd)) co_return co_await forward_statement_command(cmd, payload_length);
  if (command == p::command::query && whole) co_return co_await forward_query(payload_length);
  if (command == p::command::query && !world_.shards().empty()) {
    if (auto refusal = co_await unplanned_shard_statement(payload_length)) co_return co_await skip_command_with_error(*refusal);
  }
  co_return co_await forward_other(cmd, payload_length);
}

// A statement of 16 MiB or more is relayed frame by frame, never read whole, so weft cannot
// route it by shard: one that names a sharded table (in its first 64 KiB, where its tables are
// named) is refused rather than sent to the session's group.
resumable<std::optional<p::err_packet>> machine::unplanned_shard_statement(std::uint32_t payload_length) {
  std::optional<p::err_packet> refusal;
  const auto prefix = std::min<std::size_t>(payload_length, max_scanned_statement);
  const auto& buffered = co_await perform({.kind = action_kind::read_client, .bytes = p::frame_header_size + prefix});
  if (buffered.result != outcome::ok) co_return refusal;  // (the client is gone: the next action says so)
  auto& tokens = world_.planner().tokens;
  tokens.lex(p::as_chars(buffered.client.subspan(p::frame_header_size + 1, prefix - 1)));
  if (const auto* table = sharding::sharded_table_named(tokens, who_.schema, world_.shards())) {
    refusal = p::make_error(p::er::shard_unroutable, "weft: a statement of 16 MiB or more naming sharded table " +
                                                         table->schema + "." + table->table +
                                                         " is not routed (weft reads it frame by frame): split it");
  }
  co_return refusal;
}

// Any other command: sent as it is to the held connection (or one of the session's group's
// primary), its response relayed.
resumable<machine::step> machine::forward_other(std::uint8_t cmd, std::uint32_t payload_length) {
  co_await note_effects(cmd, payload_length);
  auto error = co_await acquire({});
  if (error) co_return co_await skip_command_with_error(*error);
  tracker_.start(cmd, held_.capabilities);
  const auto& sent = co_await perform({.kind = action_kind::send_command});
  if (sent.result != outcome::ok) {
    co_return co_await backend_failed(sent);
  }
  if (!p::command_has_response(cmd)) co_return step::next;  // e.g. COM_STMT_CLOSE
  const step relayed = co_await relay_response();
  if (relayed == step::stop) co_return step::stop;
  co_await finish_response(cmd);
  co_return step::next;
}

resumable<machine::step> machine::relay_response() {
  const auto& relayed = co_await perform({.kind = action_kind::relay, .copy_response = copy_response_});
  relayed_bytes_ += relayed.relayed_bytes;
  switch (relayed.result) {
    case outcome::ok:
      co_return step::next;
    case outcome::backend_failed:
      co_return co_await backend_failed(relayed);
    case outcome::extra_bytes:
      spdlog::warn("event=backend_extra_bytes backend={}", held_.server);
      co_await drop();
      co_return step::stop;
    default:  // the client is gone: the rest of the response is still on its way
      co_await drop();
      co_return step::stop;
  }
}

// A backend connection broke during a command. The client gets an error if it has not seen
// part of the response; a session whose state lived on that connection cannot go on.
resumable<machine::step> machine::backend_failed(const event& failure) {
  if (failure.result == outcome::client_gone || failure.result == outcome::too_large) {
    if (failure.result == outcome::too_large) {
      const auto too_large = p::make_error(p::er::net_packet_too_large, "Got a packet bigger than 'max_allowed_packet' bytes");
      co_await reply_error(too_large);
    }
    co_return step::stop;
  }
  // (The event is overwritten by the next action: what is needed of it is copied first.)
  const bool had_state = pinned_ || (tracker_.status_flags() & p::status::in_trans);
  const bool incomplete = failure.command_incomplete;  // the rest would be read as new commands
  const std::string name(held_.server);
  const std::string aborted(failure.abort_reason);
  const std::string what(failure.failure);
  const bool started = failure.response_started;
  co_await drop();  // (the driver closed it already; the machine forgets it)
  if (!started && retryable_ && aborted.empty()) co_return step::retry;
  if (started) co_return step::stop;
  const auto error = aborted.empty()
                         ? p::make_error(p::er::backend_lost, "weft: lost connection to backend " + name + ": " + what)
                         : p::make_error(p::er::backend_timeout,
                                         "weft: backend " + name + " " + aborted + "; the statement may or may not have run there");
  const step replied = co_await reply_error(error);
  co_return had_state || incomplete || replied == step::stop ? step::stop : step::next;
}

resumable<machine::step> machine::answer_ping_locally() {
  const auto& skipped = co_await perform({.kind = action_kind::skip_command});  // even with stray bytes
  if (skipped.result != outcome::ok) co_return step::stop;
  p::ok_packet ok;
  ok.status_flags = p::status::autocommit;
  outgoing_ = p::encode(ok, settings_.client_capabilities);
  const auto& written = co_await perform({.kind = action_kind::reply, .payload = outgoing_, .sequence_id = 1});
  co_return written.result == outcome::ok ? step::next : step::stop;
}

// Drops the command's bytes, then answers with an error; the session goes on.
resumable<machine::step> machine::skip_command_with_error(const p::err_packet& err) {
  const auto& skipped = co_await perform({.kind = action_kind::skip_command});
  if (skipped.result != outcome::ok) co_return step::stop;
  co_return co_await reply_error(err);
}

resumable<machine::step> machine::reply_error(const p::err_packet& err, std::uint8_t sequence_id) {
  spdlog::debug("event=session_error code={} message={}", err.error_code, quoted{err.message});
  outgoing_ = p::encode(err, settings_.client_capabilities);
  const auto& written = co_await perform({.kind = action_kind::reply, .payload = outgoing_, .sequence_id = sequence_id});
  co_return written.result == outcome::ok ? step::next : step::stop;
}

resumable<machine::step> machine::change_user() {
  auto error = co_await acquire({});
  if (error) {
    // The request is read whole first, as a server would before answering.
    const auto& skipped = co_await perform({.kind = action_kind::skip_command});
    if (skipped.result != outcome::ok) co_return step::stop;
    co_return co_await reply_error(*error);
  }
  const std::string before = who_.user;
  const auto& changed = co_await perform({.kind = action_kind::change_user});
  if (changed.result != outcome::ok) {
    co_await drop();
    co_return step::stop;
  }
  const bool user_changed = changed.user_changed;  // (the event is overwritten by the next action)
  if (user_changed) {
    who_.user = changed.new_user;
    who_.schema = changed.new_schema;
    spdlog::info("event=change_user from={} to={}", quoted{before}, quoted{who_.user});
    co_await reset_state();  // a changed user starts from a fresh session
    key_charset_.clear();
    forget_statements();
    forget_insert_id();
    update_read_your_writes();
    last_gtid_.clear();
    gtid_seen_on_.clear();
    split_gtids_.clear();
  }
  co_await after_response(p::status::autocommit, 0, !user_changed, false);
  co_return step::next;
}

}  // namespace weft::session
