#include "admin/admin_commands.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "admin/admin_words.h"
#include "admin/live_tables.h"
#include "monitor/mariadb_client.h"
#include "protocol/errors.h"
#include "routing/sql_lexer.h"

namespace weft::admin {
namespace {

namespace p = protocol;
using routing::sql_lexer;
using routing::token_type;

std::string human(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char text[32];
  std::snprintf(text, sizeof text, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return text;
}

std::optional<std::string> opt(std::string s) { return s; }
std::optional<std::string> yes_no(bool b) { return std::string(b ? "Yes" : "No"); }

}  // namespace

// --- SHOW HEALTH ------------------------------------------------------------------------------

std::string health_of(const routing::server& s) {
  const auto& h = s.health;
  if (!h.checked) return "unknown (no monitor)";
  if (!h.reachable) return "unreachable";
  if (s.role == routing::server_role::primary) return h.read_only ? "read_only primary" : "OK";
  if (!h.replicating) return "not replicating";
  if (!h.io_running) return "IO thread stopped";
  if (!h.sql_running) return "SQL thread stopped";
  return "OK";
}

admin_result show_health(const command_context& ctx, const std::optional<std::string>& group) {
  auto r = admin_result::table({"host", "port", "group_name", "role", "status", "gtid_mode", "health", "lag_seconds",
                                "io_running", "sql_running", "gtid_position", "last_error"});
  for (const auto& s : ctx.topology->load()->servers) {
    if (group && s.group != *group) continue;
    const auto& h = s.health;
    const bool replica = h.replicating;
    r.rows.push_back({s.address.host, std::to_string(s.address.port), s.group, std::string(routing::to_string(s.role)),
                      std::string(routing::to_string(s.status)),
                      h.checked ? opt(h.gtid_current_pos.empty() ? "OFF" : "ON") : std::nullopt, health_of(s),
                      h.lag_seconds ? opt(std::to_string(*h.lag_seconds)) : std::nullopt,
                      replica ? yes_no(h.io_running) : std::nullopt, replica ? yes_no(h.sql_running) : std::nullopt,
                      h.checked ? opt(h.gtid_current_pos) : std::nullopt,
                      h.last_error.empty() ? std::nullopt : opt(h.last_error)});
  }
  return r;
}

namespace {

// --- SHOW TOPOLOGY ----------------------------------------------------------------------------

struct node {
  routing::endpoint address;
  std::string role;    // what the walk found: primary, replica, relay (a replica with replicas)
  std::optional<routing::endpoint> parent;
  bool managed = false;
  std::string group;
  std::optional<std::string> io, sql, lag, gtid, error;
};

// What one server says about itself and its replicas.
void inspect(node& n, std::vector<routing::endpoint>& replicas, const backend_credentials& creds) {
  monitor::mariadb_client c(n.address, creds.user, creds.password, creds.timeout_seconds);
  if (!c.ok()) {
    n.error = c.error();
    return;
  }
  const auto flavor = routing::flavor_from_version(c.server_version());
  if (auto vars = c.rows(std::string(routing::health_variables_query(flavor))); vars && !vars->empty()) {
    n.gtid = vars->front()["gtid"];
  }
  if (auto status = c.rows(std::string(routing::replica_status_query(flavor))); status && !status->empty()) {
    auto& s = status->front();
    const auto host = s.count("Master_Host") ? s["Master_Host"] : s["Source_Host"];
    const auto port = s.count("Master_Port") ? s["Master_Port"] : s["Source_Port"];
    if (host && port) n.parent = routing::endpoint{*host, static_cast<std::uint16_t>(std::stoi(*port))};
    n.io = s.count("Slave_IO_Running") ? s["Slave_IO_Running"] : s["Replica_IO_Running"];
    n.sql = s.count("Slave_SQL_Running") ? s["Slave_SQL_Running"] : s["Replica_SQL_Running"];
    n.lag = s.count("Seconds_Behind_Master") ? s["Seconds_Behind_Master"] : s["Seconds_Behind_Source"];
  } else if (!status) {
    n.error = c.error();
  }
  const std::string hosts_sql = flavor == routing::server_flavor::mariadb ? "SHOW SLAVE HOSTS" : "SHOW REPLICAS";
  if (auto hosts = c.rows(hosts_sql)) {
    for (auto& h : *hosts) {
      auto host = h["Host"], port = h["Port"];
      if (host && port && !host->empty()) {
        replicas.push_back({*host, static_cast<std::uint16_t>(std::stoi(*port))});
      }
    }
  }
}

admin_result show_topology(const words& w, const command_context& ctx) {
  const auto group = option_after(w, "FOR", "GROUP");
  const bool discover = has_word(w, "DISCOVER");
  std::vector<node> nodes;
  const auto find = [&](const routing::endpoint& e) -> node* {
    for (auto& n : nodes) {
      if (n.address == e) return &n;
    }
    return nullptr;
  };
  for (const auto& s : ctx.topology->load()->servers) {
    if (group && s.group != *group) continue;
    node n;
    n.address = s.address;
    n.managed = true;
    n.group = s.group;
    nodes.push_back(std::move(n));
  }
  // Walk: each known server, then (with DISCOVER) the replicas they report, to depth 8.
  for (std::size_t i = 0, rounds = 0; i < nodes.size() && rounds < 64; ++i, ++rounds) {
    std::vector<routing::endpoint> replicas;
    inspect(nodes[i], replicas, ctx.backend);
    for (const auto& r : replicas) {
      if (find(r) || !discover) continue;
      node n;
      n.address = r;
      n.parent = nodes[i].address;
      nodes.push_back(std::move(n));
    }
  }
  std::set<std::string> parents;
  for (const auto& n : nodes) {
    if (n.parent) parents.insert(n.parent->to_string());
  }
  for (auto& n : nodes) {
    const bool has_children = parents.count(n.address.to_string()) != 0;
    n.role = !n.parent ? "primary" : has_children ? "relay" : "replica";
  }
  auto r = admin_result::table({"host", "port", "role", "parent", "depth", "io_running", "sql_running", "lag_seconds",
                                "gtid_position", "managed", "error", "tree"});
  // Depth-first from the roots (servers whose source is not among the nodes), children in order.
  std::function<void(const node&, int, const std::string&)> emit = [&](const node& n, int depth,
                                                                       const std::string& indent) {
    std::string tree = depth == 0 ? "" : indent + "└─ ";
    tree += n.address.to_string() + " (" + n.role + (n.managed ? "" : ", not managed by weft") + ")";
    r.rows.push_back({n.address.host, std::to_string(n.address.port), n.role,
                      n.parent ? opt(n.parent->to_string()) : std::nullopt, std::to_string(depth), n.io, n.sql, n.lag,
                      n.gtid, std::string(n.managed ? "YES" : "NO"), n.error, tree});
    for (const auto& child : nodes) {
      if (child.parent && *child.parent == n.address && &child != &n) {
        emit(child, depth + 1, depth == 0 ? "" : indent + "   ");
      }
    }
  };
  for (const auto& n : nodes) {
    if (!n.parent || !find(*n.parent)) emit(n, 0, "");
  }
  return r;
}

// --- SHOW DISK USAGE --------------------------------------------------------------------------

std::optional<std::uint64_t> file_size(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_size);
}

std::uint64_t number(const std::optional<std::string>& v) { return v ? std::strtoull(v->c_str(), nullptr, 10) : 0; }

// The rows of one server's disk usage, and their running total.
struct usage_rows {
  const routing::server& s;
  admin_result& r;
  std::uint64_t total = 0;
  void add(const std::string& kind, const std::string& name, std::optional<std::uint64_t> data,
           std::optional<std::uint64_t> index, std::uint64_t size, bool counted = true) {
    const auto text = [](std::optional<std::uint64_t> v) { return v ? opt(std::to_string(*v)) : std::nullopt; };
    r.rows.push_back({s.name, kind, name, text(data), text(index), std::to_string(size), human(size)});
    if (counted) total += size;
  }
  void error(const std::string& message) {
    r.rows.push_back({s.name, std::string("error"), message, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  }
};

bool database_usage(monitor::mariadb_client& c, usage_rows& u) {
  auto dbs = c.rows(
      "SELECT s.schema_name AS db, COALESCE(SUM(t.data_length), 0) AS data, COALESCE(SUM(t.index_length), 0) AS idx "
      "FROM information_schema.schemata s LEFT JOIN information_schema.tables t ON t.table_schema = s.schema_name "
      "GROUP BY s.schema_name ORDER BY s.schema_name");
  if (!dbs) return false;
  for (auto& d : *dbs) {
    const auto data = number(d["data"]), index = number(d["idx"]);
    u.add("database", d["db"].value_or(""), data, index, data + index);
  }
  return true;
}

void log_usage(monitor::mariadb_client& c, usage_rows& u) {
  if (auto logs = c.rows("SHOW BINARY LOGS")) {
    for (auto& l : *logs) u.add("binary_log", l["Log_name"].value_or(""), std::nullopt, std::nullopt, number(l["File_size"]));
  }
  if (auto status = c.rows("SHOW SLAVE STATUS"); status && !status->empty()) {
    u.add("relay_log", "(all relay logs)", std::nullopt, std::nullopt, number(status->front()["Relay_Log_Space"]));
  }
}

// Files the server names, measured on disk where weft can read them (a server on this host).
void file_usage(monitor::mariadb_client& c, usage_rows& u) {
  auto vars = c.rows(
      "SELECT @@datadir AS datadir, @@innodb_data_home_dir AS data_home, @@innodb_data_file_path AS data_files, "
      "@@innodb_log_group_home_dir AS log_home, @@log_error AS error_log, @@slow_query_log_file AS slow_log, "
      "@@general_log_file AS general_log");
  if (!vars || vars->empty()) return;
  auto& v = vars->front();
  const std::string datadir = v["datadir"].value_or("");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(datadir, ec)) {
    const auto name = entry.path().filename().string();
    const bool innodb = name.rfind("ibdata", 0) == 0 || name.rfind("ib_logfile", 0) == 0 || name.rfind("undo", 0) == 0 ||
                        name == "ibtmp1";
    if (!innodb) continue;
    if (auto size = file_size(entry.path().string())) u.add("innodb", name, std::nullopt, std::nullopt, *size);
  }
  for (const auto& [kind, key] : {std::pair{"error_log", "error_log"}, {"slow_log", "slow_log"},
                                   {"general_log", "general_log"}}) {
    auto path = v[key].value_or("");
    if (!path.empty() && path.front() != '/') path = (std::filesystem::path(datadir) / path).string();
    if (auto size = file_size(path)) u.add(kind, path, std::nullopt, std::nullopt, *size);
  }
}

void disk_usage_of(const routing::server& s, bool all, const backend_credentials& creds, admin_result& r) {
  monitor::mariadb_client c(s.address, creds.user, creds.password, creds.timeout_seconds);
  usage_rows u{s, r};
  if (!c.ok() || !database_usage(c, u)) {
    u.error(c.error());
    return;
  }
  if (all) {
    log_usage(c, u);
    file_usage(c, u);
  }
  u.add("total", "", std::nullopt, std::nullopt, u.total, false);
}

admin_result show_disk_usage(const words& w, const command_context& ctx) {
  auto r = admin_result::table({"server", "kind", "name", "data_bytes", "index_bytes", "total_bytes", "size"});
  const auto only = option_after(w, "FOR", "SERVER");
  const bool all = has_word(w, "ALL");
  bool found = false;
  for (const auto& s : ctx.topology->load()->servers) {
    if (only && s.name != *only) continue;
    found = true;
    disk_usage_of(s, all, ctx.backend, r);
  }
  if (only && !found) return admin_result::failure(p::make_error({9011, "HY000"}, "weft: no server '" + *only + "'"));
  return r;
}

// --- SHOW CONFIG DIFF, SHOW TABLES, login variables --------------------------------------------

admin_result show_config_diff(const command_context& ctx) {
  auto r = admin_result::table({"table_name", "row_key", "in_file", "in_state"});
  if (!ctx.config_diff) return r;
  for (auto& d : ctx.config_diff()) {
    r.rows.push_back({d.table, d.key, d.in_file.empty() ? std::nullopt : opt(d.in_file),
                      d.in_state.empty() ? std::nullopt : opt(d.in_state)});
  }
  return r;
}

admin_result show_tables() {
  auto r = admin_result::table({"Tables_in_weft"});
  std::vector<std::string> names = config::config_table_names();
  for (const auto& n : live_table_names()) names.push_back(n);
  std::sort(names.begin(), names.end());
  for (auto& n : names) r.rows.push_back({n});
  return r;
}

// SELECT @@version_comment LIMIT 1 and the like, which clients send at login.
std::optional<admin_result> select_variables(std::string_view sql, const command_context& ctx) {
  sql_lexer lexer(sql);
  auto t = lexer.next();
  if (t.type != token_type::word || !routing::iequals_upper(t.text, "SELECT")) return std::nullopt;
  admin_result r;
  for (t = lexer.next(); t.type != token_type::end; t = lexer.next()) {
    if (t.is(',')) continue;
    if (t.type == token_type::word && routing::iequals_upper(t.text, "LIMIT")) break;
    if (t.type == token_type::word && routing::iequals_upper(t.text, "DATABASE")) {
      const auto open = lexer.next(), close = lexer.next();
      if (!open.is('(') || !close.is(')')) return std::nullopt;
      r.columns.push_back(p::text_column("DATABASE()"));
      continue;
    }
    if (!t.is('@') || !lexer.next().is('@')) return std::nullopt;
    const auto name = lexer.next();
    if (name.type != token_type::word) return std::nullopt;
    r.columns.push_back(p::text_column("@@" + std::string(name.text)));
  }
  if (r.columns.empty()) return std::nullopt;
  p::text_row row;
  for (const auto& c : r.columns) {
    if (c.name == "DATABASE()") {
      row.push_back(std::string("weft"));
    } else if (routing::iequals_upper(c.name, "@@VERSION_COMMENT")) {
      row.push_back(std::string("weft admin"));
    } else if (routing::iequals_upper(c.name, "@@VERSION")) {
      row.push_back(ctx.server_version);
    } else {
      row.push_back(std::nullopt);
    }
  }
  r.rows.push_back(std::move(row));
  return r;
}

// FLUSH HOSTS, as on the server: every client host blocked after failed logins may connect
// again; the affected count is how many were blocked.
admin_result flush_hosts(const command_context& ctx) {
  admin_result r;
  r.affected = ctx.flush_hosts ? ctx.flush_hosts() : 0;
  spdlog::info("event=hosts_flushed unblocked={}", r.affected);
  return r;
}

// FLUSH BACKEND CONNECTIONS: weft's idle pooled connections close now, on every worker (the
// server sessions a DBA sees go away); connections in use are left alone, so no statement and
// no client session is cut. The affected count is how many closed.
admin_result flush_backend_connections(const command_context& ctx) {
  admin_result r;
  r.affected = ctx.close_idle_backends ? ctx.close_idle_backends() : 0;
  spdlog::info("event=idle_backends_closed closed={}", r.affected);
  return r;
}

// FLUSH QUERY CACHE: every cached answer is dropped (after a change made behind weft's back,
// which only the TTL would otherwise bound); the affected count is how many there were.
admin_result flush_query_cache(const command_context& ctx) {
  admin_result r;
  r.affected = ctx.flush_query_cache ? ctx.flush_query_cache() : 0;
  spdlog::info("event=query_cache_flushed dropped={}", r.affected);
  return r;
}

}  // namespace

std::optional<admin_result> run_admin_command(std::string_view sql, const command_context& ctx) {
  const auto w = words_of(sql);
  if (w.empty()) return std::nullopt;
  if (w[0] == "SELECT") return select_variables(sql, ctx);
  if (w[0] == "FLUSH" && w.size() == 2 && w[1] == "HOSTS") return flush_hosts(ctx);
  if (w[0] == "FLUSH" && w.size() == 3 && w[1] == "BACKEND" && w[2] == "CONNECTIONS") {
    return flush_backend_connections(ctx);
  }
  if (w[0] == "FLUSH" && w.size() == 3 && w[1] == "QUERY" && w[2] == "CACHE") return flush_query_cache(ctx);
  if (w[0] != "SHOW" || w.size() < 2) return std::nullopt;
  if (w[1] == "HEALTH") return show_health(ctx, option_after(w, "FOR", "GROUP"));
  if (w[1] == "TOPOLOGY") return show_topology(w, ctx);
  if (w[1] == "DISK" && w.size() > 2 && w[2] == "USAGE") return show_disk_usage(w, ctx);
  if (w[1] == "CONFIG" && w.size() > 2 && w[2] == "DIFF") return show_config_diff(ctx);
  if (w[1] == "TABLES") return show_tables();
  if (w[1] == "DATABASES") {
    auto r = admin_result::table({"Database"});
    r.rows.push_back({std::string("weft")});
    return r;
  }
  if (w[1] == "WARNINGS" || w[1] == "ERRORS") return admin_result::table({"Level", "Code", "Message"});
  if (has_word(w, "PROCESSLIST") || has_word(w, "VARIABLES")) return std::nullopt;  // live views (admin_engine)
  if (has_word(w, "STATUS")) return admin_result::table({"Variable_name", "Value"});
  return admin_result::failure(p::make_error(
      {1064, "42000"}, "weft admin: unknown SHOW command; there are SHOW TABLES, SHOW HEALTH, SHOW TOPOLOGY, "
                       "SHOW DISK USAGE, SHOW CONFIG DIFF, SHOW GROUPS, SHOW GROUP g HEALTH | SERVERS, "
                       "SHOW PROCESSLIST, SHOW VARIABLES"));
}

}  // namespace weft::admin
