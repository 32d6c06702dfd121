#include "admin/ha_commands.h"

#include "ops/ha_manager.h"
#include "protocol/errors.h"

namespace weft::admin {
namespace {

namespace p = protocol;
using routing::server_role;
using routing::server_status;

bool group_exists(const routing::topology& t, const std::string& group) {
  for (const auto& g : t.groups) {
    if (g.name == group) return true;
  }
  for (const auto& s : t.servers) {
    if (s.group == group) return true;
  }
  return false;
}

// Fabric's words for a server's place in its group.
std::string fabric_status(const routing::server& s) {
  if (s.role == server_role::primary) return s.status == server_status::online ? "PRIMARY" : "FAULTY";
  if (s.status == server_status::online) return "SECONDARY";
  if (s.status == server_status::offline_soft) return "SPARE";
  return "FAULTY";
}

std::string mode_of(const routing::server& s) {
  if (s.status == server_status::offline_hard || (s.health.checked && !s.health.reachable)) return "OFFLINE";
  return s.role == server_role::primary && !s.health.read_only ? "READ_WRITE" : "READ_ONLY";
}

std::vector<std::string> group_names(const routing::topology& t) {
  std::vector<std::string> names;
  const auto add = [&](const std::string& n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  for (const auto& s : t.servers) add(s.group);
  for (const auto& g : t.groups) add(g.name);
  return names;
}

admin_result show_groups(const routing::topology& t, bool fabric) {
  auto r = fabric ? admin_result::table({"group_id", "description", "failure_detector", "master_uuid"})
                  : admin_result::table({"group_name", "primary", "replicas", "failover", "failure_detector", "status"});
  for (const auto& name : group_names(t)) {
    const auto& policy = t.policy_of(name);
    const auto* primary = t.primary_of(name);
    const bool active = policy.failover != routing::failover_mode::off;
    std::size_t replicas = 0;
    for (const auto& s : t.servers) replicas += s.group == name && s.role == server_role::replica;
    const auto primary_name = primary ? std::optional(primary->name) : std::nullopt;
    if (fabric) {
      r.rows.push_back({name, std::nullopt, std::string(active ? "ACTIVE" : "INACTIVE"), primary_name});
      continue;
    }
    routing::topology one;
    for (const auto& s : t.servers) {
      if (s.group == name) one.servers.push_back(s);
    }
    const auto unready = routing::unready_reason(one);
    r.rows.push_back({name, primary_name, std::to_string(replicas), std::string(routing::to_string(policy.failover)),
                      std::string(active ? "ACTIVE" : "INACTIVE"),
                      one.servers.empty() ? std::string("no servers") : unready.value_or("ready")});
  }
  return r;
}

admin_result group_servers(const routing::topology& t, const std::string& group, bool fabric) {
  auto r = fabric ? admin_result::table({"server_uuid", "address", "status", "mode", "weight"})
                  : admin_result::table({"address", "role", "status", "mode", "weight", "health"});
  for (const auto& s : t.servers) {
    if (s.group != group) continue;
    if (fabric) {
      r.rows.push_back({s.health.server_id ? std::optional(std::to_string(s.health.server_id)) : std::nullopt, s.name,
                        fabric_status(s), mode_of(s), std::to_string(s.weight)});
    } else {
      r.rows.push_back({s.name, std::string(routing::to_string(s.role)), std::string(routing::to_string(s.status)),
                        mode_of(s), std::to_string(s.weight), health_of(s)});
    }
  }
  return r;
}

}  // namespace

admin_result run_ha_command(const ha_command& c, const command_context& ctx) {
  const auto t = ctx.topology->load();
  const bool needs_group = c.verb == ha_verb::group_health || c.verb == ha_verb::group_servers ||
                           c.verb == ha_verb::promote || c.verb == ha_verb::demote;
  if (needs_group && !group_exists(*t, c.group)) {
    return ha_refused("weft: no group '" + c.group + "'");
  }
  switch (c.verb) {
    case ha_verb::show_groups: return show_groups(*t, c.fabric_form);
    case ha_verb::group_servers: return group_servers(*t, c.group, c.fabric_form);
    case ha_verb::group_health: return show_health(ctx, c.group);
    default: break;
  }
  if (!ctx.ha) {
    return ha_refused("weft: HA operations need the admin's backend account");
  }
  return ctx.ha->run(c);
}

}  // namespace weft::admin
