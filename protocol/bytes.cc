#include "protocol/bytes.h"

#include <algorithm>

namespace weft::protocol {

std::uint64_t byte_reader::uint_le(std::size_t n) {
  auto b = fixed_bytes(n);
  if (!ok_) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= std::uint64_t{b[i]} << (8 * i);
  return v;
}

std::uint64_t byte_reader::lenenc_int() {
  const std::uint8_t first = u8();
  switch (first) {
    case 0xFC: return u16();
    case 0xFD: return u24();
    case 0xFE: return u64();
    case 0xFB:  // NULL marker, not an integer
    case 0xFF:  // ERR marker
      ok_ = false;
      return 0;
    default: return first;
  }
}

bytes_view byte_reader::fixed_bytes(std::size_t n) {
  if (!ok_ || data_.size() - pos_ < n) {
    ok_ = false;
    return {};
  }
  auto out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

std::string_view byte_reader::null_string() {
  if (!ok_) return {};
  auto tail = data_.subspan(pos_);
  auto nul = std::find(tail.begin(), tail.end(), std::uint8_t{0});
  if (nul == tail.end()) {
    ok_ = false;
    return {};
  }
  const auto n = static_cast<std::size_t>(nul - tail.begin());
  auto s = as_chars(tail.first(n));
  pos_ += n + 1;
  return s;
}

void byte_writer::uint_le(std::uint64_t v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// Out of line on purpose: inlined into callers, g++ 12 reports false -Warray-bounds here.
void byte_writer::raw(bytes_view b) { out_.insert(out_.end(), b.begin(), b.end()); }

void byte_writer::lenenc_int(std::uint64_t v) {
  if (v < 0xFB) {
    u8(static_cast<std::uint8_t>(v));
  } else if (v <= 0xFFFF) {
    u8(0xFC);
    u16(static_cast<std::uint16_t>(v));
  } else if (v <= 0xFFFFFF) {
    u8(0xFD);
    u24(static_cast<std::uint32_t>(v));
  } else {
    u8(0xFE);
    u64(v);
  }
}

std::size_t lenenc_int_size(std::uint64_t v) {
  if (v < 0xFB) return 1;
  if (v <= 0xFFFF) return 3;
  if (v <= 0xFFFFFF) return 4;
  return 9;
}

std::string to_hex(bytes_view b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (auto c : b) {
    s.push_back(digits[c >> 4]);
    s.push_back(digits[c & 0xF]);
  }
  return s;
}

}  // namespace weft::protocol
