// The shards' result sets of one scattered read made into the one answer a single server would
// give (scatter_plan.h says how): rows sorted, groups re-aggregated, duplicates removed, OFFSET
// and LIMIT applied, hidden columns dropped. Whatever cannot be merged exactly (a sort on a
// `_ci` string, SUM over floating point) is refused with the reason; never approximated.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "protocol/bytes.h"
#include "sharding/scatter_plan.h"

namespace weft::sharding {

struct merged_answer {
  protocol::bytes frames;         // the whole response, sequence ids from 1
  std::string refusal;            // non-empty: nothing to send but this reason (frames empty)
  std::uint64_t rows = 0;
};

// `responses`: each shard's whole response (frames as the server sent them). A shard's ERR is
// the answer (the first one, as a single server would have failed). At most `max_rows` rows are
// merged (beyond: refused).
// `extended_type_info`: the connections agreed on MariaDB's extended type info.
merged_answer merge_results(std::span<const protocol::bytes_view> responses, const scatter_plan& plan,
                            std::size_t max_rows, bool extended_type_info = false);

}  // namespace weft::sharding
