#include "proxy/prepared_statements.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "protocol/constants.h"
#include "protocol/errors.h"
#include "protocol/messages.h"
#include "protocol/frame.h"
#include "protocol/response_tracker.h"
#include "proxy/packet_io.h"

namespace weft::proxy {
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

// Frees room for one more statement by closing the least recently used one (COM_STMT_CLOSE
// has no response).
awaitable<bool> make_room(pooled_backend& backend) {
  if (backend.statements.size() < max_statements_per_connection) co_return true;
  auto oldest = std::min_element(backend.statements.begin(), backend.statements.end(),
                                 [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; });
  const auto close = stmt_close_command(oldest->second.id);
  if (backend.last_prepared == oldest->second.id) backend.last_prepared = 0;
  backend.statements.erase(oldest);
  const auto ec = co_await write_packet(*backend.link.connection, close, 0);
  co_return !ec;
}

}  // namespace

p::bytes stmt_close_command(std::uint32_t backend_id) {
  p::bytes close;
  p::byte_writer w(close);
  w.u8(static_cast<std::uint8_t>(p::command::stmt_close));
  w.u32(backend_id);
  return close;
}

void remember_prepared(pooled_backend& backend, const std::string& sql, std::uint32_t id) {
  backend.statements[sql] = backend_statement{id, false, ++backend.statement_clock};
  backend.last_prepared = id;
}

awaitable<std::optional<std::uint32_t>> ensure_prepared(pooled_backend& backend, const std::string& sql,
                                                        bool& broken) {
  broken = false;
  if (auto it = backend.statements.find(sql); it != backend.statements.end()) {
    it->second.last_used = ++backend.statement_clock;
    co_return it->second.id;
  }
  const bool room = co_await make_room(backend);
  if (!room) {
    broken = true;
    co_return std::nullopt;
  }
  auto& connection = *backend.link.connection;
  p::bytes prepare;
  p::byte_writer w(prepare);
  w.u8(static_cast<std::uint8_t>(p::command::stmt_prepare));
  w.raw(sql);
  const auto werr = co_await write_packet(connection, prepare, 0);
  if (werr) {
    broken = true;
    co_return std::nullopt;
  }
  // Read the whole response (parameter and column definitions included) and keep only the id.
  p::response_tracker tracker;
  tracker.start(static_cast<std::uint8_t>(p::command::stmt_prepare), backend.link.capabilities);
  std::optional<std::uint32_t> id;
  bool first = true;
  while (!tracker.done()) {
    // The first read must hold the prepare-OK's header and id (any first packet has 9+ bytes).
    if (backend.in.empty() || (first && backend.in.size() < p::frame_header_size + 5)) {
      auto* dst = backend.in.spare(4096);
      auto [ec, n] = co_await connection.read_some(asio::buffer(dst, backend.in.spare_size()));
      if (ec) {
        broken = true;
        co_return std::nullopt;
      }
      backend.in.commit(n);
    }
    const auto data = backend.in.readable();
    if (first && data.size() >= p::frame_header_size + 5) {
      first = false;
      if (data[p::frame_header_size] == p::ok_header) {
        id = static_cast<std::uint32_t>(data[5] | data[6] << 8 | data[7] << 16 | std::uint32_t{data[8]} << 24);
      }
    }
    backend.in.consume(tracker.feed(data));
  }
  if (id) {
    remember_prepared(backend, sql, *id);
  } else {
    backend.last_prepared = 0;  // as the server's, after a failed prepare
  }
  spdlog::debug("event=statement_prepared_again backend={} ok={}", backend.key.server, id.has_value());
  co_return id;
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

}  // namespace weft::proxy
