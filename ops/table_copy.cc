#include "ops/table_copy.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include "ops/export_definitions.h"
#include "ops/sql_values.h"

namespace weft::ops {
namespace {

// What the workers share: the next task, the progress, the first error.
class copy_run {
 public:
  copy_run(const std::vector<table_task>& tasks, const sink_factory& sinks, const export_settings& s, job_context& job,
           job_progress& progress, std::vector<manifest_table>& tables)
      : tasks_(tasks), sinks_(sinks), settings_(s), job_(job), progress_(progress), tables_(tables) {}

  void work(std::size_t worker_index, monitor::mariadb_client& worker);
  const std::string& error() const { return first_error_; }

 private:
  bool chunk_done(std::uint64_t rows);
  void failed(const table_task& task, const std::string& why);

  const std::vector<table_task>& tasks_;
  const sink_factory& sinks_;
  const export_settings& settings_;
  job_context& job_;
  job_progress& progress_;
  std::vector<manifest_table>& tables_;
  std::mutex mutex_;
  std::size_t next_ = 0;
  std::string first_error_;
};

bool copy_run::chunk_done(std::uint64_t rows) {
  std::lock_guard lock(mutex_);
  progress_.rows_done += rows;
  progress_.rows_total = std::max(progress_.rows_total, progress_.rows_done);
  ++progress_.chunks_done;
  progress_.chunks_total = std::max(progress_.chunks_total, progress_.chunks_done);
  job_.report(progress_);
  return first_error_.empty() && !job_.stopping();
}

void copy_run::failed(const table_task& task, const std::string& why) {
  std::lock_guard lock(mutex_);
  if (first_error_.empty()) first_error_ = "table " + qualified_name(task.database_name, task.name) + ": " + why;
}

void copy_run::work(std::size_t worker_index, monitor::mariadb_client& worker) {
  for (;;) {
    std::size_t i = 0;
    {
      std::lock_guard lock(mutex_);
      if (next_ == tasks_.size() || !first_error_.empty()) return;
      i = next_++;
    }
    const auto& task = tasks_[i];
    std::string why;
    auto sink = sinks_(worker_index, task, why);
    if (!sink) return failed(task, why);
    auto done = export_table(worker, task.database_name, task.name, *sink, settings_,
                             [this](std::uint64_t rows) { return chunk_done(rows); });
    if (auto* e = std::get_if<std::string>(&done)) return failed(task, *e);
    tables_[i] = std::get<manifest_table>(std::move(done));
  }
}

}  // namespace

std::variant<copy_plan, std::string> plan_copy(monitor::mariadb_client& control, const std::vector<std::string>& databases,
                                               bool definitions, bool data) {
  copy_plan plan;
  for (std::size_t d = 0; d < databases.size(); ++d) {
    manifest_database db{databases[d], "", {}, {}, {}};
    if (definitions) {
      auto defs = export_definitions(control, db.name);
      if (auto* why = std::get_if<std::string>(&defs)) return "definitions of " + db.name + ": " + *why;
      db = std::get<manifest_database>(std::move(defs));
    }
    if (data) {
      const auto tables = control.query(
          "SELECT TABLE_NAME, COALESCE(DATA_LENGTH, 0), COALESCE(TABLE_ROWS, 0) FROM information_schema.TABLES "
          "WHERE TABLE_SCHEMA = " + sql_value(db.name, monitor::value_kind::text) + " AND TABLE_TYPE = 'BASE TABLE' "
          "ORDER BY TABLE_NAME");
      if (!tables) return control.address().to_string() + ": " + control.error();
      for (const auto& r : tables->rows) {
        const auto name = r[0].value_or("");
        const auto stem = table_file_stem(d, db.name, db.tables.size(), name);
        plan.tasks.push_back({d, db.name, name, stem, std::stoull(r[1].value_or("0")), std::stoull(r[2].value_or("0"))});
        plan.estimated_rows += plan.tasks.back().estimated_rows;
        db.tables.push_back({name, "", {}, 0, {}});
      }
    }
    plan.databases.push_back(std::move(db));
  }
  std::stable_sort(plan.tasks.begin(), plan.tasks.end(),
                   [](const table_task& a, const table_task& b) { return a.bytes > b.bytes; });
  return plan;
}

std::variant<snapshot_point, std::string> copy_tables(monitor::mariadb_client& control,
                                                      const std::vector<monitor::mariadb_client*>& workers,
                                                      const std::vector<table_task>& tasks, const sink_factory& sinks,
                                                      const export_settings& settings, job_context& job,
                                                      job_progress& progress, std::vector<manifest_table>& tables,
                                                      const std::string& reading_phase) {
  progress.phase = "taking the snapshot";
  job.report(progress);
  auto point = open_snapshots(control, workers);
  if (std::holds_alternative<std::string>(point)) return point;
  progress.phase = reading_phase;
  job.report(progress);
  tables.assign(tasks.size(), manifest_table{});
  copy_run run(tasks, sinks, settings, job, progress, tables);
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers.size(); ++w) threads.emplace_back([&run, w, &workers] { run.work(w, *workers[w]); });
  for (auto& t : threads) t.join();
  if (!run.error().empty()) return run.error();
  if (job.stopping()) return std::string("the job was stopped");
  return point;
}

std::variant<std::vector<std::unique_ptr<monitor::mariadb_client>>, std::string> open_connections(
    const std::function<std::unique_ptr<monitor::mariadb_client>(std::string& why)>& connect, std::size_t count) {
  std::vector<std::unique_ptr<monitor::mariadb_client>> out;
  for (std::size_t i = 0; i < std::max<std::size_t>(count, 1); ++i) {
    std::string why;
    out.push_back(connect(why));
    if (!why.empty()) return why;
  }
  return out;
}

}  // namespace weft::ops
