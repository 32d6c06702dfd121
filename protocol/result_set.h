// Text result sets built by weft itself (the admin port answers with them): column
// definitions (Protocol::ColumnDefinition41), text rows, and the whole response as wire frames,
// with or without CLIENT_DEPRECATE_EOF.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/bytes.h"

namespace weft::protocol {

enum class column_type : std::uint8_t {
  long_ = 0x03,
  double_ = 0x05,
  longlong = 0x08,
  var_string = 0xfd,
};

struct column_definition {
  std::string schema;
  std::string table;
  std::string org_table;
  std::string name;
  std::string org_name;
  std::uint16_t charset = 33;  // utf8_general_ci; 63 (binary) for numbers
  std::uint32_t length = 0;
  column_type type = column_type::var_string;
  std::uint16_t flags = 0;
  std::uint8_t decimals = 0;
  bool operator==(const column_definition&) const = default;
};
// `extended_type_info`: the connection agreed on MariaDB's extended type info (one more field).
bytes encode(const column_definition& c, bool extended_type_info = false);

// A text column of a result weft makes (numbers get the binary charset and NUM_FLAG).
column_definition text_column(std::string name);
column_definition integer_column(std::string name);
column_definition real_column(std::string name);

using text_row = std::vector<std::optional<std::string>>;  // nullopt: NULL
bytes encode_text_row(const text_row& row);

// The whole response to a query, frames included, sequence ids from first_seq: column count,
// definitions, (EOF), rows, then EOF, or an OK with the 0xFE header under DEPRECATE_EOF.
bytes encode_text_result(std::span<const column_definition> columns, std::span<const text_row> rows,
                         std::uint64_t caps, std::uint16_t status_flags, std::uint8_t first_seq = 1);

}  // namespace weft::protocol
