#include "session/prepared_statements.h"

#include <algorithm>

#include "protocol/constants.h"
#include "protocol/errors.h"
#include "protocol/messages.h"
#include "protocol/frame.h"

namespace weft::session {
namespace p = protocol;

std::uint32_t statement_registry::add(client_statement statement) {
  const auto id = next_id_++;
  statements_.emplace(id, std::move(statement));
  last_ = id;
  return id;
}

void statement_registry::remove(std::uint32_t client_id) {
  statements_.erase(client_id);
  if (last_ == client_id) last_ = 0;
}

client_statement* statement_registry::find(std::uint32_t client_id) {
  auto it = statements_.find(client_id);
  return it == statements_.end() ? nullptr : &it->second;
}

p::bytes stmt_close_command(std::uint32_t backend_id) {
  p::bytes close;
  p::byte_writer w(close);
  w.u8(static_cast<std::uint8_t>(p::command::stmt_close));
  w.u32(backend_id);
  return close;
}

p::bytes execute_with_types(p::bytes_view payload, std::uint16_t params, p::bytes_view types) {
  const auto flag_at = execute_bound_flag_offset(params);
  p::bytes out;
  out.reserve(payload.size() + types.size());
  p::byte_writer w(out);
  w.raw(payload.first(flag_at));
  w.u8(1);
  w.raw(types);
  w.raw(payload.subspan(flag_at + 1));
  return out;
}

namespace {

// The types an execute or bulk carries (from offset carried_at, two bytes per parameter; 0 when
// it carries none) are the statement's from now on, and this server saw them; true when it
// carries none, this server never saw them, and weft knows them: the caller adds them.
bool types_to_add(p::bytes_view payload, std::size_t carried_at, client_statement& statement,
                  backend_statement& on_backend) {
  if (carried_at != 0) {
    const auto types = payload.subspan(carried_at, std::min<std::size_t>(2u * statement.params, payload.size() - carried_at));
    statement.param_types.assign(types.begin(), types.end());
    on_backend.types_sent = true;
    return false;
  }
  if (on_backend.types_sent || statement.param_types.empty()) return false;
  on_backend.types_sent = true;
  return true;
}

std::optional<p::bytes> execute_types(p::bytes_view payload, client_statement& statement,
                                      backend_statement& on_backend) {
  const auto flag_at = execute_bound_flag_offset(statement.params);
  if (statement.params == 0 || payload.size() <= flag_at) return std::nullopt;
  const std::size_t carried_at = payload[flag_at] == 1 ? flag_at + 1 : 0;
  if (!types_to_add(payload, carried_at, statement, on_backend)) return std::nullopt;
  return execute_with_types(payload, statement.params, statement.param_types);
}

std::optional<p::bytes> bulk_types(p::bytes_view payload, client_statement& statement, backend_statement& on_backend) {
  if (statement.params == 0 || payload.size() < bulk_fixed_size) return std::nullopt;
  const auto flags = static_cast<std::uint16_t>(payload[bulk_flags_offset] | payload[bulk_flags_offset + 1] << 8);
  const std::size_t carried_at = flags & bulk_send_types ? bulk_fixed_size : 0;
  if (!types_to_add(payload, carried_at, statement, on_backend)) return std::nullopt;
  p::bytes out;
  out.reserve(payload.size() + statement.param_types.size());
  p::byte_writer w(out);
  w.raw(payload.first(bulk_flags_offset));
  w.u16(static_cast<std::uint16_t>(flags | bulk_send_types));
  w.raw(statement.param_types);
  w.raw(payload.subspan(bulk_fixed_size));
  return out;
}

}  // namespace

std::optional<p::bytes> with_types_for_server(p::command command, p::bytes_view payload, client_statement& statement,
                                              backend_statement& on_backend) {
  if (command == p::command::stmt_execute) return execute_types(payload, statement, on_backend);
  if (command == p::command::mariadb_stmt_bulk_execute) return bulk_types(payload, statement, on_backend);
  return std::nullopt;
}

std::optional<p::bytes> error_with_client_id(p::bytes_view err_payload, std::uint64_t caps,
                                             std::uint32_t backend_id, std::uint32_t client_id) {
  auto err = p::decode_err_packet(err_payload, caps);
  if (!err) return std::nullopt;
  const auto code = err->error_code;
  if (code != p::er::unknown_stmt_handler.code && code != p::er::stmt_has_no_open_cursor.code) return std::nullopt;
  const auto named = "(" + std::to_string(backend_id) + ")";
  const auto at = err->message.find(named);
  if (at == std::string::npos) return std::nullopt;
  err->message.replace(at, named.size(), "(" + std::to_string(client_id) + ")");
  return p::encode(*err, caps);
}

}  // namespace weft::session
