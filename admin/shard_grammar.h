// The admin's sharding statements, parsed (shard_commands.cc runs them):
//   CREATE SHARD MAP m TYPE HASH|RANGE|RANGE_STRING|RANGE_DATETIME|LIST [KEY INTEGER|STRING|DATETIME]
//     GLOBAL GROUP gg                       DROP SHARD MAP m
//   ADD SHARD TABLE db.t COLUMN c TO MAP m  REMOVE SHARD TABLE db.t
//   ADD SHARD TO MAP m GROUP g [BOUND v [, v ...]]   REMOVE SHARD FROM MAP m GROUP g
//   SHOW SHARD MAPS | SHOW SHARD TABLES | SHOW SHARDS [FROM MAP m]
//   EXPLAIN ROUTE [IN db] statement         (how the proxy would route the statement)
// and MySQL Fabric's CALL sharding.create_definition / add_table / add_shard / remove_shard /
// remove_table / list_definitions / list_tables / lookup_servers, with Fabric's arguments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weft::admin {

enum class shard_verb {
  create_map, drop_map, add_table, remove_table, add_shard, remove_shard,
  show_maps, show_tables, show_shards, lookup_servers, explain_route,
};

struct shard_command {
  shard_verb verb = shard_verb::show_maps;
  bool fabric_form = false;   // answered as Fabric did (ids for maps, its columns)
  std::string map;            // a map's name (Fabric: its id, as text)
  std::string type;           // create_map: as written
  std::string key_type;       // create_map: "" (the type's default)
  std::string group;          // create_map: the global group; add/remove_shard: the shard's
  std::string table;          // db.t
  std::string column;
  std::vector<std::string> bounds;                            // add_shard
  std::vector<std::pair<std::string, std::string>> fabric_shards;  // Fabric add_shard: group, bound ("" none)
  std::string shard_id;       // Fabric remove_shard
  std::string key;            // lookup_servers
  bool global = false;        // lookup_servers 'GLOBAL': the global group's servers
  std::string schema;         // explain_route: IN db, the database of unqualified names ("": none)
  std::string statement;      // explain_route: the text after the prefix, verbatim (comments kept)
};

struct shard_parse {
  std::optional<shard_command> command;  // none: `error` says why
  std::string error;
};

// nullopt: not a sharding statement.
std::optional<shard_parse> parse_shard_command(std::string_view sql);

}  // namespace weft::admin
