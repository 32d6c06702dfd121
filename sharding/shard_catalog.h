// Every shard map weft routes with and the tables mapped to them: what the admin's shard tables
// hold, published to the workers with the users and rules (proxy::runtime_snapshot).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sharding/shard_map.h"

namespace weft::sharding {

// A table cut into shards by one column's value.
struct sharded_table {
  std::string schema;  // database and table as the server names them (case kept: names are
  std::string table;   // case-sensitive on Linux servers)
  std::string column;  // the shard key (column names are case-insensitive)
  std::string map;
};

struct catalog {
  std::vector<shard_map> maps;
  std::vector<sharded_table> tables;

  bool empty() const { return maps.empty(); }
  const shard_map* map_named(std::string_view name) const;
  const sharded_table* table_named(std::string_view schema, std::string_view table) const;
  // The group holds a shard of some map.
  bool is_shard_group(std::string_view group) const;
};

// Whether writes on `from` reach the servers of group `to` by replication: the same group, a
// global group's writes reaching its maps' shard groups, any group when no maps exist (weft
// knows nothing of other replication); never one shard's writes another shard's.
bool stream_reaches(const catalog& c, std::string_view from, std::string_view to);

// What makes the catalog unusable, one sentence each: each map's own problems (validate), a
// table mapped twice or to a map that does not exist, a map named twice.
std::vector<std::string> validate(const catalog& c);

}  // namespace weft::sharding
