#include "admin/live_tables.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>

#include "config/config_tables.h"

namespace weft::admin {
namespace {

// One value of a live row. (A plain struct: g++ 12 reports false "maybe uninitialized"
// warnings for std::variant in initializer lists.)
struct cell {
  enum class kind { null, integer, real, text } type = kind::null;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;
  cell(std::nullptr_t) {}
  cell(std::int64_t v) : type(kind::integer), integer(v) {}
  cell(double v) : type(kind::real), real(v) {}
  cell(std::string v) : type(kind::text), text(std::move(v)) {}
};
using row = std::vector<cell>;

struct live_table {
  const char* name;
  const char* columns;  // the CREATE TEMP TABLE column list
};

constexpr live_table tables[] = {
    {"stats_digest",
     "digest TEXT, digest_text TEXT, schema TEXT, count INTEGER, errors INTEGER, rows INTEGER, "
     "latency_sum_us INTEGER, latency_min_us INTEGER, latency_max_us INTEGER, latency_avg_us REAL, "
     "last_server TEXT, first_seen TEXT, last_seen TEXT"},
    {"stats_servers",
     "address TEXT, group_name TEXT, role TEXT, status TEXT, queries INTEGER, errors INTEGER, bytes_sent INTEGER, "
     "bytes_received INTEGER, connections_open INTEGER, connections_idle INTEGER, connections_in_use INTEGER"},
    {"stats_pools", "worker INTEGER, server TEXT, open INTEGER, idle INTEGER, in_use INTEGER, waiting INTEGER, "
                    "max_connections INTEGER"},
    {"stats_rules", "id INTEGER, hits INTEGER"},
    {"stats_cache", "entries INTEGER, bytes INTEGER, max_bytes INTEGER, hits INTEGER, misses INTEGER, hit_ratio REAL, "
                    "stores INTEGER, stale_stores INTEGER, invalidated INTEGER, expired INTEGER, evictions INTEGER"},
    {"stats_commands", "command TEXT, total INTEGER, on_primary INTEGER, on_replica INTEGER, errors INTEGER, "
                       "latency_sum_us INTEGER, latency_avg_us REAL"},
    {"monitor_log",
     "at TEXT, server TEXT, ok INTEGER, took_us INTEGER, read_only INTEGER, replicating INTEGER, io_running INTEGER, "
     "sql_running INTEGER, lag_seconds INTEGER, gtid_current_pos TEXT, gtid_slave_pos TEXT, error TEXT"},
    {"failover_log", "at TEXT, group_name TEXT, event TEXT, old_primary TEXT, new_primary TEXT, outcome TEXT, "
                     "duration_ms INTEGER, detail TEXT"},
    {"processlist", "id INTEGER, user TEXT, client TEXT, schema TEXT, command TEXT, time_s REAL, backend TEXT, "
                    "statement TEXT"},
    {"backend_connections", "worker INTEGER, server TEXT, thread_id INTEGER, user TEXT, schema TEXT, state TEXT, "
                            "session INTEGER, idle_ms INTEGER"},
    {"variables", "name TEXT, value TEXT"},
    {"accounts", "user TEXT, host TEXT, source TEXT, plugin TEXT, locked INTEGER, password_expired INTEGER, "
                 "max_user_connections INTEGER, note TEXT, read_from TEXT, last_refresh TEXT"},
};

std::string timestamp(std::chrono::system_clock::time_point t) {
  const auto secs = std::chrono::system_clock::to_time_t(t);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char text[80];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return text;
}

std::int64_t i64(std::uint64_t v) { return static_cast<std::int64_t>(v); }

void replace_rows(sqlite3* db, const char* table, const std::vector<row>& rows) {
  config::exec_sql(db, std::string("DELETE FROM temp.") + table);
  if (rows.empty()) return;
  std::string sql = std::string("INSERT INTO temp.") + table + " VALUES (";
  for (std::size_t i = 0; i < rows.front().size(); ++i) sql += i ? ", ?" : "?";
  sql += ")";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) return;
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> s(raw, &sqlite3_finalize);
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      const int at = static_cast<int>(i + 1);
      const auto& c = r[i];
      switch (c.type) {
        case cell::kind::integer: sqlite3_bind_int64(s.get(), at, c.integer); break;
        case cell::kind::real: sqlite3_bind_double(s.get(), at, c.real); break;
        case cell::kind::text: sqlite3_bind_text(s.get(), at, c.text.c_str(), -1, SQLITE_TRANSIENT); break;
        case cell::kind::null: sqlite3_bind_null(s.get(), at); break;
      }
    }
    sqlite3_step(s.get());
    sqlite3_reset(s.get());
  }
}

std::vector<row> digest_rows(const proxy::query_stats& stats) {
  std::vector<row> rows;
  for (const auto& [digest, d] : stats.digests()) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(digest));
    rows.push_back({std::string(hex), d.text, d.schema, i64(d.count), i64(d.errors), i64(d.rows), i64(d.latency_sum_us),
                    i64(d.latency_min_us), i64(d.latency_max_us),
                    d.count ? static_cast<double>(d.latency_sum_us) / static_cast<double>(d.count) : 0.0,
                    d.last_server, timestamp(d.first_seen), timestamp(d.last_seen)});
  }
  return rows;
}

std::vector<row> server_rows(const proxy::query_stats& stats, const std::vector<proxy::proxy_server::worker_pool>& pools,
                             const routing::topology& topology) {
  std::vector<row> rows;
  for (const auto& s : topology.servers) {
    proxy::server_stats totals;
    if (const auto it = stats.servers().find(s.name); it != stats.servers().end()) totals = it->second;
    std::size_t open = 0, idle = 0;
    for (const auto& p : pools) {
      if (p.pool.server != s.name) continue;
      open += p.pool.open;
      idle += p.pool.idle;
    }
    rows.push_back({s.name, s.group, std::string(routing::to_string(s.role)), std::string(routing::to_string(s.status)),
                    i64(totals.queries), i64(totals.errors), i64(totals.bytes_sent), i64(totals.bytes_received),
                    i64(open), i64(idle), i64(open - idle)});
  }
  return rows;
}

std::vector<row> pool_rows(const std::vector<proxy::proxy_server::worker_pool>& pools) {
  std::vector<row> rows;
  for (const auto& p : pools) {
    rows.push_back({i64(p.worker), p.pool.server, i64(p.pool.open), i64(p.pool.idle), i64(p.pool.open - p.pool.idle),
                    i64(p.pool.waiting), i64(p.pool.limit)});
  }
  return rows;
}

std::vector<row> command_rows(const proxy::query_stats& stats) {
  std::vector<row> rows;
  for (std::size_t k = 0; k < proxy::command_kinds; ++k) {
    const auto& c = stats.commands()[k];
    const auto total = c.on_primary + c.on_replica;
    rows.push_back({std::string(proxy::to_string(static_cast<proxy::command_kind>(k))), i64(total), i64(c.on_primary),
                    i64(c.on_replica), i64(c.errors), i64(c.latency_sum_us),
                    total ? static_cast<double>(c.latency_sum_us) / static_cast<double>(total) : 0.0});
  }
  return rows;
}

std::vector<row> monitor_rows(const std::vector<monitor::check_record>& checks) {
  std::vector<row> rows;
  for (const auto& c : checks) {
    const auto& h = c.health;
    rows.push_back({timestamp(c.at), c.server.to_string(), i64(c.ok), i64(static_cast<std::uint64_t>(c.took.count())),
                    i64(h.read_only), i64(h.replicating), i64(h.io_running), i64(h.sql_running),
                    h.lag_seconds ? cell(i64(*h.lag_seconds)) : cell(nullptr), h.gtid_current_pos, h.gtid_slave_pos,
                    h.last_error.empty() ? cell(nullptr) : cell(h.last_error)});
  }
  return rows;
}

std::vector<row> failover_rows(const std::vector<config::failover_event>& events) {
  std::vector<row> rows;
  const auto text = [](const std::string& s) { return s.empty() ? cell(nullptr) : cell(s); };
  for (const auto& e : events) {
    rows.push_back({timestamp(e.at), e.group, e.event, text(e.old_primary), text(e.new_primary), e.outcome,
                    e.duration_ms >= 0 ? cell(e.duration_ms) : cell(nullptr), text(e.detail)});
  }
  return rows;
}

std::vector<row> process_rows(const std::vector<proxy::client_session::description>& sessions) {
  std::vector<row> rows;
  for (const auto& s : sessions) {
    rows.push_back({i64(s.id), s.user, s.client, s.schema, s.command, s.seconds,
                    s.backend.empty() ? cell(nullptr) : cell(s.backend),
                    s.statement.empty() ? cell(nullptr) : cell(s.statement)});
  }
  return rows;
}

// thread_id is the server's id for the connection (KILL it there); session is weft's processlist id.
std::vector<row> backend_rows(const std::vector<proxy::proxy_server::worker_backend>& backends) {
  std::vector<row> rows;
  for (const auto& [worker, c] : backends) {
    const bool idle = c.idle_ms.has_value();
    rows.push_back({i64(worker), c.server, i64(c.thread_id), c.user, c.schema.empty() ? cell(nullptr) : cell(c.schema),
                    std::string(idle ? "idle" : "in use"), idle ? cell(nullptr) : cell(i64(c.session)),
                    idle ? cell(*c.idle_ms) : cell(nullptr)});
  }
  return rows;
}

// Every account a login can be checked against: weft's own [[users]] (source "config", any host),
// then the backends' in the server's order (source "backend", or "state file" while the copy
// kept there is in use). Never a password or its hash.
std::vector<row> account_rows(const proxy::runtime_snapshot& config, const proxy::account_store* accounts,
                              const monitor::account_load_status& status) {
  std::vector<row> rows;
  for (const auto& [name, user] : config.users) {
    rows.push_back({name, std::string("%"), std::string("config"), std::string("mysql_native_password"), i64(0), i64(0),
                    i64(0), user.require_tls ? cell(std::string("requires TLS")) : cell(nullptr), cell(nullptr),
                    cell(nullptr)});
  }
  if (!accounts) return rows;
  const auto source = std::string(status.from_cache ? "state file" : "backend");
  const auto read_at = status.from_cache ? status.cached_read_at : status.last_refresh;
  const auto table = accounts->load();
  for (const auto& a : table->entries()) {
    std::string note;
    if (config.users.contains(a.user)) {
      note = "a [[users]] entry of weft's configuration wins";
    } else if (a.plugin != "mysql_native_password") {
      note = "refused by weft: this plugin needs the clear password";
    }
    rows.push_back({a.user, a.host, source, a.plugin, i64(a.locked), i64(a.password_expired), i64(a.max_user_connections),
                    note.empty() ? cell(nullptr) : cell(note), status.source.empty() ? cell(nullptr) : cell(status.source),
                    read_at ? cell(timestamp(*read_at)) : cell(nullptr)});
  }
  return rows;
}

bool mentions(std::string_view lowered_sql, std::string_view name) {
  return lowered_sql.find(name) != std::string_view::npos;
}

}  // namespace

const std::vector<std::string>& live_table_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& t : tables) n.emplace_back(t.name);
    return n;
  }();
  return names;
}

row cache_row(const proxy::result_cache_stats& s) {
  const auto lookups = s.hits + s.misses;
  return {i64(s.entries), i64(s.bytes), i64(s.max_bytes), i64(s.hits), i64(s.misses),
          cell(lookups ? static_cast<double>(s.hits) / static_cast<double>(lookups) : 0.0), i64(s.stores),
          i64(s.stale_stores), i64(s.invalidated), i64(s.expired), i64(s.evictions)};
}

void create_live_tables(sqlite3* db) {
  for (const auto& t : tables) {
    config::exec_sql(db, std::string("CREATE TEMP TABLE IF NOT EXISTS ") + t.name + " (" + t.columns + ")");
  }
}

void refresh_live_tables(sqlite3* db, std::string_view sql, const live_sources& sources) {
  std::string lowered(sql);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
  const bool wants_stats = mentions(lowered, "stats_digest") || mentions(lowered, "stats_servers") ||
                           mentions(lowered, "stats_commands") || mentions(lowered, "stats_rules");
  proxy::query_stats stats;
  if (wants_stats && sources.stats) stats = sources.stats();
  std::vector<proxy::proxy_server::worker_pool> pools;
  if ((mentions(lowered, "stats_pools") || mentions(lowered, "stats_servers")) && sources.pools) pools = sources.pools();
  if (mentions(lowered, "stats_digest")) replace_rows(db, "stats_digest", digest_rows(stats));
  if (mentions(lowered, "stats_servers") && sources.topology) {
    replace_rows(db, "stats_servers", server_rows(stats, pools, *sources.topology->load()));
  }
  if (mentions(lowered, "stats_pools")) replace_rows(db, "stats_pools", pool_rows(pools));
  if (mentions(lowered, "stats_commands")) replace_rows(db, "stats_commands", command_rows(stats));
  if (mentions(lowered, "stats_rules") && sources.config) {
    std::vector<row> rows;
    for (const auto& r : sources.config->load()->rules) rows.push_back({i64(r.id), i64(stats.rule_hits().of(r))});
    replace_rows(db, "stats_rules", rows);
  }
  if (mentions(lowered, "stats_cache") && sources.cache) replace_rows(db, "stats_cache", {cache_row(sources.cache())});
  if (mentions(lowered, "monitor_log") && sources.monitor_log) replace_rows(db, "monitor_log", monitor_rows(sources.monitor_log()));
  if (mentions(lowered, "failover_log") && sources.failover_log) {
    replace_rows(db, "failover_log", failover_rows(sources.failover_log()));
  }
  if (mentions(lowered, "processlist") && sources.sessions) replace_rows(db, "processlist", process_rows(sources.sessions()));
  if (mentions(lowered, "backend_connections") && sources.backends) {
    replace_rows(db, "backend_connections", backend_rows(sources.backends()));
  }
  if (mentions(lowered, "accounts") && sources.config) {
    const auto status = sources.account_status ? sources.account_status() : monitor::account_load_status{};
    replace_rows(db, "accounts", account_rows(*sources.config->load(), sources.accounts, status));
  }
  if (mentions(lowered, "variables") && sources.variables) {
    std::vector<row> rows;
    for (auto& [name, value] : sources.variables()) rows.push_back({name, value});
    replace_rows(db, "variables", rows);
  }
}

}  // namespace weft::admin
