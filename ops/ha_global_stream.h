// A shard group's primary replicates from the primary of its shard map's global group (as in
// MySQL Fabric): that stream carries the global tables and the global DDL to every shard. When a
// shard group's primary changes (failover, switchover), the new primary is pointed at the global
// primary; when the global group's primary changes, every shard group's primary follows it.
// These are the pure parts: which global groups a group is a shard of, and where its
// new primary takes the stream from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "routing/topology.h"
#include "sharding/shard_catalog.h"

namespace weft::ops {

// The global groups of the shard maps that have `group` as a shard, each once, in map order
// (empty: `group` is no map's shard).
std::vector<std::string> global_groups_of(const sharding::catalog& shards, const std::string& group);

// The shard groups of the maps whose global group is `global_group`, each once, in map order
// (empty: it is no map's global group). When its primary changes, their primaries follow it.
std::vector<std::string> shard_groups_of(const sharding::catalog& shards, const std::string& global_group);

// Where the new primary of a group takes the global stream from.
struct global_source {
  std::string global_group;                  // empty: not a shard group, nothing to do
  std::optional<routing::endpoint> primary;  // the global group's primary; none: `problem` says why
  std::string problem;

  bool wanted() const { return !global_group.empty(); }
};

// `global_groups`: what global_groups_of says of the group whose primary is now `new_primary`.
global_source global_source_for(const routing::topology& t, const std::vector<std::string>& global_groups,
                                const std::string& new_primary);

}  // namespace weft::ops
