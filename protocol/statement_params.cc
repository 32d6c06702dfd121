#include "protocol/statement_params.h"

#include "protocol/binary_temporal.h"

#include <cstdio>

namespace weft::protocol {
namespace {

// Binary protocol types (MYSQL_TYPE_*).
enum : std::uint8_t {
  tiny = 1, short_ = 2, long_ = 3, float_ = 4, double_ = 5, null_type = 6, timestamp = 7, longlong = 8, int24 = 9,
  date = 10, time_ = 11, datetime = 12, year = 13,
};

std::string integer_text(std::uint64_t raw, unsigned bytes, bool is_unsigned) {
  if (is_unsigned) return std::to_string(raw);
  const unsigned shift = 64 - 8 * bytes;
  return std::to_string(static_cast<std::int64_t>(raw << shift) >> shift);  // sign-extended
}

// DATE/DATETIME/TIMESTAMP: a length byte, then year(2) month day [hour minute second [micro(4)]].
std::optional<std::string> datetime_text(byte_reader& r) {
  const auto t = read_binary_datetime(r);
  if (!t) return std::nullopt;
  char text[96];  // room for any unsigned values, though a valid date needs 26
  std::snprintf(text, sizeof text, "%04u-%02u-%02u %02u:%02u:%02u.%06u", t->year, t->month, t->day, t->hour,
                t->minute, t->second, t->micro);
  return std::string(text);
}

// One value at r of `type`; `known` false for one read but not usable as a key.
std::optional<std::string> read_value(byte_reader& r, param_type type, bool& known) {
  known = true;
  switch (type.type) {
    case tiny: return integer_text(r.u8(), 1, type.is_unsigned());
    case short_: case year: return integer_text(r.u16(), 2, type.is_unsigned());
    case long_: case int24: return integer_text(r.u32(), 4, type.is_unsigned());
    case longlong: return integer_text(r.u64(), 8, type.is_unsigned());
    case float_: r.skip(4); known = false; return std::nullopt;
    case double_: r.skip(8); known = false; return std::nullopt;
    case null_type: known = false; return std::nullopt;
    case timestamp: case date: case datetime: return datetime_text(r);
    case time_: r.skip(r.u8()); known = false; return std::nullopt;
    default: break;
  }
  const bool length_encoded = type.type == 0 || type.type == 15 || type.type == 16 || type.type >= 245;
  if (!length_encoded) return std::nullopt;  // a type no client sends: the values cannot be read on
  return std::string(r.lenenc_string());     // DECIMAL, strings, blobs, BIT, JSON...
}

}  // namespace

std::optional<std::vector<parameter_text>> parameter_texts(const stmt_execute& m, bytes_view types) {
  std::vector<parameter_text> out;
  if (types.size() < std::size_t{m.param_count} * param_type_size) return std::nullopt;
  byte_reader r(m.values.view);
  for (std::uint16_t i = 0; i < m.param_count; ++i) {
    const bool null = m.null_bitmap.view.size() > i / 8u && (m.null_bitmap.view[i / 8u] >> (i % 8u)) & 1;
    if (null) {
      out.push_back({std::nullopt, false, true});
      continue;
    }
    bool known = true;
    const auto type = param_type_at(bytes_ref{types}, i);
    auto value = read_value(r, type, known);
    if (known && !value) return std::nullopt;
    const bool number = type.type <= year || type.type == 246;  // integers, floats, DECIMAL, YEAR
    out.push_back({std::move(value),
                   number && type.type != timestamp && type.type != date && type.type != time_ &&
                       type.type != datetime && type.type != null_type,
                   type.type == null_type});
  }
  if (!r.ok()) return std::nullopt;
  return out;
}

}  // namespace weft::protocol
