#include "admin/export_commands.h"

#include "admin/job_commands.h"
#include "ops/export_database.h"
#include "ops/import_database.h"
#include "ops/ha_manager.h"
#include "protocol/errors.h"

namespace weft::admin {
namespace {

namespace p = protocol;

ops::transfer_environment environment(const command_context& ctx) {
  ops::transfer_environment env;
  env.topology = [topology = ctx.topology] { return topology->load(); };
  env.user = ctx.backend.user;
  env.password = ctx.backend.password;
  env.connect_timeout_seconds = ctx.backend.timeout_seconds;
  env.export_dir = ctx.export_dir;
  env.default_parallel = ctx.transfer_parallel;
  env.settings.chunk_bytes = ctx.export_chunk_bytes;
  if (auto* ha = ctx.ha) env.replicate = [ha](const ops::ha_command& c) { return ha->run(c); };
  return env;
}

ops::job_runner runner_of(const export_parse& parsed, const command_context& ctx) {
  auto env = environment(ctx);
  if (const auto* e = std::get_if<ops::export_command>(&parsed.command)) {
    return [command = *e, env](ops::job_context& job) { return ops::export_databases(command, env, job); };
  }
  if (const auto* i = std::get_if<ops::import_command>(&parsed.command)) {
    return [command = *i, env](ops::job_context& job) { return ops::import_databases(command, env, job); };
  }
  ops::clone_environment clone{env, ctx.compare, env.replicate, ctx.admin_statement, ctx.create_command,
                               ctx.create_timeout};
  return [command = std::get<ops::clone_command>(parsed.command), clone](ops::job_context& job) {
    return ops::clone_server(command, clone, job);
  };
}

// One stage: the rows done of those planned.
ops::progress_note note_of(const ops::job_view& j) {
  const auto& g = j.progress;
  const double fraction = g.rows_total ? static_cast<double>(g.rows_done) / static_cast<double>(g.rows_total) : 0.0;
  return {1u, 1u, std::min(fraction, 1.0), g.phase};
}

}  // namespace

std::optional<ops::job_runner> transfer_job_for(const std::string& sql, const command_context& ctx) {
  const auto parsed = parse_export_command(sql);
  if (!parsed || !parsed->error.empty() || std::holds_alternative<std::monostate>(parsed->command)) return std::nullopt;
  return runner_of(*parsed, ctx);
}

admin_result run_export_command(const std::string& sql, const export_parse& parsed, const command_context& ctx,
                                const ops::progress_sink& progress) {
  if (!parsed.error.empty()) return admin_result::failure(p::make_error({1064, "42000"}, parsed.error));
  if (ctx.export_dir.empty() && !std::holds_alternative<ops::clone_command>(parsed.command)) {
    return admin_result::failure(p::make_error(
        p::er::job_refused, "weft: EXPORT and IMPORT need [admin] export_dir in the configuration"));
  }
  const bool async = std::visit(
      [](const auto& c) {
        if constexpr (std::is_same_v<std::decay_t<decltype(c)>, std::monostate>) {
          return false;
        } else {
          return c.async;
        }
      },
      parsed.command);
  if (const auto* clone = std::get_if<ops::clone_command>(&parsed.command); clone && (!ctx.ha || !ctx.admin_statement)) {
    return admin_result::failure(p::make_error(p::er::job_refused, "weft: CLONE SERVER needs the HA manager and the admin engine"));
  }
  return run_as_job(sql, runner_of(parsed, ctx), async, ctx, progress, note_of);
}

}  // namespace weft::admin
