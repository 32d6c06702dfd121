#include "session/statement_plan.h"

#include <spdlog/spdlog.h>

#include "session/log_text.h"

#include "protocol/errors.h"
#include "routing/session_effects.h"
#include "sharding/shard_decision.h"

namespace weft::session {
namespace p = protocol;
namespace {

// One lexer pass over `sql` (left in cache.tokens) decides what the plan knows of the statement.
void analyze_into(query_plan& plan, std::string_view sql, planner_cache& cache) {
  const auto analysis = routing::analyze(sql, cache.tokens);
  plan.info = analysis.info;
  plan.pins = analysis.effect.pins;
  plan.pin_reason = analysis.effect.reason;
  plan.reads_insert_id = analysis.effect.reads_insert_id;
  plan.sets_insert_id = analysis.effect.sets_insert_id;
  plan.replayable_set = analysis.effect.replayable_set;
}

// The rules that may match, by their conditions other than the raw text: cached per digest and
// session; the digest text is written (from the tokens already lexed) only on a cache miss.
std::uint64_t candidate_rules(const query_plan& plan, const session_facts& session,
                              const std::vector<routing::query_rule>& rules, planner_cache& cache) {
  const routing::rule_context ctx{session.user, session.schema, session.client_address};
  const auto key = routing::rule_cache::key_of(plan.info.digest, ctx);
  if (const auto cached = cache.rules.find(key)) return *cached;
  routing::digest_text(cache.tokens, cache.scratch);
  const auto candidates = routing::rule_candidates(rules, ctx, cache.scratch);
  cache.rules.store(key, candidates);
  return candidates;
}

// The query rules' actions on the plan; returns the role a rule asked for, if any.
std::optional<routing::target_role> apply_query_rules(query_plan& plan, std::string_view sql,
                                                      const session_facts& session,
                                                      const std::vector<routing::query_rule>& rules,
                                                      planner_cache& cache) {
  const auto candidates = candidate_rules(plan, session, rules, cache);
  if (candidates == 0) return std::nullopt;
  auto outcome = routing::apply_rules(rules, candidates, sql);
  if (cache.hits) cache.hits->count(rules, outcome.matched);
  plan.rule_id = outcome.first_rule_id;
  if (outcome.log) {
    spdlog::info("event=query_rule rule={} user={} schema={} digest={:016x}", outcome.first_rule_id,
                 quoted{session.user}, quoted{session.schema}, plan.info.digest);
  }
  if (outcome.blocked_by) {
    plan.refusal = p::make_error(p::error_spec{outcome.blocked_by->block_code, "42000"},
                                 *outcome.blocked_by->block_message);
    return std::nullopt;
  }
  if (!outcome.route_group.empty()) plan.group = outcome.route_group;
  if (outcome.rewritten) {
    plan.replacement = std::move(outcome.rewritten);
    analyze_into(plan, *plan.replacement, cache);  // route what is sent, not what was asked
  }
  plan.cache_ttl_ms = outcome.cache_ttl_ms;
  if (outcome.timeout_ms) {
    // MariaDB aborts the statement itself (error 1969) when max_statement_time passes.
    const auto seconds = std::to_string(outcome.timeout_ms / 1000) + "." +
                         std::to_string(1000 + outcome.timeout_ms % 1000).substr(1);
    plan.replacement = "SET STATEMENT max_statement_time=" + seconds + " FOR " +
                       (plan.replacement ? *plan.replacement : std::string(sql));
  }
  return outcome.route_role;
}

// What the result cache does with the statement: a read a rule marked is cached if it may be
// (filled from the primary: a replica's answer may predate a write weft has seen end, and would
// then be served for the whole TTL); a write names the tables it makes stale.
void plan_caching(query_plan& plan, const session_facts& session, planner_cache& cache) {
  plan.writes = tables_written(plan.info, cache.tokens, session.schema);
  if (!plan.cache_ttl_ms) return;
  auto read = check_cacheable_read(plan.info, cache.tokens, session.schema);
  if (!read.refusal.empty() || plan.scatter || plan.pins || plan.reads_insert_id) {
    plan.cache_ttl_ms = 0;
    return;
  }
  plan.cache_tables = std::move(read.tables);
  plan.role = routing::target_role::primary;
}

}  // namespace

void apply_shard_route(query_plan& plan, const session_facts& session, const sharding::catalog& shards,
                       planner_cache& cache, sharding::parameter_values params) {
  sharding::key_folding folding(&cache.collations, session.key_charset, session.may_learn_collations);
  auto decision = sharding::decide_shards(cache.tokens, session.schema, shards, params, &folding);
  const auto& route = decision.route;
  if (folding.wanted) plan.collation_wanted = *folding.wanted;
  switch (route.kind) {
    case sharding::route_kind::unsharded:
      return;  // where it goes without sharding: the session's group (make it the global group)
    case sharding::route_kind::refused:
      plan.refusal = p::make_error(p::er::shard_unroutable, "weft: " + route.reason);
      return;
    case sharding::route_kind::insert_ids:
    case sharding::route_kind::insert_split:
      plan.insert = sharding::insert_work_of(route, std::move(decision.shape));
      plan.sharded = true;
      return;
    case sharding::route_kind::write_shards:
      for (const auto s : route.shards) plan.write_groups.push_back(route.map->shards[s].group);
      plan.sharded = true;
      return;
    case sharding::route_kind::global:
      cache.collations.forget_tables();  // DDL on a sharded table may change its key's collation
      break;
    case sharding::route_kind::shards:
      break;
  }
  if (decision.scatter) {
    for (const auto s : route.shards) plan.scatter_groups.push_back(route.map->shards[s].group);
    plan.scatter = std::move(decision.scatter);
  } else {
    plan.group = std::string(route.group());
  }
  plan.sharded = true;
}

query_plan plan_query(std::string_view sql, const session_facts& session, const routing::topology& topology,
                      const std::vector<routing::query_rule>& rules, const sharding::catalog& shards,
                      planner_cache& cache) {
  query_plan plan;
  analyze_into(plan, sql, cache);
  std::optional<routing::target_role> rule_role;
  if (!rules.empty()) {
    rule_role = apply_query_rules(plan, sql, session, rules, cache);
    if (plan.refusal) return plan;
  }
  if (plan.info.kind == routing::statement_kind::use) {
    plan.use_schema = routing::schema_of_use(plan.replacement ? std::string_view(*plan.replacement) : sql);
    if (plan.use_schema) plan.pins = false;
  }
  if (plan.group.empty() && !plan.info.hint_group.empty()) plan.group = plan.info.hint_group;
  if (!shards.empty()) {
    apply_shard_route(plan, session, shards, cache);
    if (plan.refusal) return plan;
  }
  const auto group = plan.group.empty() ? session.group : std::string_view(plan.group);
  plan.role = routing::role_for(plan.info, plan.pins, topology.policy_of(group));
  // A rule may send to the primary what would go to a replica, never the other way round.
  if (rule_role == routing::target_role::primary) plan.role = *rule_role;
  if (session.result_cache) {
    plan_caching(plan, session, cache);
  } else {
    plan.cache_ttl_ms = 0;
  }
  return plan;
}

statement_caching plan_statement_caching(std::string_view sql, const session_facts& session,
                                         const std::vector<routing::query_rule>& rules, planner_cache& cache) {
  statement_caching out;
  if (!session.result_cache || rules.empty()) return out;
  query_plan plan;
  analyze_into(plan, sql, cache);
  const auto candidates = candidate_rules(plan, session, rules, cache);
  if (candidates == 0) return out;
  const auto outcome = routing::apply_rules(rules, candidates, sql);
  if (!outcome.cache_ttl_ms || outcome.blocked_by || outcome.rewritten || plan.pins || plan.reads_insert_id) return out;
  auto read = check_cacheable_read(plan.info, cache.tokens, session.schema);
  if (!read.refusal.empty()) return out;
  out.ttl_ms = outcome.cache_ttl_ms;
  out.tables = std::move(read.tables);
  return out;
}

std::string_view digest_text_for_stats(std::string_view sql, planner_cache& cache) {
  const auto lexed = cache.tokens.sql();
  if (lexed.data() == sql.data() && lexed.size() == sql.size()) {
    routing::digest_text(cache.tokens, cache.scratch);  // the statement just planned
  } else {
    routing::classify(sql, &cache.scratch);
  }
  return cache.scratch;
}

}  // namespace weft::session
