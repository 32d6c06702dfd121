// Runs COMPARE DATABASE (as a job) and DIFF SCHEMA (at once) for an admin session.
#pragma once

#include <optional>
#include <string>

#include "admin/admin_commands.h"
#include "admin/compare_grammar.h"
#include "ops/admin_result.h"
#include "ops/job_registry.h"

namespace weft::admin {

// A COMPARE without ASYNC waits for its job, telling `progress` how far it is.
admin_result run_compare_command(const std::string& sql, const compare_parse& parsed, const command_context& ctx,
                                 const ops::progress_sink& progress = {});

// The job a command's text runs (RESUME JOB and a restart rebuild jobs from their text);
// nullopt when the text is not a job command.
std::optional<ops::job_runner> job_for(const std::string& sql, const command_context& ctx);

// DIFF SCHEMA (admin/diff_schema_command.cc).
admin_result run_diff_schema(const diff_schema_command& command, const command_context& ctx);

}  // namespace weft::admin
