// One HA command as the operations take it: what to do (PROMOTE, DEMOTE, REPLICATE, REJOIN...),
// on which group or server, with which account. The admin SQL grammar (admin/ha_grammar.h)
// produces it from either spelling; the operations below never see SQL.
#pragma once

#include <string>

namespace weft::ops {

enum class ha_verb {
  create_group, add_server, remove_server, promote, demote, activate, deactivate,
  group_health, show_groups, group_servers, replicate, rejoin
};

// Where REPLICATE starts: from what the replica already holds, from the source's first binary
// log, or from the source's current position (history skipped).
enum class replicate_start { replica_position, beginning, current };

struct ha_command {
  ha_verb verb = ha_verb::show_groups;
  std::string group;
  std::string server;  // host:port, normalized
  std::string source;  // REPLICATE ... FROM
  std::string user;    // REPLICATE ... USER (empty: [ha] replication_user)
  std::string password;
  replicate_start start = replicate_start::replica_position;
  bool fabric_form = false;  // came as CALL group.x(...): answer with Fabric's columns
  bool operator==(const ha_command&) const = default;
};

}  // namespace weft::ops
