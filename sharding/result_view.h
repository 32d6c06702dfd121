// One shard's whole text-protocol response, read in place: its column definitions, its rows'
// values and its closing EOF/OK. The views point into the response's bytes, which must outlive
// this.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/bytes.h"

namespace weft::sharding {

struct column_info {
  std::string_view name;
  std::uint16_t charset = 0;
  std::uint8_t type = 0;
  std::uint16_t flags = 0;
  std::uint8_t decimals = 0;
  protocol::bytes_view payload;  // the definition as the server sent it
};

using row_values = std::vector<std::optional<std::string_view>>;  // nullopt: NULL

struct row_view {
  protocol::bytes_view payload;
  row_values values;
};

struct result_view {
  enum class kind : std::uint8_t { rows, error, unreadable } what = kind::unreadable;
  protocol::bytes_view error;          // kind error: the ERR payload
  std::string problem;                 // kind unreadable: why
  protocol::bytes_view column_count;   // its payload
  std::vector<column_info> columns;
  protocol::bytes_view columns_eof;    // the EOF after the definitions (empty under DEPRECATE_EOF)
  std::vector<row_view> rows;
  protocol::bytes_view terminator;     // the closing EOF or OK payload
  std::uint16_t status = 0, warnings = 0;
};

// `extended_type_info`: the connection agreed on MariaDB's extended type info (column
// definitions carry one more field).
result_view read_result(protocol::bytes_view response, bool extended_type_info = false);

// The pieces read_result reads, for readers of an answer as it arrives (stream_merge.h): one
// column definition, one text row of `columns` values, and the closing EOF/OK (status, warnings
// and its payload into `out`).
std::optional<column_info> read_column_definition(protocol::bytes_view payload, bool extended_type_info);
std::optional<row_values> read_text_row(protocol::bytes_view payload, std::size_t columns);
bool read_closing(protocol::bytes_view payload, result_view& out);

// The values of an answer of exactly one row of `columns` values, or nullopt and why not (the
// server's error message, or what the answer was instead).
std::optional<row_values> single_row(const result_view& r, std::size_t columns, std::string& problem);

// The closing packet of `like` with other warnings, the MORE_RESULTS flag cleared.
protocol::bytes terminator_with(const result_view& like, std::uint16_t warnings);

}  // namespace weft::sharding
