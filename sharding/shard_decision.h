// The one decision the proxy (session/statement_plan.cc) and the admin's EXPLAIN ROUTE share:
// where a statement goes by the shard maps (statement_route.h) and, for a read that needs
// several shards, what each shard runs and how their answers merge (scatter_plan.h). A read
// across shards that cannot be merged exactly is a refusal like any other.
#pragma once

#include <optional>
#include <string_view>

#include "routing/statement_tokens.h"
#include "sharding/scatter_plan.h"
#include "sharding/shard_catalog.h"
#include "sharding/statement_route.h"
#include "sharding/statement_shape.h"

namespace weft::sharding {

struct shard_decision {
  statement_shape shape;  // what the decision read of the statement
  // refused: route.reason is the error's text (without "weft: "), also when a read across
  // shards cannot be merged.
  shard_route route;
  std::optional<scatter_plan> scatter;  // route.shards holds several shards: the read is scatter-gathered
};

// `tokens`: the statement, lexed; `schema`: the database of unqualified names ("": none);
// `params`: a prepared statement's bound values (empty for text).
// `folding`: how string keys beyond ASCII fold (statement_route.h).
shard_decision decide_shards(const routing::statement_tokens& tokens, std::string_view schema, const catalog& shards,
                             parameter_values params = {}, key_folding* folding = nullptr);

}  // namespace weft::sharding
