// The HA commands that change only weft's configuration (CREATE GROUP, ADD SERVER, REMOVE
// SERVER, ACTIVATE, DEACTIVATE and their Fabric forms), as SQL on the config tables: validated,
// persisted and applied like any other admin change.
#include "admin/admin_engine.h"

#include "admin/admin_words.h"
#include "admin/ha_commands.h"
#include "protocol/errors.h"

namespace weft::admin {
namespace {

namespace p = protocol;

}  // namespace

bool admin_engine::group_exists(const std::string& group) {
  const auto g = sqlite_text(group);
  auto r = run_sql("SELECT EXISTS (SELECT 1 FROM groups WHERE name = " + g +
                   ") OR EXISTS (SELECT 1 FROM servers WHERE group_name = " + g + ")");
  return !r.error && !r.rows.empty() && r.rows[0][0] == "1";
}

admin_result admin_engine::run_group_change(const ha_command& c) {
  const auto g = sqlite_text(c.group), s = sqlite_text(c.server);
  const bool exists = c.group.empty() || group_exists(c.group);
  switch (c.verb) {
    case ha_verb::create_group: {
      if (exists) return ha_refused("weft: group '" + c.group + "' exists");
      return run_sql("INSERT INTO groups (name) VALUES (" + g + ")");
    }
    case ha_verb::add_server: {
      if (!exists) return ha_refused("weft: no group '" + c.group + "' (CREATE GROUP first)");
      // The first server of a group is its primary; later ones are replicas (REPLICATE sets
      // their replication up, PROMOTE changes the primary).
      auto r = run_sql("INSERT INTO servers (address, group_name, role) VALUES (" + s + ", " + g +
                       ", CASE WHEN EXISTS (SELECT 1 FROM servers WHERE group_name = " + g +
                       " AND role = 'primary') THEN 'replica' ELSE 'primary' END)");
      if (r.error) return r;
      auto role = run_sql("SELECT role FROM servers WHERE address = " + s);
      if (!role.error && !role.rows.empty()) r.info = "added as " + role.rows[0][0].value_or("?");
      return r;
    }
    case ha_verb::remove_server: {
      auto r = run_sql("DELETE FROM servers WHERE address = " + s + (c.group.empty() ? "" : " AND group_name = " + g));
      if (!r.error && r.affected == 0) {
        return admin_result::failure(p::make_error(p::er::unknown_server, "weft: no server '" + c.server + "'" +
                                                                              (c.group.empty() ? "" : " in group '" + c.group + "'")));
      }
      return r;
    }
    case ha_verb::activate:
    case ha_verb::deactivate: {
      if (!exists) return ha_refused("weft: no group '" + c.group + "'");
      const bool on = c.verb == ha_verb::activate;
      return run_sql("INSERT INTO groups (name, failover) VALUES (" + g + ", '" + (on ? "auto" : "off") +
                     "') ON CONFLICT (name) DO UPDATE SET failover = " +
                     (on ? "CASE failover WHEN 'off' THEN 'auto' ELSE failover END" : "'off'"));
    }
    default:
      return ha_refused("weft: not a configuration command");
  }
}

}  // namespace weft::admin
