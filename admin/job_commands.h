// The jobs' commands: SHOW JOBS, SHOW JOB n (a finished job's output, else its state),
// KILL JOB n, RESUME JOB n.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "admin/admin_commands.h"
#include "ops/admin_result.h"
#include "ops/job_registry.h"

namespace weft::admin {

// nullopt when sql is not a job command.
std::optional<admin_result> run_job_command(std::string_view sql, const command_context& ctx);

// How far a waited-for job is, as the client's progress report shows it.
using progress_of = std::function<ops::progress_note(const ops::job_view&)>;

// Starts `sql`'s job; with `async` answers its id at once, else waits for its output, telling
// `progress` how far it is meanwhile.
admin_result run_as_job(const std::string& sql, ops::job_runner runner, bool async, const command_context& ctx,
                        const ops::progress_sink& progress, const progress_of& note);

}  // namespace weft::admin
