#include "ops/import_database.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "ops/compare_table.h"
#include "ops/copy_apply.h"
#include "ops/delimited_load.h"
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

constexpr std::uint64_t max_manifest_bytes = 256u << 20;

// One table to load: the manifest's entry and the database it goes into.
struct load_task {
  const manifest_table* table = nullptr;
  std::string source_database, target_database;
};

class importer {
 public:
  importer(const import_command& c, const transfer_environment& env, job_context& job) : c_(c), env_(env), job_(job) {}
  admin_result run();

 private:
  std::optional<admin_result> read_manifest();
  std::optional<admin_result> check_renames();
  std::string target_of(const std::string& database) const;
  std::optional<admin_result> check_files();
  std::optional<admin_result> check_targets();
  std::optional<std::string> verify_table(const load_task& task);
  std::optional<admin_result> run_definitions(bool after_data);
  std::optional<std::string> load_chunk(monitor::mariadb_client& worker, const load_task& task,
                                        const manifest_chunk& chunk);
  std::optional<std::string> reconcile(monitor::mariadb_client& worker, const load_task& task);
  void work(monitor::mariadb_client& worker);
  std::optional<admin_result> load_data();
  void report(const std::string& phase);
  std::optional<admin_result> become_replica();
  std::optional<admin_result> create_users();
  // A future replica's own binary log must stay empty, or its GTID state would not be the export's.
  bool without_binlog() const { return c_.without_binlog || c_.replica_of.has_value(); }
  admin_result summary() const;
  std::string users_summary() const;

  const import_command& c_;
  const transfer_environment& env_;
  job_context& job_;
  fs::path dir_;
  export_manifest manifest_;
  resolved_server target_;
  std::unique_ptr<monitor::mariadb_client> control_;
  std::vector<load_task> tasks_;
  std::mutex mutex_;  // what the workers share: next task, progress, checkpoints, the first error
  std::size_t next_task_ = 0;
  std::string first_error_;
  job_progress progress_;
  std::uint64_t rows_loaded_ = 0, chunks_skipped_ = 0;
  bool resumed_ = false;  // an earlier run of this job started loading
  std::vector<std::string> users_created_, users_kept_;
  std::string replicating_from_;
  clock::time_point began_ = clock::now();
};

std::optional<admin_result> importer::read_manifest() {
  auto where = export_path(env_.export_dir, c_.from);
  if (auto* why = std::get_if<std::string>(&where)) return admin_result::failure(p::er::job_refused, *why);
  dir_ = std::get<fs::path>(where);
  const auto path = dir_ / "manifest.json";
  std::error_code failed;
  const auto size = fs::file_size(path, failed);
  if (failed) {
    return admin_result::failure(
        p::er::job_refused,
        "weft: '" + c_.from + "' holds no finished export (manifest.json: " + failed.message() + ")");
  }
  if (size > max_manifest_bytes)
    return admin_result::failure(p::er::job_refused, "weft: manifest.json is larger than 256 MiB");
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = parse_manifest(text.str());
  if (auto* why = std::get_if<std::string>(&parsed)) return admin_result::failure(p::er::job_refused, "weft: " + *why);
  manifest_ = std::get<export_manifest>(std::move(parsed));
  if (!format_named(manifest_.data_format)) {
    return admin_result::failure(
        p::er::job_refused, "weft: this export's data is " + manifest_.data_format + "; IMPORT reads sql, csv and tsv");
  }
  return std::nullopt;
}

std::optional<admin_result> importer::check_renames() {
  for (const auto& [from, to] : c_.renames) {
    const bool known = std::any_of(manifest_.databases.begin(), manifest_.databases.end(),
                                   [&](const manifest_database& d) { return d.name == from; });
    if (!known) return admin_result::failure(p::er::job_refused, "weft: the export holds no database '" + from + "'");
    if (to.empty() || is_system_database(to))
      return admin_result::failure(p::er::job_refused, "weft: cannot import into '" + to + "'");
  }
  if (c_.users && manifest_.users.empty()) {
    return admin_result::failure(p::er::job_refused,
                                 "weft: this export holds no accounts (EXPORT ... WITH USERS takes them)");
  }
  return std::nullopt;
}

std::string importer::target_of(const std::string& database) const {
  for (const auto& [from, to] : c_.renames) {
    if (from == database) return to;
  }
  return database;
}

// Every chunk file is there before anything is applied.
std::optional<admin_result> importer::check_files() {
  for (const auto& d : manifest_.databases) {
    for (const auto& t : d.tables) {
      for (const auto& chunk : t.chunks) {
        std::error_code missing;
        const auto size = fs::file_size(dir_ / chunk.file, missing);
        if (missing || size == 0) {
          return admin_result::failure(p::er::job_failed,
                                       "weft: chunk " + chunk.file + " of " + qualified_name(d.name, t.name) +
                                           " is missing: " + (missing ? missing.message() : "empty") +
                                           " (nothing was imported)");
        }
      }
    }
  }
  return std::nullopt;
}

// Refuses, before anything is applied, to load into a table that holds rows or was created
// with another definition (OVERWRITE replaces them). A resumed import skips this: its own
// tables hold rows by then.
std::optional<admin_result> importer::check_targets() {
  for (const auto& d : manifest_.databases) {
    const auto target = target_of(d.name);
    const auto present = control_->query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                                         sql_value(target, monitor::value_kind::text));
    if (!present)
      return admin_result::failure(p::er::job_failed,
                                   "weft: " + target_.address.to_string() + ": " + control_->error());
    for (const auto& row : present->rows) {
      const auto name = row[0].value_or("");
      const auto it =
          std::find_if(d.tables.begin(), d.tables.end(), [&](const manifest_table& t) { return t.name == name; });
      if (it == d.tables.end() || c_.overwrite) continue;
      const auto any = control_->query("SELECT 1 FROM " + qualified_name(target, name) + " LIMIT 1");
      const auto where = qualified_name(target, name) + " on '" + target_.address.to_string() + "'";
      if (any && !any->rows.empty()) {
        return admin_result::failure(p::er::job_refused,
                                     "weft: " + where + " is not empty (OVERWRITE replaces it; nothing was imported)");
      }
      if (!it->definition.empty() && normalized_definition(*control_, target, name) != it->definition) {
        return admin_result::failure(
            p::er::job_refused,
            "weft: " + where + " exists with another definition (OVERWRITE replaces it; nothing was imported)");
      }
    }
  }
  return std::nullopt;
}

// Every chunk of the table is the one exported, before any of its rows is applied.
std::optional<std::string> importer::verify_table(const load_task& task) {
  for (const auto& chunk : task.table->chunks) {
    chunk_digest found;
    std::string why;
    if (!read_chunk(dir_ / chunk.file, found, why)) return why;
    if (!(found == chunk.digest)) {
      return "chunk " + chunk.file + " differs from the manifest (sha256 " + found.sha256 + ", " +
             std::to_string(found.bytes) + " bytes; exported: " + chunk.digest.sha256 + ", " +
             std::to_string(chunk.digest.bytes) + " bytes): damaged or changed";
    }
  }
  return std::nullopt;
}

std::optional<admin_result> importer::run_definitions(bool after_data) {
  for (const auto& d : manifest_.databases) {
    const auto target = target_of(d.name);
    const auto key = std::string(after_data ? "import:after:" : "import:before:") + target;
    if (job_.checkpoints().count(key)) continue;
    if (auto failed = run_statements(*control_, definition_statements(d, target, after_data, c_.overwrite))) {
      return admin_result::failure(p::er::job_failed, "weft: creating the definitions of " + quote_name(target) +
                                                          " on '" + target_.address.to_string() + "': " + *failed);
    }
    job_.save_checkpoint(key, "done");
  }
  return std::nullopt;
}

std::string chunk_key(const manifest_chunk& chunk) { return "import:chunk:" + chunk.file; }

// A resumed table: weft may have stopped after a chunk committed but before its checkpoint was
// saved. The table's row count tells which: the saved chunks' rows (load on), those plus the
// next chunk's (it did commit: mark it loaded), or anything else (the table changed outside
// the IMPORT: refused, never loaded twice).
std::optional<std::string> importer::reconcile(monitor::mariadb_client& worker, const load_task& task) {
  std::uint64_t saved = 0;
  const manifest_chunk* next = nullptr;
  {
    std::lock_guard lock(mutex_);
    for (const auto& chunk : task.table->chunks) {
      if (job_.checkpoints().count(chunk_key(chunk))) {
        saved += chunk.rows;
      } else if (!next) {
        next = &chunk;
      }
    }
  }
  if (!next) return std::nullopt;
  const auto count = worker.scalar("SELECT COUNT(*) FROM " + quote_name(task.table->name));
  if (!count) return "counting its rows: " + worker.error();
  const auto present = std::stoull(*count);
  if (present == saved) return std::nullopt;
  if (present == saved + next->rows) {
    std::lock_guard lock(mutex_);
    job_.save_checkpoint(chunk_key(*next), std::to_string(next->rows));
    return std::nullopt;
  }
  return "holds " + *count + " rows where its loaded chunks hold " + std::to_string(saved) +
         ": it changed outside the IMPORT, so nothing more is loaded into it";
}

std::optional<std::string> importer::load_chunk(monitor::mariadb_client& worker, const load_task& task,
                                                const manifest_chunk& chunk) {
  chunk_digest found;
  std::string why;
  const auto content = read_chunk(dir_ / chunk.file, found, why);
  if (!content) return why;
  if (!(found == chunk.digest)) return "chunk " + chunk.file + " changed after it was verified";
  if (auto failed =
          apply_export_chunk(worker, manifest_.data_format, task.target_database, *task.table, chunk, *content)) {
    return "chunk " + chunk.file + ": " + *failed;
  }
  return std::nullopt;
}

void importer::report(const std::string& phase) {
  progress_.phase = phase;
  job_.report(progress_);
}

// A worker thread: tables until none is left or one failed; each table verified, then loaded
// chunk by chunk (those a previous run finished are skipped).
void importer::work(monitor::mariadb_client& worker) {
  for (;;) {
    load_task task;
    {
      std::lock_guard lock(mutex_);
      if (next_task_ == tasks_.size() || !first_error_.empty() || job_.stopping()) return;
      task = tasks_[next_task_++];
    }
    const auto name = qualified_name(task.target_database, task.table->name);
    std::optional<std::string> failed = verify_table(task);
    if (!failed && !c_.dry_run && !worker.execute("USE " + quote_name(task.target_database))) failed = worker.error();
    if (!failed && !c_.dry_run && resumed_) failed = reconcile(worker, task);
    for (const auto& chunk : task.table->chunks) {
      if (failed || c_.dry_run) break;
      const auto key = chunk_key(chunk);
      bool done = false;
      {
        std::lock_guard lock(mutex_);
        done = job_.checkpoints().count(key) > 0;
        chunks_skipped_ += done;
      }
      if (!done) failed = load_chunk(worker, task, chunk);
      std::lock_guard lock(mutex_);
      if (failed) break;  // a chunk that did not load is not progress
      if (!done) job_.save_checkpoint(key, std::to_string(chunk.rows));
      progress_.rows_done += chunk.rows;
      rows_loaded_ += done ? 0 : chunk.rows;
      ++progress_.chunks_done;
      report("importing " + name);
      if (job_.stopping() && !failed) failed = "the job was stopped";
    }
    std::lock_guard lock(mutex_);
    if (failed && first_error_.empty()) first_error_ = name + ": " + *failed;
  }
}

std::optional<admin_result> importer::load_data() {
  for (const auto& d : manifest_.databases) {
    for (const auto& t : d.tables) {
      tasks_.push_back({&t, d.name, target_of(d.name)});
      progress_.rows_total += t.rows;
      progress_.chunks_total += t.chunks.size();
    }
  }
  std::stable_sort(tasks_.begin(), tasks_.end(),
                   [](const load_task& a, const load_task& b) { return a.table->rows > b.table->rows; });
  const auto count = std::clamp<std::size_t>(c_.parallel ? c_.parallel : env_.default_parallel, 1,
                                             std::max<std::size_t>(tasks_.size(), 1));
  auto opened = open_connections(
      [this](std::string& why) {
        auto c = env_.connect(target_.address, why, true);
        if (why.empty() && !prepare_loading_session(*c, without_binlog())) {
          why = "weft: " + target_.address.to_string() + ": " + c->error();
        }
        return c;
      },
      count);
  if (auto* why = std::get_if<std::string>(&opened)) return admin_result::failure(p::er::job_failed, *why);
  std::vector<std::thread> threads;
  for (auto& w : std::get<0>(opened)) threads.emplace_back([this, raw = w.get()] { work(*raw); });
  for (auto& t : threads) t.join();
  if (job_.stopping() && first_error_.empty()) first_error_ = "the job was stopped";
  if (first_error_.empty()) return std::nullopt;
  return admin_result::failure(p::er::job_failed,
                               "weft: IMPORT into '" + target_.address.to_string() + "': " + first_error_ +
                                   (c_.dry_run ? "" : " (RESUME JOB continues after the last chunk loaded)"));
}

std::string importer::users_summary() const {
  if (c_.dry_run) return account_names(manifest_.users) + " (DRY RUN: not created)";
  const auto list = [](const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  std::string out = std::to_string(users_created_.size()) + " created";
  if (!users_created_.empty()) out += " (" + list(users_created_) + ")";
  if (!users_kept_.empty()) out += "; already there, kept as they are: " + list(users_kept_);
  return out;
}

admin_result importer::summary() const {
  const double seconds = std::chrono::duration<double>(clock::now() - began_).count();
  auto r = admin_result::table({"item", "value"});
  r.add_item("directory", dir_.string());
  r.add_item("target", target_.address.to_string());
  std::string databases;
  for (const auto& d : manifest_.databases) {
    databases +=
        (databases.empty() ? "" : ", ") + d.name + (target_of(d.name) == d.name ? "" : " AS " + target_of(d.name));
  }
  r.add_item("databases", databases);
  r.add_item("tables", std::to_string(tasks_.size()));
  r.add_item(c_.dry_run ? "rows_verified" : "rows_loaded",
             std::to_string(c_.dry_run ? progress_.rows_total : rows_loaded_));
  r.add_item("chunks",
             std::to_string(progress_.chunks_total) +
                 (chunks_skipped_ ? " (" + std::to_string(chunks_skipped_) + " loaded by an earlier run)" : ""));
  r.add_item("seconds", std::to_string(seconds));
  if (c_.dry_run) r.add_item("dry_run", "every chunk verified against the manifest; nothing was applied");
  r.add_item("source", manifest_.source + " (" + manifest_.server_version + ")");
  r.add_item("gtid_position", manifest_.gtid_position);
  if (!replicating_from_.empty())
    r.add_item("replicating_from", replicating_from_ + " from " + manifest_.gtid_position);
  if (c_.replication_info) {
    r.add_item("replicate_with", replicate_with(manifest_.source, manifest_.gtid_position));
  }
  if (c_.users) r.add_item("users", users_summary());
  return r;
}

// AS REPLICA OF: the copy replicates from that server from the export's point on.
std::optional<admin_result> importer::become_replica() {
  const auto t = env_.topology();
  auto source = resolve(*c_.replica_of, *t);
  if (auto* why = std::get_if<std::string>(&source)) return admin_result::failure(p::er::job_refused, *why);
  if (manifest_.gtid_position.empty())
    return admin_result::failure(p::er::job_refused, "weft: the export has no GTID position to replicate from");
  if (!env_.replicate) return admin_result::failure(p::er::job_refused, "weft: AS REPLICA OF needs the HA manager");
  report("replicating from " + std::get<resolved_server>(source).address.to_string());
  if (!control_->execute("SET GLOBAL gtid_slave_pos = " +
                         sql_value(manifest_.gtid_position, monitor::value_kind::text))) {
    return admin_result::failure(
        p::er::job_failed, "weft: setting the export's position " + manifest_.gtid_position + ": " + control_->error());
  }
  ha_command command;
  command.verb = ha_verb::replicate;
  command.server = target_.address.to_string();
  command.source = std::get<resolved_server>(source).address.to_string();
  const auto done = env_.replicate(command);
  if (done.error) return admin_result::failure(p::er::job_failed, "weft: REPLICATE: " + done.error->message);
  replicating_from_ = command.source;
  return std::nullopt;
}

// WITH USERS, after the rows and routines (their grants name them). An account already on the
// target is kept as it is (OVERWRITE replaces it); its grants are then not applied either.
std::optional<admin_result> importer::create_users() {
  if (!c_.users || c_.dry_run || job_.checkpoints().count("import:users")) return std::nullopt;
  report("creating accounts");
  for (const auto& user : manifest_.users) {
    const auto statements = user_statements(user, c_.renames, c_.overwrite);
    constexpr unsigned account_exists = 1396;  // ER_CANNOT_USER
    if (!control_->execute(statements.front())) {
      if (control_->error_code() != account_exists) {
        return admin_result::failure(p::er::job_failed, "weft: creating " + user.account + ": " + control_->error());
      }
      users_kept_.push_back(user.account);
      continue;
    }
    for (std::size_t i = 1; i < statements.size(); ++i) {
      if (!control_->execute(statements[i])) {
        return admin_result::failure(p::er::job_failed, "weft: granting to " + user.account + ": " + control_->error());
      }
    }
    users_created_.push_back(user.account);
  }
  job_.save_checkpoint("import:users", std::to_string(users_created_.size()));
  return std::nullopt;
}

admin_result importer::run() {
  if (auto refused = read_manifest()) return std::move(*refused);
  if (auto refused = check_renames()) return std::move(*refused);
  const auto t = env_.topology();
  auto found = resolve(c_.into, *t);
  if (auto* why = std::get_if<std::string>(&found)) return admin_result::failure(p::er::job_refused, *why);
  target_ = std::get<resolved_server>(found);
  std::string why;
  control_ = env_.connect(target_.address, why);
  if (!why.empty()) return admin_result::failure(p::er::job_failed, why);
  control_->execute("SET SESSION foreign_key_checks = 0");
  if (without_binlog() && !control_->execute("SET SESSION sql_log_bin = 0")) {
    return admin_result::failure(p::er::job_failed, "weft: WITHOUT BINLOG: " + control_->error());
  }
  report("checking");
  if (auto failed = check_files()) return std::move(*failed);
  resumed_ = job_.checkpoints().count("import:started") > 0;
  if (!resumed_) {
    if (auto refused = check_targets()) return std::move(*refused);
  }
  if (!c_.dry_run) {
    job_.save_checkpoint("import:started", "1");
    report("creating definitions");
    if (auto failed = run_definitions(false)) return std::move(*failed);
  }
  if (auto failed = load_data()) return std::move(*failed);
  if (!c_.dry_run) {
    report("creating views, routines, triggers, events");
    if (auto failed = run_definitions(true)) return std::move(*failed);
  }
  if (auto failed = create_users()) return std::move(*failed);
  if (c_.replica_of && !c_.dry_run) {
    if (auto failed = become_replica()) return std::move(*failed);
  }
  return summary();
}

}  // namespace
}  // namespace weft::ops

namespace weft::ops {

admin_result import_databases(const import_command& command, const transfer_environment& env, job_context& job) {
  importer i(command, env, job);
  return i.run();
}

}  // namespace weft::ops
