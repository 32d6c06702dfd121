// What sharding adds to a key-routed point select, per statement (issue 16's "at most 1.1x weft's
// CPU per query"): the text statement's whole decision (shape, route, key, hash), a prepared
// execute's route from its bound value, and the key hash alone. Run: build/bin/weft_micro_bench
// --benchmark_filter=Shard
#include <benchmark/benchmark.h>

#include <string>

#include "routing/statement_analysis.h"
#include "sharding/shard_decision.h"
#include "sharding/shard_key.h"

namespace {

namespace sharding = weft::sharding;

sharding::catalog sysbench_catalog() {
  sharding::catalog c;
  c.maps.push_back({"sb_map", sharding::map_type::hash, sharding::key_kind::integer, "global", {{"shard1", {}}, {"shard2", {}}}});
  c.tables = {{"sbshard", "sbtest1", "id", "sb_map"}};
  return c;
}

void BM_ShardDecisionText(benchmark::State& state) {
  const auto c = sysbench_catalog();
  weft::routing::statement_tokens tokens;
  int id = 0;
  std::string sql;
  for (auto _ : state) {
    sql = "SELECT c FROM sbtest1 WHERE id=" + std::to_string(++id % 10000);
    weft::routing::analyze(sql, tokens);
    auto d = sharding::decide_shards(tokens, "sbshard", c);
    benchmark::DoNotOptimize(d.route.shards.data());
  }
}
BENCHMARK(BM_ShardDecisionText);

void BM_ShardRouteExecute(benchmark::State& state) {
  const auto c = sysbench_catalog();
  weft::routing::statement_tokens tokens;
  tokens.lex("SELECT c FROM sbtest1 WHERE id=?");
  const auto shape = sharding::shape_of(tokens);
  int id = 0;
  for (auto _ : state) {
    const sharding::bound_value v[] = {{std::to_string(++id % 10000), true}};
    auto r = sharding::route_statement({shape, "sbshard", "", v}, c);
    benchmark::DoNotOptimize(r.shards.data());
  }
}
BENCHMARK(BM_ShardRouteExecute);

void BM_ShardKeyHash(benchmark::State& state) {
  int id = 0;
  std::string key;
  for (auto _ : state) {
    key = std::to_string(++id % 10000);
    benchmark::DoNotOptimize(sharding::jump_bucket(sharding::key_hash(key), 2));
  }
}
BENCHMARK(BM_ShardKeyHash);

}  // namespace
