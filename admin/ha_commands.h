// Answers the HA commands that read the topology (SHOW GROUPS, SHOW GROUP g HEALTH | SERVERS, in
// weft's columns or Fabric's) and hands those that act on backends to the ha_manager. The
// commands that only change the configuration are the admin engine's.
#pragma once

#include "admin/admin_commands.h"
#include "admin/ha_grammar.h"
#include "ops/admin_result.h"
#include "ops/ha_steps.h"

namespace weft::admin {

admin_result run_ha_command(const ha_command& command, const command_context& ctx);

using ops::ha_refused;  // error 9012, the operations' refusal too

}  // namespace weft::admin
