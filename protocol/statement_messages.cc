#include "protocol/statement_messages.h"

#include <concepts>

namespace weft::protocol {
namespace {

template <class M, class T>
concept message_of = std::same_as<std::remove_const_t<M>, T>;

constexpr std::uint8_t command_byte(command c) { return static_cast<std::uint8_t>(c); }

// --- the field lists: each message's fields once, in wire order ----------------------------------

template <class V, message_of<stmt_prepare_ok> M>
void fields(V& v, M& m) {
  v.constant(ok_header);
  v.fixed(m.statement_id);
  v.fixed(m.column_count);
  v.fixed(m.param_count);
  v.fixed(m.reserved);
  v.optional(m.warning_count);
  if (m.warning_count) v.optional(m.metadata_follows);
}

template <class V, message_of<stmt_execute> M>
void head_fields(V& v, M& m) {
  v.constant(command_byte(command::stmt_execute));
  v.fixed(m.statement_id);
  v.fixed(m.flags);
  v.fixed(m.iteration_count);
}

template <class V, message_of<stmt_execute> M>
void fields(V& v, M& m) {
  head_fields(v, m);
  if (m.param_count > 0) {
    v.bytes(m.null_bitmap, (m.param_count + 7u) / 8u);
    v.fixed(m.new_params_bound);
    if (m.new_params_bound != 0) v.bytes(m.param_types, param_type_size * m.param_count);
  }
  v.rest(m.values);
}

template <class V, message_of<stmt_bulk_execute> M>
void fields(V& v, M& m) {
  v.constant(command_byte(command::mariadb_stmt_bulk_execute));
  v.fixed(m.statement_id);
  v.fixed(m.flags);
  if (m.flags & bulk_send_types_to_server) v.bytes(m.param_types, param_type_size * m.param_count);
  v.rest(m.rows);
}

template <class V, message_of<stmt_send_long_data> M>
void fields(V& v, M& m) {
  v.constant(command_byte(command::stmt_send_long_data));
  v.fixed(m.statement_id);
  v.fixed(m.param_id);
  v.rest(m.data);
}

template <class V, message_of<stmt_fetch> M>
void fields(V& v, M& m) {
  v.constant(command_byte(command::stmt_fetch));
  v.fixed(m.statement_id);
  v.fixed(m.row_count);
}

template <class V, message_of<stmt_reset> M>
void fields(V& v, M& m) {
  v.constant(command_byte(command::stmt_reset));
  v.fixed(m.statement_id);
}

template <class V, message_of<stmt_close> M>
void fields(V& v, M& m) {
  v.constant(command_byte(command::stmt_close));
  v.fixed(m.statement_id);
}

// --- the three jobs, the same for every message ----------------------------------------------

template <class M>
std::size_t measure(const M& m) {
  field_list::sizer s;
  fields(s, m);
  return s.size();
}

template <class M>
bytes write(const M& m) {
  bytes out;
  out.reserve(measure(m));
  field_list::writer w(out);
  fields(w, m);
  return out;
}

std::error_code reader_error(const field_list::reader& r, bool whole) {
  if (r.wrong_constant()) return make_error_code(errc::unexpected_header);
  if (r.truncated()) return make_error_code(errc::truncated);
  if (whole && !r.at_end()) return make_error_code(errc::malformed);
  return {};
}

// `m` comes with what the wire does not carry (a parameter count) already set.
template <class M>
result<M> read(bytes_view payload, M m) {
  field_list::reader r(payload);
  fields(r, m);
  if (auto ec = reader_error(r, true)) return ec;
  return m;
}

}  // namespace

std::size_t size(const stmt_prepare_ok& m) { return measure(m); }
bytes encode(const stmt_prepare_ok& m) { return write(m); }
result<stmt_prepare_ok> decode_stmt_prepare_ok(bytes_view payload) { return read(payload, stmt_prepare_ok{}); }

param_type param_type_at(const bytes_ref& types, std::size_t i) {
  return {types.view[param_type_size * i], types.view[param_type_size * i + 1]};
}

std::size_t size(const stmt_execute& m) { return measure(m); }
bytes encode(const stmt_execute& m) { return write(m); }
result<stmt_execute> decode_stmt_execute(bytes_view payload, std::uint16_t param_count) {
  stmt_execute m;
  m.param_count = param_count;
  return read(payload, m);
}

result<stmt_execute> decode_stmt_execute_head(bytes_view payload_start) {
  field_list::reader r(payload_start);
  stmt_execute m;
  head_fields(r, m);
  if (auto ec = reader_error(r, false)) return ec;
  return m;
}

std::size_t stmt_execute_head_size() {
  static const std::size_t head = [] {
    field_list::sizer s;
    const stmt_execute none;
    head_fields(s, none);
    return s.size();
  }();
  return head;
}

result<bytes_view> stmt_execute_param_types(bytes_view payload, std::uint16_t param_count) {
  const auto head = stmt_execute_head_size();
  if (payload.size() < head) return make_error_code(errc::truncated);
  if (param_count == 0) return bytes_view{};
  const auto flag_at = head + (param_count + 7u) / 8u;
  if (payload.size() <= flag_at) return make_error_code(errc::truncated);
  if (payload[flag_at] == 0) return bytes_view{};
  const auto types_size = param_type_size * param_count;
  if (payload.size() - flag_at - 1 < types_size) return make_error_code(errc::truncated);
  return payload.subspan(flag_at + 1, types_size);
}

stmt_execute with_param_types(const stmt_execute& m, bytes_view types) {
  auto out = m;
  out.new_params_bound = 1;
  out.param_types = bytes_ref{types};
  return out;
}

std::size_t size(const stmt_bulk_execute& m) { return measure(m); }
bytes encode(const stmt_bulk_execute& m) { return write(m); }
result<stmt_bulk_execute> decode_stmt_bulk_execute(bytes_view payload, std::uint16_t param_count) {
  stmt_bulk_execute m;
  m.param_count = param_count;
  return read(payload, m);
}

std::size_t stmt_bulk_execute_head_size() { return measure(stmt_bulk_execute{}); }

stmt_bulk_execute with_param_types(const stmt_bulk_execute& m, bytes_view types) {
  auto out = m;
  out.flags = static_cast<std::uint16_t>(out.flags | bulk_send_types_to_server);
  out.param_types = bytes_ref{types};
  return out;
}

std::size_t size(const stmt_send_long_data& m) { return measure(m); }
bytes encode(const stmt_send_long_data& m) { return write(m); }
result<stmt_send_long_data> decode_stmt_send_long_data(bytes_view payload) {
  return read(payload, stmt_send_long_data{});
}

std::size_t size(const stmt_fetch& m) { return measure(m); }
bytes encode(const stmt_fetch& m) { return write(m); }
result<stmt_fetch> decode_stmt_fetch(bytes_view payload) { return read(payload, stmt_fetch{}); }

std::size_t size(const stmt_reset& m) { return measure(m); }
bytes encode(const stmt_reset& m) { return write(m); }
result<stmt_reset> decode_stmt_reset(bytes_view payload) { return read(payload, stmt_reset{}); }

std::size_t size(const stmt_close& m) { return measure(m); }
bytes encode(const stmt_close& m) { return write(m); }
result<stmt_close> decode_stmt_close(bytes_view payload) { return read(payload, stmt_close{}); }

std::uint32_t statement_id_of(bytes_view payload) {
  std::uint32_t id = 0;
  const auto end = std::min(payload.size(), statement_command_head_size);
  for (std::size_t i = 1; i < end; ++i) id |= std::uint32_t{payload[i]} << (8 * (i - 1));
  return id;
}

void set_statement_id(std::span<std::uint8_t> payload, std::uint32_t statement_id) {
  for (std::size_t i = 0; i < 4; ++i) payload[1 + i] = static_cast<std::uint8_t>(statement_id >> (8 * i));
}

}  // namespace weft::protocol
