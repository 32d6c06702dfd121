// What the proxy needs to run: listener settings, application users, and the topology. The
// loader (config/) builds these from weft.toml; the proxy never parses configuration itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "protocol/auth.h"
#include "proxy/login_throttle.h"
#include "proxy/snapshot_store.h"
#include "routing/query_rules.h"
#include "routing/topology.h"
#include "sharding/shard_catalog.h"

namespace weft::proxy {

// The event-loop threads `workers = 0` gives: one per core (at least one). Measured side by side
// on 2 vCPUs shared with MariaDB and sysbench (docs/BENCHMARKS.md, issue 12), two loops gave
// 1.02-1.19x the queries per second of one at 0.90-1.06x its CPU per query; a proxy whose own
// work per query is not negligible is better spread over every core, and on bigger machines
// each core adds its own loop (no lock is shared on the hot path).
constexpr unsigned default_worker_count(unsigned cores) { return cores > 0 ? cores : 1; }

// TLS towards clients: on when both files are set.
struct client_tls_settings {
  std::string cert_file;
  std::string key_file;
  bool enabled() const { return !cert_file.empty() && !key_file.empty(); }
};

// TLS towards backends.
struct backend_tls_settings {
  bool enabled = false;
  std::string ca_file;  // verify the backend's certificate against this CA
  bool verify = true;   // check the certificate chain and that it names the host
};

struct proxy_settings {
  routing::endpoint listen{"127.0.0.1", 6033};
  unsigned workers = 0;  // 0: automatic, default_worker_count()
  std::size_t max_allowed_packet = 64u << 20;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds handshake_timeout{10000};
  // A login refused by an account list read before it began waits at most this long for a fresh
  // read of the backends' accounts, then is checked again ([auth] login_wait_ms; 0: no wait).
  std::chrono::milliseconds login_account_wait{2000};
  // Client connections open at once (every worker's, logged in or not); one more gets 1040.
  std::size_t max_client_connections = 10000;
  // The query result cache's bound in bytes, shared by the workers (0: off; then writes do not
  // name their tables either). Rules choose what is cached (cache_ttl_ms).
  std::size_t result_cache_bytes = 64u << 20;
  // Failed logins per client host before that host is refused for a while (ERR 1129). The admin
  // port applies the same values, counting apart.
  login_throttle_settings login_throttle;
  // On SIGTERM: how long sessions may take to finish their current statement.
  std::chrono::milliseconds drain_timeout{10000};
  // Version string in weft's greeting; clients use it to pick SQL dialect features.
  std::string server_version = "5.5.5-10.11.19-MariaDB-weft";
  // Backend connections: per server (shared out over the workers), how long a statement may
  // wait for one when all are busy, and how long an idle one is kept.
  std::size_t max_backend_connections = 200;
  std::chrono::milliseconds pool_wait_timeout{5000};
  // A statement whose backend sends nothing for this long fails with 9013 (0: no limit; long
  // queries legitimately send nothing until done). A SHUNNED server's waits fail regardless.
  std::chrono::milliseconds backend_read_timeout{0};
  // Backend sockets: keepalive probes and TCP_USER_TIMEOUT, so a vanished host is noticed.
  std::chrono::milliseconds backend_tcp_user_timeout{30000};
  // Idle pooled connections close after idle_timeout, except the most recent
  // min_idle_backend_connections per server and worker (kept so the next client's first
  // statement needs no login; 0: after idle_timeout no idle connection of weft stays).
  std::chrono::milliseconds idle_timeout{10000};
  std::size_t min_idle_backend_connections = 1;
  bool multiplexing = true;  // return connections to the pool between statements when safe
  // Write a PROXY protocol v1 header with the client's address first on each backend connection
  // of a client session, so the server matches accounts (user@host) against the client's address
  // (the server's proxy_protocol_networks must list weft's). Pooled connections then serve only
  // sessions from the same client address.
  bool backend_proxy_protocol = false;
  bool local_infile = true;
  // Offered in the greeting: mysql_native_password, or caching_sha2_password (fast path from an
  // in-memory cache after one full authentication over TLS or with weft's RSA key).
  std::string auth_plugin = "mysql_native_password";  // allow LOAD DATA LOCAL INFILE (the file comes from the client)
  client_tls_settings client_tls;
  backend_tls_settings backend_tls;
};

struct user_account {
  std::string name;
  protocol::native_password_hash password;
  bool require_tls = false;
  std::optional<bool> read_your_writes;  // overrides the group's setting for this user
};

// What the admin and a reload may change at runtime besides the topology; published as
// immutable snapshots (config_store). A session authenticates against the snapshot current
// when it connects; rules and shard maps are read per statement.
struct runtime_snapshot {
  std::unordered_map<std::string, user_account> users;
  std::vector<routing::query_rule> rules;
  sharding::catalog shards;
};

using config_store = snapshot_store<runtime_snapshot>;
using snapshot_ptr = config_store::ptr;

}  // namespace weft::proxy
