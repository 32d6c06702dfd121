// Failed logins per client host: after `max_failures` within `window`, the host is refused for
// `block_for` (ERR 1129 before the greeting), as MaxScale's max_auth_errors_until_block and the
// server's max_connect_errors do. Other hosts are never affected. One instance per port, shared
// by that port's threads: a mutex, taken only on the login path (a new connection, a refusal).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace weft::proxy {

struct login_throttle_settings {
  unsigned max_failures = 10;  // 0: never block
  std::chrono::milliseconds window{60000};
  std::chrono::milliseconds block_for{60000};
};

class login_throttle {
 public:
  using clock = std::chrono::steady_clock;
  using now_function = std::function<clock::time_point()>;

  explicit login_throttle(login_throttle_settings settings, now_function now = clock::now);

  // A new connection from `host`: true when the host is blocked (counted as a refusal).
  bool blocked(std::string_view host);
  // A failed login from `host`: true when this failure blocked it (the caller logs that once).
  bool failed(std::string_view host);
  // FLUSH HOSTS: forgets every host; returns how many were blocked.
  std::size_t flush();

  struct counters {
    std::uint64_t failed_logins = 0;
    std::uint64_t refused = 0;      // connections refused because their host was blocked
    std::size_t blocked_hosts = 0;  // blocked now
  };
  counters counts() const;
  // Hosts with a block or failures being counted (memory stays bounded by these).
  std::size_t hosts_tracked() const;
  const login_throttle_settings& settings() const { return settings_; }

 private:
  struct host_state {
    unsigned failures = 0;
    clock::time_point first_failure;  // of the current window
    clock::time_point blocked_until;  // in the past when not blocked
  };
  void forget_stale(clock::time_point now);

  login_throttle_settings settings_;
  now_function now_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, host_state> hosts_;
  std::size_t next_sweep_ = 1024;  // forget_stale() runs when hosts_ reaches this size
  std::uint64_t failed_logins_ = 0;
  std::uint64_t refused_ = 0;
};

}  // namespace weft::proxy
