// Runs EXPORT and IMPORT (as jobs) for an admin session.
#pragma once

#include <optional>
#include <string>

#include "admin/admin_commands.h"
#include "admin/export_grammar.h"
#include "ops/admin_result.h"
#include "ops/job_registry.h"

namespace weft::admin {

// Without ASYNC the client waits for the job's summary, with progress reports meanwhile.
admin_result run_export_command(const std::string& sql, const export_parse& parsed, const command_context& ctx,
                                const ops::progress_sink& progress = {});

// The job an EXPORT or IMPORT text runs (RESUME JOB, restart); nullopt for any other text.
std::optional<ops::job_runner> transfer_job_for(const std::string& sql, const command_context& ctx);

}  // namespace weft::admin
