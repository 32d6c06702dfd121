// One row of the admin's failover_log: a switchover, a failover (or a failure that was not
// failed over), a fenced old primary, a rejoin.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace weft::config {

struct failover_event {
  std::chrono::system_clock::time_point at;
  std::string group;
  std::string event;  // switchover, failover, failure_detected, failover_failed, fenced, rejoined, demoted
  std::string old_primary;
  std::string new_primary;
  std::string outcome;
  std::string detail;
  std::int64_t duration_ms = -1;  // a switchover's write pause; a failover's time to a new primary
};

}  // namespace weft::config
