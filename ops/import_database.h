// IMPORT as a job: reads an EXPORT's manifest, refuses to overwrite non-empty tables unless
// told, creates the definitions, loads the chunks in parallel (each table's chunks verified
// against the manifest's digests before any of its rows is applied; one transaction per
// chunk, its row count checked), then views, routines, triggers and events. Finished chunks
// are checkpoints: a killed, failed or interrupted import resumes at the next one.
#pragma once

#include "ops/admin_result.h"
#include "ops/export_command.h"
#include "ops/export_database.h"
#include "ops/job_registry.h"

namespace weft::ops {

admin_result import_databases(const import_command& command, const transfer_environment& env, job_context& job);

}  // namespace weft::ops
