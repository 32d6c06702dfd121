#include "proxy/prepared_statements.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "protocol/constants.h"
#include "protocol/errors.h"
#include "protocol/messages.h"
#include "protocol/frame.h"
#include "protocol/response_tracker.h"
#include "protocol/statement_messages.h"
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
  const auto close = p::encode(p::stmt_close{oldest->second.id});
  if (backend.last_prepared == oldest->second.id) backend.last_prepared = 0;
  backend.statements.erase(oldest);
  const auto ec = co_await write_packet(*backend.link.connection, close, 0);
  co_return !ec;
}

}  // namespace

void remember_prepared(pooled_backend& backend, const std::string& sql, std::uint32_t id) {
  backend.statements[sql] = backend_statement{id, false, ++backend.statement_clock};
  backend.last_prepared = id;
}

namespace {

// Reads from the backend until its buffer holds `n` bytes; false when the connection broke.
awaitable<bool> fill(pooled_backend& backend, std::size_t n) {
  while (backend.in.size() < n) {
    auto* dst = backend.in.spare(std::max<std::size_t>(n - backend.in.size(), 4096));
    auto [ec, got] = co_await backend.link.connection->read_some(asio::buffer(dst, backend.in.spare_size()));
    if (ec) co_return false;
    backend.in.commit(got);
  }
  co_return true;
}

// The statement id of the prepare response at the head of the buffer, when its first packet is
// a COM_STMT_PREPARE_OK (else an ERR): that packet is buffered whole first.
awaitable<std::optional<std::uint32_t>> read_prepared_id(pooled_backend& backend, bool& broken) {
  broken = !co_await fill(backend, p::frame_header_size);
  if (broken) co_return std::nullopt;
  const auto length = p::decode_frame_header(backend.in.readable_data()).payload_length;
  if (length > p::stmt_prepare_ok_max_size) co_return std::nullopt;
  broken = !co_await fill(backend, p::frame_header_size + length);
  if (broken) co_return std::nullopt;
  const auto ok = p::decode_stmt_prepare_ok(backend.in.readable().subspan(p::frame_header_size, length));
  if (!ok) co_return std::nullopt;
  co_return ok->statement_id;
}

// Reads the rest of a prepare's response (parameter and column definitions): only its id matters.
awaitable<bool> skip_response(pooled_backend& backend) {
  p::response_tracker tracker;
  tracker.start(static_cast<std::uint8_t>(p::command::stmt_prepare), backend.link.capabilities);
  while (!tracker.done()) {
    if (backend.in.empty() && !co_await fill(backend, 1)) co_return false;
    backend.in.consume(tracker.feed(backend.in.readable()));
  }
  co_return true;
}

}  // namespace

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
  p::bytes prepare;
  p::byte_writer w(prepare);
  w.u8(static_cast<std::uint8_t>(p::command::stmt_prepare));
  w.raw(sql);
  const auto werr = co_await write_packet(*backend.link.connection, prepare, 0);
  if (werr) {
    broken = true;
    co_return std::nullopt;
  }
  const auto id = co_await read_prepared_id(backend, broken);
  if (broken || !co_await skip_response(backend)) {
    broken = true;
    co_return std::nullopt;
  }
  if (id) {
    remember_prepared(backend, sql, *id);
  } else {
    backend.last_prepared = 0;  // as the server's, after a failed prepare
  }
  spdlog::debug("event=statement_prepared_again backend={} ok={}", backend.key.server, id.has_value());
  co_return id;
}

namespace {

// The types an execute or bulk carries (empty when it carries none) are the statement's from
// now on, and this server saw them; true when it carries none, this server never saw them, and
// weft knows them: the caller adds them.
bool types_to_add(p::bytes_view carried, client_statement& statement, backend_statement& on_backend) {
  if (!carried.empty()) {
    statement.param_types.assign(carried.begin(), carried.end());
    on_backend.types_sent = true;
    return false;
  }
  if (on_backend.types_sent || statement.param_types.empty()) return false;
  on_backend.types_sent = true;
  return true;
}

std::optional<p::bytes> execute_types(p::bytes_view payload, client_statement& statement,
                                      backend_statement& on_backend) {
  if (statement.params == 0) return std::nullopt;
  const auto execute = p::decode_stmt_execute(payload, statement.params);
  if (!execute) return std::nullopt;  // the server refuses it as it is
  if (!types_to_add(execute->param_types.view, statement, on_backend)) return std::nullopt;
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
