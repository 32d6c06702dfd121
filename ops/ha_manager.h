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

#include "ops/admin_result.h"
#include "ops/ha_command.h"
#include "ops/ha_context.h"

namespace weft::ops {

// Runs the operations one at a time (it is their operation_host) and the failure detector.
class ha_manager : private operation_host {
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
  const ha_context& context() const override { return ctx_; }
  void pause(const std::string& group, bool on) override;
  void record(failover_event e) override;
  void count(ha_outcome done) override;

  void watch();
  void watch_group(const routing::topology& t, const routing::group_policy& g);  // operation_ held
  void fence(const routing::server& s);

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

}  // namespace weft::ops
