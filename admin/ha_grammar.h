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

#include "ops/ha_command.h"

namespace weft::admin {

// The command's vocabulary is the operations' own (ops/ha_command.h); the grammar only reads it.
using ops::ha_command;
using ops::ha_verb;
using ops::replicate_start;

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
