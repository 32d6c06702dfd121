#include "config/config_validation.h"

#include <algorithm>
#include <set>

namespace weft::config {
namespace {

using place = config_problem::place;

std::set<std::string> groups_with_servers(const routing::topology& t) {
  std::set<std::string> groups;
  for (const auto& s : t.servers) groups.insert(s.group);
  return groups;
}

// No primary: the group as a whole; more than one: the second primary's row.
void check_primaries(const routing::topology& t, const std::string& group, std::vector<config_problem>& out) {
  std::optional<std::size_t> first;
  for (std::size_t i = 0; i < t.servers.size(); ++i) {
    if (t.servers[i].group != group || t.servers[i].role != routing::server_role::primary) continue;
    if (first) {
      out.push_back({place::servers, i, "group '" + group + "' has more than one primary"});
      return;
    }
    first = i;
  }
  if (!first) out.push_back({place::servers, std::nullopt, "group '" + group + "' has no primary"});
}

void check_rules(const std::vector<routing::query_rule>& rules, const std::set<std::string>& groups,
                 std::vector<config_problem>& out) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    if (!r.route_group.empty() && !groups.count(r.route_group)) {
      out.push_back({place::rules, i,
                     "rule " + std::to_string(r.id) + " routes to group '" + r.route_group +
                         "', which has no [[servers]]"});
    }
  }
  // The rule cache keeps the candidate rules of a statement as one 64-bit mask.
  if (rules.size() > 64) out.push_back({place::rules, 64, "at most 64 rules"});
}

// A shard map's groups must be able to take statements: each needs servers.
void check_shard_groups(const sharding::catalog& shards, const std::set<std::string>& groups,
                        std::vector<config_problem>& out) {
  for (std::size_t i = 0; i < shards.maps.size(); ++i) {
    const auto& m = shards.maps[i];
    const auto check = [&](const std::string& group, const char* as) {
      if (!groups.count(group)) {
        out.push_back({place::shard_maps, i,
                       "shard map '" + m.name + "': " + as + " '" + group + "' has no [[servers]]"});
      }
    };
    check(m.global_group, "global group");
    for (const auto& s : m.shards) check(s.group, "shard group");
  }
}

}  // namespace

std::vector<config_problem> validate_whole(const routing::topology& t, const proxy::runtime_snapshot& runtime,
                                           validation_options options) {
  std::vector<config_problem> out;
  if (t.servers.empty()) {
    out.push_back({place::servers, std::nullopt, "no [[servers]] configured"});
    return out;
  }
  const auto groups = groups_with_servers(t);
  for (const auto& g : groups) check_primaries(t, g, out);
  if (options.groups_need_servers) {
    for (std::size_t i = 0; i < t.groups.size(); ++i) {
      if (!groups.count(t.groups[i].name)) {
        out.push_back({place::groups, i, "group '" + t.groups[i].name + "' has no [[servers]]"});
      }
    }
  }
  check_rules(runtime.rules, groups, out);
  check_shard_groups(runtime.shards, groups, out);
  return out;
}

void add_default_policies(routing::topology& t) {
  for (const auto& g : groups_with_servers(t)) {
    if (std::none_of(t.groups.begin(), t.groups.end(), [&](const auto& p) { return p.name == g; })) {
      routing::group_policy defaults;
      defaults.name = g;
      t.groups.push_back(std::move(defaults));
    }
  }
}

}  // namespace weft::config
