#include "proxy/backend_query.h"

#include <algorithm>

#include "protocol/constants.h"
#include "protocol/frame.h"
#include "protocol/response_tracker.h"
#include "protocol/statement_messages.h"
#include "proxy/packet_io.h"

namespace weft::proxy {
namespace p = protocol;

namespace {
// The end of rows: an EOF, or with DEPRECATE_EOF an OK with the 0xFE header (a row cannot start
// with 0xFE here: that would be a value of 16 MiB or more).
bool ends_rows(const p::packet& packet, std::uint64_t caps) {
  if (packet.payload.empty() || packet.payload[0] != 0xFE) return false;
  return packet.payload.size() < 9 || (caps & p::cap::deprecate_eof);
}

p::err_packet error_of(const p::packet& packet, std::uint64_t caps) {
  auto err = p::decode_err_packet(packet.payload, caps);
  return err ? *err : p::make_error(p::er::backend_protocol, "weft: malformed error from backend");
}
}  // namespace

awaitable<backend_answer> run_on_backend(pooled_backend& backend, const std::string& sql) {
  backend_answer answer;
  auto& connection = *backend.link.connection;
  const auto caps = backend.link.capabilities;
  const auto command = p::encode(p::com_query{sql});
  const auto werr = co_await write_packet(connection, command, 0);
  if (werr) {
    answer.broken = true;
    co_return answer;
  }
  error_code ec;
  auto first = co_await read_packet(connection, backend.in, 1 << 24, ec);
  if (!first || first->payload.empty()) {
    answer.broken = true;
    co_return answer;
  }
  if (first->payload[0] == p::err_header) {
    answer.error = error_of(*first, caps);
    co_return answer;
  }
  if (first->payload[0] == p::ok_header) co_return answer;  // no result set
  p::byte_reader count_reader(first->payload);
  const auto columns = count_reader.lenenc_int();
  // Column definitions, then (without DEPRECATE_EOF) an EOF, then rows up to EOF/OK or ERR.
  const bool eof_after_columns = !(caps & p::cap::deprecate_eof);
  for (std::uint64_t i = 0; i < columns + (eof_after_columns ? 1 : 0); ++i) {
    auto skipped = co_await read_packet(connection, backend.in, 1 << 24, ec);
    if (!skipped) {
      answer.broken = true;
      co_return answer;
    }
  }
  bool first_row = true;
  for (;;) {
    auto row = co_await read_packet(connection, backend.in, 1 << 24, ec);
    if (!row || row->payload.empty()) {
      answer.broken = true;
      co_return answer;
    }
    if (row->payload[0] == p::err_header) {
      answer.error = error_of(*row, caps);
      co_return answer;
    }
    if (ends_rows(*row, caps)) co_return answer;
    if (first_row && row->payload[0] != 0xFB) {  // 0xFB: NULL
      p::byte_reader r(row->payload);
      answer.value = std::string(r.lenenc_string());
    }
    first_row = false;
  }
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
awaitable<prepare_answer> read_prepared_id(pooled_backend& backend) {
  const bool have_header = co_await fill(backend, p::frame_header_size);
  if (!have_header) co_return prepare_answer{.broken = true};
  const auto length = p::decode_frame_header(backend.in.readable_data()).payload_length;
  if (length > p::stmt_prepare_ok_max_size) co_return prepare_answer{};
  const bool have_packet = co_await fill(backend, p::frame_header_size + length);
  if (!have_packet) co_return prepare_answer{.broken = true};
  const auto ok = p::decode_stmt_prepare_ok(backend.in.readable().subspan(p::frame_header_size, length));
  if (!ok) co_return prepare_answer{};
  co_return prepare_answer{.id = ok->statement_id};
}

// Reads the rest of a prepare's response (parameter and column definitions): only its id matters.
awaitable<bool> skip_response(pooled_backend& backend) {
  p::response_tracker tracker;
  tracker.start(static_cast<std::uint8_t>(p::command::stmt_prepare), backend.link.capabilities);
  while (!tracker.done()) {
    if (backend.in.empty()) {
      const bool more = co_await fill(backend, 1);
      if (!more) co_return false;
    }
    backend.in.consume(tracker.feed(backend.in.readable()));
  }
  co_return true;
}

}  // namespace

awaitable<prepare_answer> prepare_on_backend(pooled_backend& backend, std::string_view sql) {
  auto& connection = *backend.link.connection;
  p::bytes prepare;
  p::byte_writer w(prepare);
  w.u8(static_cast<std::uint8_t>(p::command::stmt_prepare));
  w.raw(sql);
  connection.start_command();
  const auto werr = co_await write_packet(connection, prepare, 0);
  if (werr) co_return prepare_answer{.broken = true};
  auto answer = co_await read_prepared_id(backend);
  if (answer.broken) co_return answer;
  const bool read = co_await skip_response(backend);
  if (!read) co_return prepare_answer{.broken = true};
  co_return answer;
}

}  // namespace weft::proxy
