// Learning a sharded table's key collation (sharding/key_collation.h): asked of the primary of
// the map's first shard once per worker, then kept until DDL on a sharded table passes weft.
#include <spdlog/spdlog.h>

#include "protocol/frame.h"
#include "session/log_text.h"
#include "session/machine.h"

namespace weft::session {
namespace {

namespace p = protocol;

}  // namespace

// One statement's answer from scatter_targets_'s one target, or nullopt when it did not answer at
// all (the server's own error is an answer).
resumable<std::optional<p::bytes>> machine::answer_on_target(std::string sql) {
  outgoing_ = p::encode(p::com_query{std::move(sql)});
  auto all = co_await scatter_gather(scatter_targets_, outgoing_);
  std::optional<p::bytes> answer;
  if (all.all_ok()) answer = std::move(all.responses[0].bytes);
  co_return answer;
}

resumable<void> machine::learn_key_collation(const sharding::sharded_table& table) {
  const auto* map = world_.shards().map_named(table.map);
  if (!map || map->shards.empty()) co_return;
  const bool ext = settings_.client_capabilities & p::cap::mariadb_extended_type_info;
  // (A copy: the catalog may be replaced while the shard answers.)
  const std::string group = map->shards[0].group;
  scatter_targets_.assign(1, target{routing::target_role::primary, group});
  // A shard that does not answer, or a table not created yet: nothing learned, asked again later.
  const auto column_answer = co_await answer_on_target(sharding::key_column_sql(table));
  if (!column_answer) co_return;
  const auto column = sharding::read_key_column(*column_answer, ext);
  if (!column.problem.empty()) co_return;
  auto& known = world_.planner().collations;
  const auto name = table.schema + "." + table.table;
  sharding::key_collations::column_folding folding;
  folding.weights = known.weights_of(column.collation);
  if (column.collation.empty()) {
    folding.why_not = "`" + table.column + "` is not a string column";
  } else if (!sharding::folds_per_character(column.collation)) {
    folding.why_not = "weft does not fold keys in collation " + column.collation + " (its weights are not per character)";
  } else if (!folding.weights) {
    // (Two statements, not a conditional around co_await: GCC destroys such temporaries twice.)
    const auto weights = co_await answer_on_target(sharding::weights_sql(column.collation, column.charset));
    if (!weights) co_return;
    const auto check = co_await answer_on_target(sharding::weights_check_sql(column.collation, column.charset));
    if (!check) co_return;
    folding.weights = sharding::collation_weights::load(column.charset, *weights, *check, ext, folding.why_not);
    if (folding.weights) known.keep_weights(column.collation, folding.weights);
    if (!folding.weights) folding.why_not = "collation " + column.collation + ": " + folding.why_not;
  }
  if (folding.weights) {
    spdlog::info("event=shard_key_collation table={} collation={} folds=yes", quoted{name}, quoted{column.collation});
  } else {
    spdlog::info("event=shard_key_collation table={} collation={} folds=no why={}", quoted{name},
                 quoted{column.collation}, quoted{folding.why_not});
  }
  known.learn(name, std::move(folding));
}

}  // namespace weft::session
