// The binary protocol's DATE/DATETIME/TIMESTAMP and TIME values as they come in a
// COM_STMT_EXECUTE: a length byte, then the fields the length says are there.
#pragma once

#include <cstdint>
#include <optional>

#include "protocol/bytes.h"

namespace weft::protocol {

struct binary_datetime {
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micro = 0;
};

// Length 0, 4 (the date), 7 (and the time) or 11 (and microseconds); nullopt for another length.
inline std::optional<binary_datetime> read_binary_datetime(byte_reader& r) {
  const auto length = r.u8();
  if (length != 0 && length != 4 && length != 7 && length != 11) return std::nullopt;
  binary_datetime t;
  if (length >= 4) t.year = r.u16(), t.month = r.u8(), t.day = r.u8();
  if (length >= 7) t.hour = r.u8(), t.minute = r.u8(), t.second = r.u8();
  if (length == 11) t.micro = r.u32();
  return t;
}

struct binary_time {
  bool negative = false;
  unsigned long days = 0;
  unsigned hour = 0, minute = 0, second = 0, micro = 0;
};

// Length 0, 8 (sign, days, hour, minute, second) or 12 (and microseconds).
inline std::optional<binary_time> read_binary_time(byte_reader& r) {
  const auto length = r.u8();
  if (length != 0 && length != 8 && length != 12) return std::nullopt;
  binary_time t;
  if (length >= 8) t.negative = r.u8() != 0, t.days = r.u32(), t.hour = r.u8(), t.minute = r.u8(), t.second = r.u8();
  if (length == 12) t.micro = r.u32();
  return t;
}

}  // namespace weft::protocol
