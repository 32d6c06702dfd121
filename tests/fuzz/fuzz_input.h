// What every fuzz target reads its input with. A few leading bytes choose a configuration
// (command byte, capabilities, where to split the data); the rest is the data under test. An
// exhausted input reads as zeros, so every input, however short, is a valid configuration.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "protocol/bytes.h"

namespace weft::fuzz {

using protocol::bytes;
using protocol::bytes_view;

// A broken invariant is a finding: say which, then abort so libFuzzer keeps the input.
[[noreturn]] inline void invariant_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "weft fuzz: invariant broken: %s (%s:%d)\n", what, file, line);
  std::abort();
}

// An assert that stays on in every build and names the broken condition.
#define FUZZ_EXPECT(condition) \
  ((condition) ? void(0) : ::weft::fuzz::invariant_failed(#condition, __FILE__, __LINE__))

class fuzz_input {
 public:
  fuzz_input(const std::uint8_t* data, std::size_t size) : data_(data, size) {}

  std::uint8_t u8() { return pos_ < data_.size() ? data_[pos_++] : 0; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u8() | u8() << 8); }
  std::uint32_t u32() { return u16() | std::uint32_t{u16()} << 16; }
  bytes_view take(std::size_t n) {
    const auto view = data_.subspan(pos_, n < data_.size() - pos_ ? n : data_.size() - pos_);
    pos_ += view.size();
    return view;
  }
  bytes_view rest() { return take(data_.size() - pos_); }
  std::string_view rest_text() { return protocol::as_chars(rest()); }
  bool empty() const { return pos_ == data_.size(); }

 private:
  bytes_view data_;
  std::size_t pos_ = 0;
};

// Chunk sizes for feeding a stream piecewise: a small xorshift sequence seeded from the input,
// so a crash replays exactly. Seed 0 feeds one byte at a time (every split point at once).
class chunker {
 public:
  explicit chunker(std::uint8_t seed) : state_(seed), one_by_one_(seed == 0) {}
  // Everything that is left, in one piece.
  static chunker whole() {
    chunker c(1);
    c.whole_ = true;
    return c;
  }

  std::size_t next(std::size_t left) {
    if (whole_) return left;
    if (one_by_one_ || left <= 1) return left ? 1 : 0;
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    const std::size_t size = 1 + state_ % 24;
    return size < left ? size : left;
  }

 private:
  std::uint64_t state_;
  bool one_by_one_;
  bool whole_ = false;
};

}  // namespace weft::fuzz
