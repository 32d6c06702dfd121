#include "ops/ha_global_stream.h"

#include <algorithm>

namespace weft::ops {

std::vector<std::string> global_groups_of(const sharding::catalog& shards, const std::string& group) {
  std::vector<std::string> out;
  for (const auto& m : shards.maps) {
    const bool shard_of_map = std::any_of(m.shards.begin(), m.shards.end(), [&](const auto& s) { return s.group == group; });
    if (shard_of_map && std::find(out.begin(), out.end(), m.global_group) == out.end()) out.push_back(m.global_group);
  }
  return out;
}

std::vector<std::string> shard_groups_of(const sharding::catalog& shards, const std::string& global_group) {
  std::vector<std::string> out;
  for (const auto& m : shards.maps) {
    if (m.global_group != global_group) continue;
    for (const auto& s : m.shards) {
      if (std::find(out.begin(), out.end(), s.group) == out.end()) out.push_back(s.group);
    }
  }
  return out;
}

global_source global_source_for(const routing::topology& t, const std::vector<std::string>& global_groups,
                                const std::string& new_primary) {
  global_source g;
  if (global_groups.empty()) return g;
  for (const auto& name : global_groups) g.global_group += (g.global_group.empty() ? "" : ", ") + name;
  if (global_groups.size() > 1) {
    g.problem = "the group is a shard of maps with different global groups (" + g.global_group +
                "): a server replicates from one source; choose it with REPLICATE";
    return g;
  }
  const auto* primary = t.primary_of(g.global_group);
  if (!primary) {
    g.problem = "the global group '" + g.global_group + "' has no primary";
  } else if (primary->name == new_primary) {
    g.problem = new_primary + " is the global group's primary itself";
  } else {
    g.primary = primary->address;
  }
  return g;
}

}  // namespace weft::ops
