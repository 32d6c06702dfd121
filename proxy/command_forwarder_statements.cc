// The prepared-statement commands of command_forwarder: weft's statement ids towards the
// client, each backend connection's own ids towards the servers (see prepared_statements.h).
#include <spdlog/spdlog.h>

#include "protocol/frame.h"
#include "proxy/command_forwarder.h"
#include "proxy/packet_io.h"
#include "routing/classifier.h"
#include "routing/statement_analysis.h"
#include "routing/session_effects.h"

namespace weft::proxy {
namespace {

namespace p = protocol;

std::uint32_t read_u32(const std::uint8_t* b) {
  return static_cast<std::uint32_t>(b[0] | b[1] << 8 | b[2] << 16 | std::uint32_t{b[3]} << 24);
}
void write_u32(std::uint8_t* b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// Where the statement id sits in a buffered command: after the header and the command byte.
constexpr std::size_t id_offset = p::frame_header_size + 1;

// The statement id of a command, read from the bytes it has (a short packet's missing bytes
// count as zero, as the server reads them).
std::uint32_t statement_id_of(p::bytes_view payload) {
  std::uint32_t id = 0;
  for (std::size_t i = 1; i < payload.size() && i <= 4; ++i) id |= std::uint32_t{payload[i]} << (8 * (i - 1));
  return id;
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
      return p::make_error(p::er::unknown_stmt_handler, "Unknown prepared statement handler (" + std::to_string(id) +
                                                            ") given to mysqld_stmt_execute");
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
  if (command == p::command::stmt_execute) return 10;
  if (command == p::command::mariadb_stmt_bulk_execute) return bulk_fixed_size;
  return 5;
}

}  // namespace

awaitable<bool> command_forwarder::fill_backend(std::size_t at_least) {
  auto& held = backend_.current();
  while (held.in.size() < at_least) {
    auto* dst = held.in.spare(at_least - held.in.size());
    context_.activity.awaiting_backend = true;  // the watchdog's view, as in relay_response()
    auto [ec, n] = co_await held.link.connection->read_some(asio::buffer(dst, held.in.spare_size()));
    context_.activity.awaiting_backend = false;
    ++context_.activity.backend_reads;
    if (ec) co_return false;
    held.in.commit(n);
  }
  co_return true;
}

awaitable<command_forwarder::step> command_forwarder::relay_statement_response(std::uint32_t backend_id,
                                                                               std::uint32_t client_id) {
  const bool have_type = co_await fill_backend(p::frame_header_size + 1);
  if (!have_type) {
    const step after = co_await backend_failed(make_error_code(boost::system::errc::connection_reset), false);
    co_return after;
  }
  auto& held = backend_.current();
  const auto header = p::decode_frame_header(held.in.readable_data());
  constexpr std::size_t longest_err = 1024;  // the server's messages are far shorter
  if (held.in.readable()[p::frame_header_size] != p::err_header || header.payload_length > longest_err) {
    const step relayed = co_await relay_response();
    co_return relayed;
  }
  const bool whole = co_await fill_backend(p::frame_header_size + header.payload_length);
  if (!whole) co_return step::stop;
  const auto packet = held.in.readable().first(p::frame_header_size + header.payload_length);
  const auto renamed = error_with_client_id(packet.subspan(p::frame_header_size), held.link.capabilities,
                                            backend_id, client_id);
  if (!renamed) {
    const step relayed = co_await relay_response();
    co_return relayed;
  }
  tracker_.feed(packet);  // the response ends here, as the tracker sees it
  held.in.consume(packet.size());
  const auto ec = co_await write_packet(client_, *renamed, header.sequence_id);
  co_return ec ? step::stop : step::next;
}

// Only a response that says a cursor exists pins: flags asking for one on a statement that
// returns no rows (an INSERT) open none.
void command_forwarder::pin_if_cursor_opened() {
  if (!tracker_.failed() && (tracker_.status_flags() & p::status::cursor_exists)) backend_.pin("cursor");
}

void command_forwarder::forget_statements() {
  statements_.clear();
  if (backend_.held()) backend_.current().statements.clear();
}

awaitable<command_forwarder::step> command_forwarder::forward_prepare(std::uint32_t payload_length) {
  statements_.prepare_failed();  // until this one succeeds
  if (payload_length >= p::max_frame_payload) {
    const step after = co_await skip_command_with_error(
        p::make_error(p::er::not_supported_yet, "weft: statements of 16 MiB or more cannot be prepared"));
    co_return after;
  }
  const bool whole = co_await fill_client(p::frame_header_size + payload_length);
  if (!whole) co_return step::stop;
  std::string sql(p::as_chars(client_in_.readable().subspan(id_offset, payload_length - 1)));
  auto error = co_await backend_.acquire();
  if (error) {
    const step after = co_await skip_command_with_error(*error);
    co_return after;
  }
  tracker_.start(static_cast<std::uint8_t>(p::command::stmt_prepare), backend_.current().link.capabilities);
  const step sent = co_await send_command_to_backend();
  if (sent == step::stop) co_return step::stop;
  // Swap the backend's statement id for weft's before the client sees the prepare-OK.
  const bool have_head = co_await fill_backend(p::frame_header_size + 5);
  if (!have_head) {
    const step after = co_await backend_failed(make_error_code(boost::system::errc::connection_reset), false);
    co_return after;
  }
  auto& held = backend_.current();
  std::optional<std::uint32_t> replaced;
  if (held.in.readable()[p::frame_header_size] == p::ok_header) {
    const bool have_ok = co_await fill_backend(p::frame_header_size + 9);
    if (!have_ok) co_return step::stop;
    auto* ok = held.in.readable_data();
    const auto backend_id = read_u32(ok + id_offset);
    const auto params = static_cast<std::uint16_t>(ok[p::frame_header_size + 7] | ok[p::frame_header_size + 8] << 8);
    if (auto old = held.statements.find(sql); old != held.statements.end()) {
      // Same text prepared again on this connection (by another session): keep one statement
      // per text per connection, or thousands of clients exhaust max_prepared_stmt_count.
      replaced = old->second.id;
      held.statements.erase(old);
    }
    remember_prepared(held, sql, backend_id);
    const auto [info, effect] = routing::analyze(sql, context_.routing.tokens);
    client_statement statement{std::move(sql), params, {}, info.digest, info.replica_safe() && !effect.pins,
                               info.kind == routing::statement_kind::write || info.side_effects,
                               effect.reads_insert_id};
    statement.sets_insert_id = effect.sets_insert_id;
    write_u32(ok + id_offset, statements_.add(std::move(statement)));
  } else {
    held.last_prepared = 0;  // the server forgot its last statement
  }
  const step relayed = co_await relay_response();
  if (relayed == step::stop) co_return step::stop;
  if (replaced && backend_.held()) {
    const auto close = stmt_close_command(*replaced);
    const auto ec = co_await write_packet(*backend_.current().link.connection, close, 0);  // no response
    if (ec) backend_.drop();
  }
  co_await finish_response(static_cast<std::uint8_t>(p::command::stmt_prepare));
  co_return step::next;
}

awaitable<command_forwarder::step> command_forwarder::forward_statement_command(std::uint8_t cmd,
                                                                                std::uint32_t payload_length) {
  const auto command = static_cast<p::command>(cmd);
  // Never read past this packet: a short one's missing bytes would be the next command's.
  const bool have_id = co_await fill_client(p::frame_header_size + std::min<std::size_t>(payload_length, 5));
  if (!have_id) co_return step::stop;
  const auto id_sent = statement_id_of(client_in_.readable().subspan(p::frame_header_size, std::min<std::size_t>(payload_length, 5)));
  const auto client_id = statements_.resolve(id_sent);
  auto* statement = statements_.find(client_id);
  const bool too_short = payload_length < fixed_size_of(command);
  if (command == p::command::stmt_close && !too_short) statements_.remove(client_id);  // the backend copy stays cached
  if (too_short || !statement || command == p::command::stmt_close) {
    const auto refusal = statement_refusal(command, client_id, too_short);
    if (refusal) {
      const step after = co_await skip_command_with_error(*refusal);
      co_return after;
    }
    const bool skipped = co_await skip_command();  // no answer, as from the server
    co_return skipped ? step::next : step::stop;
  }
  const bool runs = command == p::command::stmt_execute || command == p::command::mariadb_stmt_bulk_execute;
  if (runs) {
    begin_stats(statement->digest, statement->sql);
    relayed_bytes_ = 0;
  }
  // A cursor keeps the session on its connection until the statement is closed: it is opened
  // where the session's later writes can go, the primary.
  bool opens_cursor = false;
  if (command == p::command::stmt_execute && payload_length > execute_flags_offset) {
    const bool have_flags = co_await fill_client(p::frame_header_size + execute_flags_offset + 1);
    if (!have_flags) co_return step::stop;
    opens_cursor = client_in_.readable()[p::frame_header_size + execute_flags_offset] & cursor_type_mask;
  }
  const bool on_replica = command == p::command::stmt_execute && statement->replica_safe && !opens_cursor;
  auto error = co_await acquire_for({on_replica ? routing::target_role::replica : routing::target_role::primary, {}});
  if (!error && command == p::command::mariadb_stmt_bulk_execute &&
      !(backend_.current().link.capabilities & p::cap::mariadb_stmt_bulk_operations)) {
    error = p::make_error(p::er::not_supported_yet, "weft: backend " + backend_.name() + " has no bulk execution");
  }
  if (!error && runs && statement->reads_insert_id) error = co_await restore_insert_id();
  if (error) {
    const step after = co_await skip_command_with_error(*error);
    co_return after;
  }
  const bool wrote = runs && statement->writes && backend_.role() == routing::target_role::primary;
  const auto sent = co_await send_statement_command(command, payload_length, *statement, id_sent, opens_cursor);
  if (!sent) co_return sent.error();
  if (!p::command_has_response(cmd)) co_return step::next;
  const step relayed = co_await relay_statement_response(*sent, client_id);
  if (relayed == step::stop) co_return step::stop;
  if (runs) {
    if (opens_cursor) pin_if_cursor_opened();
    co_await remember_written_gtid(wrote);
    finish_stats(payload_length, command_kind::execute);
  }
  co_await finish_response(cmd, runs && statement->sets_insert_id, runs && statement->writes);
  co_return step::next;
}

// Sends a statement command on the held connection with the connection's statement id (the
// statement prepared there first if needed, the types added if that server never saw them).
// Returns the backend's statement id, or how the command ended when it could not be sent.
awaitable<boost::system::result<std::uint32_t, command_forwarder::step>> command_forwarder::send_statement_command(
    p::command command, std::uint32_t payload_length, client_statement& statement, std::uint32_t id_sent,
    bool opens_cursor) {
  auto& held = backend_.current();
  bool broken = false;
  const auto backend_id = co_await ensure_prepared(held, statement.sql, broken);
  if (!backend_id) {
    if (broken) co_return co_await backend_failed(make_error_code(boost::system::errc::connection_reset), false);
    co_return co_await skip_command_with_error(p::make_error(
        p::er::backend_protocol, "weft: could not prepare the statement again on backend " + backend_.name()));
  }
  if (command == p::command::stmt_send_long_data) backend_.pin("long data for a statement");
  std::optional<p::bytes> with_types;
  if (payload_length < p::max_frame_payload) {
    const bool whole = co_await fill_client(p::frame_header_size + payload_length);
    if (!whole) co_return step::stop;
    with_types = with_types_for_server(command, client_in_.readable().subspan(p::frame_header_size, payload_length),
                                       statement, held.statements[statement.sql]);
  }
  tracker_.start(static_cast<std::uint8_t>(command), held.link.capabilities, opens_cursor);
  if (with_types) {
    spdlog::debug("event=statement_types_resent backend={} statement_id={}", backend_.name(), *backend_id);
    write_u32(with_types->data() + 1, *backend_id);
    client_in_.consume(p::frame_header_size + payload_length);
    const auto werr = co_await write_packet(*held.link.connection, *with_types, 0);
    if (werr) co_return co_await backend_failed(werr, false);
    co_return *backend_id;
  }
  // "The last prepared statement" goes on as such where it is that one on the connection too:
  // the server checks such an execute differently (a short one gets 1835, not 1210).
  const bool as_last = id_sent == last_statement_id && held.last_prepared == *backend_id;
  write_u32(client_in_.readable_data() + id_offset, as_last ? last_statement_id : *backend_id);
  const step sent = co_await send_command_to_backend();
  if (sent == step::stop) co_return step::stop;
  co_return *backend_id;
}

}  // namespace weft::proxy
