// COMPARE DATABASE as a job: definitions, row counts, then every table's data chunk by chunk
// (checkpointed, so a killed or interrupted job resumes at its next chunk), and the output a
// DBA can apply (ops/compare_report.h). Writes nothing on the servers.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "ops/admin_result.h"
#include "ops/compare_command.h"
#include "ops/compare_table.h"
#include "ops/job_registry.h"
#include "routing/topology.h"

namespace weft::ops {

struct compare_environment {
  std::function<std::shared_ptr<const routing::topology>()> topology;
  std::string user;
  std::string password;
  unsigned connect_timeout_seconds = 2;
  compare_settings settings;
  // b replicates from a although the topology does not say so yet (CLONE's new server).
  bool b_replicates_from_a = false;
};

// Longest WHERE a COMPARE takes (it is sent with every chunk's statements).
inline constexpr std::size_t max_compare_where = 64 * 1024;

admin_result compare_database(const compare_command& command, const compare_environment& env, job_context& job);

}  // namespace weft::ops
