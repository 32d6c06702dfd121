// The admin's high-availability commands, parsed (pure; unit-tested). Two spellings reach the
// same command: weft's own SQL-like form and the MySQL-RPC form that MySQL Fabric served, so
// old scripts keep working:
//
//   CREATE GROUP g                          CALL group.create('g')
//   ADD SERVER 'h:p' TO GROUP g             CALL group.add('g', 'h:p')
//   REMOVE SERVER 'h:p' [FROM GROUP g]      CALL group.remove('g', 'h:p')
//   PROMOTE GROUP g [TO 'h:p']              CALL group.promote('g' [, 'h:p'])
//   DEMOTE GROUP g                          CALL group.demote('g')
//   ACTIVATE GROUP g / DEACTIVATE GROUP g   CALL group.activate('g') / group.deactivate('g')
//   SHOW GROUP g HEALTH                     CALL group.health('g')
//   SHOW GROUPS                             CALL group.lookup_groups()
//   SHOW GROUP g SERVERS                    CALL group.lookup_servers('g')
//   REPLICATE 'h:p' FROM 'h:p' [USER 'u' PASSWORD 'pw'] [START FROM BEGINNING | CURRENT]
//   REJOIN SERVER 'h:p'
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace weft::admin {

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

struct ha_parse {
  std::optional<ha_command> command;
  std::string error;  // set when the statement is an HA command with a mistake (1064)
};

// nullopt when sql is not an HA command at all.
std::optional<ha_parse> parse_ha_command(std::string_view sql);

// Whether the command changes only weft's configuration (servers, groups tables) rather than
// acting on backends.
bool changes_configuration_only(ha_verb verb);

}  // namespace weft::admin
