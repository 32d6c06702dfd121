// [admin] and [http] of weft.toml: the DBA's SQL port and the HTTP port for load balancers and
// Prometheus. Both are off unless configured.
#pragma once

#include <chrono>
#include <string>

#include "protocol/auth.h"
#include "proxy/login_throttle.h"
#include "routing/topology.h"

namespace weft::config {

struct admin_settings {
  routing::endpoint listen{"127.0.0.1", 6032};
  std::string user;  // empty: no admin port
  protocol::native_password_hash password;
  // The persisted configuration (relative paths are relative to the config file). Empty: next
  // to the config file, named after it with ".state".
  std::string state_file;
  // The account admin commands use on backends (SHOW TOPOLOGY, SHOW DISK USAGE); empty: the
  // monitor's.
  std::string backend_user;
  std::string backend_password;
  // The only directory EXPORT writes into and IMPORT reads from (relative: to the config
  // file); empty: neither runs.
  std::string export_dir;
  // TLS for admin clients (both set: offered; require_tls refuses plain connections).
  std::string tls_cert;
  std::string tls_key;
  bool require_tls = false;
  // Admin connections open at once (logged in or not); one more gets 1040. Each session holds
  // its own SQLite connection (several descriptors), hence a small default.
  std::size_t max_connections = 32;
  // Set from [proxy] (handshake_timeout_ms, the failed-login keys): one rule for both ports.
  std::chrono::milliseconds handshake_timeout{10000};
  proxy::login_throttle_settings login_throttle;
  bool enabled() const { return !user.empty(); }
};

// [jobs]: long admin work (COMPARE, later EXPORT/IMPORT/CLONE) and how hard it may press on
// the servers.
struct jobs_settings {
  unsigned threads = 2;  // jobs running at once
  std::chrono::milliseconds chunk_time{500};  // target time of one chunk (pt-table-checksum's 0.5 s)
  std::size_t max_chunk_rows = 200000;
  std::uint32_t max_replica_lag_seconds = 10;  // a job pauses while a replica it reads lags more
  std::chrono::milliseconds gtid_wait{60000};  // a replica's wait for the source's position
  unsigned parallel = 4;  // connections an EXPORT or IMPORT uses when it names no PARALLEL
  std::size_t export_chunk_bytes = 32u << 20;  // SQL per EXPORT chunk file, uncompressed
};

// [provision]: how CLONE SERVER NEW makes its server (as Fabric's machine providers did): an
// external command, run with the new server's address in its environment.
struct provision_settings {
  std::string create_command;                 // empty: CLONE SERVER NEW is refused
  std::chrono::milliseconds timeout{600000};  // for the command, and then for the server's first answer
};

struct http_settings {
  routing::endpoint listen{"127.0.0.1", 6070};
  bool enabled = false;
  // A connection must send each whole request within this time (idle keep-alive included), or
  // it is closed; set from [proxy] handshake_timeout_ms.
  std::chrono::milliseconds request_timeout{10000};
};

}  // namespace weft::config
