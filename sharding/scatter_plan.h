// How a read that needs several shards is answered: the statement each shard runs (LIMIT m
// OFFSET n sent as LIMIT n+m; AVG's SUM and COUNT added as hidden columns) and how the shards'
// result sets become one (union, sort by ORDER BY, re-aggregation by GROUP BY, DISTINCT, then
// OFFSET and LIMIT). A read that cannot be merged exactly gets a refusal that says why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sharding/select_parts.h"
#include "sharding/statement_shape.h"

namespace weft::sharding {

struct merge_column {
  aggregate function = aggregate::none;  // none: a GROUP BY column (its value kept)
  std::size_t avg_sum = 0, avg_count = 0;  // AVG: its hidden SUM and COUNT columns
};

struct scatter_plan {
  std::string sql;                     // what every shard runs
  bool aggregates = false;             // rows combine into one per group
  std::vector<merge_column> columns;   // aggregates: one per visible column
  std::vector<std::size_t> group_by;   // aggregates: the group's columns (0-based)
  std::vector<sort_item> order_by;     // names or positions, resolved against the result's columns
  bool distinct = false;
  std::uint64_t offset = 0;
  std::optional<std::uint64_t> count;  // LIMIT
  std::size_t hidden_columns = 0;      // at the end of each shard's rows, never sent to the client

  std::string describe() const;  // "union", "merge ORDER BY ...", for EXPLAIN ROUTE
};

struct scatter_decision {
  std::optional<scatter_plan> plan;
  std::string refusal;  // when there is no plan
};

scatter_decision plan_scatter(const statement_shape& shape, const select_parts& parts, std::string_view sql);

}  // namespace weft::sharding
