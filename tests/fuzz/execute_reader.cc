#include "execute_reader.h"

namespace weft::fuzz {
namespace {

using protocol::byte_reader;
using protocol::bytes_view;

// A binary-protocol value of a MYSQL_TYPE_*: fixed width, a length byte (temporal types), or a
// length-encoded string; nullopt for a type the protocol does not define.
std::optional<bytes_view> read_value(byte_reader& r, std::uint8_t type) {
  switch (type) {
    case 0x06: return bytes_view{};                                  // NULL
    case 0x01: return r.fixed_bytes(1);                              // TINY
    case 0x02: case 0x0D: return r.fixed_bytes(2);                   // SHORT, YEAR
    case 0x03: case 0x04: case 0x09: return r.fixed_bytes(4);        // LONG, FLOAT, INT24
    case 0x05: case 0x08: return r.fixed_bytes(8);                   // DOUBLE, LONGLONG
    case 0x07: case 0x0A: case 0x0B: case 0x0C: return r.fixed_bytes(r.u8());  // temporal
    case 0x00: case 0x0F: case 0x10:                                 // DECIMAL, VARCHAR, BIT
      return protocol::as_bytes(r.lenenc_string());
    default:
      if (type >= 0xF5) return protocol::as_bytes(r.lenenc_string());  // JSON ... GEOMETRY
      return std::nullopt;
  }
}

bool is_null(bytes_view bitmap, std::size_t i) { return bitmap[i / 8] & (1u << (i % 8)); }

}  // namespace

std::optional<execute_view> read_execute(bytes_view payload, std::uint16_t params, bytes_view earlier_types) {
  byte_reader r(payload);
  if (r.u8() != 0x17) return std::nullopt;
  execute_view v;
  v.statement_id = r.u32();
  v.flags = r.u8();
  v.iterations = r.u32();
  if (params > 0) {
    v.null_bitmap = r.fixed_bytes((params + 7u) / 8u);
    // The protocol defines 0 and 1 only; other values are left out rather than guessed.
    const auto bound = r.u8();
    if (bound > 1) return std::nullopt;
    v.types_bound = bound == 1;
    v.types = v.types_bound ? r.fixed_bytes(2u * params) : earlier_types;
    if (!r.ok() || v.types.size() != 2u * params) return std::nullopt;
  }
  for (std::size_t i = 0; i < params; ++i) {
    if (is_null(v.null_bitmap, i)) {
      v.values.emplace_back();
      continue;
    }
    auto value = read_value(r, v.types[2 * i]);
    if (!value || !r.ok()) return std::nullopt;
    v.values.emplace_back(*value);
  }
  if (!r.ok()) return std::nullopt;
  return v;
}

}  // namespace weft::fuzz
