// Sending a statement command to whichever connection the session holds: the statement prepared
// there first if it never was, the parameter types added if that server never saw them, and an
// error naming the server's statement id renamed to the client's.
#include <spdlog/spdlog.h>

#include "protocol/frame.h"
#include "protocol/statement_messages.h"
#include "session/machine.h"

namespace weft::session {
namespace {

namespace p = protocol;

// Where the statement id of a buffered command starts: after the header.
constexpr std::size_t head_end = p::frame_header_size + p::statement_command_head_size;

}  // namespace

// Sends a statement command on the held connection with the connection's statement id.
// Returns the backend's statement id, or nullopt with how the command ended in `ended`.
resumable<std::optional<std::uint32_t>> machine::send_statement_command(p::command command, std::uint32_t payload_length,
                                                                        client_statement& statement, std::uint32_t id_sent,
                                                                        bool opens_cursor, step& ended) {
  bool broken = false;
  const auto backend_id = co_await prepare_on_held(statement.sql, broken);
  if (!backend_id) {
    if (broken) {
      const event reset{.result = outcome::backend_failed, .failure = "connection reset"};
      ended = co_await backend_failed(reset);
    } else {
      const auto refusal = p::make_error(p::er::backend_protocol,
                                         "weft: could not prepare the statement again on backend " + std::string(held_.server));
      ended = co_await skip_command_with_error(refusal);
    }
    co_return std::nullopt;
  }
  if (command == p::command::stmt_send_long_data) pin("long data for a statement");
  std::optional<p::bytes> with_types;
  if (payload_length < p::max_frame_payload) {
    const auto& whole = co_await perform({.kind = action_kind::read_client, .bytes = p::frame_header_size + payload_length});
    if (whole.result != outcome::ok) {
      ended = step::stop;
      co_return std::nullopt;
    }
    with_types = with_types_for_server(command, whole.client.subspan(p::frame_header_size, payload_length), statement,
                                       held_.statements->by_text[statement.sql]);
  }
  tracker_.start(static_cast<std::uint8_t>(command), held_.capabilities, opens_cursor);
  std::optional<step> failed;
  if (with_types) {
    spdlog::debug("event=statement_types_resent backend={} statement_id={}", held_.server, *backend_id);
    p::set_statement_id(*with_types, *backend_id);
    outgoing_ = std::move(*with_types);
    failed = co_await send_instead_of_command();
  } else {
    // "The last prepared statement" goes on as such where it is that one on the connection too:
    // the server checks such an execute differently (a short one gets 1835, not 1210).
    const bool as_last = id_sent == last_statement_id && held_.statements->last_prepared == *backend_id;
    failed = co_await send_command_as(as_last ? last_statement_id : *backend_id);
  }
  if (!failed) co_return backend_id;
  ended = *failed;
  co_return std::nullopt;
}

// The client's command is dropped and outgoing_ sent in its place. nullopt when sent, else how
// the command ended.
resumable<std::optional<machine::step>> machine::send_instead_of_command() {
  const auto& skipped = co_await perform({.kind = action_kind::skip_command});
  if (skipped.result != outcome::ok) co_return step::stop;
  const auto& sent = co_await perform({.kind = action_kind::send_packet, .payload = outgoing_});
  if (sent.result != outcome::ok) co_return co_await backend_failed(sent);
  co_return std::nullopt;
}

// The client's command goes on as it is, naming the statement by `statement_id`.
resumable<std::optional<machine::step>> machine::send_command_as(std::uint32_t statement_id) {
  const auto& buffered = co_await perform({.kind = action_kind::read_client, .bytes = head_end});
  if (buffered.result != outcome::ok) co_return step::stop;
  p::set_statement_id(buffered.client.subspan(p::frame_header_size, p::statement_command_head_size), statement_id);
  const auto& sent = co_await perform({.kind = action_kind::send_command});
  if (sent.result == outcome::ok) co_return std::nullopt;
  co_return co_await backend_failed(sent);
}

// Makes sure `sql` is prepared on the held connection; its backend id, or nullopt if the server
// refused (the connection is still usable) or the connection broke (then `broken`).
resumable<std::optional<std::uint32_t>> machine::prepare_on_held(const std::string& sql, bool& broken) {
  broken = false;
  auto& on_connection = *held_.statements;
  if (const auto* known = on_connection.find(sql)) co_return known->id;
  if (const auto evicted = on_connection.evict_if_full()) {
    outgoing_ = p::encode(p::stmt_close{*evicted});  // (no response)
    const auto& closed = co_await perform({.kind = action_kind::send_packet, .payload = outgoing_});
    if (closed.result != outcome::ok) {
      broken = true;
      co_return std::nullopt;
    }
  }
  const auto& prepared = co_await perform({.kind = action_kind::prepare_internal, .text = sql});
  std::optional<std::uint32_t> id;
  if (prepared.result == outcome::ok) id = prepared.statement_id;
  broken = prepared.result == outcome::backend_failed;
  if (id) {
    on_connection.remember(sql, *id);
  } else {
    on_connection.last_prepared = 0;  // as the server's, after a failed prepare
  }
  spdlog::debug("event=statement_prepared_again backend={} ok={}", held_.server, id.has_value());
  co_return id;
}

resumable<machine::step> machine::relay_statement_response(std::uint32_t backend_id, std::uint32_t client_id) {
  const auto& head = co_await perform({.kind = action_kind::read_backend, .bytes = p::frame_header_size + 1});
  if (head.result != outcome::ok) co_return co_await backend_failed(head);
  const auto header = p::decode_frame_header(head.backend.data());
  constexpr std::size_t longest_err = 1024;  // the server's messages are far shorter
  if (head.backend[p::frame_header_size] != p::err_header || header.payload_length > longest_err) {
    co_return co_await relay_response();
  }
  const auto& whole = co_await perform({.kind = action_kind::read_backend, .bytes = p::frame_header_size + header.payload_length});
  if (whole.result != outcome::ok) co_return step::stop;
  const auto packet = p::bytes_view(whole.backend.first(p::frame_header_size + header.payload_length));
  auto renamed = error_with_client_id(packet.subspan(p::frame_header_size), held_.capabilities, backend_id, client_id);
  if (!renamed) co_return co_await relay_response();
  tracker_.feed(packet);  // the response ends here, as the tracker sees it
  outgoing_ = std::move(*renamed);
  const auto& consumed = co_await perform({.kind = action_kind::consume_backend, .bytes = packet.size()});
  (void)consumed;
  const auto& written = co_await perform({.kind = action_kind::reply, .payload = outgoing_, .sequence_id = header.sequence_id});
  co_return written.result == outcome::ok ? step::next : step::stop;
}

}  // namespace weft::session
