#include "sharding/scatter_plan.h"

#include <algorithm>

#include "sharding/sql_names.h"

namespace weft::sharding {
namespace {

// What in the statement's shape no merge can answer exactly.
std::string unmergeable(const statement_shape& shape) {
  if (shape.verb != statement_verb::select) return "only reads are sent to several shards";
  if (shape.union_) return "UNION, INTERSECT and EXCEPT across shards are not merged";
  if (shape.window) return "window functions across shards are not merged (each shard sees only its rows)";
  if (shape.with_cte) return "WITH (common table expressions) across shards is not merged";
  if (shape.subquery) return "subqueries across shards are not merged";
  if (shape.into) return "SELECT ... INTO across shards is refused";
  if (shape.locking) return "locking reads (FOR UPDATE, LOCK IN SHARE MODE) across shards are refused";
  if (shape.joins) return "joins across shards are not merged";
  if (shape.having) return "HAVING across shards is not merged yet (it would filter each shard's partial groups)";
  return {};
}

// A GROUP BY item as a select-list position (0-based), if it names one.
std::optional<std::size_t> item_of(const sort_item& s, const select_parts& parts) {
  if (s.position > 0) {
    return s.position <= parts.items.size() ? std::optional(s.position - 1) : std::nullopt;
  }
  for (std::size_t i = 0; i < parts.items.size(); ++i) {
    if (!parts.items[i].name.empty() && same_name(parts.items[i].name, s.name)) return i;
  }
  return std::nullopt;
}

// The aggregate columns and group keys; a refusal when a column is neither.
std::string plan_aggregates(const select_parts& parts, std::string_view sql, scatter_plan& plan, std::string& hidden) {
  for (const auto& g : parts.group_by) {
    const auto at = item_of(g, parts);
    if (!at || parts.items[*at].function != aggregate::none) {
      return "GROUP BY across shards needs each group column selected as it is (" +
             (g.position ? std::to_string(g.position) : g.name) + " is not)";
    }
    plan.group_by.push_back(*at);
  }
  std::size_t next_hidden = parts.items.size();
  for (std::size_t i = 0; i < parts.items.size(); ++i) {
    const auto& item = parts.items[i];
    merge_column column{item.function};
    if (item.star) return "SELECT * with aggregates across shards is not merged";
    if (item.function == aggregate::none &&
        std::find(plan.group_by.begin(), plan.group_by.end(), i) == plan.group_by.end()) {
      return "with aggregates across shards, every other selected column must be a GROUP BY column";
    }
    if (item.function == aggregate::avg) {
      const auto argument = std::string(sql.substr(item.argument_begin, item.argument_end - item.argument_begin));
      hidden += ", SUM(" + argument + "), COUNT(" + argument + ")";
      column.avg_sum = next_hidden++;
      column.avg_count = next_hidden++;
      plan.hidden_columns += 2;
    }
    plan.columns.push_back(column);
  }
  return {};
}

}  // namespace

scatter_decision plan_scatter(const statement_shape& shape, const select_parts& parts, std::string_view sql) {
  if (auto why = unmergeable(shape); !why.empty()) return {std::nullopt, why};
  if (!parts.problem.empty()) return {std::nullopt, parts.problem};
  scatter_plan plan;
  plan.aggregates = shape.aggregates || !parts.group_by.empty();
  plan.distinct = shape.distinct;
  plan.order_by = parts.order_by;
  std::string hidden;
  if (plan.aggregates) {
    if (auto why = plan_aggregates(parts, sql, plan, hidden); !why.empty()) return {std::nullopt, why};
  }
  if (plan.distinct && plan.aggregates) return {std::nullopt, "DISTINCT with aggregates across shards is not merged"};
  std::string limit_text;
  if (parts.limit) {
    plan.offset = parts.limit->offset;
    plan.count = parts.limit->count;
    // Each shard's first offset+count rows hold the answer's, unless rows merge first.
    if (!plan.aggregates && !plan.distinct) limit_text = "LIMIT " + std::to_string(parts.limit->offset + parts.limit->count);
  }
  std::string out(sql);
  if (parts.limit) out.replace(parts.limit->begin, parts.limit->end - parts.limit->begin, limit_text);
  if (!hidden.empty()) out.insert(parts.list_end, hidden + " ");
  plan.sql = std::move(out);
  return {std::move(plan), {}};
}

std::string scatter_plan::describe() const {
  std::string out = aggregates ? "re-aggregate" : distinct ? "distinct union" : "union";
  if (aggregates && !group_by.empty()) out += " by " + std::to_string(group_by.size()) + " group column(s)";
  if (!order_by.empty()) out += ", then sort by ORDER BY";
  if (count) out += ", then OFFSET " + std::to_string(offset) + " LIMIT " + std::to_string(*count);
  if (hidden_columns) out += " (" + std::to_string(hidden_columns) + " hidden columns for AVG)";
  return out;
}

}  // namespace weft::sharding
