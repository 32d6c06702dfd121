// Answers the HA commands that read the topology (SHOW GROUPS, SHOW GROUP g HEALTH | SERVERS, in
// weft's columns or Fabric's) and hands those that act on backends to the ha_manager. The
// commands that only change the configuration are the admin engine's.
#pragma once

#include "admin/admin_commands.h"
#include "admin/admin_result.h"
#include "admin/ha_grammar.h"

namespace weft::admin {

admin_result run_ha_command(const ha_command& command, const command_context& ctx);

// Error 9012: an HA command that cannot run as asked, or that failed.
admin_result ha_refused(const std::string& message);

}  // namespace weft::admin
