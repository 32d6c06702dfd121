#include "session/prepared_statements.h"

#include <algorithm>

#include "protocol/constants.h"
#include "protocol/errors.h"
#include "protocol/messages.h"
#include "protocol/frame.h"
#include "protocol/statement_messages.h"

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


namespace {

// The types an execute or bulk carries (empty when it carries none) are the statement's from
// now on, and this server's; true when it carries none, this server holds other types (or
// none), and weft knows the statement's: the caller adds them.
bool types_to_add(p::bytes_view carried, client_statement& statement, backend_statement& on_backend) {
  if (!carried.empty()) {
    statement.param_types.assign(carried.begin(), carried.end());
    on_backend.types_sent = statement.param_types;
    return false;
  }
  if (statement.param_types.empty() || on_backend.types_sent == statement.param_types) return false;
  on_backend.types_sent = statement.param_types;
  return true;
}

std::optional<p::bytes> execute_types(p::bytes_view payload, client_statement& statement,
                                      backend_statement& on_backend) {
  if (statement.params == 0) return std::nullopt;
  // Only the types are looked at (every execute); the whole is decoded when types are added.
  const auto carried = p::stmt_execute_param_types(payload, statement.params);
  if (!carried) return std::nullopt;  // the server refuses it as it is
  if (!types_to_add(*carried, statement, on_backend)) return std::nullopt;
  const auto execute = p::decode_stmt_execute(payload, statement.params);
  if (!execute) return std::nullopt;
  return p::encode(p::with_param_types(*execute, statement.param_types));
}

std::optional<p::bytes> bulk_types(p::bytes_view payload, client_statement& statement, backend_statement& on_backend) {
  if (statement.params == 0) return std::nullopt;
  const auto bulk = p::decode_stmt_bulk_execute(payload, statement.params);
  if (!bulk) return std::nullopt;
  if (!types_to_add(bulk->param_types.view, statement, on_backend)) return std::nullopt;
  return p::encode(p::with_param_types(*bulk, statement.param_types));
}

}  // namespace

void note_carried_types(p::bytes_view payload, client_statement& statement) {
  if (statement.params == 0) return;
  const auto carried = p::stmt_execute_param_types(payload, statement.params);
  if (carried && !carried->empty()) statement.param_types.assign(carried->begin(), carried->end());
}

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
