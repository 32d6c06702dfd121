// Questions about a statement's tokens that its shape (statement_shape.h) does not answer:
// whether a statement weft does not parse names a sharded table at all, and which columns an
// UPDATE (or INSERT ... ON DUPLICATE KEY UPDATE) assigns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "routing/statement_tokens.h"
#include "sharding/shard_catalog.h"

namespace weft::sharding {

// The first sharded table the statement's tokens name, anywhere (in a string literal too, as
// PREPARE s FROM '...' holds one): nullptr when none. Errs on the side of seeing one.
const sharded_table* sharded_table_named(const routing::statement_tokens& tokens, std::string_view schema,
                                         const catalog& shards);

// The columns an UPDATE's SET list, or an ON DUPLICATE KEY UPDATE list, assigns (qualifiers
// stripped, unquoted).
std::vector<std::string> assigned_columns(const routing::statement_tokens& tokens);

}  // namespace weft::sharding
