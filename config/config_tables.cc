#include "config/config_tables.h"

#include <map>
#include <memory>
#include <stdexcept>

#include "config/config_validation.h"
#include "config/sqlite_statement.h"
#include "routing/query_rules.h"

namespace weft::config {
namespace {

// Each table's definition; CHECK constraints reject values no configuration could hold, so a
// DBA's typo fails at the statement, with SQLite's message naming the constraint.
const char* const servers_ddl = R"(CREATE TABLE IF NOT EXISTS {S}.servers (
  address TEXT PRIMARY KEY NOT NULL,
  group_name TEXT NOT NULL CHECK (group_name <> ''),
  role TEXT NOT NULL CHECK (role IN ('primary', 'replica')),
  weight INTEGER NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1000000),
  max_connections INTEGER NOT NULL DEFAULT 0 CHECK (max_connections BETWEEN 0 AND 100000),
  status TEXT NOT NULL DEFAULT 'ONLINE' CHECK (status IN ('ONLINE', 'OFFLINE_SOFT', 'OFFLINE_HARD'))))";
const char* const groups_ddl = R"(CREATE TABLE IF NOT EXISTS {S}.groups (
  name TEXT PRIMARY KEY NOT NULL,
  max_replication_lag INTEGER NOT NULL DEFAULT 10 CHECK (max_replication_lag BETWEEN 0 AND 86400),
  reads_without_replica TEXT NOT NULL DEFAULT 'primary' CHECK (reads_without_replica IN ('primary', 'error')),
  read_only_transactions TEXT NOT NULL DEFAULT 'primary' CHECK (read_only_transactions IN ('primary', 'replica')),
  read_your_writes INTEGER NOT NULL DEFAULT 0 CHECK (read_your_writes IN (0, 1)),
  read_your_writes_timeout_ms INTEGER NOT NULL DEFAULT 1000 CHECK (read_your_writes_timeout_ms BETWEEN 1 AND 600000),
  failover TEXT NOT NULL DEFAULT 'off' CHECK (failover IN ('off', 'auto', 'elect', 'fail')),
  candidates TEXT NOT NULL DEFAULT '',
  pedantic INTEGER NOT NULL DEFAULT 0 CHECK (pedantic IN (0, 1)),
  exec_before TEXT NOT NULL DEFAULT '',
  exec_after TEXT NOT NULL DEFAULT ''))";
const char* const users_ddl = R"(CREATE TABLE IF NOT EXISTS {S}.users (
  name TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),
  password_hash TEXT NOT NULL CHECK (password_hash = '' OR (length(password_hash) = 41 AND substr(password_hash, 1, 1) = '*')),
  require_tls INTEGER NOT NULL DEFAULT 0 CHECK (require_tls IN (0, 1)),
  read_your_writes INTEGER CHECK (read_your_writes IS NULL OR read_your_writes IN (0, 1))))";
const char* const rules_ddl = R"(CREATE TABLE IF NOT EXISTS {S}.query_rules (
  id INTEGER PRIMARY KEY NOT NULL CHECK (id > 0),
  user TEXT, schema TEXT, client TEXT, match_digest TEXT, match_pattern TEXT,
  route TEXT CHECK (route IS NULL OR route IN ('primary', 'replica')),
  group_name TEXT, replace_with TEXT, error TEXT,
  error_code INTEGER NOT NULL DEFAULT 1148 CHECK (error_code BETWEEN 1000 AND 65535),
  timeout_ms INTEGER CHECK (timeout_ms IS NULL OR timeout_ms BETWEEN 1 AND 86400000),
  log INTEGER NOT NULL DEFAULT 0 CHECK (log IN (0, 1)),
  continue INTEGER NOT NULL DEFAULT 0 CHECK (continue IN (0, 1))))";

std::string in_schema(const char* ddl, const std::string& schema) {
  std::string s(ddl);
  s.replace(s.find("{S}"), 3, schema);
  return s;
}

std::string table_of(config_problem::place p) {
  using place = config_problem::place;
  return p == place::servers ? "servers" : p == place::groups ? "groups" : "query_rules";
}

std::string hex_hash(const protocol::native_password_hash& h) { return h.empty_password ? "" : h.to_hex(); }

}  // namespace

void exec_sql(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    throw std::runtime_error("SQLite: " + text);
  }
}

const std::vector<std::string>& config_table_names() {
  static const std::vector<std::string> names{"servers", "groups", "users", "query_rules"};
  return names;
}

void create_config_tables(sqlite3* db, const std::string& schema) {
  for (const char* ddl : {servers_ddl, groups_ddl, users_ddl, rules_ddl}) exec_sql(db, in_schema(ddl, schema));
}

void write_config_tables(sqlite3* db, const table_config& config, const std::string& schema) {
  for (const auto& table : config_table_names()) exec_sql(db, "DELETE FROM " + schema + "." + table);
  auto servers = prepare(db, "INSERT INTO " + schema +
                                 ".servers (address, group_name, role, weight, max_connections, status) "
                                 "VALUES (?, ?, ?, ?, ?, ?)");
  for (const auto& s : config.topology.servers) {
    bind_text(servers.get(), 1, s.address.to_string());
    bind_text(servers.get(), 2, s.group);
    bind_text(servers.get(), 3, std::string(routing::to_string(s.role)));
    sqlite3_bind_int64(servers.get(), 4, s.weight);
    sqlite3_bind_int64(servers.get(), 5, s.max_connections);
    // SHUNNED is the monitor's finding, never configuration.
    const auto status = s.status == routing::server_status::shunned ? routing::server_status::online : s.status;
    bind_text(servers.get(), 6, std::string(routing::to_string(status)));
    step_done(db, servers.get());
  }
  auto groups = prepare(db, "INSERT INTO " + schema +
                                ".groups (name, max_replication_lag, reads_without_replica, read_only_transactions, "
                                "read_your_writes, read_your_writes_timeout_ms, failover, candidates, pedantic, "
                                "exec_before, exec_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& g : config.topology.groups) {
    bind_text(groups.get(), 1, g.name);
    sqlite3_bind_int64(groups.get(), 2, g.max_replication_lag);
    bind_text(groups.get(), 3, g.reads_fall_back_to_primary ? "primary" : "error");
    bind_text(groups.get(), 4, g.read_only_transactions_on_replica ? "replica" : "primary");
    sqlite3_bind_int(groups.get(), 5, g.read_your_writes ? 1 : 0);
    sqlite3_bind_int64(groups.get(), 6, g.read_your_writes_timeout.count());
    bind_text(groups.get(), 7, std::string(routing::to_string(g.failover)));
    std::string candidates;
    for (const auto& c : g.candidates) candidates += (candidates.empty() ? "" : ",") + c;
    bind_text(groups.get(), 8, candidates);
    sqlite3_bind_int(groups.get(), 9, g.pedantic ? 1 : 0);
    bind_text(groups.get(), 10, g.exec_before);
    bind_text(groups.get(), 11, g.exec_after);
    step_done(db, groups.get());
  }
  auto users = prepare(db, "INSERT INTO " + schema +
                               ".users (name, password_hash, require_tls, read_your_writes) VALUES (?, ?, ?, ?)");
  std::map<std::string, const proxy::user_account*> sorted;
  for (const auto& [name, account] : config.runtime.users) sorted[name] = &account;
  for (const auto& [name, account] : sorted) {
    bind_text(users.get(), 1, name);
    bind_text(users.get(), 2, hex_hash(account->password));
    sqlite3_bind_int(users.get(), 3, account->require_tls ? 1 : 0);
    if (account->read_your_writes) {
      sqlite3_bind_int(users.get(), 4, *account->read_your_writes ? 1 : 0);
    } else {
      sqlite3_bind_null(users.get(), 4);
    }
    step_done(db, users.get());
  }
  auto rules = prepare(db, "INSERT INTO " + schema +
                               ".query_rules (id, user, schema, client, match_digest, match_pattern, route, "
                               "group_name, replace_with, error, error_code, timeout_ms, log, continue) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& r : config.runtime.rules) {
    auto* s = rules.get();
    sqlite3_bind_int64(s, 1, r.id);
    bind_optional_text(s, 2, r.user);
    bind_optional_text(s, 3, r.schema);
    bind_optional_text(s, 4, r.client);
    bind_optional_text(s, 5, routing::pattern_of(r.match_digest));
    bind_optional_text(s, 6, routing::pattern_of(r.match_pattern));
    bind_optional_text(s, 7, r.route_role ? std::string(routing::to_string(*r.route_role)) : "");
    bind_optional_text(s, 8, r.route_group);
    if (r.replace) bind_text(s, 9, *r.replace);
    if (r.block_message) bind_text(s, 10, *r.block_message);
    sqlite3_bind_int(s, 11, r.block_code);
    if (r.timeout_ms) sqlite3_bind_int64(s, 12, r.timeout_ms);
    sqlite3_bind_int(s, 13, r.log ? 1 : 0);
    sqlite3_bind_int(s, 14, r.continue_after ? 1 : 0);
    step_done(db, s);
  }
}

table_read_result read_config_tables(sqlite3* db, const std::string& schema) {
  table_read_result out;
  auto& errors = out.errors;
  auto& t = out.config.topology;
  auto servers = prepare(db, "SELECT address, group_name, role, weight, max_connections, status FROM " + schema +
                                 ".servers ORDER BY rowid");
  while (sqlite3_step(servers.get()) == SQLITE_ROW) {
    auto* s = servers.get();
    routing::server server;
    const auto address = text_at(s, 0);
    auto ep = routing::parse_endpoint(address);
    if (!ep) {
      errors.push_back("servers: address '" + address + "' is not host:port");
      continue;
    }
    server.address = *ep;
    server.name = ep->to_string();
    server.group = text_at(s, 1);
    server.role = routing::parse_server_role(text_at(s, 2)).value_or(routing::server_role::replica);
    server.weight = static_cast<std::uint32_t>(sqlite3_column_int64(s, 3));
    server.max_connections = static_cast<std::uint32_t>(sqlite3_column_int64(s, 4));
    server.status = routing::parse_server_status(text_at(s, 5)).value_or(routing::server_status::online);
    t.servers.push_back(std::move(server));
  }

  auto groups = prepare(db, "SELECT name, max_replication_lag, reads_without_replica, read_only_transactions, "
                            "read_your_writes, read_your_writes_timeout_ms, failover, candidates, pedantic, exec_before, "
                            "exec_after FROM " + schema + ".groups ORDER BY name");
  while (sqlite3_step(groups.get()) == SQLITE_ROW) {
    auto* s = groups.get();
    routing::group_policy g;
    g.name = text_at(s, 0);
    g.max_replication_lag = static_cast<std::uint32_t>(sqlite3_column_int64(s, 1));
    g.reads_fall_back_to_primary = text_at(s, 2) == "primary";
    g.read_only_transactions_on_replica = text_at(s, 3) == "replica";
    g.read_your_writes = sqlite3_column_int(s, 4) != 0;
    g.read_your_writes_timeout = std::chrono::milliseconds(sqlite3_column_int64(s, 5));
    g.failover = routing::parse_failover_mode(text_at(s, 6)).value_or(routing::failover_mode::off);
    const auto candidates = text_at(s, 7);
    for (std::size_t start = 0; start < candidates.size();) {
      const auto comma = std::min(candidates.find(',', start), candidates.size());
      const auto item = candidates.substr(start, comma - start);
      if (auto ep = routing::parse_endpoint(item)) {
        g.candidates.push_back(ep->to_string());
      } else if (!item.empty()) {
        errors.push_back("groups: candidate '" + item + "' of group '" + g.name + "' is not host:port");
      }
      start = comma + 1;
    }
    g.pedantic = sqlite3_column_int(s, 8) != 0;
    g.exec_before = text_at(s, 9);
    g.exec_after = text_at(s, 10);
    // (a group without servers is fine: CREATE GROUP, then ADD SERVER)
    t.groups.push_back(std::move(g));
  }

  auto users = prepare(db, "SELECT name, password_hash, require_tls, read_your_writes FROM " + schema +
                               ".users ORDER BY name");
  while (sqlite3_step(users.get()) == SQLITE_ROW) {
    auto* s = users.get();
    proxy::user_account account;
    account.name = text_at(s, 0);
    auto parsed = protocol::native_password_hash::from_hex(text_at(s, 1));
    if (!parsed) {
      errors.push_back("users: password_hash of '" + account.name + "' is not '*' and 40 hex digits");
      continue;
    }
    account.password = *parsed;
    account.require_tls = sqlite3_column_int(s, 2) != 0;
    if (!is_null(s, 3)) account.read_your_writes = sqlite3_column_int(s, 3) != 0;
    out.config.runtime.users.emplace(account.name, account);
  }

  auto rules = prepare(db, "SELECT id, user, schema, client, match_digest, match_pattern, route, group_name, "
                           "replace_with, error, error_code, timeout_ms, log, continue FROM " + schema +
                               ".query_rules ORDER BY id");
  while (sqlite3_step(rules.get()) == SQLITE_ROW) {
    auto* s = rules.get();
    routing::query_rule r;
    r.id = static_cast<std::uint32_t>(sqlite3_column_int64(s, 0));
    const auto where = "query_rules: rule " + std::to_string(r.id) + ": ";
    r.user = text_at(s, 1);
    r.schema = text_at(s, 2);
    r.client = text_at(s, 3);
    if (const auto slash = r.client.find('/');
        slash != std::string::npos && !routing::client_matches(r.client, r.client.substr(0, slash))) {
      errors.push_back(where + "client '" + r.client + "' is not an address or an IPv4 CIDR");
    }
    for (int column : {4, 5}) {
      if (is_null(s, column)) continue;
      std::string problem;
      auto re = routing::compile_rule_regex(text_at(s, column), problem);
      if (!re) {
        errors.push_back(where + (column == 4 ? "match_digest" : "match_pattern") +
                         " is not a valid regular expression: " + problem);
      }
      (column == 4 ? r.match_digest : r.match_pattern) = std::move(re);
    }
    if (!is_null(s, 6)) {
      r.route_role = text_at(s, 6) == "primary" ? routing::target_role::primary : routing::target_role::replica;
    }
    r.route_group = text_at(s, 7);
    if (!is_null(s, 8)) r.replace = text_at(s, 8);
    if (r.replace && is_null(s, 5)) errors.push_back(where + "replace_with needs match_pattern");
    if (!is_null(s, 9)) r.block_message = text_at(s, 9);
    r.block_code = static_cast<std::uint16_t>(sqlite3_column_int(s, 10));
    r.timeout_ms = static_cast<std::uint32_t>(sqlite3_column_int64(s, 11));
    r.log = sqlite3_column_int(s, 12) != 0;
    r.continue_after = sqlite3_column_int(s, 13) != 0;
    out.config.runtime.rules.push_back(std::move(r));
  }
  for (const auto& p : validate_whole(t, out.config.runtime)) errors.push_back(table_of(p.in) + ": " + p.message);
  add_default_policies(t);
  return out;
}

}  // namespace weft::config
