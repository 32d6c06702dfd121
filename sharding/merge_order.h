// The ORDER BY of a read across shards as weft compares rows (result_merge.h, stream_merge.h):
// which visible columns, in which direction, compared as what kind of value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sharding/result_view.h"
#include "sharding/scatter_plan.h"
#include "sharding/value_order.h"

namespace weft::sharding {

struct sort_key {
  std::size_t column = 0;
  bool descending = false;
  value_kind kind = value_kind::unordered;
};

// ORDER BY items as visible columns whose values can be ordered; a refusal otherwise.
std::string resolve_order(const std::vector<column_info>& columns, std::size_t visible,
                          const std::vector<sort_item>& items, std::vector<sort_key>& out);

// a before b by the keys; `failed` set when a value could not be read. (Rows owned or viewed.)
template <typename Row>
bool before(const Row& a, const Row& b, const std::vector<sort_key>& keys, bool& failed) {
  for (const auto& k : keys) {
    const auto c = compare_values(k.kind, a[k.column], b[k.column]);
    if (!c) {
      failed = true;
      return false;
    }
    if (*c != 0) return k.descending ? *c > 0 : *c < 0;
  }
  return false;
}

}  // namespace weft::sharding
