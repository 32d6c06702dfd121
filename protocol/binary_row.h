// A result row rebuilt in the binary protocol (COM_STMT_EXECUTE's answer) from its values in the
// text protocol: what weft answers a prepared statement with when it merged the shards' text
// answers. Each value is written as the server writes that column type: integers by their size,
// DOUBLE as its bits, dates and times as their binary structs with the server's shortest length,
// anything else as the same bytes. FLOAT cannot be rebuilt (the server prints six digits of it,
// not its bits), so it is refused, as is a value that does not read as its column's type.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/bytes.h"

namespace weft::protocol {

struct binary_column {
  std::uint8_t type = 0;    // MYSQL_TYPE_*
  std::uint16_t flags = 0;  // the column definition's (UNSIGNED_FLAG: 32)
};

// Why no binary value can be rebuilt for a column of this type ("": it can).
std::string binary_unavailable(const binary_column& column);

// The binary row's payload (0x00, the NULL bitmap, the values), or nullopt and `problem`.
std::optional<bytes> binary_row(std::span<const binary_column> columns,
                                std::span<const std::optional<std::string_view>> values, std::string& problem);

}  // namespace weft::protocol
