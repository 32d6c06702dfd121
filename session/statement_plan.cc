#include "session/statement_plan.h"

#include <spdlog/spdlog.h>

#include "session/log_text.h"

#include "protocol/errors.h"
#include "routing/session_effects.h"

namespace weft::session {
namespace p = protocol;

query_plan plan_query(std::string_view sql, const session_facts& session, const routing::topology& topology,
                      const std::vector<routing::query_rule>& rules, planner_cache& cache) {
  query_plan plan;
  plan.info = routing::classify(sql);
  const auto effect = routing::multiplexing_effect(sql);
  plan.pins = effect.pins;
  plan.pin_reason = effect.reason;
  plan.reads_insert_id = effect.reads_insert_id;
  plan.replayable_set = effect.replayable_set;

  std::optional<routing::target_role> rule_role;
  if (!rules.empty()) {
    const routing::rule_context ctx{session.user, session.schema, session.client_address};
    const auto key = routing::rule_cache::key_of(plan.info.digest, ctx);
    auto candidates = cache.rules.find(key);
    if (!candidates) {
      routing::classify(sql, &cache.scratch);  // the digest text, only on a cache miss
      candidates = routing::rule_candidates(rules, ctx, cache.scratch);
      cache.rules.store(key, *candidates);
    }
    if (*candidates != 0) {
      auto outcome = routing::apply_rules(rules, *candidates, sql);
      plan.rule_id = outcome.first_rule_id;
      if (outcome.log) {
        spdlog::info("event=query_rule rule={} user={} schema={} digest={:016x}", outcome.first_rule_id,
                     quoted{session.user}, quoted{session.schema}, plan.info.digest);
      }
      if (outcome.blocked_by) {
        plan.refusal = p::make_error(p::error_spec{outcome.blocked_by->block_code, "42000"},
                                     *outcome.blocked_by->block_message);
        return plan;
      }
      if (!outcome.route_group.empty()) plan.group = outcome.route_group;
      rule_role = outcome.route_role;
      if (outcome.rewritten) {
        plan.replacement = std::move(outcome.rewritten);
        // Route what is sent, not what was asked.
        plan.info = routing::classify(*plan.replacement);
        const auto rewritten_effect = routing::multiplexing_effect(*plan.replacement);
        plan.pins = rewritten_effect.pins;
        plan.pin_reason = rewritten_effect.reason;
        plan.reads_insert_id = rewritten_effect.reads_insert_id;
        plan.replayable_set = rewritten_effect.replayable_set;
      }
      if (outcome.timeout_ms) {
        // MariaDB aborts the statement itself (error 1969) when max_statement_time passes.
        const auto seconds = std::to_string(outcome.timeout_ms / 1000) + "." +
                             std::to_string(1000 + outcome.timeout_ms % 1000).substr(1);
        plan.replacement = "SET STATEMENT max_statement_time=" + seconds + " FOR " +
                           (plan.replacement ? *plan.replacement : std::string(sql));
      }
    }
  }
  if (plan.info.kind == routing::statement_kind::use) {
    plan.use_schema = routing::schema_of_use(plan.replacement ? std::string_view(*plan.replacement) : sql);
    if (plan.use_schema) plan.pins = false;
  }
  if (plan.group.empty() && !plan.info.hint_group.empty()) plan.group = plan.info.hint_group;
  const auto group = plan.group.empty() ? session.group : std::string_view(plan.group);
  plan.role = routing::role_for(plan.info, plan.pins, topology.policy_of(group));
  // A rule may send to the primary what would go to a replica, never the other way round.
  if (rule_role == routing::target_role::primary) plan.role = *rule_role;
  return plan;
}

std::string_view digest_text_for_stats(std::string_view sql, planner_cache& cache) {
  routing::classify(sql, &cache.scratch);
  return cache.scratch;
}

}  // namespace weft::session
