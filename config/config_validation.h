// The checks that need the whole configuration at once: servers exist, each group has exactly
// one primary, rules route to groups that have servers, at most 64 rules. One function for both
// sources, the file (config_loader) and the tables (config_tables), with one set of messages;
// each source only says where a problem lies (a line of the file, a table's name).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "proxy/settings.h"
#include "routing/topology.h"

namespace weft::config {

struct config_problem {
  enum class place { servers, groups, rules, shard_maps };
  place in = place::servers;
  std::optional<std::size_t> row;  // the row of that table (its order in the configuration); none: the whole
  std::string message;
};

struct validation_options {
  // The file lists groups together with their servers, so a group without servers is a mistake
  // there; the admin may create a group before adding its servers.
  bool groups_need_servers = false;
};

std::vector<config_problem> validate_whole(const routing::topology& topology, const proxy::runtime_snapshot& runtime,
                                           validation_options options = {});

// Every group that has servers gets a policy: the defaults when none is configured.
void add_default_policies(routing::topology& topology);

}  // namespace weft::config
