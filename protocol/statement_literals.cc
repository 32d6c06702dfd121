// parameter_literals (statement_params.h): a COM_STMT_EXECUTE's bound values written as SQL.
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "protocol/binary_temporal.h"
#include "protocol/statement_params.h"

namespace weft::protocol {
namespace {

// Binary protocol types (MYSQL_TYPE_*).
enum : std::uint8_t {
  decimal = 0, tiny = 1, short_ = 2, long_ = 3, float_ = 4, double_ = 5, null_type = 6, timestamp = 7,
  longlong = 8, int24 = 9, date = 10, time_ = 11, datetime = 12, year = 13, varchar = 15, bit = 16, json = 245,
  newdecimal = 246, enum_ = 247, set_ = 248, tiny_blob = 249, medium_blob = 250, long_blob = 251, blob = 252,
  var_string = 253, string_ = 254, geometry = 255,
};

std::string integer_literal(std::uint64_t raw, unsigned bytes, bool is_unsigned) {
  if (is_unsigned) return std::to_string(raw);
  const unsigned shift = 64 - 8 * bytes;
  return std::to_string(static_cast<std::int64_t>(raw << shift) >> shift);  // sign-extended
}

// The shortest text that reads back as this double, with an exponent so the server reads a
// DOUBLE (1.5 alone would be a DECIMAL literal); not a number or infinite: none.
std::optional<std::string> double_literal(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  char text[64];
  const auto [end, failed] = std::to_chars(text, text + sizeof text, value);
  if (failed != std::errc{}) return std::nullopt;
  std::string out(text, end);
  if (out.find('e') == std::string::npos) out += "e0";
  return out;
}

// A DECIMAL's text as clients send it: [sign] digits [. digits]; anything else is refused (it
// would go into the statement as it is).
std::optional<std::string> decimal_literal(std::string_view text) {
  std::size_t i = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  std::size_t digits = 0, dots = 0;
  for (; i < text.size(); ++i) {
    if (text[i] == '.') {
      ++dots;
    } else if (text[i] >= '0' && text[i] <= '9') {
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0 || dots > 1) return std::nullopt;
  return std::string(text);
}

std::string quoted_literal(std::string_view bytes, bool no_backslash_escapes) {
  std::string out = "'";
  for (const char c : bytes) {
    if (c == '\'') {
      out += no_backslash_escapes ? "''" : "\\'";
    } else if (no_backslash_escapes) {
      out += c;
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\0') {
      out += "\\0";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\x1a') {
      out += "\\Z";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string hex_literal(std::string_view bytes) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out = "X'";
  for (const unsigned char b : bytes) out += digits[b >> 4], out += digits[b & 0xF];
  return out + "'";
}

// DATE/DATETIME/TIMESTAMP quoted as the server prints it (a DATE without its time).
std::optional<std::string> datetime_literal(byte_reader& r, bool date_only) {
  const auto t = read_binary_datetime(r);
  if (!t) return std::nullopt;
  char text[96];
  int n = std::snprintf(text, sizeof text, "'%04u-%02u-%02u", t->year, t->month, t->day);
  if (!date_only) n += std::snprintf(text + n, sizeof text - n, " %02u:%02u:%02u", t->hour, t->minute, t->second);
  if (!date_only && t->micro) n += std::snprintf(text + n, sizeof text - n, ".%06u", t->micro);
  return std::string(text, n) + "'";
}

// TIME: hours past a day count the days in ('-51:04:05').
std::optional<std::string> time_literal(byte_reader& r) {
  const auto t = read_binary_time(r);
  if (!t) return std::nullopt;
  char text[96];
  int n = std::snprintf(text, sizeof text, "'%s%02lu:%02u:%02u", t->negative ? "-" : "", t->days * 24 + t->hour,
                        t->minute, t->second);
  if (t->micro) n += std::snprintf(text + n, sizeof text - n, ".%06u", t->micro);
  return std::string(text, n) + "'";
}

std::optional<std::string> literal_of(byte_reader& r, param_type type, bool no_backslash_escapes) {
  switch (type.type) {
    case tiny: return integer_literal(r.u8(), 1, type.is_unsigned());
    case short_: case year: return integer_literal(r.u16(), 2, type.is_unsigned());
    case long_: case int24: return integer_literal(r.u32(), 4, type.is_unsigned());
    case longlong: return integer_literal(r.u64(), 8, type.is_unsigned());
    case float_: return double_literal(std::bit_cast<float>(r.u32()));
    case double_: return double_literal(std::bit_cast<double>(r.u64()));
    case null_type: return "NULL";
    case date: return datetime_literal(r, true);
    case timestamp: case datetime: return datetime_literal(r, false);
    case time_: return time_literal(r);
    case decimal: case newdecimal: return decimal_literal(r.lenenc_string());
    case varchar: case json: case enum_: case set_: case var_string: case string_:
      return quoted_literal(r.lenenc_string(), no_backslash_escapes);
    case bit: case tiny_blob: case medium_blob: case long_blob: case blob: case geometry:
      return hex_literal(r.lenenc_string());
    default: return std::nullopt;  // a type no client sends
  }
}

}  // namespace

std::optional<std::vector<std::string>> parameter_literals(const stmt_execute& m, bytes_view types,
                                                           bool no_backslash_escapes) {
  std::vector<std::string> out;
  if (types.size() < std::size_t{m.param_count} * param_type_size) return std::nullopt;
  byte_reader r(m.values.view);
  for (std::uint16_t i = 0; i < m.param_count; ++i) {
    const bool null = m.null_bitmap.view.size() > i / 8u && (m.null_bitmap.view[i / 8u] >> (i % 8u)) & 1;
    auto literal = null ? std::optional<std::string>("NULL")
                        : literal_of(r, param_type_at(bytes_ref{types}, i), no_backslash_escapes);
    if (!literal) return std::nullopt;
    out.push_back(std::move(*literal));
  }
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return out;
}

}  // namespace weft::protocol
