// Per-statement routing cost on a typical OLTP mix (sysbench's statements plus ORM-style ones).
// Targets: classification at least 2 M statements per second per core (issue 4); the whole
// decision (BM_Decision) at least 3 M (issue 12). Run: build/bin/weft_micro_bench
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

#include "bench/micro/decision_rules.h"
#include "routing/classifier.h"
#include "routing/query_rules.h"
#include "routing/session_effects.h"
#include "routing/statement_analysis.h"

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

namespace routing = weft::routing;

// Lexing plus classification (a worker's reused token buffer, as the proxy does).
void BM_Classify(benchmark::State& state) {
  routing::statement_tokens tokens;
  std::size_t i = 0;
  for (auto _ : state) {
    tokens.lex(oltp_mix[i]);
    auto info = routing::classify(tokens);
    benchmark::DoNotOptimize(info);
    if (++i == std::size(oltp_mix)) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Classify);

void BM_ClassifyWithDigestText(benchmark::State& state) {
  routing::statement_tokens tokens;
  std::string text;
  std::size_t i = 0;
  for (auto _ : state) {
    tokens.lex(oltp_mix[i]);
    auto info = routing::classify(tokens, &text);
    benchmark::DoNotOptimize(info);
    if (++i == std::size(oltp_mix)) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ClassifyWithDigestText);

void BM_MultiplexingEffect(benchmark::State& state) {
  routing::statement_tokens tokens;
  std::size_t i = 0;
  for (auto _ : state) {
    tokens.lex(oltp_mix[i]);
    auto effect = routing::multiplexing_effect(tokens);
    benchmark::DoNotOptimize(effect);
    if (++i == std::size(oltp_mix)) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_MultiplexingEffect);

// One lexer pass answering classification, digest and effects (LAST_INSERT_ID facts included).
void BM_Analyze(benchmark::State& state) {
  routing::statement_tokens tokens;
  std::size_t i = 0;
  for (auto _ : state) {
    auto analysis = routing::analyze(oltp_mix[i], tokens);
    benchmark::DoNotOptimize(analysis);
    if (++i == std::size(oltp_mix)) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Analyze);

// The whole per-statement decision, as plan_query makes it: one analysis (classification,
// multiplexing effects with the LAST_INSERT_ID facts, the digest) and the rule lookup (warm
// cache; the raw-text rule's regex runs on every statement; hits counted per worker).
// Target (issue 12): at least 3 M statements per second on one core.
void BM_Decision(benchmark::State& state) {
  const auto rules = weft::bench::decision_rules();
  routing::rule_cache cache;
  routing::rule_hits hits;
  routing::statement_tokens tokens;
  std::string digest_text;
  const routing::rule_context ctx{"app", "sbtest", "10.0.0.7"};
  std::size_t i = 0;
  for (auto _ : state) {
    const auto analysis = routing::analyze(oltp_mix[i], tokens);
    const auto key = routing::rule_cache::key_of(analysis.info.digest, ctx);
    auto candidates = cache.find(key);
    if (!candidates) {
      routing::digest_text(tokens, digest_text);
      candidates = routing::rule_candidates(rules, ctx, digest_text);
      cache.store(key, *candidates);
    }
    if (*candidates != 0) {
      auto outcome = routing::apply_rules(rules, *candidates, oltp_mix[i]);
      hits.count(rules, outcome.matched);
      benchmark::DoNotOptimize(outcome);
    }
    benchmark::DoNotOptimize(analysis);
    if (++i == std::size(oltp_mix)) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Decision);

}  // namespace

BENCHMARK_MAIN();
