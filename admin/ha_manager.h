// High availability: switchover, automatic failover with its failure detector, fencing of old
// primaries, REPLICATE and REJOIN, and the history of it all (failover_log). Operations run on
// the admin's threads or the detector's own thread with libmariadb, never on a proxy worker;
// one operation at a time. Routing follows through the topology store: a group is paused
// (its new statements wait in the proxy) while its primary changes, and the new primary is
// persisted and published before the pause ends.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "admin/admin_commands.h"
#include "admin/admin_result.h"
#include "admin/failover_event.h"
#include "admin/ha_grammar.h"
#include "admin/ha_settings.h"
#include "proxy/topology_store.h"

namespace weft::admin {

struct ha_context {
  ha_settings settings;
  backend_credentials backend;  // the account operations use on backends (SUPER or equivalent)
  std::chrono::milliseconds interval{1000};  // how often the detector looks (the monitor's interval)
  proxy::topology_store* topology = nullptr;
  // Persists a change of the servers (roles, status) and publishes it to routing.
  std::function<void(const std::function<void(routing::topology&)>&)> commit;
  // Keeps an event of failover_log across restarts (empty: memory only), and what was kept.
  std::function<void(const failover_event&)> persist;
  std::vector<failover_event> history;
};

class ha_manager {
 public:
  explicit ha_manager(ha_context context);
  ~ha_manager();

  void start();  // the failure detector and fencing
  void stop();

  // PROMOTE, DEMOTE, REPLICATE, REJOIN, SHOW GROUPS, SHOW GROUP g HEALTH|SERVERS (and their
  // Fabric forms). Blocks the calling admin thread while it works on backends.
  admin_result run(const ha_command& command);

  std::vector<failover_event> events() const;
  std::uint64_t failovers() const { return failovers_.load(); }
  std::uint64_t switchovers() const { return switchovers_.load(); }

 private:
  friend class ha_operation;
  void watch();
  void watch_group(const routing::topology& t, const routing::group_policy& g);  // operation_ held
  void fence(const routing::server& s);
  void record(failover_event e);
  void pause(const std::string& group, bool on);

  ha_context ctx_;
  std::mutex operation_;  // one switchover / failover / rejoin at a time
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread watcher_;
  std::deque<failover_event> events_;
  // The detector's own memory (its thread only): incidents already logged, and groups it leaves
  // alone for a while (a failed attempt, or mode 'fail' already reported).
  std::map<std::string, std::string> reported_;
  std::map<std::string, std::chrono::steady_clock::time_point> quiet_until_;
  std::atomic<std::uint64_t> failovers_{0};
  std::atomic<std::uint64_t> switchovers_{0};
};

}  // namespace weft::admin
