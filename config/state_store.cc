#include "config/state_store.h"

#include <sys/stat.h>

#include <chrono>
#include <stdexcept>

#include "config/sqlite_statement.h"

namespace weft::config {
namespace {

// Each config table, with its key column and the columns compared (as one text per row).
struct table_shape {
  const char* name;
  const char* key;
  const char* row;
};
constexpr table_shape shapes[] = {
    {"servers", "address",
     "group_name || ' ' || role || ' weight=' || weight || ' max_connections=' || max_connections || ' ' || status"},
    {"groups", "name",
     "'max_replication_lag=' || max_replication_lag || ' reads_without_replica=' || reads_without_replica || "
     "' read_only_transactions=' || read_only_transactions || ' read_your_writes=' || read_your_writes || "
     "' read_your_writes_timeout_ms=' || read_your_writes_timeout_ms || ' failover=' || failover || "
     "' candidates=' || candidates || ' pedantic=' || pedantic || ' exec_before=' || exec_before || "
     "' exec_after=' || exec_after"},
    {"users", "name",
     "'password_hash=' || password_hash || ' require_tls=' || require_tls || ' read_your_writes=' || "
     "coalesce(read_your_writes, 'group')"},
    {"query_rules", "id",
     "'user=' || ifnull(user, '') || ' schema=' || ifnull(schema, '') || ' client=' || ifnull(client, '') || ' match_digest=' || ifnull(match_digest, '') || ' match_pattern=' || ifnull(match_pattern, '') || ' route=' || ifnull(route, '') || ' group_name=' || ifnull(group_name, '') || ' replace_with=' || ifnull(replace_with, '') || ' error=' || ifnull(error, '') || ' error_code=' || ifnull(error_code, '') || ' timeout_ms=' || ifnull(timeout_ms, '') || ' log=' || ifnull(log, '') || ' continue=' || ifnull(continue, '')"},
};

}  // namespace

sqlite_db open_state(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  sqlite_db db(raw);
  if (rc != SQLITE_OK) {
    throw std::runtime_error("cannot open state file '" + path + "': " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  // It holds password hashes (users, cached backend accounts): weft's user alone reads it.
  ::chmod(path.c_str(), 0600);
  sqlite3_busy_timeout(db.get(), 5000);  // another admin session's change in progress
  // WAL + FULL: a committed change survives a crash or power loss; an interrupted one is gone.
  exec_sql(db.get(), "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
  create_config_tables(db.get());
  return db;
}

state_store::state_store(std::string path) : path_(std::move(path)), db_(open_state(path_)) {
  exec_sql(db_.get(), "CREATE TABLE IF NOT EXISTS failover_history (at_ms INTEGER NOT NULL, group_name TEXT NOT NULL, "
                      "event TEXT NOT NULL, old_primary TEXT, new_primary TEXT, outcome TEXT NOT NULL, "
                      "duration_ms INTEGER, detail TEXT)");
}

void state_store::record_event(const failover_event& e) {
  auto s = prepare(db_.get(),
                   "INSERT INTO failover_history (at_ms, group_name, event, old_primary, new_primary, outcome, "
                   "duration_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_int64(s.get(), 1, std::chrono::duration_cast<std::chrono::milliseconds>(e.at.time_since_epoch()).count());
  bind_text(s.get(), 2, e.group);
  bind_text(s.get(), 3, e.event);
  bind_optional_text(s.get(), 4, e.old_primary);
  bind_optional_text(s.get(), 5, e.new_primary);
  bind_text(s.get(), 6, e.outcome);
  if (e.duration_ms >= 0) sqlite3_bind_int64(s.get(), 7, e.duration_ms);
  bind_optional_text(s.get(), 8, e.detail);
  step_done(db_.get(), s.get());
  // Keep the history bounded: the newest 10,000 events.
  exec_sql(db_.get(), "DELETE FROM failover_history WHERE rowid <= (SELECT max(rowid) - 10000 FROM failover_history)");
}

std::vector<failover_event> state_store::recent_events(std::size_t limit) {
  std::vector<failover_event> out;
  auto s = prepare(db_.get(), "SELECT at_ms, group_name, event, old_primary, new_primary, outcome, duration_ms, detail "
                              "FROM (SELECT rowid AS r, * FROM failover_history ORDER BY rowid DESC LIMIT " +
                                  std::to_string(limit) + ") ORDER BY r");
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    failover_event e;
    e.at = std::chrono::system_clock::time_point(std::chrono::milliseconds(sqlite3_column_int64(s.get(), 0)));
    e.group = text_at(s.get(), 1);
    e.event = text_at(s.get(), 2);
    e.old_primary = text_at(s.get(), 3);
    e.new_primary = text_at(s.get(), 4);
    e.outcome = text_at(s.get(), 5);
    e.duration_ms = is_null(s.get(), 6) ? -1 : sqlite3_column_int64(s.get(), 6);
    e.detail = text_at(s.get(), 7);
    out.push_back(std::move(e));
  }
  return out;
}

bool state_store::empty() {
  sqlite3_stmt* raw = nullptr;
  sqlite3_prepare_v2(db_.get(), "SELECT count(*) FROM servers", -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> s(raw, &sqlite3_finalize);
  return sqlite3_step(s.get()) == SQLITE_ROW && sqlite3_column_int64(s.get(), 0) == 0;
}

void state_store::save(const table_config& config) {
  exec_sql(db_.get(), "BEGIN IMMEDIATE");
  try {
    write_config_tables(db_.get(), config);
    exec_sql(db_.get(), "COMMIT");
  } catch (...) {
    exec_sql(db_.get(), "ROLLBACK");
    throw;
  }
}

table_read_result state_store::load() { return read_config_tables(db_.get()); }

std::vector<config_difference> state_store::diff(const table_config& file) {
  exec_sql(db_.get(), "ATTACH DATABASE ':memory:' AS file_config");
  std::vector<config_difference> out;
  try {
    create_config_tables(db_.get(), "file_config");
    write_config_tables(db_.get(), file, "file_config");
    out = diff_schemas(db_.get(), "file_config", "main");
  } catch (...) {
    exec_sql(db_.get(), "DETACH DATABASE file_config");
    throw;
  }
  exec_sql(db_.get(), "DETACH DATABASE file_config");
  return out;
}

std::vector<config_difference> diff_schemas(sqlite3* db, const std::string& file_schema,
                                            const std::string& state_schema) {
  std::vector<config_difference> out;
  for (const auto& t : shapes) {
    const std::string f = file_schema + "." + t.name, s = state_schema + "." + t.name;
    const std::string sql = std::string("WITH f AS (SELECT ") + t.key + " AS k, " + t.row + " AS r FROM " + f +
                            "), s AS (SELECT " + t.key + " AS k, " + t.row + " AS r FROM " + s +
                            ") SELECT k, (SELECT r FROM f WHERE f.k = keys.k), (SELECT r FROM s WHERE s.k = keys.k) "
                            "FROM (SELECT k FROM f UNION SELECT k FROM s) AS keys "
                            "WHERE (SELECT r FROM f WHERE f.k = keys.k) IS NOT (SELECT r FROM s WHERE s.k = keys.k) "
                            "ORDER BY k";
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db));
    }
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw, &sqlite3_finalize);
    const auto text = [&](int i) {
      const auto* p = sqlite3_column_text(stmt.get(), i);
      return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
    };
    while (sqlite3_step(stmt.get()) == SQLITE_ROW) out.push_back({t.name, text(0), text(1), text(2)});
  }
  return out;
}

}  // namespace weft::config
