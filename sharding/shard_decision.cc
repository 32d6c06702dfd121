#include "sharding/shard_decision.h"

#include <string>

#include "sharding/select_parts.h"

namespace weft::sharding {

shard_decision decide_shards(const routing::statement_tokens& tokens, std::string_view schema, const catalog& shards,
                             parameter_values params, key_folding* folding) {
  shard_decision d;
  d.shape = shape_of(tokens);
  d.route = route_statement({d.shape, schema, tokens.hint(), params, &tokens, folding}, shards);
  if (d.route.kind != route_kind::shards || d.route.single()) return d;
  auto scatter = plan_scatter(d.shape, select_parts_of(tokens), tokens.sql());
  if (!scatter.plan) {
    d.route.kind = route_kind::refused;
    d.route.reason = "the statement needs " + std::to_string(d.route.shards.size()) + " shards of map '" +
                     d.route.map->name + "', and " + scatter.refusal;
    return d;
  }
  d.scatter = std::move(scatter.plan);
  return d;
}

}  // namespace weft::sharding
