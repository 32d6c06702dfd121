// One table present on both sides (pure): the ALTER TABLE that makes it like the model's, one
// clause per change, foreign keys aside (ops/schema_diff.cc orders those across tables). One
// statement per table: one rebuild, and the server checks the end state as a whole (an
// AUTO_INCREMENT column and its key, an index a foreign key needs replaced by another).
#pragma once

#include <optional>
#include <set>
#include <string>

#include "ops/schema_model.h"

namespace weft::ops {

struct table_alter {
  std::optional<std::string> statement;  // nullopt: nothing to change
  // Columns whose definition changes (not only their place): foreign keys over them are
  // dropped before and added after, as the server refuses to change such a column.
  std::set<std::string> changed_columns;
};

table_alter diff_table(const std::string& database, const table_def& target, const table_def& model);

// Columns, indexes, checks, options and foreign keys all alike.
bool same_definition(const table_def& a, const table_def& b);

}  // namespace weft::ops
