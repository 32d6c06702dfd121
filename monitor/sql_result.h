// A statement's result as weft's own backend connections read it (monitor::mariadb_client):
// binary-safe values with what each column is, so every value can be written back as an exact
// SQL literal. Plain types, no libmariadb, so pure code (COMPARE's row matching) can use them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft::monitor {

// What a result column holds, as far as writing its values back as SQL literals goes.
enum class value_kind : std::uint8_t {
  integer,   // TINYINT ... BIGINT, YEAR: digits as the server prints them
  decimal,   // DECIMAL: exact digits
  floating,  // FLOAT, DOUBLE
  bit,       // BIT(n): raw bytes
  binary,    // BINARY, VARBINARY, BLOB, GEOMETRY and strings in the binary character set
  text,      // CHAR, VARCHAR, TEXT, ENUM, SET, JSON, dates and times (utf8mb4 on the wire)
};

struct result_column {
  std::string name;
  value_kind kind = value_kind::text;
};

using value = std::optional<std::string>;  // nullopt: NULL
using value_view = std::optional<std::string_view>;  // a streamed value, valid while its row is
using value_row = std::vector<value>;

struct result_table {
  std::vector<result_column> columns;
  std::vector<value_row> rows;
};

}  // namespace weft::monitor
