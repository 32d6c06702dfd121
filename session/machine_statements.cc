// Prepared statements: weft's statement ids towards the client, each backend connection's own
// ids towards the servers (see prepared_statements.h).
#include <spdlog/spdlog.h>

#include "protocol/frame.h"
#include "protocol/statement_messages.h"
#include "routing/classifier.h"
#include "routing/statement_analysis.h"
#include "routing/session_effects.h"
#include "session/machine.h"
#include "sharding/statement_route.h"

namespace weft::session {
namespace {

namespace p = protocol;

// Where a COM_STMT_PREPARE's text starts in the buffered command: after the header and the
// command byte.
constexpr std::size_t prepare_text_offset = p::frame_header_size + 1;

// How much of a prepare response's first frame to buffer before reading it as a prepare-OK.
std::size_t prepare_ok_wanted(p::bytes_view buffered) {
  const auto length = p::decode_frame_header(buffered.data()).payload_length;
  return p::frame_header_size + std::min<std::size_t>(length, p::stmt_prepare_ok_max_size);
}

// The COM_STMT_PREPARE_OK that starts the buffered response, when it is one and is whole.
std::optional<p::stmt_prepare_ok> prepare_ok_at(p::bytes_view buffered) {
  const auto length = p::decode_frame_header(buffered.data()).payload_length;
  if (length > p::stmt_prepare_ok_max_size || buffered.size() < p::frame_header_size + length) return std::nullopt;
  auto ok = p::decode_stmt_prepare_ok(buffered.subspan(p::frame_header_size, length));
  if (!ok) return std::nullopt;
  return *ok;
}

// What MariaDB answers to a statement command it cannot use: COM_STMT_EXECUTE shorter than its
// fixed part is malformed; an unknown id (or a short RESET/FETCH) gets 1243 naming the server's
// own handler; SEND_LONG_DATA and CLOSE never get an answer (nullopt), whatever they carry.
std::optional<p::err_packet> statement_refusal(p::command command, std::uint32_t id, bool too_short) {
  switch (command) {
    case p::command::stmt_send_long_data:
    case p::command::stmt_close:
      return std::nullopt;
    case p::command::stmt_execute:
    case p::command::mariadb_stmt_bulk_execute:  // (the server names the execute handler for both)
      if (too_short) return p::make_error(p::er::malformed_packet, "Malformed communication packet");
      return p::make_error(p::er::unknown_stmt_handler,
                           "Unknown prepared statement handler (" + std::to_string(id) + ") given to mysqld_stmt_execute");
    default: {
      const char* handler = command == p::command::stmt_fetch ? "mysqld_stmt_fetch" : "mysqld_stmt_reset";
      return p::make_error(p::er::unknown_stmt_handler,
                           "Unknown prepared statement handler (" + std::to_string(id) + ") given to " + handler);
    }
  }
}

// The fixed part of each statement command (shorter ones are malformed): COM_STMT_EXECUTE has
// command, statement id, flags, iteration count; COM_STMT_BULK_EXECUTE command, id, flags.
std::size_t fixed_size_of(p::command command) {
  if (command == p::command::stmt_execute) return p::stmt_execute_head_size();
  if (command == p::command::mariadb_stmt_bulk_execute) return p::stmt_bulk_execute_head_size();
  return p::statement_command_head_size;
}

client_statement describe_statement(std::string sql, std::uint16_t params, routing::statement_tokens& tokens,
                                    std::string_view schema) {
  const auto [info, effect] = routing::analyze(sql, tokens);
  client_statement statement;
  statement.sql = std::move(sql);
  statement.params = params;
  statement.digest = info.digest;
  statement.replica_safe = info.replica_safe() && !effect.pins;
  statement.writes = info.kind == routing::statement_kind::write || info.side_effects;
  statement.reads_insert_id = effect.reads_insert_id;
  statement.sets_insert_id = effect.sets_insert_id;
  statement.written = tables_written(info, tokens, schema);
  return statement;
}

}  // namespace

void machine::forget_statements() {
  statements_.clear();
  if (holds()) held_.statements->clear();
}

// A statement on sharded tables is prepared on its map's global group, which has every table's
// definition (its DDL replicates to the shards); each execute's bound values then pick the shard
// (execute_target). Other statements: "" (where the session's statements go).
std::string machine::shard_prepare_group(std::string_view sql) {
  if (world_.shards().empty()) return {};
  auto& cache = world_.planner();
  cache.tokens.lex(sql);
  const auto shape = sharding::shape_of(cache.tokens);
  const auto route = sharding::route_statement({shape, who_.schema, cache.tokens.hint(), {}, &cache.tokens}, world_.shards());
  return route.kind == sharding::route_kind::unsharded || !route.map ? std::string() : route.map->global_group;
}

// What each execute of a statement on sharded tables needs, read once: its shape and hint, and
// a refusal that only its tokens tell (it holds whatever values are bound).
void machine::describe_sharding(client_statement& statement) {
  statement.shard_catalog = &world_.shards();
  statement.sharded = false;
  statement.shard_shape.reset();
  statement.shard_hint.clear();
  statement.shard_refusal.clear();
  if (world_.shards().empty()) return;
  auto& cache = world_.planner();
  cache.tokens.lex(statement.sql);
  auto shape = std::make_shared<sharding::statement_shape>(sharding::shape_of(cache.tokens));
  const sharding::route_input with_tokens{*shape, who_.schema, cache.tokens.hint(), {}, &cache.tokens};
  const auto route = sharding::route_statement(with_tokens, world_.shards());
  if (route.kind == sharding::route_kind::unsharded || !route.map) return;
  statement.sharded = true;
  statement.shard_hint = std::string(cache.tokens.hint());
  if (route.kind == sharding::route_kind::refused) {
    const sharding::route_input without_tokens{*shape, who_.schema, statement.shard_hint};
    const auto plain = sharding::route_statement(without_tokens, world_.shards());
    if (plain.kind != sharding::route_kind::refused || plain.reason != route.reason) statement.shard_refusal = route.reason;
  }
  statement.shard_shape = std::move(shape);
}

resumable<machine::step> machine::forward_prepare(std::uint32_t payload_length) {
  statements_.prepare_failed();  // until this one succeeds
  if (payload_length >= p::max_frame_payload) {
    const auto refusal = p::make_error(p::er::not_supported_yet, "weft: statements of 16 MiB or more cannot be prepared");
    co_return co_await skip_command_with_error(refusal);
  }
  const auto& whole = co_await perform({.kind = action_kind::read_client, .bytes = p::frame_header_size + payload_length});
  if (whole.result != outcome::ok) co_return step::stop;
  std::string sql(p::as_chars(whole.client.subspan(prepare_text_offset, payload_length - 1)));
  const auto shard_group = shard_prepare_group(sql);
  auto error = co_await acquire({routing::target_role::primary, shard_group});
  if (error) co_return co_await skip_command_with_error(*error);
  tracker_.start(static_cast<std::uint8_t>(p::command::stmt_prepare), held_.capabilities);
  const auto& sent = co_await perform({.kind = action_kind::send_command});
  if (sent.result != outcome::ok) {
    co_return co_await backend_failed(sent);
  }
  std::optional<std::uint32_t> replaced;
  const step renamed = co_await rename_prepared(sql, replaced);
  if (renamed != step::next) co_return renamed;
  const step relayed = co_await relay_response();
  if (relayed == step::stop) co_return step::stop;
  if (replaced && holds()) {
    outgoing_ = p::encode(p::stmt_close{*replaced});
    const auto& closed = co_await perform({.kind = action_kind::send_packet, .payload = outgoing_});  // no response
    if (closed.result != outcome::ok) co_await drop();
  }
  co_await finish_response(static_cast<std::uint8_t>(p::command::stmt_prepare));
  co_return step::next;
}

// Swaps the backend's statement id for weft's in the prepare-OK, before the client sees it.
resumable<machine::step> machine::rename_prepared(std::string& sql, std::optional<std::uint32_t>& replaced) {
  const auto& head = co_await perform({.kind = action_kind::read_backend, .bytes = p::frame_header_size + 1});
  if (head.result != outcome::ok) co_return co_await backend_failed(head);
  if (head.backend[p::frame_header_size] != p::ok_header) {
    held_.statements->last_prepared = 0;  // the server forgot its last statement
    co_return step::next;
  }
  const auto& whole = co_await perform({.kind = action_kind::read_backend, .bytes = prepare_ok_wanted(head.backend)});
  if (whole.result != outcome::ok) co_return step::stop;
  auto ok = prepare_ok_at(whole.backend);
  if (!ok) {
    held_.statements->last_prepared = 0;
    co_return step::next;  // relayed as it is
  }
  const auto backend_id = ok->statement_id;
  const auto params = ok->param_count;
  const auto buffered = whole.backend;
  auto& on_connection = *held_.statements;
  if (auto old = on_connection.by_text.find(sql); old != on_connection.by_text.end()) {
    // Same text prepared again on this connection (by another session): keep one statement
    // per text per connection, or thousands of clients exhaust max_prepared_stmt_count.
    replaced = old->second.id;
    on_connection.by_text.erase(old);
  }
  on_connection.remember(sql, backend_id);
  auto statement = describe_statement(std::move(sql), params, world_.planner().tokens, who_.schema);
  describe_sharding(statement);
  ok->statement_id = statements_.add(std::move(statement));
  const auto renamed = p::encode(*ok);  // the same size: only the id changed
  std::copy(renamed.begin(), renamed.end(), buffered.data() + p::frame_header_size);
  co_return step::next;
}

resumable<machine::step> machine::forward_statement_command(std::uint8_t cmd, std::uint32_t payload_length) {
  const auto command = static_cast<p::command>(cmd);
  // Never read past this packet: a short one's missing bytes would be the next command's.
  const auto id_bytes = std::min<std::size_t>(payload_length, p::statement_command_head_size);
  const auto& head = co_await perform({.kind = action_kind::read_client, .bytes = p::frame_header_size + id_bytes});
  if (head.result != outcome::ok) co_return step::stop;
  const auto id_sent = p::statement_id_of(head.client.subspan(p::frame_header_size, id_bytes));
  const auto client_id = statements_.resolve(id_sent);
  auto* statement = statements_.find(client_id);
  const bool too_short = payload_length < fixed_size_of(command);
  if (command == p::command::stmt_close && !too_short) statements_.remove(client_id);  // the backend copy stays cached
  if (too_short || !statement || command == p::command::stmt_close) {
    co_return co_await refuse_statement_command(command, client_id, too_short);
  }
  if (command == p::command::stmt_send_long_data && statement->sharded) {
    statement->long_data = true;  // its shard is not known yet: the execute is refused
    co_return co_await refuse_statement_command(command, client_id, false);
  }
  const bool runs = command == p::command::stmt_execute || command == p::command::mariadb_stmt_bulk_execute;
  if (runs) {
    begin_stats(statement->digest, statement->sql);
    relayed_bytes_ = 0;
  }
  // A cursor keeps the session on its connection until the statement is closed: it is opened
  // where the session's later writes can go, the primary.
  bool opens_cursor = false;
  if (command == p::command::stmt_execute) {  // (not too short: its fixed head is there to read)
    const auto& buffered = co_await perform({.kind = action_kind::read_client, .bytes = p::frame_header_size + p::stmt_execute_head_size()});
    if (buffered.result != outcome::ok) co_return step::stop;
    const auto execute = p::decode_stmt_execute_head(buffered.client.subspan(p::frame_header_size));
    opens_cursor = execute && execute->opens_cursor();
  }
  std::optional<written_tables> writes;  // (a copy: the statement may be gone once it ran)
  if (runs && statement->written && world_.result_cache_on()) writes = statement->written;
  const bool plain_read = statement->replica_safe;
  if (writes) co_await note_write(writes, false);
  const step ran = co_await execute_statement(command, payload_length, *statement, id_sent, opens_cursor);
  if (writes || remembers_transaction_writes()) {
    co_await note_write(writes, true, plain_read);
  }
  co_return ran;
}

resumable<machine::step> machine::refuse_statement_command(p::command command, std::uint32_t client_id, bool too_short) {
  const auto refusal = statement_refusal(command, client_id, too_short);
  if (refusal) co_return co_await skip_command_with_error(*refusal);
  const auto& skipped = co_await perform({.kind = action_kind::skip_command});  // no answer, as from the server
  co_return skipped.result == outcome::ok ? step::next : step::stop;
}

// A statement command with a known statement: where it runs, sent, relayed, measured.
resumable<machine::step> machine::execute_statement(p::command command, std::uint32_t payload_length,
                                                    client_statement& statement, std::uint32_t id_sent, bool opens_cursor) {
  const auto cmd = static_cast<std::uint8_t>(command);
  const bool runs = command == p::command::stmt_execute || command == p::command::mariadb_stmt_bulk_execute;
  // Shard maps changed since the statement was read (a table sharded since): read it again.
  if (statement.shard_catalog != &world_.shards()) describe_sharding(statement);
  bool caching = false;
  if (command == p::command::stmt_execute && !opens_cursor) {
    const bool answered = co_await answer_execute_from_cache(statement, payload_length, caching);
    if (answered) co_return step::next;
  }
  // (A cached read fills the cache from the primary: see plan_caching.)
  const bool on_replica = command == p::command::stmt_execute && statement.replica_safe && !opens_cursor && !caching;
  std::string group;
  if (statement.sharded) {
    std::string as_text;
    if (auto refusal = co_await execute_target(command, payload_length, statement, group, as_text)) {
      co_return co_await skip_command_with_error(*refusal);
    }
    if (!as_text.empty()) co_return co_await execute_as_text(as_text, payload_length, opens_cursor);
  } else if (runs && statement.writes) {
    if (auto refusal = global_write_refusal()) co_return co_await skip_command_with_error(*refusal);
  }
  auto error = co_await acquire_for({on_replica ? routing::target_role::replica : routing::target_role::primary, group});
  if (!error && command == p::command::mariadb_stmt_bulk_execute &&
      !(held_.capabilities & p::cap::mariadb_stmt_bulk_operations)) {
    error = p::make_error(p::er::not_supported_yet, "weft: backend " + std::string(held_.server) + " has no bulk execution");
  }
  if (!error && runs && statement.reads_insert_id) error = co_await restore_insert_id();
  if (error) co_return co_await skip_command_with_error(*error);
  fresh_begin_.clear();  // the transaction has run more than its BEGIN now
  const bool wrote = runs && statement.writes && held_.role == routing::target_role::primary;
  step ended = step::next;
  const auto sent = co_await send_statement_command(command, payload_length, statement, id_sent, opens_cursor, ended);
  if (!sent) co_return ended;
  if (!p::command_has_response(cmd)) co_return step::next;
  copy_response_ = caching;
  const step relayed = co_await relay_statement_response(*sent, statements_.resolve(id_sent));
  copy_response_ = false;
  if (relayed == step::stop) co_return step::stop;
  if (caching) co_await store_answer(statement.cache_ttl_ms, statement.cache_tables);
  if (runs) {
    // Only a response that says a cursor exists pins: flags asking for one on a statement that
    // returns no rows (an INSERT) open none.
    if (opens_cursor && !tracker_.failed() && (tracker_.status_flags() & p::status::cursor_exists)) pin("cursor");
    co_await remember_written_gtid(wrote);
    co_await finish_stats(payload_length, execute_kind);
  }
  co_await finish_response(cmd, runs && statement.sets_insert_id, runs && statement.writes);
  co_return step::next;
}

}  // namespace weft::session
