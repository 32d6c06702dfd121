// The admin's live views as SQLite TEMP tables, filled from the running proxy just before a
// statement that reads them: stats_digest, stats_servers, stats_pools, stats_rules,
// stats_commands, stats_cache, monitor_log, failover_log, processlist, backend_connections, variables, accounts. Each admin session's connection has its
// own copies; a refresh replaces a table's rows in one go.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/failover_event.h"
#include "monitor/account_loader.h"
#include "monitor/monitor.h"
#include "proxy/proxy_server.h"

namespace weft::admin {

// Where the live data comes from (each may be empty: its table then stays empty).
struct live_sources {
  std::function<proxy::query_stats()> stats;
  std::function<std::vector<proxy::client_session::description>()> sessions;
  std::function<std::vector<proxy::proxy_server::worker_pool>()> pools;
  std::function<std::vector<proxy::proxy_server::worker_backend>()> backends;
  std::function<proxy::result_cache_stats()> cache;
  std::function<std::vector<monitor::check_record>()> monitor_log;
  std::function<std::vector<config::failover_event>()> failover_log;
  std::function<std::vector<std::pair<std::string, std::string>>()> variables;
  proxy::topology_store* topology = nullptr;
  proxy::config_store* config = nullptr;
  // The accounts read from the backends and how the last read went (null/empty: weft reads none).
  proxy::account_store* accounts = nullptr;
  std::function<monitor::account_load_status()> account_status;
};

const std::vector<std::string>& live_table_names();

// Creates the TEMP tables (empty).
void create_live_tables(sqlite3* db);

// Refills the live tables that `sql` mentions (all of them if it mentions none by name but
// reads sqlite_master).
void refresh_live_tables(sqlite3* db, std::string_view sql, const live_sources& sources);

}  // namespace weft::admin
