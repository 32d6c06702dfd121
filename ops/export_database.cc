#include "ops/export_database.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>

#include "ops/chunk_file.h"
#include "ops/delimited_text.h"
#include "ops/export_path.h"
#include "ops/export_users.h"
#include "ops/server_ref.h"
#include "ops/sql_values.h"
#include "ops/table_copy.h"
#include "protocol/errors.h"

namespace weft::ops {
namespace {

namespace fs = std::filesystem;
namespace p = protocol;
using clock = std::chrono::steady_clock;

std::string utc_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

class exporter {
 public:
  exporter(const export_command& c, const transfer_environment& env, job_context& job) : c_(c), env_(env), job_(job) {}
  admin_result run();

 private:
  std::optional<admin_result> prepare_directory();
  std::optional<admin_result> list_databases();
  std::optional<admin_result> list_tables();
  std::optional<admin_result> export_data();
  std::optional<admin_result> write_manifest();
  std::optional<admin_result> list_users();
  admin_result summary() const;

  const export_command& c_;
  const transfer_environment& env_;
  job_context& job_;
  resolved_server source_;
  fs::path dir_;
  std::unique_ptr<monitor::mariadb_client> control_;
  export_manifest manifest_;
  std::vector<table_task> tasks_;
  job_progress progress_;
  clock::time_point began_ = clock::now();
};

std::optional<admin_result> exporter::prepare_directory() {
  auto where = export_path(env_.export_dir, c_.to);
  if (auto* why = std::get_if<std::string>(&where)) return admin_result::failure(p::er::job_refused, *why);
  dir_ = std::get<fs::path>(where);
  std::error_code failed;
  const bool resumed = job_.checkpoints().count("export:directory") > 0;
  if (resumed) {
    // Ours since the first run found it empty: a consistent copy cannot be stitched from two
    // points in time, so a resumed export starts again from a new one.
    for (const auto& entry : fs::directory_iterator(dir_, failed)) fs::remove_all(entry.path(), failed);
  } else if (fs::exists(dir_, failed) && !fs::is_empty(dir_, failed)) {
    return admin_result::failure(p::er::job_refused,
                                 "weft: '" + c_.to + "' is not empty (EXPORT writes into a new or empty directory)");
  }
  fs::create_directories(dir_, failed);
  if (failed)
    return admin_result::failure(p::er::job_failed, "weft: cannot create " + dir_.string() + ": " + failed.message());
  job_.save_checkpoint("export:directory", dir_.string());
  return std::nullopt;
}

}  // namespace

std::unique_ptr<monitor::mariadb_client> transfer_environment::connect(const routing::endpoint& at, std::string& why,
                                                                       bool load_from_memory) const {
  auto c =
      std::make_unique<monitor::mariadb_client>(at, user, password, connect_timeout_seconds, 3600, load_from_memory);
  if (!c->ok() || !c->execute("SET SESSION time_zone = '+00:00'")) {
    why = "weft: cannot connect to '" + at.to_string() + "': " + c->error();
  }
  return c;
}

namespace {

bool is_listed(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::optional<admin_result> exporter::list_databases() {
  const auto all = control_->query("SHOW DATABASES");
  if (!all)
    return admin_result::failure(p::er::job_failed, "weft: " + source_.address.to_string() + ": " + control_->error());
  std::vector<std::string> present;
  for (const auto& r : all->rows) present.push_back(r[0].value_or(""));
  std::vector<std::string> chosen;
  for (const auto& name : c_.all ? present : c_.databases) {
    if (c_.all && is_system_database(name)) continue;
    if (!is_listed(present, name)) {
      return admin_result::failure(p::er::unknown_database,
                                   "Unknown database '" + name + "' on '" + source_.address.to_string() + "'");
    }
    chosen.push_back(name);
  }
  if (chosen.empty()) return admin_result::failure(p::er::job_refused, "weft: no database to export");
  for (const auto& name : chosen) manifest_.databases.push_back({name, "", {}, {}, {}});
  return std::nullopt;
}

std::optional<admin_result> exporter::list_tables() {
  std::vector<std::string> names;
  for (const auto& d : manifest_.databases) names.push_back(d.name);
  auto planned = plan_copy(*control_, names, c_.definitions, c_.data);
  if (auto* why = std::get_if<std::string>(&planned)) return admin_result::failure(p::er::job_failed, "weft: " + *why);
  auto& plan = std::get<copy_plan>(planned);
  manifest_.databases = std::move(plan.databases);
  tasks_ = std::move(plan.tasks);
  progress_.rows_total = plan.estimated_rows;
  return std::nullopt;
}

std::optional<admin_result> exporter::export_data() {
  const auto count = std::clamp<std::size_t>(c_.parallel ? c_.parallel : env_.default_parallel, 1,
                                             std::max<std::size_t>(tasks_.size(), 1));
  auto opened = open_connections([this](std::string& why) { return env_.connect(source_.address, why); }, count);
  if (auto* why = std::get_if<std::string>(&opened)) return admin_result::failure(p::er::job_failed, *why);
  auto& workers = std::get<0>(opened);
  std::vector<monitor::mariadb_client*> raw;
  for (auto& w : workers) raw.push_back(w.get());
  const sink_factory files = [this](std::size_t, const table_task& task, std::string&) -> std::unique_ptr<chunk_sink> {
    return std::make_unique<file_sink>(dir_, task.stem, env_.settings.zstd_level, c_.format);
  };
  auto settings = env_.settings;
  settings.format = c_.format;
  std::vector<manifest_table> tables;
  auto point = copy_tables(*control_, raw, tasks_, files, settings, job_, progress_, tables, "exporting");
  if (auto* failed = std::get_if<std::string>(&point)) {
    return admin_result::failure(p::er::job_failed, "weft: EXPORT from '" + source_.address.to_string() + "': " +
                                                        *failed + " (RESUME JOB exports again from a new snapshot)");
  }
  const auto& at = std::get<snapshot_point>(point);
  manifest_.snapshot = at.method;
  manifest_.commit_pause_ms = at.commit_pause_ms;
  manifest_.gtid_position = at.gtid_position;
  manifest_.binlog_file = at.binlog_file;
  manifest_.binlog_position = at.binlog_position;
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    for (auto& t : manifest_.databases[tasks_[i].database].tables) {
      if (t.name == tasks_[i].name) t = std::move(tables[i]);
    }
  }
  return std::nullopt;
}

std::optional<admin_result> exporter::write_manifest() {
  manifest_.finished_at = utc_now();
  if (auto failed = write_file_atomically(dir_ / "manifest.json", to_json(manifest_), !manifest_.users.empty())) {
    return admin_result::failure(p::er::job_failed, "weft: " + *failed);
  }
  return std::nullopt;
}

admin_result exporter::summary() const {
  std::uint64_t tables = 0, rows = 0, sql_bytes = 0, file_bytes = 0, chunks = 0;
  for (const auto& d : manifest_.databases) {
    for (const auto& t : d.tables) {
      ++tables;
      rows += t.rows;
      chunks += t.chunks.size();
      for (const auto& c : t.chunks) {
        sql_bytes += c.digest.bytes;
        std::error_code ignored;
        file_bytes += fs::file_size(dir_ / c.file, ignored);
      }
    }
  }
  const double seconds = std::chrono::duration<double>(clock::now() - began_).count();
  auto r = admin_result::table({"item", "value"});
  r.add_item("directory", dir_.string());
  r.add_item("source", source_.address.to_string() + " (" + manifest_.server_version + ")");
  r.add_item("databases", std::to_string(manifest_.databases.size()));
  r.add_item("tables", std::to_string(tables));
  r.add_item("rows", std::to_string(rows));
  r.add_item("chunks", std::to_string(chunks));
  r.add_item("sql_bytes", std::to_string(sql_bytes));
  r.add_item("file_bytes", std::to_string(file_bytes));
  r.add_item("seconds", std::to_string(seconds));
  r.add_item("snapshot", manifest_.snapshot.empty() ? "none (DEFINITIONS ONLY)" : manifest_.snapshot);
  r.add_item("commit_pause_ms", std::to_string(manifest_.commit_pause_ms));
  r.add_item("gtid_position", manifest_.gtid_position);
  if (c_.replication_info) {
    r.add_item("replicate_with", replicate_with(manifest_.source, manifest_.gtid_position));
  }
  if (c_.users) r.add_item("users", account_names(manifest_.users));
  return r;
}

// WITH USERS: the accounts with privileges on what is exported (their password hashes go into
// the manifest, never into an answer or a log).
std::optional<admin_result> exporter::list_users() {
  if (!c_.users) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& d : manifest_.databases) names.push_back(d.name);
  auto users = read_users(*control_, names, c_.all);
  if (auto* why = std::get_if<std::string>(&users)) {
    return admin_result::failure(p::er::job_failed, "weft: " + source_.address.to_string() + ": " + *why);
  }
  manifest_.users = std::move(std::get<0>(users));
  return std::nullopt;
}

admin_result exporter::run() {
  if (auto refused = prepare_directory()) return std::move(*refused);
  const auto t = env_.topology();
  auto found = resolve(c_.from, *t);
  if (auto* why = std::get_if<std::string>(&found)) return admin_result::failure(p::er::job_refused, *why);
  source_ = std::get<resolved_server>(found);
  std::string why;
  control_ = env_.connect(source_.address, why);
  if (!why.empty()) return admin_result::failure(p::er::job_failed, why);
  manifest_.source = source_.address.to_string();
  manifest_.server_version = control_->scalar("SELECT VERSION()").value_or("");
  manifest_.started_at = utc_now();
  manifest_.definitions = c_.definitions;
  manifest_.data = c_.data;
  manifest_.data_format = format_name(c_.format);
  progress_.phase = "reading definitions";
  job_.report(progress_);
  if (auto failed = list_databases()) return std::move(*failed);
  if (auto failed = list_tables()) return std::move(*failed);
  if (auto failed = list_users()) return std::move(*failed);
  if (c_.data) {
    if (auto failed = export_data()) return std::move(*failed);
  }
  if (auto failed = write_manifest()) return std::move(*failed);
  return summary();
}

}  // namespace

std::string replicate_with(const std::string& source, const std::string& gtid_position) {
  const auto colon = source.rfind(':');
  const auto host = source.substr(0, colon);
  const auto port = colon == std::string::npos ? std::string("3306") : source.substr(colon + 1);
  return "SET GLOBAL gtid_slave_pos = " + sql_value(gtid_position, monitor::value_kind::text) +
         "; CHANGE MASTER TO MASTER_HOST = " + sql_value(host, monitor::value_kind::text) + ", MASTER_PORT = " + port +
         ", MASTER_USER = '<replication user>', MASTER_PASSWORD = '<its password>', MASTER_USE_GTID = slave_pos; START "
         "SLAVE;";
}

bool is_system_database(const std::string& name) {
  return name == "information_schema" || name == "performance_schema" || name == "mysql" || name == "sys";
}

}  // namespace weft::ops

namespace weft::ops {

admin_result export_databases(const export_command& command, const transfer_environment& env, job_context& job) {
  exporter e(command, env, job);
  return e.run();
}

}  // namespace weft::ops
