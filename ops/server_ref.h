// A server the DBA named ('h:p', PRIMARY OF GROUP g, REPLICA 'h:p') found in the topology.
#pragma once

#include <string>
#include <variant>

#include "ops/compare_command.h"
#include "routing/topology.h"

namespace weft::ops {

struct resolved_server {
  routing::endpoint address;
  std::string group;             // empty: not one of weft's servers
  bool is_replica = false;
};

// The server, or why it cannot be used (an unknown group, a group without a primary, an
// address that is not a replica). A plain address need not be one of weft's servers.
std::variant<resolved_server, std::string> resolve(const server_ref& ref, const routing::topology& t);

// Whether `replica` replicates from `source` in weft's topology (same group, `source` its
// primary): then reads on the replica can wait for the source's position.
bool replicates_from(const resolved_server& replica, const resolved_server& source, const routing::topology& t);

}  // namespace weft::ops
