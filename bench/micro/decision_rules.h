// A realistic rule set for the decision benchmark: ten rules, nine matching on the digest text
// (routing and blocking by table, as a DBA writes them) and one on the raw text (a regex the
// cache cannot answer, so it runs on every statement).
#pragma once

#include <string>
#include <vector>

#include "routing/query_rules.h"

namespace weft::bench {

inline std::vector<routing::query_rule> decision_rules() {
  std::vector<routing::query_rule> rules;
  const auto add = [&](std::uint32_t id, const std::string& digest, const std::string& pattern) {
    routing::query_rule r;
    r.id = id;
    std::string error;
    if (!digest.empty()) r.match_digest = routing::compile_rule_regex(digest, error);
    if (!pattern.empty()) r.match_pattern = routing::compile_rule_regex(pattern, error);
    rules.push_back(std::move(r));
    return &rules.back();
  };
  add(1, "^SELECT .* FROM audit_log", "")->route_group = "archive";
  add(2, "^DELETE FROM audit_log", "")->block_message = "no deletes on the audit log";
  add(3, "FROM reports_", "")->route_role = routing::target_role::replica;
  add(4, "^SELECT SLEEP", "")->timeout_ms = 1000;
  add(5, "^UPDATE accounts SET balance", "")->log = true;
  add(6, "^SELECT .* FROM orders_archive", "")->route_group = "archive";
  add(7, "^DROP ", "")->block_message = "no DROP through the proxy";
  add(8, "^TRUNCATE ", "")->block_message = "no TRUNCATE through the proxy";
  add(9, "FOR UPDATE$", "")->route_role = routing::target_role::primary;
  add(10, "", "(?i)/\\*\\s*weft-archive\\s*\\*/")->route_group = "archive";
  return rules;
}

}  // namespace weft::bench
