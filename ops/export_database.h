// EXPORT as a job: every worker reads the source at one point (ops/export_snapshot.h), tables
// go to the workers largest first, each table's chunks become zstd files (ops/export_table.h),
// and manifest.json is written last, so a directory with a manifest holds a whole export.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "ops/admin_result.h"
#include "ops/export_command.h"
#include "ops/export_table.h"
#include "ops/ha_command.h"
#include "ops/job_registry.h"
#include "routing/topology.h"

namespace weft::ops {

struct transfer_environment {
  std::function<std::shared_ptr<const routing::topology>()> topology;
  std::string user;
  std::string password;
  unsigned connect_timeout_seconds = 2;
  std::string export_dir;  // [admin] export_dir: the only place EXPORT writes and IMPORT reads
  export_settings settings;
  unsigned default_parallel = 4;
  std::function<admin_result(const ha_command&)> replicate;  // IMPORT ... AS REPLICA OF (the HA manager)

  // A copy's connection to `at` as weft's transfer account, in UTC (every TIMESTAMP is read and
  // written as UTC text, so it copies the same between servers in any zone); `why` set on failure.
  // load_from_memory: for IMPORT's loads of csv/tsv chunks (mariadb_client::load_local).
  std::unique_ptr<monitor::mariadb_client> connect(const routing::endpoint& at, std::string& why,
                                                   bool load_from_memory = false) const;
};

admin_result export_databases(const export_command& command, const transfer_environment& env, job_context& job);

// The statements that make a copy taken at `gtid_position` replicate from `source` (host:port)
// with no gap and no overlap (the account is the DBA's to fill in).
std::string replicate_with(const std::string& source, const std::string& gtid_position);

// The system databases EXPORT ... ALL leaves out.
bool is_system_database(const std::string& name);

}  // namespace weft::ops
