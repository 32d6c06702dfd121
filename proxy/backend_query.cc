#include "proxy/backend_query.h"

#include "protocol/constants.h"
#include "protocol/frame.h"
#include "protocol/response_tracker.h"
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

awaitable<prepare_answer> prepare_on_backend(pooled_backend& backend, std::string_view sql) {
  auto& connection = *backend.link.connection;
  p::bytes prepare;
  p::byte_writer w(prepare);
  w.u8(static_cast<std::uint8_t>(p::command::stmt_prepare));
  w.raw(sql);
  connection.start_command();
  const auto werr = co_await write_packet(connection, prepare, 0);
  if (werr) co_return prepare_answer{.broken = true};
  // Read the whole response (parameter and column definitions included) and keep only the id.
  p::response_tracker tracker;
  tracker.start(static_cast<std::uint8_t>(p::command::stmt_prepare), backend.link.capabilities);
  prepare_answer answer;
  bool first = true;
  while (!tracker.done()) {
    // The first read must hold the prepare-OK's header and id (any first packet has 9+ bytes).
    if (backend.in.empty() || (first && backend.in.size() < p::frame_header_size + 5)) {
      auto* dst = backend.in.spare(4096);
      auto [ec, n] = co_await connection.read_some(asio::buffer(dst, backend.in.spare_size()));
      if (ec) co_return prepare_answer{.broken = true};
      backend.in.commit(n);
    }
    const auto data = backend.in.readable();
    if (first && data.size() >= p::frame_header_size + 5) {
      first = false;
      if (data[p::frame_header_size] == p::ok_header) {
        answer.id = static_cast<std::uint32_t>(data[5] | data[6] << 8 | data[7] << 16 | std::uint32_t{data[8]} << 24);
      }
    }
    backend.in.consume(tracker.feed(data));
  }
  co_return answer;
}

}  // namespace weft::proxy
