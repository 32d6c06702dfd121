// Says a repeated event once per burst instead of once per occurrence (893 identical
// accept_failed lines helped nobody): the first event is logged, then at most one line per
// interval, carrying how many events that line stands for. Not thread-safe: one per loop, or
// behind the caller's mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace weft::proxy {

class log_limiter {
 public:
  using clock = std::chrono::steady_clock;
  explicit log_limiter(clock::duration interval) : interval_(interval) {}

  // The number of events since the last line (this one included) when a line is due, else nullopt.
  std::optional<std::uint64_t> note(clock::time_point now = clock::now()) {
    ++pending_;
    if (logged_ && now - last_ < interval_) return std::nullopt;
    logged_ = true;
    last_ = now;
    const auto n = pending_;
    pending_ = 0;
    return n;
  }

 private:
  clock::duration interval_;
  clock::time_point last_{};
  bool logged_ = false;
  std::uint64_t pending_ = 0;
};

}  // namespace weft::proxy
