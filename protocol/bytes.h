// Little-endian integer and MySQL string encodings over byte spans: the vocabulary every
// message codec is written in. A reader never throws: it latches a failure flag and returns
// zeros, so a decoder checks ok() once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace weft::protocol {

using bytes = std::vector<std::uint8_t>;
using bytes_view = std::span<const std::uint8_t>;

inline bytes_view as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(bytes_view b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

class byte_reader {
 public:
  explicit byte_reader(bytes_view data) : data_(data) {}

  bool ok() const { return ok_; }
  std::size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
  bool at_end() const { return remaining() == 0; }
  std::uint8_t peek() const { return remaining() ? data_[pos_] : 0; }

  std::uint8_t u8() { return static_cast<std::uint8_t>(uint_le(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(uint_le(2)); }
  std::uint32_t u24() { return static_cast<std::uint32_t>(uint_le(3)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(uint_le(4)); }
  std::uint64_t u64() { return uint_le(8); }
  std::uint64_t lenenc_int();

  bytes_view fixed_bytes(std::size_t n);
  std::string_view fixed_string(std::size_t n) { return as_chars(fixed_bytes(n)); }
  std::string_view null_string();  // up to NUL; the NUL is consumed
  std::string_view lenenc_string() { return fixed_string(lenenc_int()); }
  std::string_view rest() { return fixed_string(remaining()); }
  void skip(std::size_t n) { fixed_bytes(n); }
  void fail() { ok_ = false; }

 private:
  std::uint64_t uint_le(std::size_t n);
  bytes_view data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

class byte_writer {
 public:
  explicit byte_writer(bytes& out) : out_(out) {}

  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { uint_le(v, 2); }
  void u24(std::uint32_t v) { uint_le(v, 3); }
  void u32(std::uint32_t v) { uint_le(v, 4); }
  void u64(std::uint64_t v) { uint_le(v, 8); }
  void lenenc_int(std::uint64_t v);
  void raw(bytes_view b);
  void raw(std::string_view s) { raw(as_bytes(s)); }
  void zeros(std::size_t n) { out_.insert(out_.end(), n, 0); }
  void null_string(std::string_view s) { raw(s); u8(0); }
  void lenenc_string(std::string_view s) { lenenc_int(s.size()); raw(s); }

 private:
  void uint_le(std::uint64_t v, std::size_t n);
  bytes& out_;
};

// Size in bytes of the length-encoded integer v.
std::size_t lenenc_int_size(std::uint64_t v);

// "0a1b..." for logs and test messages.
std::string to_hex(bytes_view b);

}  // namespace weft::protocol
