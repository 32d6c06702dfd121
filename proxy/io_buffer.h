// A reusable byte buffer for socket reads: bytes are appended at the back (read_some into
// spare()) and consumed from the front. Compacts instead of reallocating, so a session makes
// no allocation per query once warmed up.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "protocol/bytes.h"

namespace weft::proxy {

class io_buffer {
 public:
  explicit io_buffer(std::size_t initial = 16 * 1024) : storage_(initial) {}

  protocol::bytes_view readable() const { return {storage_.data() + begin_, end_ - begin_}; }
  // For rewriting a field in place (a statement id) before the bytes are forwarded.
  std::uint8_t* readable_data() { return storage_.data() + begin_; }
  std::size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }
  void consume(std::size_t n) {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }

  // Room for at least min_free more bytes at the back.
  std::uint8_t* spare(std::size_t min_free = 1) {
    if (storage_.size() - end_ < min_free) make_room(min_free);
    return storage_.data() + end_;
  }
  std::size_t spare_size() const { return storage_.size() - end_; }
  std::size_t capacity() const { return storage_.size(); }
  void commit(std::size_t n) { end_ += n; }

 private:
  void make_room(std::size_t min_free) {
    if (begin_ > 0) {
      std::memmove(storage_.data(), storage_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (storage_.size() - end_ < min_free) storage_.resize(end_ + min_free);
  }

  std::vector<std::uint8_t> storage_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace weft::proxy
