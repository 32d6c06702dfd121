// How the health monitor checks backends ([monitor] in weft.toml).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace weft::config {

struct monitor_settings {
  std::string user;  // empty: no monitor (replicas never take reads: their lag is unknown)
  std::string password;
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds timeout{1000};  // connect, and each check's statements
  unsigned failures_to_shun = 3;            // consecutive failed checks before SHUNNED
  std::size_t history = 100;                // checks kept per server for the admin
  bool enabled() const { return !user.empty(); }
};

}  // namespace weft::config
