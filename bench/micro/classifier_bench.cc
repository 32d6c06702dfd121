// Classifier throughput on a typical OLTP mix (sysbench's statements plus ORM-style ones).
// Target (issue 4): at least 2 M statements per second per core. Run: build/bin/weft_micro_bench
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

#include "bench/micro/decision_rules.h"
#include "routing/classifier.h"
#include "routing/query_rules.h"
#include "routing/session_effects.h"

namespace {

constexpr std::string_view oltp_mix[] = {
    "SELECT c FROM sbtest1 WHERE id=5023",
    "SELECT c FROM sbtest7 WHERE id BETWEEN 4511 AND 4610",
    "SELECT SUM(k) FROM sbtest3 WHERE id BETWEEN 100 AND 199",
    "SELECT c FROM sbtest2 WHERE id BETWEEN 77 AND 176 ORDER BY c",
    "SELECT DISTINCT c FROM sbtest4 WHERE id BETWEEN 9 AND 108 ORDER BY c",
    "UPDATE sbtest5 SET k=k+1 WHERE id=4999",
    "UPDATE sbtest6 SET c='83868641912-28773972837-60736120486-75162659906' WHERE id=4111",
    "DELETE FROM sbtest8 WHERE id=5001",
    "INSERT INTO sbtest8 (id, k, c, pad) VALUES (5001, 4992, '6796-2873', '2255-3993')",
    "SELECT `users`.`id`, `users`.`email` FROM `users` WHERE `users`.`id` = 42 LIMIT 1",
    "BEGIN",
    "COMMIT",
};

void BM_Classify(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    auto info = weft::routing::classify(oltp_mix[i]);
    benchmark::DoNotOptimize(info);
    if (++i == std::size(oltp_mix)) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Classify);

void BM_ClassifyWithDigestText(benchmark::State& state) {
  std::string text;
  std::size_t i = 0;
  for (auto _ : state) {
    auto info = weft::routing::classify(oltp_mix[i], &text);
    benchmark::DoNotOptimize(info);
    if (++i == std::size(oltp_mix)) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ClassifyWithDigestText);

void BM_MultiplexingEffect(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    auto effect = weft::routing::multiplexing_effect(oltp_mix[i]);
    benchmark::DoNotOptimize(effect);
    if (++i == std::size(oltp_mix)) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_MultiplexingEffect);

// The whole per-statement decision, as plan_query makes it: classify, multiplexing effects
// (with the LAST_INSERT_ID facts), the digest, and the rule lookup (warm cache; the raw-text
// rule's regex runs on every statement). Target (issue 12): at least 3 M statements per second.
void BM_Decision(benchmark::State& state) {
  const auto rules = weft::bench::decision_rules();
  weft::routing::rule_cache cache;
  std::string digest_text;
  const weft::routing::rule_context ctx{"app", "sbtest", "10.0.0.7"};
  std::size_t i = 0;
  for (auto _ : state) {
    const auto sql = oltp_mix[i];
    const auto info = weft::routing::classify(sql);
    const auto effect = weft::routing::multiplexing_effect(sql);
    const bool sets = effect.reads_insert_id && weft::routing::sets_insert_id(sql);
    const auto key = weft::routing::rule_cache::key_of(info.digest, ctx);
    auto candidates = cache.find(key);
    if (!candidates) {
      weft::routing::classify(sql, &digest_text);
      candidates = weft::routing::rule_candidates(rules, ctx, digest_text);
      cache.store(key, *candidates);
    }
    if (*candidates != 0) {
      auto outcome = weft::routing::apply_rules(rules, *candidates, sql);
      benchmark::DoNotOptimize(outcome);
    }
    benchmark::DoNotOptimize(info);
    benchmark::DoNotOptimize(effect);
    benchmark::DoNotOptimize(sets);
    if (++i == std::size(oltp_mix)) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Decision);

}  // namespace

BENCHMARK_MAIN();
