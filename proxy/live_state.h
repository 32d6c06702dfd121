// What the workers read and others write, as snapshots: the runtime configuration (users, rules;
// admin and reload), the topology (configuration plus the monitor), and the accounts loaded from
// the backends (monitor/account_loader). A worker that sees a login fail for an account it does
// not know asks for a fresh account list through `accounts_stale` (thread-safe, rate-limited by
// whoever answers it; empty when nobody loads accounts).
#pragma once

#include <functional>

#include "proxy/settings.h"
#include "proxy/snapshot_store.h"
#include "proxy/topology_store.h"
#include "routing/accounts.h"

namespace weft::proxy {

using account_store = snapshot_store<routing::account_table>;

struct live_state {
  config_store& config;
  topology_store& topology;
  account_store& accounts;
  std::function<void()> accounts_stale;
};

}  // namespace weft::proxy
