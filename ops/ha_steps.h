// Building blocks of the HA operations: a log of steps (the rows a DBA sees), a connection to a
// backend that knows its flavor and reads its replication state, and the hooks weft runs
// around a switch (exec_before / exec_after).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "monitor/mariadb_client.h"
#include "ops/admin_result.h"
#include "routing/replication_sql.h"
#include "routing/topology.h"

namespace weft::ops {

using monitor::backend_credentials;
using monitor::column_text;
using monitor::sql_row;

// Error 9012: an HA command that cannot run as asked, or that failed.
admin_result ha_refused(const std::string& message);

// The steps of one operation, each with its outcome and how long it took.
class step_log {
 public:
  // `operation` non-empty: each step is also logged (automatic failovers have no DBA watching).
  explicit step_log(std::string operation = {}) : operation_(std::move(operation)) {}
  void ok(std::string step, std::string server, std::string detail = {});
  void warn(std::string step, std::string server, std::string detail);
  // Returns false, so a failing step reads `return log.failed(...)`.
  bool failed(std::string step, std::string server, std::string detail);
  bool any_failed() const { return failed_; }
  // Every failed step, "step on server: detail; ..." (for the error a DBA gets).
  const std::string& failures() const { return failures_; }
  admin_result table() const;

 private:
  struct row {
    std::string step, server, outcome, detail;
    std::int64_t ms;
  };
  void add(std::string step, std::string server, std::string outcome, std::string detail);
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();  // each row's ms since the last
  std::string operation_;
  std::vector<row> rows_;
  bool failed_ = false;
  std::string failures_;
};

// What SHOW SLAVE STATUS (or SHOW REPLICA STATUS) says, in the terms failover needs.
struct replica_state {
  bool configured = false;  // a source is set
  std::optional<routing::endpoint> source;
  bool io_running = false;  // "Yes" (not "Connecting")
  bool sql_running = false;
  std::string received;  // GTIDs the IO thread has received
  std::string last_error;
};

// Why a server named by its socket path is refused as a replication source.
extern const char* const unix_source_refusal;

// One backend, connected as the operations' account.
class backend_node {
 public:
  backend_node(const routing::endpoint& address, const backend_credentials& creds, unsigned wait_seconds);
  bool ok() const { return client_.ok(); }
  const std::string& error() const { return client_.error(); }
  const routing::endpoint& address() const { return address_; }
  std::string name() const { return address_.to_string(); }
  routing::server_flavor flavor() const { return flavor_; }

  // Runs a statement; on failure records the step as failed and returns false.
  bool exec(const std::string& sql, step_log& log, const std::string& step);
  std::optional<sql_row> first_row(const std::string& sql);
  std::optional<replica_state> replication();
  // The server's executed GTIDs and server_id.
  std::optional<std::pair<std::string, std::uint32_t>> position();
  // Waits until the server has applied `gtid` (empty: nothing to wait for).
  bool wait_for(const std::string& gtid, std::chrono::milliseconds timeout);
  // Stops replication, points at `source`, starts it again.
  bool replicate_from(const routing::endpoint& source, const std::string& user, const std::string& password,
                      bool from_own_binlog, step_log& log);
  // Until both replication threads run (or `timeout`); the last error otherwise.
  std::optional<std::string> wait_replicating(std::chrono::milliseconds timeout);

 private:
  routing::endpoint address_;
  monitor::mariadb_client client_;
  routing::server_flavor flavor_ = routing::server_flavor::mariadb;
};

// Runs `command` with /bin/sh, the environment extended by `env`, killed after `timeout`.
// Returns the exit status (0: success) or a description of the failure; with `output`, what the
// command wrote to its standard output (its last 64 KiB).
struct hook_result {
  bool ok = false;
  std::string detail;
};
hook_result run_hook(const std::string& command, const std::map<std::string, std::string>& env,
                     std::chrono::milliseconds timeout, std::string* output = nullptr);

}  // namespace weft::ops
