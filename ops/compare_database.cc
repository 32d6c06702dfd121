#include "ops/compare_database.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "monitor/mariadb_client.h"
#include "ops/compare_report.h"
#include "ops/job_store.h"
#include "ops/schema_diff.h"
#include "ops/server_ref.h"
#include "ops/sql_values.h"
#include "protocol/errors.h"

namespace weft::ops {
namespace {

namespace p = protocol;

struct side {
  resolved_server server;
  std::unique_ptr<monitor::mariadb_client> connection;
};

// One table's work as planned: its shape and chunk size; its chunks' boundaries are found
// as they are read.
struct table_plan {
  table_report report;
  table_shape shape;
  std::size_t rows_per_chunk = 0;  // 0: compared whole
  std::uint64_t estimated_rows = 0;
  bool compared = false;
};

// A finished chunk as its checkpoint keeps it: its upper boundary (none: the last) and report.
struct saved_chunk {
  std::optional<key_literals> upper;
  chunk_report report;
};

class comparison {
 public:
  comparison(const compare_command& c, const compare_environment& env, job_context& job)
      : c_(c), env_(env), job_(job) {}
  admin_result run();

 private:
  std::optional<admin_result> connect();
  std::optional<admin_result> list_tables();
  std::optional<admin_result> plan(table_plan& t);
  std::optional<admin_result> compare_data(table_plan& t);
  void add_definition_statements();
  std::variant<saved_chunk, admin_result> compare_one_chunk(table_plan& t, std::size_t i,
                                                            const std::optional<key_literals>& lower);
  void wait_for_lag();
  void report(const std::string& phase);
  void refresh_totals();

  const compare_command& c_;
  const compare_environment& env_;
  job_context& job_;
  side a_, b_;
  compare_pair pair_;
  std::vector<table_plan> tables_;
  job_progress progress_;
};

std::variant<side, std::string> open_side(const server_ref& ref, const compare_environment& env) {
  const auto t = env.topology();
  auto found = resolve(ref, *t);
  if (auto* why = std::get_if<std::string>(&found)) return *why;
  side s{std::get<resolved_server>(found), nullptr};
  const auto read_timeout = static_cast<unsigned>(env.settings.gtid_wait.count()) + 60;
  s.connection = std::make_unique<monitor::mariadb_client>(s.server.address, env.user, env.password,
                                                           env.connect_timeout_seconds, read_timeout);
  if (!s.connection->ok())
    return "weft: cannot connect to '" + s.server.address.to_string() + "': " + s.connection->error();
  s.connection->execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  s.connection->execute("SET SESSION innodb_lock_wait_timeout = 5");
  s.connection->execute(digest_session_settings);
  return s;
}

std::optional<admin_result> comparison::connect() {
  auto a = open_side(c_.a, env_);
  if (auto* why = std::get_if<std::string>(&a)) return admin_result::failure(p::er::job_failed, *why);
  auto b = open_side(c_.b, env_);
  if (auto* why = std::get_if<std::string>(&b)) return admin_result::failure(p::er::job_failed, *why);
  a_ = std::move(std::get<side>(a));
  b_ = std::move(std::get<side>(b));
  if (a_.server.address == b_.server.address)
    return admin_result::failure(p::er::job_refused, "weft: ON and WITH name the same server");
  const auto t = env_.topology();
  pair_ = {a_.connection.get(), b_.connection.get(), compare_pair::source_side::none};
  if (env_.b_replicates_from_a || replicates_from(b_.server, a_.server, *t))
    pair_.source = compare_pair::source_side::a;
  if (replicates_from(a_.server, b_.server, *t)) pair_.source = compare_pair::source_side::b;
  return std::nullopt;
}

std::variant<std::set<std::string>, admin_result> base_tables(side& s, const std::string& database) {
  const auto db = sql_value(database, monitor::value_kind::text);
  auto schema = s.connection->query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + db);
  auto tables = s.connection->query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + db +
                                    " AND TABLE_TYPE = 'BASE TABLE'");
  if (!schema || !tables) {
    return admin_result::failure(p::er::job_failed,
                                 "weft: '" + s.server.address.to_string() + "': " + s.connection->error());
  }
  if (schema->rows.empty()) {
    return admin_result::failure(p::er::unknown_database,
                                 "Unknown database '" + database + "' on '" + s.server.address.to_string() + "'");
  }
  std::set<std::string> names;
  for (const auto& r : tables->rows) names.insert(r[0].value_or(""));
  return names;
}

std::optional<admin_result> comparison::list_tables() {
  auto on_a = base_tables(a_, c_.database);
  if (auto* r = std::get_if<admin_result>(&on_a)) return std::move(*r);
  auto on_b = base_tables(b_, c_.database);
  if (auto* r = std::get_if<admin_result>(&on_b)) return std::move(*r);
  const auto& na = std::get<0>(on_a);
  const auto& nb = std::get<0>(on_b);
  std::set<std::string> names(na);
  names.insert(nb.begin(), nb.end());
  if (!c_.tables.empty()) {
    for (const auto& t : c_.tables) {
      if (!names.count(t))
        return admin_result::failure(p::er::unknown_table,
                                     "Table '" + c_.database + "." + t + "' doesn't exist on either server");
    }
    names = std::set<std::string>(c_.tables.begin(), c_.tables.end());
  }
  for (const auto& n : names) {
    table_plan t;
    t.report.name = n;
    t.report.on_a = na.count(n) > 0;
    t.report.on_b = nb.count(n) > 0;
    tables_.push_back(std::move(t));
  }
  return std::nullopt;
}

void comparison::report(const std::string& phase) {
  progress_.phase = phase;
  job_.report(progress_);
}

std::string plan_key(const table_plan& t) { return "plan:" + t.report.name; }
std::string chunk_key(const table_plan& t, std::size_t i) { return "chunk:" + t.report.name + ":" + std::to_string(i); }

std::string pack_saved(const saved_chunk& c) {
  std::optional<std::string> upper;
  if (c.upper) upper = pack(std::vector<std::optional<std::string>>(c.upper->begin(), c.upper->end()));
  return pack({upper, pack_chunk(c.report)});
}

std::optional<saved_chunk> unpack_saved(const std::string& text) {
  const auto outer = unpack(text);
  if (!outer || outer->size() != 2 || !(*outer)[1]) return std::nullopt;
  saved_chunk c;
  if (const auto& upper = (*outer)[0]) {
    const auto values = unpack(*upper);
    if (!values) return std::nullopt;
    c.upper.emplace();
    for (const auto& v : *values) c.upper->push_back(v.value_or("NULL"));
  }
  auto report = unpack_chunk(*(*outer)[1]);
  if (!report) return std::nullopt;
  c.report = std::move(*report);
  return c;
}

std::optional<std::size_t> saved_number(const std::map<std::string, std::string>& saved, const std::string& key) {
  const auto it = saved.find(key);
  if (it == saved.end() || it->second.empty() || it->second.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(std::stoull(it->second));
}

admin_result comparison::run() {
  if (auto failed = connect()) return std::move(*failed);
  if (auto failed = list_tables()) return std::move(*failed);
  report("planning");
  for (auto& t : tables_) {
    if (auto failed = plan(t)) return std::move(*failed);
  }
  refresh_totals();
  add_definition_statements();
  report("comparing");
  for (auto& t : tables_) {
    if (auto failed = compare_data(t)) return std::move(*failed);
  }
  std::vector<table_report> reports;
  for (auto& t : tables_) reports.push_back(std::move(t.report));
  return render_report(c_, reports);
}

std::optional<admin_result> comparison::plan(table_plan& t) {
  auto& r = t.report;
  if (!r.on_a || !r.on_b) return std::nullopt;
  auto sa = read_table_shape(*a_.connection, c_.database, r.name);
  auto sb = read_table_shape(*b_.connection, c_.database, r.name);
  for (auto* failed : {std::get_if<std::string>(&sa), std::get_if<std::string>(&sb)}) {
    if (failed) return admin_result::failure(p::er::job_failed, "weft: table " + r.name + ": " + *failed);
  }
  t.shape = std::get<table_shape>(sa);
  r.same_definition = normalized_definition(*a_.connection, c_.database, r.name) ==
                      normalized_definition(*b_.connection, c_.database, r.name);
  if (auto why = incompatible_shapes(t.shape, std::get<table_shape>(sb))) {
    r.skipped = *why + " (DIFF SCHEMA prints the statements that align them)";
    return std::nullopt;
  }
  if (t.shape.key.empty()) r.note = "no PRIMARY KEY or NOT NULL unique key: compared whole, rows matched as a multiset";
  // A resumed job keeps its chunk size, so its saved chunks' boundaries still line up.
  auto rows = saved_number(job_.checkpoints(), plan_key(t));
  if (!rows) {
    rows = rows_per_chunk(*a_.connection, t.shape, c_.where, c_.ignore_columns, env_.settings);
    job_.save_checkpoint(plan_key(t), std::to_string(*rows));
  }
  t.rows_per_chunk = *rows;
  t.estimated_rows = std::max(estimated_rows(*a_.connection, t.shape), estimated_rows(*b_.connection, t.shape));
  return std::nullopt;
}

// Totals for SHOW JOBS: exact for the tables compared, the statistics' estimate ahead (an
// exact plan ahead would walk every table's key once more before the first chunk is read).
void comparison::refresh_totals() {
  progress_.rows_total = progress_.chunks_total = 0;
  for (const auto& t : tables_) {
    const auto& r = t.report;
    if (!r.on_a || !r.on_b || !r.skipped.empty()) continue;
    const auto seen = std::max(r.rows_a, r.rows_b);
    const auto rows = t.compared ? seen : std::max(seen, t.estimated_rows);
    const auto per_chunk = t.rows_per_chunk ? t.rows_per_chunk : std::max<std::uint64_t>(rows, 1);
    progress_.rows_total += rows;
    progress_.chunks_total += t.compared ? r.chunks : std::max<std::uint64_t>(r.chunks + 1, rows / per_chunk + 1);
  }
}

std::optional<admin_result> comparison::compare_data(table_plan& t) {
  if (!t.report.on_a || !t.report.on_b || !t.report.skipped.empty()) return std::nullopt;
  std::optional<key_literals> lower;
  for (std::size_t i = 0;; ++i) {
    if (job_.stopping()) return admin_result::failure(p::er::job_failed, "weft: the job was stopped");
    const auto& saved = job_.checkpoints();
    const auto it = saved.find(chunk_key(t, i));
    std::optional<saved_chunk> done = it != saved.end() ? unpack_saved(it->second) : std::nullopt;
    if (!done) {
      auto outcome = compare_one_chunk(t, i, lower);
      if (auto* failed = std::get_if<admin_result>(&outcome)) return std::move(*failed);
      done = std::move(std::get<saved_chunk>(outcome));
    }
    auto& r = t.report;
    const auto& c = done->report;
    r.rows_a += c.rows_a;
    r.rows_b += c.rows_b;
    ++r.chunks;
    r.chunks_differing += !c.differences.empty();
    r.differences.insert(r.differences.end(), c.differences.begin(), c.differences.end());
    progress_.rows_done += std::max(c.rows_a, c.rows_b);
    ++progress_.chunks_done;
    t.compared = !done->upper;
    refresh_totals();
    report("comparing " + r.name);
    if (t.compared) return std::nullopt;
    lower = std::move(done->upper);
  }
}

std::variant<saved_chunk, admin_result> comparison::compare_one_chunk(table_plan& t, std::size_t i,
                                                                      const std::optional<key_literals>& lower) {
  wait_for_lag();
  const auto where_chunk = "weft: chunk " + std::to_string(i + 1) + " of " + t.report.name + ": ";
  const auto resume = std::string(" (RESUME JOB continues from this chunk)");
  auto upper = next_boundary(*a_.connection, t.shape, lower, t.rows_per_chunk);
  if (auto* why = std::get_if<std::string>(&upper))
    return admin_result::failure(p::er::job_failed, where_chunk + *why + resume);
  saved_chunk done;
  done.upper = std::get<0>(std::move(upper));
  const auto condition = chunk_condition(t.shape, lower, done.upper);
  auto outcome = compare_chunk(pair_, t.shape, condition, c_.where, c_.ignore_columns, env_.settings);
  if (auto* why = std::get_if<std::string>(&outcome))
    return admin_result::failure(p::er::job_failed, where_chunk + *why + resume);
  const auto& o = std::get<chunk_outcome>(outcome);
  done.report = report_chunk(t.shape, o.columns, o.differences, o.rows_a, o.rows_b, c_.ignore_columns);
  job_.save_checkpoint(chunk_key(t, i), pack_saved(done));
  return done;
}

// One line per statement (the output is one statement per row), ending with a semicolon.
std::string one_line(const std::string& text) {
  std::string statement;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') {
      statement += text[i];
      continue;
    }
    statement += ' ';
    while (i + 1 < text.size() && text[i + 1] == ' ') ++i;
  }
  while (!statement.empty() && (statement.back() == ' ' || statement.back() == ';')) statement.pop_back();
  return statement + ";";
}

// For tables whose definitions differ or that one side lacks: DIFF SCHEMA's statements for
// that table (and its foreign keys), for the side the changes are for.
void comparison::add_definition_statements() {
  const bool needed = std::any_of(tables_.begin(), tables_.end(), [](const table_plan& t) {
    return !t.report.on_a || !t.report.on_b || !t.report.same_definition.value_or(true);
  });
  if (!needed) return;
  const auto snapshot = [&](const side& s) -> std::optional<schema_snapshot> {
    monitor::mariadb_client client(s.server.address, env_.user, env_.password, env_.connect_timeout_seconds, 30);
    auto read = read_schema(client, c_.database);
    if (auto* ok = std::get_if<schema_snapshot>(&read)) return std::move(*ok);
    return std::nullopt;
  };
  const auto a = snapshot(a_);
  const auto b = snapshot(b_);
  if (!a || !b) return;  // the data comparison goes on; the note says the definitions differ
  const bool for_a = c_.changes_for == changes_side::a;
  const auto changes = for_a ? diff_schemas(*a, *b) : diff_schemas(*b, *a);
  for (auto& t : tables_) {
    for (const auto& change : changes) {
      const auto& o = change.object;
      const bool about = o == t.report.name || o.rfind(t.report.name + ".", 0) == 0;
      if (about && (change.object_type == "TABLE" || change.object_type == "FOREIGN KEY")) {
        t.report.definition_sql.push_back(one_line(change.statement));
      }
    }
  }
}

// Pauses while a compared replica lags more than the setting (the monitor's figure).
void comparison::wait_for_lag() {
  for (const auto* s : {&a_.server, &b_.server}) {
    if (!s->is_replica) continue;
    for (;;) {
      const auto t = env_.topology();
      const auto* server = t->find(s->address);
      const auto lag = server ? server->health.lag_seconds : std::nullopt;
      if (!lag || *lag <= env_.settings.max_replica_lag_seconds || job_.stopping()) break;
      report("paused: replica '" + s->address.to_string() + "' lags " + std::to_string(*lag) + " s");
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

}  // namespace

admin_result compare_database(const compare_command& command, const compare_environment& env, job_context& job) {
  comparison c(command, env, job);
  return c.run();
}

}  // namespace weft::ops
