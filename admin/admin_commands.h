// The admin's own commands, answered by weft rather than by SQLite: SHOW HEALTH [FOR GROUP g],
// SHOW TOPOLOGY [FOR GROUP g] [DISCOVER], SHOW DISK USAGE [FOR SERVER 'h:p'] [ALL],
// SHOW CONFIG DIFF, SHOW TABLES, SHOW DATABASES, FLUSH HOSTS, FLUSH BACKEND CONNECTIONS, FLUSH QUERY CACHE, and the session variables clients
// ask for at login. Backend work (topology, disk usage) runs on the calling admin pool thread with libmariadb.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/state_store.h"
#include "monitor/mariadb_client.h"
#include "ops/admin_result.h"
#include "ops/compare_table.h"
#include "proxy/topology_store.h"

namespace weft::ops {
class ha_manager;
class job_registry;
}  // namespace weft::ops

namespace weft::admin {

// Defined on the floors below (the operations answer and connect the same way).
using monitor::backend_credentials;
using ops::admin_result;

struct command_context {
  proxy::topology_store* topology = nullptr;
  backend_credentials backend;
  // The configuration file's view, for SHOW CONFIG DIFF (empty function: no file to compare).
  std::function<std::vector<config::config_difference>()> config_diff;
  std::string server_version;
  ops::ha_manager* ha = nullptr;  // switchover, failover, REPLICATE, REJOIN
  // FLUSH HOSTS: unblocks every client host on both ports; returns how many were blocked.
  std::function<std::size_t()> flush_hosts;
  // FLUSH BACKEND CONNECTIONS: closes every worker's idle pooled connections; returns how many.
  std::function<std::size_t()> close_idle_backends;
  // FLUSH QUERY CACHE: empties the result cache; returns how many answers it held.
  std::function<std::size_t()> flush_query_cache;
  ops::job_registry* jobs = nullptr;  // COMPARE and the other long commands
  ops::compare_settings compare;
  std::string export_dir;           // [admin] export_dir: EXPORT and IMPORT only there
  unsigned transfer_parallel = 4;   // [jobs] parallel
  std::size_t export_chunk_bytes = 32u << 20;  // [jobs] export_chunk_kb
  std::string create_command;                  // [provision]: CLONE SERVER NEW
  std::chrono::milliseconds create_timeout{600000};
  // One admin statement run by a fresh admin engine (CLONE's ADD SERVER, from its job thread).
  std::function<admin_result(const std::string&)> admin_statement;
};

// nullopt when `sql` is not an admin command (then it is SQL for SQLite). The HA commands that
// change only the configuration (CREATE GROUP, ADD SERVER...) are the engine's (admin_engine).
std::optional<admin_result> run_admin_command(std::string_view sql, const command_context& ctx);

// SHOW HEALTH [FOR GROUP g], also SHOW GROUP g HEALTH and CALL group.health('g').
admin_result show_health(const command_context& ctx, const std::optional<std::string>& group);
// A server's health in words: OK, unreachable, SQL thread stopped...
std::string health_of(const routing::server& s);

}  // namespace weft::admin
