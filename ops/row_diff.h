// Two sides' rows of one chunk matched by key as the server compares keys (a key that differs
// only by case in a _ci collation is the same key), and the statements that repair one side.
// Pure; unit-tested.
#pragma once

#include <string>
#include <vector>

#include "monitor/sql_result.h"
#include "ops/compare_sql.h"

namespace weft::ops {

struct row_difference {
  enum class kind { missing, extra, changed };  // missing: on a only; extra: on b only
  kind what = kind::changed;
  monitor::value_row a;  // the row on a (empty for extra)
  monitor::value_row b;  // the row on b (empty for missing)
};

// Rows as rows_query returns them (columns, then the key's merge values). A table without a
// key is matched as a multiset of whole rows (then there is no "changed").
std::vector<row_difference> diff_rows(const table_shape& t, const monitor::result_table& a,
                                      const monitor::result_table& b, const std::vector<std::string>& ignore);

// The statement that makes `target` hold what `model` holds for one difference:
// INSERT (a missing row), DELETE (an extra one), UPDATE of the differing columns.
// repair_a: the statements change a (CHANGES FOR 'a'); otherwise b.
std::string repair_statement(const table_shape& t, const std::vector<monitor::result_column>& columns,
                             const row_difference& d, bool repair_a, const std::vector<std::string>& ignore);

}  // namespace weft::ops
