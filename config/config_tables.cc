#include "config/config_tables.h"

#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>

#include "config/config_schema.h"
#include "config/config_validation.h"
#include "config/schema_row.h"
#include "config/shard_config.h"
#include "config/sqlite_statement.h"
#include "routing/query_rules.h"

namespace weft::config {
namespace {

// A state file written by an older weft lacks the columns added since (rules.cache_ttl_ms).
void add_missing_columns(sqlite3* db, const table_schema& table, const std::string& schema) {
  auto st = prepare(db, "PRAGMA " + schema + ".table_info(" + std::string(table.name) + ")");
  std::vector<std::string> present;
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    present.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 1)));
  }
  for (const auto& c : table.columns) {
    if (std::find(present.begin(), present.end(), c.name) == present.end()) {
      exec_sql(db, add_column_sql(table, c, schema));
    }
  }
}

std::string table_of(config_problem::place p) {
  using place = config_problem::place;
  switch (p) {
    case place::servers: return "servers";
    case place::groups: return "groups";
    case place::rules: return "query_rules";
    case place::shard_maps: break;
  }
  return "shard_maps";
}

std::string hex_hash(const protocol::native_password_hash& h) { return h.empty_password ? "" : h.to_hex(); }

// --- writing ---------------------------------------------------------------------------------

void write_servers(sqlite3* db, const routing::topology& t, const std::string& schema) {
  const auto& table = servers_table();
  auto st = prepare(db, insert_sql(table, schema));
  const schema_row row(table, st.get());
  for (const auto& s : t.servers) {
    row.text("address", s.address.to_string());
    row.text("group_name", s.group);
    row.text("role", std::string(routing::to_string(s.role)));
    row.integer("weight", s.weight);
    row.integer("max_connections", s.max_connections);
    // SHUNNED is the monitor's finding, never configuration.
    const auto status = s.status == routing::server_status::shunned ? routing::server_status::online : s.status;
    row.text("status", std::string(routing::to_string(status)));
    step_done(db, st.get());
  }
}

void write_groups(sqlite3* db, const routing::topology& t, const std::string& schema) {
  const auto& table = groups_table();
  auto st = prepare(db, insert_sql(table, schema));
  const schema_row row(table, st.get());
  for (const auto& g : t.groups) {
    row.text("name", g.name);
    row.integer("max_replication_lag", g.max_replication_lag);
    row.text("reads_without_replica", g.reads_fall_back_to_primary ? "primary" : "error");
    row.text("read_only_transactions", g.read_only_transactions_on_replica ? "replica" : "primary");
    row.flag("read_your_writes", g.read_your_writes);
    row.integer("read_your_writes_timeout_ms", g.read_your_writes_timeout.count());
    row.text("failover", std::string(routing::to_string(g.failover)));
    std::string candidates;
    for (const auto& c : g.candidates) candidates += (candidates.empty() ? "" : ",") + c;
    row.text("candidates", candidates);
    row.flag("pedantic", g.pedantic);
    row.text("exec_before", g.exec_before);
    row.text("exec_after", g.exec_after);
    step_done(db, st.get());
  }
}

void write_users(sqlite3* db, const proxy::runtime_snapshot& runtime, const std::string& schema) {
  const auto& table = users_table();
  auto st = prepare(db, insert_sql(table, schema));
  const schema_row row(table, st.get());
  std::map<std::string, const proxy::user_account*> sorted;
  for (const auto& [name, account] : runtime.users) sorted[name] = &account;
  for (const auto& [name, account] : sorted) {
    row.text("name", name);
    row.text("password_hash", hex_hash(account->password));
    row.flag("require_tls", account->require_tls);
    if (account->read_your_writes) row.flag("read_your_writes", *account->read_your_writes);  // else NULL
    step_done(db, st.get());
  }
}

void write_rules(sqlite3* db, const proxy::runtime_snapshot& runtime, const std::string& schema) {
  const auto& table = rules_table();
  auto st = prepare(db, insert_sql(table, schema));
  const schema_row row(table, st.get());
  for (const auto& r : runtime.rules) {
    row.integer("id", r.id);
    row.optional_text("user", r.user);
    row.optional_text("schema", r.schema);
    row.optional_text("client", r.client);
    row.optional_text("match_digest", routing::pattern_of(r.match_digest));
    row.optional_text("match_pattern", routing::pattern_of(r.match_pattern));
    row.optional_text("route", r.route_role ? std::string(routing::to_string(*r.route_role)) : "");
    row.optional_text("group_name", r.route_group);
    if (r.replace) row.text("replace_with", *r.replace);
    if (r.block_message) row.text("error", *r.block_message);
    row.integer("error_code", r.block_code);
    if (r.timeout_ms) row.integer("timeout_ms", r.timeout_ms);
    if (r.cache_ttl_ms) row.integer("cache_ttl_ms", r.cache_ttl_ms);
    row.flag("log", r.log);
    row.flag("continue", r.continue_after);
    step_done(db, st.get());
  }
}

// --- reading ---------------------------------------------------------------------------------

void read_servers(sqlite3* db, const std::string& schema, table_read_result& out) {
  const auto& table = servers_table();
  auto st = prepare(db, select_sql(table, schema));
  const schema_row row(table, st.get());
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    routing::server server;
    const auto address = row.text("address");
    auto ep = routing::parse_endpoint(address);
    if (!ep) {
      out.errors.push_back("servers: address '" + address + "' is not host:port");
      continue;
    }
    server.address = *ep;
    server.name = ep->to_string();
    server.group = row.text("group_name");
    server.role = routing::parse_server_role(row.text("role")).value_or(routing::server_role::replica);
    server.weight = static_cast<std::uint32_t>(row.integer("weight"));
    server.max_connections = static_cast<std::uint32_t>(row.integer("max_connections"));
    server.status = routing::parse_server_status(row.text("status")).value_or(routing::server_status::online);
    out.config.topology.servers.push_back(std::move(server));
  }
}

// "host:port,host:port" into the group's candidates.
void read_candidates(const std::string& text, routing::group_policy& g, std::vector<std::string>& errors) {
  for (std::size_t start = 0; start < text.size();) {
    const auto comma = std::min(text.find(',', start), text.size());
    const auto item = text.substr(start, comma - start);
    if (auto ep = routing::parse_endpoint(item)) {
      g.candidates.push_back(ep->to_string());
    } else if (!item.empty()) {
      errors.push_back("groups: candidate '" + item + "' of group '" + g.name + "' is not host:port");
    }
    start = comma + 1;
  }
}

// (a group without servers is fine here: CREATE GROUP, then ADD SERVER)
void read_groups(sqlite3* db, const std::string& schema, table_read_result& out) {
  const auto& table = groups_table();
  auto st = prepare(db, select_sql(table, schema));
  const schema_row row(table, st.get());
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    routing::group_policy g;
    g.name = row.text("name");
    g.max_replication_lag = static_cast<std::uint32_t>(row.integer("max_replication_lag"));
    g.reads_fall_back_to_primary = row.text("reads_without_replica") == "primary";
    g.read_only_transactions_on_replica = row.text("read_only_transactions") == "replica";
    g.read_your_writes = row.flag("read_your_writes");
    g.read_your_writes_timeout = std::chrono::milliseconds(row.integer("read_your_writes_timeout_ms"));
    g.failover = routing::parse_failover_mode(row.text("failover")).value_or(routing::failover_mode::off);
    read_candidates(row.text("candidates"), g, out.errors);
    g.pedantic = row.flag("pedantic");
    g.exec_before = row.text("exec_before");
    g.exec_after = row.text("exec_after");
    out.config.topology.groups.push_back(std::move(g));
  }
}

void read_users(sqlite3* db, const std::string& schema, table_read_result& out) {
  const auto& table = users_table();
  auto st = prepare(db, select_sql(table, schema));
  const schema_row row(table, st.get());
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    proxy::user_account account;
    account.name = row.text("name");
    auto parsed = protocol::native_password_hash::from_hex(row.text("password_hash"));
    if (!parsed) {
      out.errors.push_back("users: password_hash of '" + account.name + "' is not '*' and 40 hex digits");
      continue;
    }
    account.password = *parsed;
    account.require_tls = row.flag("require_tls");
    if (!row.null("read_your_writes")) account.read_your_writes = row.flag("read_your_writes");
    out.config.runtime.users.emplace(account.name, account);
  }
}

// The rule's match_digest and match_pattern, compiled; a bad one is an error.
void read_rule_regexes(const schema_row& row, const std::string& where, routing::query_rule& r,
                       std::vector<std::string>& errors) {
  for (std::string_view column : {"match_digest", "match_pattern"}) {
    if (row.null(column)) continue;
    std::string problem;
    auto re = routing::compile_rule_regex(row.text(column), problem);
    if (!re) errors.push_back(where + std::string(column) + " is not a valid regular expression: " + problem);
    (column == "match_digest" ? r.match_digest : r.match_pattern) = std::move(re);
  }
}

void read_rules(sqlite3* db, const std::string& schema, table_read_result& out) {
  const auto& table = rules_table();
  auto st = prepare(db, select_sql(table, schema));
  const schema_row row(table, st.get());
  auto& errors = out.errors;
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    routing::query_rule r;
    r.id = static_cast<std::uint32_t>(row.integer("id"));
    const auto where = "query_rules: rule " + std::to_string(r.id) + ": ";
    r.user = row.text("user");
    r.schema = row.text("schema");
    r.client = row.text("client");
    if (const auto slash = r.client.find('/');
        slash != std::string::npos && !routing::client_matches(r.client, r.client.substr(0, slash))) {
      errors.push_back(where + "client '" + r.client + "' is not an address or an IPv4 CIDR");
    }
    read_rule_regexes(row, where, r, errors);
    if (!row.null("route")) {
      r.route_role = row.text("route") == "primary" ? routing::target_role::primary : routing::target_role::replica;
    }
    r.route_group = row.text("group_name");
    if (!row.null("replace_with")) r.replace = row.text("replace_with");
    if (r.replace && row.null("match_pattern")) errors.push_back(where + "replace_with needs match_pattern");
    if (!row.null("error")) r.block_message = row.text("error");
    r.block_code = static_cast<std::uint16_t>(row.integer("error_code"));
    r.timeout_ms = static_cast<std::uint32_t>(row.integer("timeout_ms"));
    r.cache_ttl_ms = static_cast<std::uint32_t>(row.integer("cache_ttl_ms"));
    r.log = row.flag("log");
    r.continue_after = row.flag("continue");
    out.config.runtime.rules.push_back(std::move(r));
  }
}

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
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto* t : all_config_tables()) out.emplace_back(t->name);
    return out;
  }();
  return names;
}

void create_config_tables(sqlite3* db, const std::string& schema) {
  for (const auto* t : all_config_tables()) {
    exec_sql(db, create_table_sql(*t, schema));
    add_missing_columns(db, *t, schema);
  }
}

void write_config_tables(sqlite3* db, const table_config& config, const std::string& schema) {
  for (const auto& table : config_table_names()) exec_sql(db, "DELETE FROM " + schema + "." + table);
  write_servers(db, config.topology, schema);
  write_groups(db, config.topology, schema);
  write_users(db, config.runtime, schema);
  write_rules(db, config.runtime, schema);
  write_shard_tables(db, config.runtime.shards, schema);
}

table_read_result read_config_tables(sqlite3* db, const std::string& schema) {
  table_read_result out;
  read_servers(db, schema, out);
  read_groups(db, schema, out);
  read_users(db, schema, out);
  read_rules(db, schema, out);
  out.config.runtime.shards = read_shard_tables(db, schema, out.errors);
  for (const auto& p : validate_whole(out.config.topology, out.config.runtime)) {
    out.errors.push_back(table_of(p.in) + ": " + p.message);
  }
  add_default_policies(out.config.topology);
  return out;
}

}  // namespace weft::config
