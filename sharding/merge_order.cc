#include "sharding/merge_order.h"

#include "sharding/sql_names.h"

namespace weft::sharding {

std::string resolve_order(const std::vector<column_info>& columns, std::size_t visible,
                          const std::vector<sort_item>& items, std::vector<sort_key>& out) {
  for (const auto& item : items) {
    std::optional<std::size_t> at;
    if (item.position > 0 && item.position <= visible) at = item.position - 1;
    for (std::size_t i = 0; item.position == 0 && i < visible; ++i) {
      if (!same_name(columns[i].name, item.name)) continue;
      if (at) return "ORDER BY " + item.name + " names two result columns";
      at = i;
    }
    if (!at) return "ORDER BY across shards sorts by selected columns only (" + item.name + " is not one)";
    const auto kind = kind_of(columns[*at]);
    if (kind == value_kind::unordered) {
      return "ORDER BY " + std::string(columns[*at].name) +
             ": its values are not ordered across shards (a string under a non-binary collation, ENUM, JSON)";
    }
    out.push_back({*at, item.descending, kind});
  }
  return {};
}

}  // namespace weft::sharding
