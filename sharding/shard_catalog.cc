#include "sharding/shard_catalog.h"

#include <set>

namespace weft::sharding {

const shard_map* catalog::map_named(std::string_view name) const {
  for (const auto& m : maps) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const sharded_table* catalog::table_named(std::string_view schema, std::string_view table) const {
  for (const auto& t : tables) {
    if (t.table == table && t.schema == schema) return &t;
  }
  return nullptr;
}

bool catalog::is_shard_group(std::string_view group) const {
  for (const auto& m : maps) {
    for (const auto& s : m.shards) {
      if (s.group == group) return true;
    }
  }
  return false;
}

bool stream_reaches(const catalog& c, std::string_view from, std::string_view to) {
  if (c.empty() || from == to) return true;
  bool from_is_shard = false;
  for (const auto& m : c.maps) {
    for (const auto& s : m.shards) {
      if (m.global_group == from && s.group == to) return true;
      from_is_shard = from_is_shard || s.group == from;
    }
  }
  return !from_is_shard;  // a group outside every map: as without sharding
}

std::vector<std::string> validate(const catalog& c) {
  std::vector<std::string> problems;
  std::set<std::string> names, tables;
  for (const auto& m : c.maps) {
    if (!names.insert(m.name).second) problems.push_back("shard map '" + m.name + "' is defined twice");
    for (const auto& p : validate(m)) problems.push_back("shard map '" + m.name + "': " + p);
  }
  for (const auto& t : c.tables) {
    const auto name = t.schema + "." + t.table;
    if (!tables.insert(name).second) problems.push_back("table " + name + " is mapped twice");
    if (!c.map_named(t.map)) problems.push_back("table " + name + " is mapped to '" + t.map + "', not a shard map");
    if (t.column.empty()) problems.push_back("table " + name + " has no shard key column");
  }
  return problems;
}

}  // namespace weft::sharding
