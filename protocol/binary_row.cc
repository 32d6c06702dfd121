#include "protocol/binary_row.h"

#include <bit>
#include <charconv>

namespace weft::protocol {
namespace {

enum : std::uint8_t {
  tiny = 1, short_ = 2, long_ = 3, float_ = 4, double_ = 5, null_type = 6, timestamp = 7, longlong = 8, int24 = 9,
  date = 10, time_ = 11, datetime = 12, year = 13,
};
constexpr std::uint16_t unsigned_flag = 32;

template <typename T>
std::optional<T> number_in(std::string_view text) {
  T value{};
  const auto [end, failed] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (failed != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool integer_value(std::string_view text, const binary_column& c, unsigned bytes, byte_writer& w) {
  std::uint64_t raw = 0;
  if (c.flags & unsigned_flag) {
    const auto v = number_in<std::uint64_t>(text);
    if (!v) return false;
    raw = *v;
  } else {
    const auto v = number_in<std::int64_t>(text);
    if (!v) return false;
    raw = static_cast<std::uint64_t>(*v);
  }
  for (unsigned i = 0; i < bytes; ++i) w.u8(static_cast<std::uint8_t>(raw >> (8 * i)));
  return true;
}

// ".f" to ".ffffff" after a time, as microseconds; "" is 0.
std::optional<std::uint32_t> micros_in(std::string_view fraction) {
  if (fraction.empty()) return 0;
  if (fraction[0] != '.' || fraction.size() < 2 || fraction.size() > 7) return std::nullopt;
  std::string digits(fraction.substr(1));
  digits.resize(6, '0');
  return number_in<std::uint32_t>(digits);
}

// 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS[.f]': the length the server uses (0, 4, 7 or 11) and the fields.
bool datetime_value(std::string_view t, byte_writer& w) {
  const auto field = [&](std::size_t at, std::size_t n) { return number_in<std::uint32_t>(t.substr(at, n)); };
  if (t.size() < 10 || t[4] != '-' || t[7] != '-') return false;
  const auto y = field(0, 4), mo = field(5, 2), d = field(8, 2);
  std::optional<std::uint32_t> h = 0, mi = 0, s = 0, micro = 0;
  if (t.size() > 10) {
    if (t.size() < 19 || t[10] != ' ' || t[13] != ':' || t[16] != ':') return false;
    h = field(11, 2), mi = field(14, 2), s = field(17, 2), micro = micros_in(t.substr(19));
  }
  if (!y || !mo || !d || !h || !mi || !s || !micro) return false;
  const std::uint8_t length = *micro ? 11 : (*h || *mi || *s) ? 7 : (*y || *mo || *d) ? 4 : 0;
  w.u8(length);
  if (length >= 4) w.u16(static_cast<std::uint16_t>(*y)), w.u8(static_cast<std::uint8_t>(*mo)), w.u8(static_cast<std::uint8_t>(*d));
  if (length >= 7) w.u8(static_cast<std::uint8_t>(*h)), w.u8(static_cast<std::uint8_t>(*mi)), w.u8(static_cast<std::uint8_t>(*s));
  if (length == 11) w.u32(*micro);
  return true;
}

// '[-]H:MM:SS[.f]' (hours past 24 are days): length 0, 8 or 12.
bool time_value(std::string_view t, byte_writer& w) {
  const bool negative = !t.empty() && t[0] == '-';
  if (negative) t.remove_prefix(1);
  const auto colon = t.find(':');
  if (colon == std::string_view::npos || t.size() < colon + 6 || t[colon + 3] != ':') return false;
  const auto hours = number_in<std::uint32_t>(t.substr(0, colon));
  const auto minutes = number_in<std::uint32_t>(t.substr(colon + 1, 2));
  const auto seconds = number_in<std::uint32_t>(t.substr(colon + 4, 2));
  const auto micro = micros_in(t.substr(colon + 6));
  if (!hours || !minutes || !seconds || !micro) return false;
  const std::uint8_t length = *micro ? 12 : (*hours || *minutes || *seconds) ? 8 : 0;
  w.u8(length);
  if (length == 0) return true;
  w.u8(negative ? 1 : 0), w.u32(*hours / 24), w.u8(static_cast<std::uint8_t>(*hours % 24));
  w.u8(static_cast<std::uint8_t>(*minutes)), w.u8(static_cast<std::uint8_t>(*seconds));
  if (length == 12) w.u32(*micro);
  return true;
}

bool write_value(const binary_column& c, std::string_view text, byte_writer& w) {
  switch (c.type) {
    case tiny: return integer_value(text, c, 1, w);
    case short_: case year: return integer_value(text, c, 2, w);
    case long_: case int24: return integer_value(text, c, 4, w);
    case longlong: return integer_value(text, c, 8, w);
    case double_: {
      const auto v = number_in<double>(text);
      if (v) w.u64(std::bit_cast<std::uint64_t>(*v));
      return v.has_value();
    }
    case date: case datetime: case timestamp: return datetime_value(text, w);
    case time_: return time_value(text, w);
    case float_: case null_type: return false;
    default: w.lenenc_string(text); return true;  // DECIMAL, strings, blobs, BIT, JSON, ...
  }
}

}  // namespace

std::string binary_unavailable(const binary_column& column) {
  if (column.type == float_) return "a FLOAT value's bits cannot be rebuilt from the six digits the server prints";
  return "";
}

std::optional<bytes> binary_row(std::span<const binary_column> columns,
                                std::span<const std::optional<std::string_view>> values, std::string& problem) {
  if (columns.size() != values.size()) {
    problem = "a row has not one value per column";
    return std::nullopt;
  }
  bytes out;
  byte_writer w(out);
  w.u8(0x00);
  const auto bitmap_at = out.size();
  w.zeros((columns.size() + 7 + 2) / 8);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (!values[i]) {
      out[bitmap_at + (i + 2) / 8] |= static_cast<std::uint8_t>(1u << ((i + 2) % 8));
      continue;
    }
    if (!write_value(columns[i], *values[i], w)) {
      problem = "value '" + std::string(values[i]->substr(0, 40)) + "' of column " + std::to_string(i + 1) +
                " does not read as its type " + std::to_string(columns[i].type);
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace weft::protocol
