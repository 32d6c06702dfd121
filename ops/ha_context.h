// What an HA operation works with: the settings, the backend account, the topology and how to
// commit a change of it, which global groups a shard group replicates from (ha_context), and the
// little it needs from whoever runs it (operation_host): pausing a group's new statements,
// keeping an event, counting what was done.
// The operations see the runner only through this, so ha_manager and ha_operation don't
// include each other.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "config/failover_event.h"
#include "config/ha_settings.h"
#include "monitor/mariadb_client.h"
#include "proxy/topology_store.h"

namespace weft::ops {

using config::failover_event;

struct ha_context {
  config::ha_settings settings;
  monitor::backend_credentials backend;  // the account operations use on backends (SUPER or equivalent)
  std::chrono::milliseconds interval{1000};  // how often the detector looks (the monitor's interval)
  proxy::topology_store* topology = nullptr;
  // Persists a change of the servers (roles, status) and publishes it to routing.
  std::function<void(const std::function<void(routing::topology&)>&)> commit;
  // Keeps an event of failover_log across restarts (empty: memory only), and what was kept.
  std::function<void(const failover_event&)> persist;
  std::vector<failover_event> history;
  // Sharding: the global groups of the shard maps that have `group` as a shard (empty, or unset:
  // none). A shard group's new primary replicates from its global group's primary.
  std::function<std::vector<std::string>(const std::string& group)> global_groups_of;
  // ...and the shard groups of the maps whose global group is `group`: their primaries follow
  // its new primary.
  std::function<std::vector<std::string>(const std::string& group)> shard_groups_of;
};

enum class ha_outcome { switchover_done, failover_done };

class operation_host {
 public:
  virtual const ha_context& context() const = 0;
  // On: the group's new statements wait in the proxy (at most hold_timeout); off: they go on.
  virtual void pause(const std::string& group, bool on) = 0;
  // Logs the event and keeps it for failover_log.
  virtual void record(failover_event e) = 0;
  virtual void count(ha_outcome done) = 0;

 protected:
  ~operation_host() = default;
};

}  // namespace weft::ops
