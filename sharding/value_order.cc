#include "sharding/value_order.h"

#include <charconv>
#include <cstdlib>

#include "sharding/decimal_text.h"

namespace weft::sharding {
namespace {

// Column types (protocol's MYSQL_TYPE_*).
enum : std::uint8_t {
  decimal = 0, tiny = 1, short_ = 2, long_ = 3, float_ = 4, double_ = 5, timestamp = 7, longlong = 8, int24 = 9,
  date = 10, time_ = 11, datetime = 12, year = 13, newdate = 14, varchar = 15, bit = 16, timestamp2 = 17,
  datetime2 = 18, time2 = 19, json = 245, newdecimal = 246, enum_ = 247, set = 248, tiny_blob = 249,
  medium_blob = 250, long_blob = 251, blob = 252, var_string = 253, string = 254, geometry = 255,
};
constexpr std::uint16_t enum_flag = 0x100, set_flag = 0x800;

// [-]H...H:MM:SS[.ffffff] as microseconds.
std::optional<long long> time_value(std::string_view v) {
  const bool negative = !v.empty() && v[0] == '-';
  if (negative) v.remove_prefix(1);
  long long parts[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    const auto [next, ec] = std::from_chars(v.data(), v.data() + v.size(), parts[i]);
    if (ec != std::errc{}) return std::nullopt;
    v.remove_prefix(static_cast<std::size_t>(next - v.data()));
    if (i < 2 && (v.empty() || v[0] != ':')) return std::nullopt;
    if (i < 2) v.remove_prefix(1);
  }
  long long micros = 0;
  if (!v.empty() && v[0] == '.') {
    std::string digits(v.substr(1));
    digits.resize(6, '0');
    if (std::from_chars(digits.data(), digits.data() + 6, micros).ec != std::errc{}) return std::nullopt;
  } else if (!v.empty()) {
    return std::nullopt;
  }
  const long long total = ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000000 + micros;
  return negative ? -total : total;
}

template <class T>
int order_of(T a, T b) { return a < b ? -1 : b < a ? 1 : 0; }

}  // namespace

value_kind kind_of(const column_info& c) {
  if (c.flags & (enum_flag | set_flag)) return value_kind::unordered;  // ENUM and SET sort by their index
  switch (c.type) {
    case decimal: case newdecimal: case tiny: case short_: case long_: case longlong: case int24: case year:
      return value_kind::exact_number;
    case float_: case double_: return value_kind::floating;
    case timestamp: case date: case datetime: case newdate: case timestamp2: case datetime2: return value_kind::temporal;
    case time_: case time2: return value_kind::time;
    default: break;
  }
  // Strings: a column definition carries the connection's collation, not the column's (a `_ci`
  // column reads as utf8mb4_bin under SET NAMES ... COLLATE utf8mb4_bin, as binary under SET NAMES
  // binary), and PAD SPACE makes 'a' = 'a ' in `_bin` columns too: their order and equality are
  // not known from the answer, so none is assumed.
  return value_kind::unordered;
}

std::optional<int> compare_values(value_kind kind, std::optional<std::string_view> a, std::optional<std::string_view> b) {
  if (kind == value_kind::unordered) return std::nullopt;
  if (!a || !b) return order_of(a.has_value(), b.has_value());
  switch (kind) {
    case value_kind::exact_number: return decimal_compare(*a, *b);
    case value_kind::floating: {
      const double x = std::strtod(std::string(*a).c_str(), nullptr), y = std::strtod(std::string(*b).c_str(), nullptr);
      return order_of(x, y);
    }
    case value_kind::time: {
      const auto x = time_value(*a), y = time_value(*b);
      if (!x || !y) return std::nullopt;
      return order_of(*x, *y);
    }
    default: return order_of(*a, *b);  // temporal: fixed-width text
  }
}

std::optional<std::string> equality_key(value_kind kind, std::optional<std::string_view> value) {
  if (kind == value_kind::unordered) return std::nullopt;
  if (!value) return std::string("N");
  std::string_view v = *value;
  if (kind == value_kind::exact_number) {
    const auto canonical = decimal_add(v, "0");  // "-0", "007": one form
    if (!canonical) return std::nullopt;
    return "V" + *canonical;
  }
  return "V" + std::string(v);
}

}  // namespace weft::sharding
