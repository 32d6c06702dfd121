#include "sharding/shard_map.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace weft::sharding {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Bounds of one shard against its type: one parsable lower bound for RANGE, values for LIST.
void check_bounds(const shard_map& map, const shard& s, std::vector<std::string>& problems) {
  const auto where = "shard on group '" + s.group + "'";
  if (map.type == map_type::hash) {
    if (!s.bounds.empty()) problems.push_back(where + ": a HASH shard takes no bound (its place comes from the hash)");
    return;
  }
  if (map.type != map_type::list && s.bounds.size() != 1) {
    problems.push_back(where + ": a " + std::string(map_type_name(map.type)) + " shard needs exactly one lower bound");
  }
  if (map.type == map_type::list && s.bounds.empty()) problems.push_back(where + ": a LIST shard needs its values");
  for (const auto& b : s.bounds) {
    if (!normalized_key(map.key, b)) problems.push_back(where + ": '" + b + "' is not a key of this map's kind");
  }
}

}  // namespace

std::optional<map_type> map_type_named(std::string_view name) {
  const auto n = upper(name);
  if (n == "HASH") return map_type::hash;
  if (n == "RANGE" || n == "RANGE_INTEGER") return map_type::range;
  if (n == "RANGE_STRING") return map_type::range_string;
  if (n == "RANGE_DATETIME") return map_type::range_datetime;
  if (n == "LIST") return map_type::list;
  return std::nullopt;
}

std::string_view map_type_name(map_type type) {
  switch (type) {
    case map_type::hash: return "HASH";
    case map_type::range: return "RANGE";
    case map_type::range_string: return "RANGE_STRING";
    case map_type::range_datetime: return "RANGE_DATETIME";
    case map_type::list: break;
  }
  return "LIST";
}

std::optional<key_kind> fixed_key_kind(map_type type) {
  switch (type) {
    case map_type::range: return key_kind::integer;
    case map_type::range_string: return key_kind::string;
    case map_type::range_datetime: return key_kind::datetime;
    case map_type::hash:
    case map_type::list: break;
  }
  return std::nullopt;
}

std::vector<std::string> validate(const shard_map& map) {
  std::vector<std::string> problems;
  if (const auto fixed = fixed_key_kind(map.type); fixed && *fixed != map.key) {
    problems.push_back("a " + std::string(map_type_name(map.type)) + " map's keys are of its own kind");
  }
  std::set<std::string> groups, bounds;
  for (const auto& s : map.shards) {
    if (!groups.insert(s.group).second) problems.push_back("group '" + s.group + "' holds two shards of the map");
    if (s.group == map.global_group) problems.push_back("group '" + s.group + "' is the map's global group");
    check_bounds(map, s, problems);
    for (const auto& b : s.bounds) {
      const auto key = normalized_key(map.key, b);
      if (key && !bounds.insert(*key).second) {
        problems.push_back("'" + b + "' bounds two shards (" + std::string(map_type_name(map.type)) + ")");
      }
    }
  }
  return problems;
}

}  // namespace weft::sharding
