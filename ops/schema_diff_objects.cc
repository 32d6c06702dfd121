#include "ops/schema_diff_objects.h"

#include <algorithm>
#include <tuple>

#include "ops/dependency_order.h"
#include "ops/schema_sql.h"
#include "ops/schema_text.h"
#include "ops/sql_values.h"

namespace weft::ops {
namespace {

bool same_text(const std::string& a, const std::string& b) { return compact_sql(a) == compact_sql(b); }

std::string or_replace(const std::string& create) {
  return create.starts_with("CREATE ") ? "CREATE OR REPLACE " + create.substr(7) : create;
}

// --- triggers -----------------------------------------------------------------------------

bool same_trigger(const trigger_def& a, const trigger_def& b) {
  return a.name == b.name && a.table == b.table && a.timing == b.timing && a.event == b.event &&
         same_text(a.body, b.body);
}

bool has_trigger(const schema_snapshot& s, const std::string& name) {
  return std::any_of(s.triggers.begin(), s.triggers.end(), [&](const trigger_def& t) { return t.name == name; });
}

struct trigger_plan {
  std::vector<const trigger_def*> drop, create;
};

using trigger_group = std::tuple<std::string, std::string, std::string>;  // table, timing, event
trigger_group group_of(const trigger_def& t) { return {t.table, t.timing, t.event}; }

// Triggers on one event fire in the order they were made, and a new one goes last. So in each
// group the common leading run stays; the target's triggers after it are dropped and the
// model's made again in order.
trigger_plan plan_triggers(const schema_snapshot& target, const schema_snapshot& model) {
  trigger_plan plan;
  std::map<trigger_group, std::pair<std::vector<const trigger_def*>, std::vector<const trigger_def*>>> groups;
  for (const auto& t : target.triggers) {
    if (has_trigger(model, t.name)) {
      groups[group_of(t)].first.push_back(&t);
    } else {
      plan.drop.push_back(&t);
    }
  }
  for (const auto& m : model.triggers) groups[group_of(m)].second.push_back(&m);
  for (const auto& [group, sides] : groups) {
    const auto& [have, want] = sides;
    std::size_t kept = 0;
    while (kept < have.size() && kept < want.size() && same_trigger(*have[kept], *want[kept])) ++kept;
    plan.drop.insert(plan.drop.end(), have.begin() + static_cast<std::ptrdiff_t>(kept), have.end());
    plan.create.insert(plan.create.end(), want.begin() + static_cast<std::ptrdiff_t>(kept), want.end());
  }
  return plan;
}

}  // namespace

std::vector<schema_change> extra_definitions(const std::string& kind, const std::string& database,
                                             const definitions& target, const definitions& model) {
  std::vector<schema_change> out;
  for (const auto& [name, create] : target) {
    if (!model.contains(name))
      out.push_back({kind, name, "DROP", "DROP " + kind + " " + qualified_name(database, name)});
  }
  return out;
}

std::vector<schema_change> missing_definitions(const std::string& kind, const std::string& database,
                                               const definitions& target, const definitions& model) {
  std::vector<schema_change> out;
  for (const auto& [name, create] : model) {
    const auto it = target.find(name);
    if (it == target.end()) {
      out.push_back({kind, name, "CREATE", create});
    } else if (!same_text(it->second, create)) {
      out.push_back({kind, name, "ALTER", "DROP " + kind + " " + qualified_name(database, name)});
      out.push_back({kind, name, "ALTER", create});
    }
  }
  return out;
}

std::vector<schema_change> missing_views(const definitions& target, const definitions& model) {
  std::vector<std::string> names;
  for (const auto& [name, create] : model) names.push_back(name);
  const auto order = order_by_dependencies(names, [&](const std::string& view) {
    std::vector<std::string> used;
    for (const auto& other : names) {
      if (other != view && mentions_name(model.at(view), other)) used.push_back(other);
    }
    return used;
  });
  std::vector<schema_change> out;
  for (const auto& name : order.order) {
    const auto& create = model.at(name);
    const auto it = target.find(name);
    if (it == target.end()) {
      out.push_back({"VIEW", name, "CREATE", create});
    } else if (!same_text(it->second, create)) {
      out.push_back({"VIEW", name, "ALTER", or_replace(create)});
    }
  }
  return out;
}

std::vector<schema_change> trigger_drops(const schema_snapshot& target, const schema_snapshot& model) {
  std::vector<schema_change> out;
  for (const auto* t : plan_triggers(target, model).drop) {
    out.push_back({"TRIGGER", t->name, has_trigger(model, t->name) ? "ALTER" : "DROP",
                   "DROP TRIGGER " + qualified_name(target.database, t->name)});
  }
  return out;
}

std::vector<schema_change> trigger_creates(const schema_snapshot& target, const schema_snapshot& model) {
  std::vector<schema_change> out;
  for (const auto* t : plan_triggers(target, model).create) {
    out.push_back({"TRIGGER", t->name, has_trigger(target, t->name) ? "ALTER" : "CREATE",
                   trigger_statement(*t, target.database)});
  }
  return out;
}

}  // namespace weft::ops
