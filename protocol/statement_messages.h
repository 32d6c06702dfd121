// The prepared-statement commands (COM_STMT_*) and COM_STMT_PREPARE_OK as value types. Messages
// that carry variable-size bytes borrow them (bytes_ref) from the payload they were decoded
// from: keep that buffer alive while the message is used. encode() returns the payload (no
// frame header); decode_*() takes a whole payload, rejects a short one (errc::truncated), a
// wrong command byte (errc::unexpected_header) and bytes left over (errc::malformed).
// Layouts: MariaDB's COM_STMT_PREPARE, COM_STMT_EXECUTE, COM_STMT_BULK_EXECUTE,
// COM_STMT_SEND_LONG_DATA, COM_STMT_FETCH, COM_STMT_RESET and COM_STMT_CLOSE pages. MySQL 8's
// CLIENT_QUERY_ATTRIBUTES layout of COM_STMT_EXECUTE is not modelled (weft never offers it).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "protocol/field_list.h"
#include "protocol/messages.h"

namespace weft::protocol {

// COM_STMT_PREPARE_OK, the first packet of a successful prepare's response.
struct stmt_prepare_ok {
  std::uint32_t statement_id = 0;
  std::uint16_t column_count = 0;
  std::uint16_t param_count = 0;
  std::uint8_t reserved = 0;
  // Present only when the payload is long enough (MariaDB and MySQL always send it).
  std::optional<std::uint16_t> warning_count = 0;
  // MySQL 8 with CLIENT_OPTIONAL_RESULTSET_METADATA only; needs warning_count.
  std::optional<std::uint8_t> metadata_follows;
  bool operator==(const stmt_prepare_ok&) const = default;
};
// The longest COM_STMT_PREPARE_OK payload: every optional field present.
inline constexpr std::size_t stmt_prepare_ok_max_size = 13;
std::size_t size(const stmt_prepare_ok& m);
bytes encode(const stmt_prepare_ok& m);
result<stmt_prepare_ok> decode_stmt_prepare_ok(bytes_view payload);

// One parameter's type in COM_STMT_EXECUTE / COM_STMT_BULK_EXECUTE: a field type and a flag
// byte whose bit 128 says unsigned.
struct param_type {
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  bool is_unsigned() const { return flags & 0x80; }
  bool operator==(const param_type&) const = default;
};
inline constexpr std::size_t param_type_size = 2;
// The i-th type of a types block (i < block.size() / 2).
param_type param_type_at(const bytes_ref& types, std::size_t i);

// Cursor-type bits of COM_STMT_EXECUTE's flags (read-only 1, for update 2, scrollable 4):
// any of them asks for a cursor.
inline constexpr std::uint8_t cursor_read_only = 1;
inline constexpr std::uint8_t cursor_for_update = 2;
inline constexpr std::uint8_t cursor_scrollable = 4;
inline constexpr std::uint8_t cursor_type_mask = cursor_read_only | cursor_for_update | cursor_scrollable;

// COM_STMT_EXECUTE. The parameter count is not on the wire: it is the prepare's, given to
// decode; the null bitmap, the new-params-bound flag and the types exist only when it is > 0.
struct stmt_execute {
  std::uint32_t statement_id = 0;
  std::uint8_t flags = 0;
  std::uint32_t iteration_count = 1;
  std::uint16_t param_count = 0;   // not on the wire
  bytes_ref null_bitmap;           // (param_count + 7) / 8 bytes
  std::uint8_t new_params_bound = 0;
  bytes_ref param_types;           // 2 bytes per parameter, when new_params_bound is not 0
  bytes_ref values;                // the rest of the payload, as sent
  bool opens_cursor() const { return flags & cursor_type_mask; }
  bool types_bound() const { return param_count > 0 && new_params_bound != 0; }
  bool operator==(const stmt_execute&) const = default;
};
std::size_t size(const stmt_execute& m);
bytes encode(const stmt_execute& m);
result<stmt_execute> decode_stmt_execute(bytes_view payload, std::uint16_t param_count);
// The fixed head alone (statement id, flags, iteration count; the rest left empty) from the
// first bytes of a payload that may go on: enough to route an execute not yet read whole.
result<stmt_execute> decode_stmt_execute_head(bytes_view payload_start);
// Bytes in the fixed head (a shorter COM_STMT_EXECUTE is malformed).
std::size_t stmt_execute_head_size();
// The types block an execute carries (empty when new_params_bound is 0 or there are no
// parameters), found without decoding the values: what every execute needs looked at. An error
// when the payload is too short to hold what it announces.
result<bytes_view> stmt_execute_param_types(bytes_view payload, std::uint16_t param_count);
// The same execute with these types bound (new_params_bound 1), for a server that never saw
// them; `types` must outlive the result.
stmt_execute with_param_types(const stmt_execute& m, bytes_view types);

// COM_STMT_BULK_EXECUTE (MariaDB, with MARIADB_CLIENT_STMT_BULK_OPERATIONS).
inline constexpr std::uint16_t bulk_send_unit_results = 64;
inline constexpr std::uint16_t bulk_send_types_to_server = 128;
struct stmt_bulk_execute {
  std::uint32_t statement_id = 0;
  std::uint16_t flags = 0;
  std::uint16_t param_count = 0;  // not on the wire
  bytes_ref param_types;          // 2 bytes per parameter, when flags has SEND_TYPES_TO_SERVER
  bytes_ref rows;                 // indicators and values of every row, as sent
  bool types_sent() const { return flags & bulk_send_types_to_server; }
  bool operator==(const stmt_bulk_execute&) const = default;
};
std::size_t size(const stmt_bulk_execute& m);
bytes encode(const stmt_bulk_execute& m);
result<stmt_bulk_execute> decode_stmt_bulk_execute(bytes_view payload, std::uint16_t param_count);
std::size_t stmt_bulk_execute_head_size();
// The same bulk with these types sent (SEND_TYPES_TO_SERVER set); `types` must outlive it.
stmt_bulk_execute with_param_types(const stmt_bulk_execute& m, bytes_view types);

struct stmt_send_long_data {
  std::uint32_t statement_id = 0;
  std::uint16_t param_id = 0;
  bytes_ref data;
  bool operator==(const stmt_send_long_data&) const = default;
};
std::size_t size(const stmt_send_long_data& m);
bytes encode(const stmt_send_long_data& m);
result<stmt_send_long_data> decode_stmt_send_long_data(bytes_view payload);

struct stmt_fetch {
  std::uint32_t statement_id = 0;
  std::uint32_t row_count = 0;
  bool operator==(const stmt_fetch&) const = default;
};
std::size_t size(const stmt_fetch& m);
bytes encode(const stmt_fetch& m);
result<stmt_fetch> decode_stmt_fetch(bytes_view payload);

struct stmt_reset {
  std::uint32_t statement_id = 0;
  bool operator==(const stmt_reset&) const = default;
};
std::size_t size(const stmt_reset& m);
bytes encode(const stmt_reset& m);
result<stmt_reset> decode_stmt_reset(bytes_view payload);

struct stmt_close {
  std::uint32_t statement_id = 0;
  bool operator==(const stmt_close&) const = default;
};
std::size_t size(const stmt_close& m);
bytes encode(const stmt_close& m);
result<stmt_close> decode_stmt_close(bytes_view payload);

// Every statement command starts with the command byte and the 4-byte statement id.
inline constexpr std::size_t statement_command_head_size = 5;
// The statement id of any statement command, read from the bytes it has: those a short packet
// lacks count as zero, as the server reads them.
std::uint32_t statement_id_of(bytes_view payload);
// The same command, in place, naming another statement (payload of at least the head size):
// for the hot path, where a copy per execute would cost an allocation.
void set_statement_id(std::span<std::uint8_t> payload, std::uint32_t statement_id);

}  // namespace weft::protocol
