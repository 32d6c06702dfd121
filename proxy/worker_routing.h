// Routing state one worker shares among its sessions (its thread only): the configuration and
// topology snapshots it reads, the planner's caches and the statistics.
#pragma once

#include <cstdint>
#include <string>

#include "proxy/query_stats.h"
#include "proxy/result_cache.h"
#include "proxy/settings.h"
#include "proxy/live_state.h"
#include "proxy/topology_store.h"
#include "session/resumable.h"
#include "session/statement_plan.h"

namespace weft::proxy {

struct worker_routing {
  worker_routing(const config_store& config_store, const topology_store& store, const account_store& account_list)
      : config(config_store), topology(store), accounts(account_list) {
    planner.hits = &stats.rule_hits_counter();
  }
  worker_routing(const worker_routing&) = delete;  // (planner points into stats)
  worker_routing& operator=(const worker_routing&) = delete;
  // The current users and rules; a new rules snapshot empties the rule cache.
  const snapshot_ptr& config_now() {
    const auto& now = config.current();
    if (config.seen() != planner.rules_version) {
      planner.rules.clear();
      planner.rules_version = config.seen();
    }
    return now;
  }
  config_store::reader config;
  topology_store::reader topology;
  account_store::reader accounts;  // loaded from the backends (empty when nobody loads them)
  session::planner_cache planner;
  query_stats stats;
  std::uint64_t rotation = 0;  // spreads tied replica choices
  bool draining = false;       // stopping: sessions end after their current command
  session::frame_pool frames;  // the session machines' coroutine frames, recycled
  result_cache* cache = nullptr;  // shared by the workers (null: no cache)
};

}  // namespace weft::proxy
