// The jobs' commands: SHOW JOBS, SHOW JOB n (a finished job's output, else its state),
// KILL JOB n, RESUME JOB n.
#pragma once

#include <optional>
#include <string_view>

#include "admin/admin_commands.h"
#include "ops/admin_result.h"

namespace weft::admin {

// nullopt when sql is not a job command.
std::optional<admin_result> run_job_command(std::string_view sql, const command_context& ctx);

}  // namespace weft::admin
