// The servers weft routes to, grouped (one primary, N replicas per group). Plain values: the
// proxy reads an immutable snapshot of this, published by whoever owns the configuration.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/replication_sql.h"

namespace weft::routing {

// A TCP address, or a Unix-domain socket: then host is the socket's absolute path and port 0
// (the same shape ProxySQL gives such servers in its tables).
struct endpoint {
  std::string host;
  std::uint16_t port = 0;
  bool is_unix() const { return port == 0 && !host.empty() && host.front() == '/'; }
  std::string to_string() const { return is_unix() ? "unix:" + host : host + ":" + std::to_string(port); }
  bool operator==(const endpoint&) const = default;
};

// "host:port" (IPv6 as "[::1]:3306") or "unix:/absolute/path"; nullopt when it is neither.
std::optional<endpoint> parse_endpoint(std::string_view text);

enum class server_role { primary, replica };
std::string_view to_string(server_role role);
std::optional<server_role> parse_server_role(std::string_view text);

// ONLINE: routable. SHUNNED: failing health checks (the monitor sets and clears it).
// OFFLINE_SOFT: no new statements; sessions holding a connection to it finish. OFFLINE_HARD:
// out of routing at once.
enum class server_status : std::uint8_t { online, shunned, offline_soft, offline_hard };
std::string_view to_string(server_status status);
std::optional<server_status> parse_server_status(std::string_view text);

// What the monitor last saw of a server.
struct server_health {
  server_flavor flavor = server_flavor::mariadb;
  bool checked = false;    // at least one check completed
  bool reachable = false;  // the last check connected and pinged
  bool read_only = false;
  bool replicating = false;  // replication configured (SHOW SLAVE STATUS has a row)
  bool io_running = false;
  bool sql_running = false;
  std::optional<std::uint32_t> lag_seconds;  // Seconds_Behind_Master (none while SQL is stopped)
  std::string gtid_current_pos;  // MariaDB domain-server-seq list (MySQL: gtid_executed)
  std::string gtid_slave_pos;    // a replica's applied position (MySQL: Executed_Gtid_Set)
  std::uint32_t server_id = 0;
  std::string last_error;
  std::chrono::steady_clock::time_point checked_at{};  // when the last check ended
};

struct server {
  endpoint address;
  std::string name;  // address as "host:port" (the pool's and the logs' name for it)
  std::string group;
  server_role role = server_role::replica;
  std::uint32_t weight = 1;           // share of reads among a group's replicas
  std::uint32_t max_connections = 0;  // 0: [backend] max_connections
  server_status status = server_status::online;
  server_health health;
};

// What weft does when a group's primary fails: nothing (off), promote the most advanced
// healthy replica (automatic), promote only a listed candidate (elect), or report (fail).
enum class failover_mode : std::uint8_t { off, automatic, elect, fail };
std::string_view to_string(failover_mode mode);
std::optional<failover_mode> parse_failover_mode(std::string_view text);

// How a group routes.
struct group_policy {
  std::string name;
  // Replicas further behind (Seconds_Behind_Master) do not take reads.
  std::uint32_t max_replication_lag = 10;
  // A read with no replica to take it goes to the primary (else it fails with 9007).
  bool reads_fall_back_to_primary = true;
  // START TRANSACTION READ ONLY may run on a replica.
  bool read_only_transactions_on_replica = false;
  // After a write, the session's next replica read waits for that write's GTID there.
  bool read_your_writes = false;
  std::chrono::milliseconds read_your_writes_timeout{1000};
  // High availability.
  failover_mode failover = failover_mode::off;
  std::vector<std::string> candidates;  // host:port; empty: any replica
  bool pedantic = false;                // never promote a replica with errant transactions
  std::string exec_before;              // commands run around a failover or switchover
  std::string exec_after;
  // Transient (never persisted): while a switchover or failover runs, new statements for the
  // group wait until this time (or until it is cleared).
  std::chrono::steady_clock::time_point paused_until{};
  // Transient, from [ha] hold_timeout_ms when failover is on: how long a statement that finds the
  // primary unreachable waits for a new one instead of failing (0: it fails at once).
  std::chrono::milliseconds hold_on_failure{0};
};

struct topology {
  std::vector<server> servers;
  std::vector<group_policy> groups;  // one per group named by a server

  // The group new sessions use when nothing else decides: the group of the first server.
  std::string_view default_group() const;
  const server* primary_of(std::string_view group) const;
  const server* find(const endpoint& address) const;
  server* find(const endpoint& address);
  // The group's policy; a default one for a group without a [[groups]] entry.
  const group_policy& policy_of(std::string_view group) const;
};

// Why the topology cannot take writes now (nullopt: every group has a primary that is ONLINE
// and, where the monitor checked it, reachable). For readiness probes.
std::optional<std::string> unready_reason(const topology& t);

}  // namespace weft::routing
