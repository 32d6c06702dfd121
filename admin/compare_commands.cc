#include "admin/compare_commands.h"

#include "admin/export_commands.h"
#include "admin/job_commands.h"
#include "ops/compare_database.h"
#include "protocol/errors.h"

namespace weft::admin {
namespace {

namespace p = protocol;

ops::job_runner compare_job(const compare_command& command, const command_context& ctx) {
  ops::compare_environment env;
  env.topology = [topology = ctx.topology] { return topology->load(); };
  env.user = ctx.backend.user;
  env.password = ctx.backend.password;
  env.connect_timeout_seconds = ctx.backend.timeout_seconds;
  env.settings = ctx.compare;
  return [command, env](ops::job_context& job) { return ops::compare_database(command, env, job); };
}

// Stage 1 plans (tables, counts, chunk boundaries), stage 2 compares the chunks.
ops::progress_note note_of(const ops::job_view& j) {
  const auto& g = j.progress;
  const bool comparing = g.phase != "planning";
  const double fraction = comparing && g.chunks_total ? static_cast<double>(g.chunks_done) / g.chunks_total : 0.0;
  return {comparing ? 2u : 1u, 2u, fraction, g.phase};
}

}  // namespace

std::optional<ops::job_runner> job_for(const std::string& sql, const command_context& ctx) {
  if (auto transfer = transfer_job_for(sql, ctx)) return transfer;
  const auto parsed = parse_compare_command(sql);
  if (!parsed || !parsed->error.empty()) return std::nullopt;
  const auto* command = std::get_if<compare_command>(&parsed->command);
  if (!command) return std::nullopt;
  return compare_job(*command, ctx);
}

admin_result run_compare_command(const std::string& sql, const compare_parse& parsed, const command_context& ctx,
                                 const ops::progress_sink& progress) {
  if (!parsed.error.empty()) return admin_result::failure(p::make_error({1064, "42000"}, parsed.error));
  if (const auto* diff = std::get_if<diff_schema_command>(&parsed.command)) return run_diff_schema(*diff, ctx);
  const auto& command = std::get<compare_command>(parsed.command);
  if (!ctx.jobs) return admin_result::failure(p::make_error(p::er::job_refused, "weft: no job runner"));
  if (command.where.size() > ops::max_compare_where) {
    return admin_result::failure(p::make_error(
        p::er::job_refused, "weft: the WHERE condition is " + std::to_string(command.where.size()) +
                                    " bytes; COMPARE takes at most " + std::to_string(ops::max_compare_where)));
  }
  return run_as_job(sql, compare_job(command, ctx), command.async, ctx, progress, note_of);
}

}  // namespace weft::admin
