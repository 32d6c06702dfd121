#include "ops/clone_server.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "ops/clone_provision.h"
#include "ops/compare_database.h"
#include "ops/copy_apply.h"
#include "ops/sql_values.h"
#include "ops/table_copy.h"
#include "protocol/errors.h"

namespace weft::ops {
namespace {

namespace p = protocol;
using clock = std::chrono::steady_clock;

// A table's chunks applied on the new server as they are read: one transaction per chunk.
class server_sink : public chunk_sink {
 public:
  explicit server_sink(monitor::mariadb_client& target) : target_(target) {}
  std::optional<std::string> put(std::size_t, const std::string& statements, manifest_chunk& chunk) override {
    return apply_chunk(target_, statements, chunk.rows);
  }

 private:
  monitor::mariadb_client& target_;
};

// COMPARE inside CLONE's job: its checkpoints under a prefix of their own (one per database),
// its progress shown as the clone's verification.
class verification_context : public job_context {
 public:
  verification_context(job_context& outer, std::string prefix) : outer_(outer), prefix_(std::move(prefix)) {}
  bool stopping() const override { return outer_.stopping(); }
  void report(const job_progress& progress) override {
    auto shown = progress;
    shown.phase = "verifying " + prefix_ + ": " + progress.phase;
    outer_.report(shown);
  }
  void save_checkpoint(const std::string& key, const std::string& payload) override {
    outer_.save_checkpoint("verify:" + prefix_ + ":" + key, payload);
  }
  const std::map<std::string, std::string>& checkpoints() const override {
    mine_.clear();
    const auto start = "verify:" + prefix_ + ":";
    for (const auto& [key, payload] : outer_.checkpoints()) {
      if (key.rfind(start, 0) == 0) mine_[key.substr(start.size())] = payload;
    }
    return mine_;
  }

 private:
  job_context& outer_;
  std::string prefix_;
  mutable std::map<std::string, std::string> mine_;
};

struct copy_workers {
  std::vector<std::unique_ptr<monitor::mariadb_client>> donors, targets;
};

class cloner {
 public:
  cloner(const clone_command& c, const clone_environment& env, job_context& job)
      : c_(c), env_(env), job_(job), server_(c.server) {}
  admin_result run();

 private:
  std::optional<admin_result> create_server();
  std::optional<admin_result> resolve_servers();
  std::optional<admin_result> check_empty();
  std::optional<admin_result> copy();
  std::variant<copy_workers, std::string> open_workers(std::size_t tasks);
  std::optional<admin_result> replicate();
  std::optional<admin_result> verify();
  void report(const std::string& phase);
  admin_result summary() const;

  const clone_command& c_;
  const clone_environment& env_;
  job_context& job_;
  std::string server_;  // the new server: the statement's, or the one [provision] made
  routing::endpoint new_, donor_, primary_;
  std::unique_ptr<monitor::mariadb_client> target_;
  std::vector<std::string> databases_;
  std::string position_;
  job_progress progress_;
  std::uint64_t rows_ = 0, tables_ = 0;
  double copy_seconds_ = 0;
};

void cloner::report(const std::string& phase) {
  progress_.phase = phase;
  job_.report(progress_);
}

// The donor: USING's, else the group's online replica with the least lag, else its primary.
std::optional<admin_result> cloner::resolve_servers() {
  const auto t = env_.transfer.topology();
  const auto* primary = t->primary_of(c_.group);
  if (!primary) return admin_result::failure(p::er::job_refused, "weft: group '" + c_.group + "' has no primary");
  primary_ = primary->address;
  const auto target = routing::parse_endpoint(server_);
  if (!target) return admin_result::failure(p::er::job_refused, "weft: '" + server_ + "' is not a host:port");
  new_ = *target;
  if (t->find(new_))
    return admin_result::failure(p::er::job_refused, "weft: '" + server_ + "' is already one of weft's servers");
  donor_ = primary_;
  std::optional<std::uint32_t> best;
  for (const auto& s : t->servers) {
    const auto lag = s.health.lag_seconds;
    if (s.group != c_.group || s.role == routing::server_role::primary || s.status != routing::server_status::online ||
        !s.health.sql_running || !lag || (best && *lag >= *best)) {
      continue;
    }
    best = lag;
    donor_ = s.address;
  }
  if (!c_.donor.empty()) {
    const auto using_ep = routing::parse_endpoint(c_.donor);
    if (!using_ep)
      return admin_result::failure(p::er::job_refused, "weft: USING '" + c_.donor + "' is not a host:port");
    donor_ = *using_ep;
  }
  if (donor_ == new_) return admin_result::failure(p::er::job_refused, "weft: the new server cannot be its own donor");
  return std::nullopt;
}

// The new server must hold no database of its own: CLONE fills an empty server. A resumed
// clone that had started copying drops what it copied and copies again (from a new point).
std::optional<admin_result> cloner::check_empty() {
  const auto listed = target_->query("SHOW DATABASES");
  if (!listed) return admin_result::failure(p::er::job_failed, "weft: '" + server_ + "': " + target_->error());
  std::vector<std::string> present;
  for (const auto& r : listed->rows) {
    if (!is_system_database(r[0].value_or(""))) present.push_back(r[0].value_or(""));
  }
  const auto& saved = job_.checkpoints();
  if (saved.count("clone:copied")) return std::nullopt;
  if (!saved.count("clone:started")) {
    if (present.empty()) return std::nullopt;
    std::string names;
    for (const auto& n : present) names += (names.empty() ? "" : ", ") + n;
    return admin_result::failure(p::er::job_refused, "weft: '" + server_ + "' is not empty (it holds " + names +
                                                         "); CLONE SERVER fills an empty server");
  }
  target_->execute("SET SESSION sql_log_bin = 0");
  for (const auto& n : present) {
    if (!target_->execute("DROP DATABASE " + quote_name(n)))
      return admin_result::failure(p::er::job_failed, "weft: " + target_->error());
  }
  return std::nullopt;
}

std::variant<std::vector<std::string>, std::string> user_databases(monitor::mariadb_client& server) {
  const auto listed = server.query("SHOW DATABASES");
  if (!listed) return server.address().to_string() + ": " + server.error();
  std::vector<std::string> out;
  for (const auto& r : listed->rows) {
    if (!is_system_database(r[0].value_or(""))) out.push_back(r[0].value_or(""));
  }
  return out;
}

// The copy's connections: readers on the donor and as many loading sessions on the new server.
std::variant<copy_workers, std::string> cloner::open_workers(std::size_t tasks) {
  const auto count = std::clamp<std::size_t>(env_.transfer.default_parallel, 1, std::max<std::size_t>(tasks, 1));
  auto donors = open_connections([&](std::string& w) { return env_.transfer.connect(donor_, w); }, count);
  if (auto* e = std::get_if<std::string>(&donors)) return *e;
  auto targets = open_connections(
      [&](std::string& w) {
        auto c = env_.transfer.connect(new_, w);
        if (w.empty() && !prepare_loading_session(*c, true)) w = "weft: " + c->error();
        return c;
      },
      count);
  if (auto* e = std::get_if<std::string>(&targets)) return *e;
  return copy_workers{std::move(std::get<0>(donors)), std::move(std::get<0>(targets))};
}

// Streams the donor's databases into the new server at one snapshot point, out of its binary
// log (so its GTID state stays the donor's position alone).
std::optional<admin_result> cloner::copy() {
  if (const auto it = job_.checkpoints().find("clone:copied"); it != job_.checkpoints().end()) {
    position_ = it->second;
    return std::nullopt;
  }
  std::string why;
  auto control = env_.transfer.connect(donor_, why);
  if (!why.empty()) return admin_result::failure(p::er::job_failed, why);
  auto listed = user_databases(*control);
  if (auto* e = std::get_if<std::string>(&listed)) return admin_result::failure(p::er::job_failed, "weft: " + *e);
  databases_ = std::get<0>(std::move(listed));
  job_.save_checkpoint("clone:started", "1");
  report("reading definitions");
  auto planned = plan_copy(*control, databases_, true, true);
  if (auto* e = std::get_if<std::string>(&planned)) return admin_result::failure(p::er::job_failed, "weft: " + *e);
  const auto& plan = std::get<copy_plan>(planned);
  progress_.rows_total = plan.estimated_rows;
  // Definitions go as utf8mb4 text (only the chunks' sessions send raw bytes).
  if (!target_->execute("SET SESSION sql_log_bin = 0, foreign_key_checks = 0")) {
    return admin_result::failure(p::er::job_failed, "weft: " + target_->error());
  }
  for (const auto& d : plan.databases) {
    if (auto e = run_statements(*target_, definition_statements(d, d.name, false, false)))
      return admin_result::failure(p::er::job_failed, "weft: " + *e);
  }
  auto workers = open_workers(plan.tasks.size());
  if (auto* e = std::get_if<std::string>(&workers)) return admin_result::failure(p::er::job_failed, *e);
  std::vector<monitor::mariadb_client*> readers;
  for (auto& d : std::get<copy_workers>(workers).donors) readers.push_back(d.get());
  auto& writers = std::get<copy_workers>(workers).targets;
  const sink_factory to_server = [&](std::size_t worker, const table_task& task,
                                     std::string& failed) -> std::unique_ptr<chunk_sink> {
    auto& w = *writers[worker];
    if (!w.execute("USE " + quote_name(task.database_name))) return failed = w.error(), nullptr;
    return std::make_unique<server_sink>(w);
  };
  const auto began = clock::now();
  std::vector<manifest_table> tables;
  auto point = copy_tables(*control, readers, plan.tasks, to_server, env_.transfer.settings, job_, progress_, tables,
                           "copying from " + donor_.to_string());
  if (auto* e = std::get_if<std::string>(&point)) {
    return admin_result::failure(p::er::job_failed, "weft: CLONE from '" + donor_.to_string() + "' into '" + server_ +
                                                        "': " + *e + " (RESUME JOB copies again from a new point)");
  }
  copy_seconds_ = std::chrono::duration<double>(clock::now() - began).count();
  for (const auto& t : tables) rows_ += t.rows;
  tables_ = tables.size();
  for (const auto& d : plan.databases) {
    if (auto e = run_statements(*target_, definition_statements(d, d.name, true, false)))
      return admin_result::failure(p::er::job_failed, "weft: " + *e);
  }
  position_ = std::get<snapshot_point>(point).gtid_position;
  if (position_.empty())
    return admin_result::failure(p::er::job_failed,
                                 "weft: the donor '" + donor_.to_string() + "' has no GTID position (binary log off?)");
  job_.save_checkpoint("clone:copied", position_);
  return std::nullopt;
}

// The new server starts replicating from the primary exactly after the copy's point.
std::optional<admin_result> cloner::replicate() {
  if (!job_.checkpoints().count("clone:replicating")) {
    report("replicating from " + primary_.to_string());
    if (!target_->execute("SET GLOBAL gtid_slave_pos = " + sql_value(position_, monitor::value_kind::text))) {
      return admin_result::failure(p::er::job_failed,
                                   "weft: setting the copy's position " + position_ + ": " + target_->error());
    }
    ha_command command;
    command.verb = ha_verb::replicate;
    command.server = new_.to_string();
    command.source = primary_.to_string();
    const auto done = env_.replicate(command);
    if (done.error) return admin_result::failure(p::er::job_failed, "weft: REPLICATE: " + done.error->message);
    job_.save_checkpoint("clone:replicating", "1");
  }
  std::string why;
  auto primary = env_.transfer.connect(primary_, why);
  if (!why.empty()) return admin_result::failure(p::er::job_failed, why);
  const auto now = primary->scalar("SELECT @@gtid_binlog_pos");
  const auto wait = std::to_string(env_.compare.gtid_wait.count());
  const auto reached =
      now ? target_->scalar("SELECT MASTER_GTID_WAIT(" + sql_value(*now, monitor::value_kind::text) + ", " + wait + ")")
          : std::nullopt;
  if (!reached || *reached != "0") {
    return admin_result::failure(p::er::job_failed,
                                 "weft: '" + server_ + "' did not catch up with the primary within " + wait + " s");
  }
  return std::nullopt;
}

// COMPARE each database, primary against the new server at one GTID point per chunk.
std::optional<admin_result> cloner::verify() {
  if (databases_.empty()) {
    auto listed = user_databases(*target_);
    if (auto* e = std::get_if<std::string>(&listed)) return admin_result::failure(p::er::job_failed, "weft: " + *e);
    databases_ = std::get<0>(std::move(listed));
  }
  compare_environment env{env_.transfer.topology, env_.transfer.user,
                          env_.transfer.password, env_.transfer.connect_timeout_seconds,
                          env_.compare,           true};
  for (const auto& db : databases_) {
    compare_command c;
    c.database = db;
    c.a = {server_ref::kind::address, primary_.to_string()};
    c.b = {server_ref::kind::address, new_.to_string()};
    c.format = compare_format::summary;
    verification_context in(job_, db);
    const auto r = compare_database(c, env, in);
    if (r.error) return admin_result::failure(p::er::job_failed, "weft: verifying " + db + ": " + r.error->message);
    for (const auto& row : r.rows) {
      const auto result = row.back().value_or("");
      if (result == "equal") continue;
      return admin_result::failure(p::er::job_failed, "weft: the copy of " +
                                                          qualified_name(db, row.front().value_or("")) +
                                                          " differs from the primary (" + result + "); '" + server_ +
                                                          "' was not added to group " + c_.group);
    }
  }
  return std::nullopt;
}

admin_result cloner::summary() const {
  auto r = admin_result::table({"item", "value"});
  r.add_item("server", new_.to_string() + (c_.create ? " (made by [provision] create_command)" : ""));
  r.add_item("group", c_.group);
  r.add_item("donor", donor_.to_string());
  std::string names;
  for (const auto& n : databases_) names += (names.empty() ? "" : ", ") + n;
  r.add_item("databases", names);
  r.add_item("tables", std::to_string(tables_));
  r.add_item("rows", std::to_string(rows_));
  r.add_item("copy_seconds", std::to_string(copy_seconds_));
  r.add_item("gtid_position", position_);
  r.add_item("replicating_from", primary_.to_string());
  r.add_item("verified", "COMPARE: every table equal to the primary");
  r.add_item("state", "added to group " + c_.group + ": takes reads");
  return r;
}

// NEW: [provision] create_command makes the server (once: a resumed job finds it made).
std::optional<admin_result> cloner::create_server() {
  if (!c_.create) return std::nullopt;
  if (const auto made = job_.checkpoints().find("clone:created"); made != job_.checkpoints().end()) {
    server_ = made->second;
    return std::nullopt;
  }
  if (env_.create_command.empty()) {
    return admin_result::failure(
        p::er::job_refused,
        "weft: CLONE SERVER NEW needs [provision] create_command (the command that makes a server)");
  }
  report("creating the server ([provision] create_command)");
  const provision_request request{env_.create_command, c_.server, c_.group, env_.create_timeout};
  auto made = provision_server(request, [this](const routing::endpoint& at) {
    std::string why;
    return env_.transfer.connect(at, why) && why.empty();
  });
  if (auto* why = std::get_if<std::string>(&made)) {
    return admin_result::failure(p::er::job_failed, "weft: [provision] create_command: " + *why);
  }
  server_ = std::get<routing::endpoint>(made).to_string();
  job_.save_checkpoint("clone:created", server_);
  return std::nullopt;
}

admin_result cloner::run() {
  if (auto failed = create_server()) return std::move(*failed);
  if (auto refused = resolve_servers()) return std::move(*refused);
  std::string why;
  target_ = env_.transfer.connect(new_, why);
  if (!why.empty()) return admin_result::failure(p::er::job_failed, why);
  if (auto refused = check_empty()) return std::move(*refused);
  if (auto failed = copy()) return std::move(*failed);
  if (auto failed = replicate()) return std::move(*failed);
  report("verifying");
  if (auto failed = verify()) return std::move(*failed);
  report("adding to group " + c_.group);
  const auto added = env_.admin_statement("ADD SERVER '" + new_.to_string() + "' TO GROUP " + quote_name(c_.group));
  if (added.error) return admin_result::failure(p::er::job_failed, "weft: ADD SERVER: " + added.error->message);
  return summary();
}

}  // namespace
}  // namespace weft::ops

namespace weft::ops {

admin_result clone_server(const clone_command& command, const clone_environment& env, job_context& job) {
  cloner c(command, env, job);
  return c.run();
}

}  // namespace weft::ops
