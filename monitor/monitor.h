// The health monitor: one thread per backend, each with its own libmariadb connection (never a
// proxy worker's thread), checking every interval: ping, read_only, replication state and lag,
// GTID position. Results go into the live topology (a new snapshot per check) and a bounded
// history per server for the admin. N consecutive failed checks shun a server; the first good
// check after that brings it back.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/monitor_settings.h"
#include "proxy/topology_store.h"

namespace weft::monitor {

// One check of one server, as kept in the history.
struct check_record {
  std::chrono::system_clock::time_point at;
  routing::endpoint server;
  bool ok = false;
  std::chrono::microseconds took{0};
  routing::server_health health;  // what the check saw (reachable false when it failed)
};

class health_monitor {
 public:
  health_monitor(config::monitor_settings settings, proxy::topology_store& store);
  ~health_monitor();

  void start();
  void stop();
  // After a configuration change: checks servers that joined, stops checking those that left.
  void sync();

  // The most recent checks, oldest first (all servers).
  std::vector<check_record> history() const;

 private:
  void run_server(routing::endpoint address);
  void spawn(const routing::endpoint& address);  // with mutex_ held
  // Keeps the check in the history; when it counts, it also updates the server's health and
  // status in the topology (failed checks that do not count: the monitor's own login refused).
  void record(const check_record& check, bool counts);

  config::monitor_settings settings_;
  proxy::topology_store& store_;
  std::map<std::string, std::thread> threads_;  // by server name
  std::set<std::string> retired_;              // servers whose thread must end
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, unsigned> failures_;  // consecutive, by server
  std::deque<check_record> history_;
};

}  // namespace weft::monitor
