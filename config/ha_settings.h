// [ha] of weft.toml: what switchover, failover, REPLICATE and REJOIN need beyond each group's
// own policy (failover mode, candidates, hooks live in [[groups]]).
#pragma once

#include <chrono>
#include <string>

namespace weft::config {

struct ha_settings {
  // The account replicas use to reach a new source (CHANGE MASTER ... MASTER_USER); REPLICATE
  // may name another one.
  std::string replication_user;
  std::string replication_password;
  // New statements for a group wait at most this long while a switchover or failover runs.
  std::chrono::milliseconds hold_timeout{5000};
  // How long a candidate may take to apply what it has received or to catch up.
  std::chrono::milliseconds catch_up_timeout{10000};
  // exec_before / exec_after commands are killed after this long.
  std::chrono::milliseconds hook_timeout{10000};
};

}  // namespace weft::config
