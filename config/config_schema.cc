#include "config/config_schema.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace weft::config {
namespace {

using enum column_type;

std::string quoted(std::string_view word) { return "'" + std::string(word) + "'"; }

// The column's conditions joined by AND ("": none).
std::string conditions_of(const column_spec& c) {
  const std::string name(c.name);
  std::vector<std::string> parts;
  if (c.type == integer && c.max > c.min) {
    parts.push_back(name + " BETWEEN " + std::to_string(c.min) + " AND " + std::to_string(c.max));
  }
  if (c.type == flag) parts.push_back(name + " IN (0, 1)");
  if (!c.words.empty()) {
    std::string list;
    for (auto w : c.words) list += (list.empty() ? "" : ", ") + quoted(w);
    parts.push_back(name + " IN (" + list + ")");
  }
  if (c.non_empty) parts.push_back(name + " <> ''");
  if (!c.sql_check.empty()) parts.push_back(std::string(c.sql_check));
  if (parts.size() == 1) return parts[0];
  std::string all;
  for (const auto& p : parts) all += (all.empty() ? "(" : " AND (") + p + ")";
  return all;
}

std::string column_sql(const column_spec& c) {
  std::string s = std::string(c.name) + (c.type == text ? " TEXT" : " INTEGER");
  if (c.primary_key) s += " PRIMARY KEY";
  if (!c.nullable) s += " NOT NULL";
  if (!c.sql_default.empty()) s += " DEFAULT " + std::string(c.sql_default);
  if (const auto check = conditions_of(c); !check.empty()) {
    s += " CHECK (" + (c.nullable ? std::string(c.name) + " IS NULL OR " + check : check) + ")";
  }
  return s;
}

std::string column_list(const table_schema& t) {
  std::string list;
  for (const auto& c : t.columns) list += (list.empty() ? "" : ", ") + std::string(c.name);
  return list;
}

}  // namespace

int table_schema::index_of(std::string_view column) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  throw std::logic_error("no column " + std::string(column) + " in " + std::string(name));
}

const column_spec& table_schema::column(std::string_view column_name) const {
  return columns[static_cast<std::size_t>(index_of(column_name))];
}

// SHUNNED is the monitor's finding, never configuration, so it is not a word of status.
const table_schema& servers_table() {
  static const table_schema t{
      "servers", "rowid",
      {{.name = "address", .file_key = "address", .required = true, .primary_key = true},
       {.name = "group_name", .file_key = "group", .required = true, .non_empty = true},
       {.name = "role", .file_key = "role", .required = true, .words = {"primary", "replica"}},
       {.name = "weight", .file_key = "weight", .type = integer, .sql_default = "1", .min = 1, .max = 1000000},
       {.name = "max_connections", .file_key = "max_connections", .type = integer, .sql_default = "0", .min = 0,
        .max = 100000},
       {.name = "status", .file_key = "status", .sql_default = "'ONLINE'",
        .words = {"ONLINE", "OFFLINE_SOFT", "OFFLINE_HARD"}}},
      {}};
  return t;
}

const table_schema& groups_table() {
  static const table_schema t{
      "groups", "name",
      {{.name = "name", .file_key = "name", .required = true, .primary_key = true},
       {.name = "max_replication_lag", .file_key = "max_replication_lag", .type = integer, .sql_default = "10",
        .min = 0, .max = 86400},
       {.name = "reads_without_replica", .file_key = "reads_without_replica", .sql_default = "'primary'",
        .words = {"primary", "error"}},
       {.name = "read_only_transactions", .file_key = "read_only_transactions", .sql_default = "'primary'",
        .words = {"primary", "replica"}},
       {.name = "read_your_writes", .file_key = "read_your_writes", .type = flag, .sql_default = "0"},
       {.name = "read_your_writes_timeout_ms", .file_key = "read_your_writes_timeout_ms", .type = integer,
        .sql_default = "1000", .min = 1, .max = 600000},
       {.name = "failover", .file_key = "failover", .sql_default = "'off'", .words = {"off", "auto", "elect", "fail"}},
       {.name = "candidates", .file_key = "candidates", .sql_default = "''"},  // host:port,host:port
       {.name = "pedantic", .file_key = "pedantic", .type = flag, .sql_default = "0"},
       {.name = "exec_before", .file_key = "exec_before", .sql_default = "''"},
       {.name = "exec_after", .file_key = "exec_after", .sql_default = "''"}},
      {}};
  return t;
}

// The state keeps the password's hash only; the file may give the password itself.
const table_schema& users_table() {
  static const table_schema t{
      "users", "name",
      {{.name = "name", .file_key = "name", .required = true, .non_empty = true, .primary_key = true},
       {.name = "password_hash", .file_key = "password_hash", .required = true,
        .sql_check = "password_hash = '' OR (length(password_hash) = 41 AND substr(password_hash, 1, 1) = '*')"},
       {.name = "require_tls", .file_key = "require_tls", .type = flag, .sql_default = "0"},
       {.name = "read_your_writes", .file_key = "read_your_writes", .type = flag, .nullable = true}},
      {"password"}};
  return t;
}

const table_schema& rules_table() {
  static const table_schema t{
      "query_rules", "id",
      {{.name = "id", .file_key = "id", .type = integer, .required = true, .min = 1, .max = 1000000000,
        .primary_key = true},
       {.name = "user", .file_key = "user", .nullable = true},
       {.name = "schema", .file_key = "schema", .nullable = true},
       {.name = "client", .file_key = "client", .nullable = true},
       {.name = "match_digest", .file_key = "match_digest", .nullable = true},
       {.name = "match_pattern", .file_key = "match_pattern", .nullable = true},
       {.name = "route", .file_key = "route", .nullable = true, .words = {"primary", "replica"}},
       {.name = "group_name", .file_key = "group", .nullable = true},
       {.name = "replace_with", .file_key = "replace", .nullable = true},
       {.name = "error", .file_key = "error", .nullable = true},
       {.name = "error_code", .file_key = "error_code", .type = integer, .sql_default = "1148", .min = 1000,
        .max = 65535},
       {.name = "timeout_ms", .file_key = "timeout_ms", .type = integer, .nullable = true, .min = 1, .max = 86400000},
       {.name = "cache_ttl_ms", .file_key = "cache_ttl_ms", .type = integer, .nullable = true, .min = 1,
        .max = 86400000},
       {.name = "log", .file_key = "log", .type = flag, .sql_default = "0"},
       {.name = "continue", .file_key = "continue", .type = flag, .sql_default = "0"}},
      {}};
  return t;
}

// Sharding (issue 16): maps, the tables mapped to them, and their shards. The admin's grammar
// (CREATE SHARD MAP, ADD SHARD TABLE, ADD SHARD, Fabric's CALL sharding.*) writes them; plain
// SQL may too, and the whole is validated before it applies.
const table_schema& shard_maps_table() {
  static const table_schema t{
      "shard_maps", "name",
      {{.name = "name", .file_key = "name", .required = true, .non_empty = true, .primary_key = true},
       {.name = "type", .file_key = "type", .required = true,
        .words = {"HASH", "RANGE", "RANGE_STRING", "RANGE_DATETIME", "LIST"}},
       {.name = "key_type", .file_key = "key_type", .sql_default = "'INTEGER'",
        .words = {"INTEGER", "STRING", "DATETIME"}},
       {.name = "global_group", .file_key = "global_group", .required = true, .non_empty = true}},
      {}};
  return t;
}

const table_schema& shard_tables_table() {
  static const table_schema t{
      "shard_tables", "table_name",
      {{.name = "table_name", .file_key = "table", .required = true,
        .sql_check = "instr(table_name, '.') > 1 AND instr(table_name, '.') < length(table_name)",
        .primary_key = true},
       {.name = "column_name", .file_key = "column", .required = true, .non_empty = true},
       {.name = "map_name", .file_key = "map", .required = true, .non_empty = true}},
      {}};
  return t;
}

// One row per shard of a RANGE or HASH map; a LIST shard has one row per value it holds. The
// shard_id orders a map's shards (HASH places keys by that order).
const table_schema& shards_table() {
  static const table_schema t{
      "shards", "shard_id",
      {{.name = "shard_id", .file_key = "id", .type = integer, .required = true, .min = 1, .max = 1000000000,
        .primary_key = true},
       {.name = "map_name", .file_key = "map", .required = true, .non_empty = true},
       {.name = "group_name", .file_key = "group", .required = true, .non_empty = true},
       {.name = "bound", .file_key = "bound", .nullable = true}},
      {}};
  return t;
}

const std::vector<const table_schema*>& all_config_tables() {
  static const std::vector<const table_schema*> tables{&servers_table(), &groups_table(), &users_table(),
                                                       &rules_table(), &shard_maps_table(), &shard_tables_table(),
                                                       &shards_table()};
  return tables;
}

std::string create_table_sql(const table_schema& t, const std::string& schema) {
  std::string columns;
  for (const auto& c : t.columns) columns += (columns.empty() ? "\n  " : ",\n  ") + column_sql(c);
  return "CREATE TABLE IF NOT EXISTS " + schema + "." + std::string(t.name) + " (" + columns + ")";
}

std::string add_column_sql(const table_schema& t, const column_spec& c, const std::string& schema) {
  return "ALTER TABLE " + schema + "." + std::string(t.name) + " ADD COLUMN " + column_sql(c);
}

std::string insert_sql(const table_schema& t, const std::string& schema) {
  std::string marks;
  for (std::size_t i = 0; i < t.columns.size(); ++i) marks += i ? ", ?" : "?";
  return "INSERT INTO " + schema + "." + std::string(t.name) + " (" + column_list(t) + ") VALUES (" + marks + ")";
}

std::string select_sql(const table_schema& t, const std::string& schema) {
  return "SELECT " + column_list(t) + " FROM " + schema + "." + std::string(t.name) + " ORDER BY " +
         std::string(t.order_by);
}

std::vector<std::string_view> file_keys(const table_schema& t) {
  std::vector<std::string_view> keys;
  for (const auto& c : t.columns) {
    if (!c.file_key.empty()) keys.push_back(c.file_key);
  }
  keys.insert(keys.end(), t.file_only_keys.begin(), t.file_only_keys.end());
  return keys;
}

std::string file_word(std::string_view word) {
  std::string w(word);
  std::transform(w.begin(), w.end(), w.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return w;
}

}  // namespace weft::config
