#include "admin/job_commands.h"

#include <charconv>
#include <cstdio>

#include "admin/admin_words.h"
#include "ops/job_registry.h"
#include "protocol/errors.h"

namespace weft::admin {
namespace {

namespace p = protocol;
using ops::job_view;

std::optional<std::string> number(double v, const char* format) {
  char text[32];
  std::snprintf(text, sizeof text, format, v);
  return std::string(text);
}

std::optional<std::string> when(std::int64_t ms) {
  if (ms == 0) return std::nullopt;
  const std::time_t seconds = ms / 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
  return std::string(text);
}

p::text_row row_of(const job_view& j) {
  const auto& g = j.progress;
  return {std::to_string(j.id), j.command, std::string(ops::to_string(j.state)), g.phase,
          std::to_string(g.rows_done), std::to_string(g.rows_total), std::to_string(g.chunks_done),
          std::to_string(g.chunks_total), number(j.rows_per_second, "%.0f"),
          j.eta_seconds ? number(*j.eta_seconds, "%.1f") : std::nullopt, when(j.started_at_ms),
          when(j.finished_at_ms), j.error.empty() ? std::nullopt : std::optional(j.error)};
}

admin_result job_table() {
  return admin_result::table({"job_id", "command", "state", "phase", "rows_done", "rows_total", "chunks_done",
                              "chunks_total", "rows_per_second", "eta_seconds", "started_at", "finished_at",
                              "last_error"});
}

admin_result refused(const std::string& why) { return admin_result::failure(p::make_error(p::er::job_refused, why)); }

std::optional<std::uint64_t> job_id(const words& w, std::size_t at) {
  if (at + 1 != w.size() && !(at + 2 == w.size() && w.text[at + 1] == ";")) return std::nullopt;
  std::uint64_t id = 0;
  const auto& t = w.text[at];
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
  if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return id;
}

admin_result show_job(ops::job_registry& jobs, std::uint64_t id) {
  const auto j = jobs.find(id);
  if (!j) return refused("weft: no job " + std::to_string(id));
  if (j->state == ops::job_state::done) {
    if (auto output = jobs.output(id)) return std::move(*output);
  }
  auto r = job_table();
  r.rows.push_back(row_of(*j));
  return r;
}

}  // namespace

std::optional<admin_result> run_job_command(std::string_view sql, const command_context& ctx) {
  const auto w = words_of(sql);
  if (w.size() < 2) return std::nullopt;
  const bool show_all = w[0] == "SHOW" && w[1] == "JOBS";
  const bool one = (w[0] == "SHOW" || w[0] == "KILL" || w[0] == "RESUME") && w[1] == "JOB";
  if (!show_all && !one) return std::nullopt;
  if (!ctx.jobs) return refused("weft: jobs are not available");
  if (show_all) {
    auto r = job_table();
    for (const auto& j : ctx.jobs->list()) r.rows.push_back(row_of(j));
    return r;
  }
  const auto id = job_id(w, 2);
  if (!id) return admin_result::failure(p::make_error({1064, "42000"}, "weft admin: usage: " + w.text[0] + " JOB <id>"));
  if (w[0] == "SHOW") return show_job(*ctx.jobs, *id);
  const auto why = w[0] == "KILL" ? ctx.jobs->kill(*id) : ctx.jobs->resume(*id);
  if (!why.empty()) return refused(why);
  admin_result done;
  done.info = w[0] == "KILL" ? "job " + std::to_string(*id) + " stopping" : "job " + std::to_string(*id) + " resumed";
  return done;
}

}  // namespace weft::admin

namespace weft::admin {

admin_result run_as_job(const std::string& sql, ops::job_runner runner, bool async, const command_context& ctx,
                        const ops::progress_sink& progress, const progress_of& note) {
  namespace p = protocol;
  if (!ctx.jobs) return admin_result::failure(p::make_error(p::er::job_refused, "weft: no job runner"));
  const auto id = ctx.jobs->start(sql, std::move(runner));
  if (async) {
    auto r = admin_result::table({"job_id", "state", "follow_with"});
    r.rows.push_back({std::to_string(id), std::string("running"), "SHOW JOBS; SHOW JOB " + std::to_string(id)});
    return r;
  }
  ctx.jobs->wait(id, std::chrono::milliseconds(500), [&](const ops::job_view& j) {
    if (progress) progress(note(j));
  });
  const auto done = ctx.jobs->find(id);
  if (done && done->state == ops::job_state::done) {
    if (auto output = ctx.jobs->output(id)) return std::move(*output);
  }
  if (done && done->failure) return admin_result::failure(*done->failure);
  const auto why = done ? done->error : std::string("the job vanished");
  return admin_result::failure(p::make_error(p::er::job_failed, why + " (job " + std::to_string(id) + ")"));
}

}  // namespace weft::admin
