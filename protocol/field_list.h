// One field list per message drives its size, its encoding and its decoding, so the three cannot
// disagree (the idea of MySQL Router's accumulate_fields). A message's list is a template
// `fields(visitor, message)` naming each field once, in wire order, with its condition; the
// three visitors below are the jobs it is run with.
//
// The visitor vocabulary:
//   constant(c)        a fixed byte (a command byte, a header); decoding checks it
//   fixed(x)           a little-endian integer as wide as its type (uint8/16/32)
//   optional(o)        a fixed integer present only when bytes remain (decode), or when set
//   bytes(b, n)        n bytes, borrowed; encoding writes b as it is
//   rest(b)            every remaining byte, borrowed
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <type_traits>

#include "protocol/bytes.h"

namespace weft::protocol {

// Bytes a message borrows from the buffer it was decoded from (or from the caller, to encode):
// equal when the contents are equal, so messages holding them compare by value.
struct bytes_ref {
  bytes_view view;
  std::size_t size() const { return view.size(); }
  bool empty() const { return view.empty(); }
  bool operator==(const bytes_ref& other) const { return std::ranges::equal(view, other.view); }
};

namespace field_list {

class sizer {
 public:
  std::size_t size() const { return size_; }
  void constant(std::uint8_t) { size_ += 1; }
  template <class T>
  void fixed(const T&) { size_ += sizeof(T); }
  template <class T>
  void optional(const std::optional<T>& o) { size_ += o ? sizeof(T) : 0; }
  void bytes(const bytes_ref& b, std::size_t) { size_ += b.size(); }
  void rest(const bytes_ref& b) { size_ += b.size(); }

 private:
  std::size_t size_ = 0;
};

class writer {
 public:
  explicit writer(protocol::bytes& out) : w_(out) {}
  void constant(std::uint8_t c) { w_.u8(c); }
  template <class T>
  void fixed(const T& v) {
    static_assert(std::is_unsigned_v<T> && sizeof(T) <= 4);
    if constexpr (sizeof(T) == 1) w_.u8(v);
    if constexpr (sizeof(T) == 2) w_.u16(v);
    if constexpr (sizeof(T) == 4) w_.u32(v);
  }
  template <class T>
  void optional(const std::optional<T>& o) {
    if (o) fixed(*o);
  }
  void bytes(const bytes_ref& b, std::size_t) { w_.raw(b.view); }
  void rest(const bytes_ref& b) { w_.raw(b.view); }

 private:
  byte_writer w_;
};

// Reads fields in order; a short input, a wrong constant or (checked by finish()) bytes left
// over are errors. Never reads past the end: byte_reader latches its failure.
class reader {
 public:
  explicit reader(bytes_view in) : r_(in) {}
  bool ok() const { return r_.ok() && !wrong_constant_; }
  bool wrong_constant() const { return wrong_constant_; }
  bool truncated() const { return !r_.ok(); }
  bool at_end() const { return r_.at_end(); }

  void constant(std::uint8_t c) {
    if (r_.remaining() > 0 && r_.peek() != c) wrong_constant_ = true;
    r_.u8();
  }
  template <class T>
  void fixed(T& v) {
    static_assert(std::is_unsigned_v<T> && sizeof(T) <= 4);
    if constexpr (sizeof(T) == 1) v = r_.u8();
    if constexpr (sizeof(T) == 2) v = r_.u16();
    if constexpr (sizeof(T) == 4) v = r_.u32();
  }
  template <class T>
  void optional(std::optional<T>& o) {
    if (r_.at_end()) return o.reset();
    T v{};
    fixed(v);
    o = v;
  }
  void bytes(bytes_ref& b, std::size_t n) { b.view = r_.fixed_bytes(n); }
  void rest(bytes_ref& b) { b.view = r_.fixed_bytes(r_.remaining()); }

 private:
  byte_reader r_;
  bool wrong_constant_ = false;
};

}  // namespace field_list
}  // namespace weft::protocol
