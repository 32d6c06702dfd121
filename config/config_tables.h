// The runtime configuration as SQL tables (SQLite): servers, groups, users, query_rules. The
// admin port lets a DBA change them with INSERT/UPDATE/DELETE; the state file keeps them. This
// file knows the schema and converts both ways; a configuration read back is validated as a
// whole (a group without a primary, a bad regex, a rule naming an unknown group are errors).
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

#include "proxy/settings.h"
#include "routing/topology.h"

namespace weft::config {

// What the tables hold.
struct table_config {
  proxy::runtime_snapshot runtime;  // users, rules
  routing::topology topology;       // servers, groups (health not included)
};

// Creates the tables in `schema` ("main", or an attached one) if missing.
void create_config_tables(sqlite3* db, const std::string& schema = "main");

// Replaces the tables' content with `config` (the caller holds the transaction).
void write_config_tables(sqlite3* db, const table_config& config, const std::string& schema = "main");

// Reads and validates; errors are complete sentences for the DBA ("servers: group 'g' has no
// primary"). `config` is meaningful only when errors is empty.
struct table_read_result {
  table_config config;
  std::vector<std::string> errors;
};
table_read_result read_config_tables(sqlite3* db, const std::string& schema = "main");

// The configuration tables' names, for the admin (what is writable).
const std::vector<std::string>& config_table_names();

// Runs SQL without results; throws std::runtime_error with SQLite's message on failure.
void exec_sql(sqlite3* db, const std::string& sql);

}  // namespace weft::config
