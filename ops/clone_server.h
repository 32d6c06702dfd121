// CLONE SERVER 'new' FROM GROUP g [USING 'donor'] as a job: a consistent copy streamed from the
// donor to an empty server through weft (no intermediate file), the new server set to the
// donor's GTID position and made a replica of the group's primary (REPLICATE), checked against
// the primary with COMPARE, and only then added to the group (ADD SERVER), so it takes reads
// only once it is proven equal.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "ops/admin_result.h"
#include "ops/compare_table.h"
#include "ops/export_database.h"
#include "ops/ha_command.h"
#include "ops/job_registry.h"

namespace weft::ops {

struct clone_command {
  std::string server;  // host:port of the new, empty server ("" with NEW: the command prints it)
  std::string group;
  std::string donor;   // host:port; empty: the group's healthiest replica, else its primary
  bool async = false;
  bool create = false;  // NEW: [provision] create_command makes the server first
  bool operator==(const clone_command&) const = default;
};

struct clone_environment {
  transfer_environment transfer;
  compare_settings compare;
  std::function<admin_result(const ha_command&)> replicate;        // REPLICATE (the HA manager)
  std::function<admin_result(const std::string&)> admin_statement;  // ADD SERVER (an admin engine)
  std::string create_command;                                       // [provision]: CLONE SERVER NEW
  std::chrono::milliseconds create_timeout{600000};
};

admin_result clone_server(const clone_command& command, const clone_environment& env, job_context& job);

}  // namespace weft::ops
