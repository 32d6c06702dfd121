#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "routing/query_rules.h"

namespace weft::routing {
namespace {

std::shared_ptr<const re2::RE2> regex(const std::string& pattern) {
  std::string error;
  auto re = compile_rule_regex(pattern, error);
  EXPECT_TRUE(re != nullptr) << pattern << ": " << error;
  return re;
}

query_rule rule(std::uint32_t id) {
  query_rule r;
  r.id = id;
  return r;
}

// Counts an outcome's hits the way a worker does, and passes the outcome on.
rule_outcome counted(rule_hits& hits, const std::vector<query_rule>& rules, rule_outcome out) {
  hits.count(rules, out.matched);
  return out;
}

constexpr std::uint64_t all = ~std::uint64_t{0};

// --- compile_rule_regex, client_matches -----------------------------------------------------

TEST(CompileRuleRegex, ReportsTheError) {
  std::string error;
  EXPECT_TRUE(compile_rule_regex("([", error) == nullptr);
  EXPECT_FALSE(error.empty());

  error.clear();
  EXPECT_TRUE(compile_rule_regex("^select .* from orders", error) != nullptr);
  EXPECT_TRUE(error.empty()) << error;
}

TEST(ClientMatches, ExactAddress) {
  EXPECT_TRUE(client_matches("10.1.2.3", "10.1.2.3"));
  EXPECT_FALSE(client_matches("10.1.2.3", "10.1.2.4"));
  EXPECT_TRUE(client_matches("::1", "::1"));
  EXPECT_FALSE(client_matches("::1", "127.0.0.1"));
}

TEST(ClientMatches, Ipv4Cidr) {
  EXPECT_TRUE(client_matches("10.0.0.0/8", "10.1.2.3"));
  EXPECT_TRUE(client_matches("10.0.0.0/8", "10.255.255.255"));
  EXPECT_FALSE(client_matches("10.0.0.0/8", "11.0.0.1"));
  EXPECT_FALSE(client_matches("10.0.0.0/8", "9.255.255.255"));
  EXPECT_TRUE(client_matches("192.168.1.0/24", "192.168.1.77"));
  EXPECT_FALSE(client_matches("192.168.1.0/24", "192.168.2.77"));
  EXPECT_TRUE(client_matches("172.16.0.0/12", "172.31.0.1"));
  EXPECT_FALSE(client_matches("172.16.0.0/12", "172.32.0.1"));
  // Host bits in the network part are ignored.
  EXPECT_TRUE(client_matches("10.9.9.9/8", "10.1.2.3"));
}

TEST(ClientMatches, Slash32AndSlash0) {
  EXPECT_TRUE(client_matches("10.1.2.3/32", "10.1.2.3"));
  EXPECT_FALSE(client_matches("10.1.2.3/32", "10.1.2.4"));
  EXPECT_TRUE(client_matches("0.0.0.0/0", "10.1.2.3"));
  EXPECT_TRUE(client_matches("0.0.0.0/0", "255.255.255.255"));
}

TEST(ClientMatches, MalformedNeverMatches) {
  EXPECT_FALSE(client_matches("10.0.0.0/33", "10.1.2.3"));
  EXPECT_FALSE(client_matches("10.0.0.0/", "10.1.2.3"));
  EXPECT_FALSE(client_matches("10.0.0.0/x", "10.1.2.3"));
  EXPECT_FALSE(client_matches("10.0.0/8", "10.1.2.3"));
  EXPECT_FALSE(client_matches("10.0.0.0.0/8", "10.1.2.3"));
  EXPECT_FALSE(client_matches("10.0.0.256/8", "10.1.2.3"));
  EXPECT_FALSE(client_matches("/8", "10.1.2.3"));
  // The address side must be IPv4 too.
  EXPECT_FALSE(client_matches("10.0.0.0/8", "10.1.2"));
  EXPECT_FALSE(client_matches("10.0.0.0/8", "unknown"));
  EXPECT_FALSE(client_matches("0.0.0.0/0", "::1"));
}

// --- rule_candidates ------------------------------------------------------------------------

TEST(RuleCandidates, BitMaskByPosition) {
  std::vector<query_rule> rules;
  rules.push_back(rule(1));
  rules.back().user = "app";
  rules.push_back(rule(2));
  rules.back().schema = "shop";
  rules.push_back(rule(3));
  rules.back().client = "10.0.0.0/8";
  rules.push_back(rule(4));
  rules.back().match_digest = regex("FROM orders WHERE");
  rules.push_back(rule(5));  // no condition: always a candidate
  rules.push_back(rule(6));  // every condition
  rules.back().user = "app";
  rules.back().schema = "shop";
  rules.back().client = "10.1.2.3";
  rules.back().match_digest = regex("^select");

  const std::string_view orders = "SELECT * FROM orders WHERE id = ?";
  EXPECT_EQ(rule_candidates(rules, {"app", "shop", "10.1.2.3"}, orders), 0b111111u);
  EXPECT_EQ(rule_candidates(rules, {"bob", "shop", "192.168.1.1"}, "SELECT ?"), 0b010010u);
  EXPECT_EQ(rule_candidates(rules, {"app", "crm", "10.200.0.1"}, "UPDATE t SET a = ?"), 0b010101u);
  // Case-insensitive digest match.
  EXPECT_EQ(rule_candidates(rules, {"x", "y", "::1"}, "select * from ORDERS where id = ?"), 0b011000u);
  EXPECT_EQ(rule_candidates({}, {"app", "shop", "10.1.2.3"}, orders), 0u);
}

TEST(RuleCandidates, UserAndSchemaMatchExactly) {
  std::vector<query_rule> rules;
  rules.push_back(rule(1));
  rules.back().user = "app";
  rules.push_back(rule(2));
  rules.back().schema = "shop";
  EXPECT_EQ(rule_candidates(rules, {"APP", "Shop", ""}, "SELECT ?"), 0u);
  EXPECT_EQ(rule_candidates(rules, {"app2", "shop_2", ""}, "SELECT ?"), 0u);
  EXPECT_EQ(rule_candidates(rules, {"app", "shop", ""}, "SELECT ?"), 0b11u);
}

// --- apply_rules ----------------------------------------------------------------------------

TEST(ApplyRules, FirstMatchWinsAndStops) {
  std::vector<query_rule> rules;
  rule_hits hits;
  rules.push_back(rule(10));
  rules.back().route_group = "reports";
  rules.back().route_role = target_role::replica;
  rules.push_back(rule(20));
  rules.back().block_message = "not reached";
  rules.back().route_group = "other";

  const auto out = counted(hits, rules, apply_rules(rules, all, "SELECT 1"));
  EXPECT_EQ(out.first_rule_id, 10u);
  EXPECT_EQ(out.route_group, "reports");
  ASSERT_TRUE(out.route_role.has_value());
  EXPECT_EQ(*out.route_role, target_role::replica);
  EXPECT_EQ(out.blocked_by, nullptr);
  EXPECT_FALSE(out.rewritten.has_value());
  EXPECT_EQ(out.timeout_ms, 0u);
  EXPECT_FALSE(out.log);
  EXPECT_EQ(hits.of(rules[0]), 1u);
  EXPECT_EQ(hits.of(rules[1]), 0u);
}

TEST(ApplyRules, OnlyCandidatesAreConsidered) {
  std::vector<query_rule> rules;
  rule_hits hits;
  rules.push_back(rule(10));
  rules.back().route_group = "a";
  rules.push_back(rule(20));
  rules.back().route_group = "b";

  const auto out = counted(hits, rules, apply_rules(rules, 0b10, "SELECT 1"));
  EXPECT_EQ(out.first_rule_id, 20u);
  EXPECT_EQ(out.route_group, "b");
  EXPECT_EQ(hits.of(rules[0]), 0u);
  EXPECT_EQ(hits.of(rules[1]), 1u);

  const auto none = counted(hits, rules, apply_rules(rules, 0, "SELECT 1"));
  EXPECT_EQ(none.first_rule_id, 0u);
  EXPECT_TRUE(none.route_group.empty());
  EXPECT_EQ(hits.of(rules[0]), 0u);
  EXPECT_EQ(hits.of(rules[1]), 1u);
}

TEST(ApplyRules, MatchPatternOnTheRawText) {
  std::vector<query_rule> rules;
  rule_hits hits;
  rules.push_back(rule(1));
  rules.back().match_pattern = regex("FROM\\s+audit_log");
  rules.back().route_group = "archive";
  rules.push_back(rule(2));
  rules.back().route_group = "main";

  auto out = counted(hits, rules, apply_rules(rules, all, "select * from   AUDIT_LOG where id = 5"));
  EXPECT_EQ(out.first_rule_id, 1u);
  EXPECT_EQ(out.route_group, "archive");

  // No match: the rule is passed over (and not counted), the next one decides.
  out = counted(hits, rules, apply_rules(rules, all, "SELECT * FROM orders"));
  EXPECT_EQ(out.first_rule_id, 2u);
  EXPECT_EQ(out.route_group, "main");
  EXPECT_EQ(hits.of(rules[0]), 1u);
  EXPECT_EQ(hits.of(rules[1]), 1u);
}

TEST(ApplyRules, ContinueLetsLaterRulesAddActions) {
  std::vector<query_rule> rules;
  rule_hits hits;
  rules.push_back(rule(1));
  rules.back().route_role = target_role::primary;
  rules.back().timeout_ms = 500;
  rules.back().continue_after = true;
  rules.push_back(rule(2));
  rules.back().route_group = "reports";
  rules.back().route_role = target_role::replica;  // an earlier rule's action is never undone
  rules.back().timeout_ms = 9000;
  rules.back().log = true;
  rules.push_back(rule(3));  // rule 2 does not continue
  rules.back().block_message = "blocked";

  const auto out = counted(hits, rules, apply_rules(rules, all, "SELECT 1"));
  EXPECT_EQ(out.first_rule_id, 1u);
  ASSERT_TRUE(out.route_role.has_value());
  EXPECT_EQ(*out.route_role, target_role::primary);
  EXPECT_EQ(out.route_group, "reports");
  EXPECT_EQ(out.timeout_ms, 500u);
  EXPECT_TRUE(out.log);
  EXPECT_EQ(out.blocked_by, nullptr);
  EXPECT_EQ(hits.of(rules[0]), 1u);
  EXPECT_EQ(hits.of(rules[1]), 1u);
  EXPECT_EQ(hits.of(rules[2]), 0u);
}

TEST(ApplyRules, BlockSetsBlockedBy) {
  std::vector<query_rule> rules;
  rule_hits hits;
  rules.push_back(rule(1));
  rules.back().match_pattern = regex("^drop\\b");
  rules.back().block_message = "DROP is not allowed here";
  rules.back().block_code = 1142;

  const auto out = counted(hits, rules, apply_rules(rules, all, "DROP TABLE customers"));
  ASSERT_EQ(out.blocked_by, &rules[0]);
  EXPECT_EQ(*out.blocked_by->block_message, "DROP is not allowed here");
  EXPECT_EQ(out.blocked_by->block_code, 1142);
  EXPECT_EQ(out.first_rule_id, 1u);

  EXPECT_EQ(counted(hits, rules, apply_rules(rules, all, "SELECT 'drop'")).blocked_by, nullptr);
  EXPECT_EQ(hits.of(rules[0]), 1u);
}

TEST(ApplyRules, RewriteReplacesEveryMatch) {
  std::vector<query_rule> rules;
  rule_hits hits;
  rules.push_back(rule(1));
  rules.back().match_pattern = regex("\\borders\\b");
  rules.back().replace = "orders_archive";

  auto out = counted(hits, rules, apply_rules(rules, all, "SELECT * FROM ORDERS o JOIN orders p USING (id)"));
  ASSERT_TRUE(out.rewritten.has_value());
  EXPECT_EQ(*out.rewritten, "SELECT * FROM orders_archive o JOIN orders_archive p USING (id)");

  out = counted(hits, rules, apply_rules(rules, all, "SELECT * FROM customers"));
  EXPECT_FALSE(out.rewritten.has_value());
}

TEST(ApplyRules, RewriteWithGroups) {
  std::vector<query_rule> rules;
  rule_hits hits;
  rules.push_back(rule(1));
  rules.back().match_pattern = regex("limit (\\d+)$");
  rules.back().replace = "LIMIT \\1 OFFSET 0";

  const auto out = counted(hits, rules, apply_rules(rules, all, "SELECT * FROM t limit 25"));
  ASSERT_TRUE(out.rewritten.has_value());
  EXPECT_EQ(*out.rewritten, "SELECT * FROM t LIMIT 25 OFFSET 0");
}

TEST(ApplyRules, LaterRulesSeeTheRewrittenText) {
  std::vector<query_rule> rules;
  rule_hits hits;
  rules.push_back(rule(1));
  rules.back().match_pattern = regex("FROM big_table");
  rules.back().replace = "FROM big_table_summary";
  rules.back().continue_after = true;
  rules.push_back(rule(2));
  rules.back().match_pattern = regex("big_table_summary");
  rules.back().route_group = "reports";

  const auto out = counted(hits, rules, apply_rules(rules, all, "SELECT COUNT(*) FROM big_table"));
  ASSERT_TRUE(out.rewritten.has_value());
  EXPECT_EQ(*out.rewritten, "SELECT COUNT(*) FROM big_table_summary");
  EXPECT_EQ(out.route_group, "reports");
  EXPECT_EQ(hits.of(rules[1]), 1u);
}

TEST(ApplyRules, TimeoutAndLog) {
  std::vector<query_rule> rules;
  rule_hits hits;
  rules.push_back(rule(1));
  rules.back().timeout_ms = 2500;
  rules.back().log = true;

  const auto out = counted(hits, rules, apply_rules(rules, all, "SELECT SLEEP(10)"));
  EXPECT_EQ(out.timeout_ms, 2500u);
  EXPECT_TRUE(out.log);
}

TEST(ApplyRules, HitsAccumulate) {
  std::vector<query_rule> rules;
  rule_hits hits;
  rules.push_back(rule(1));
  rules.back().match_pattern = regex("^select");
  for (int i = 0; i < 3; ++i) counted(hits, rules, apply_rules(rules, all, "SELECT 1"));
  counted(hits, rules, apply_rules(rules, all, "UPDATE t SET a = 1"));
  EXPECT_EQ(hits.of(rules[0]), 3u);
}

// --- rule_cache -----------------------------------------------------------------------------

TEST(RuleCache, FindAndStore) {
  rule_cache cache;
  const auto key = rule_cache::key_of(42, {"app", "shop", "10.1.2.3"});
  EXPECT_FALSE(cache.find(key).has_value());
  cache.store(key, 0b101);
  ASSERT_TRUE(cache.find(key).has_value());
  EXPECT_EQ(*cache.find(key), 0b101u);
  // Zero candidates is a hit too (no rule applies), not a miss.
  const auto other = rule_cache::key_of(43, {"app", "shop", "10.1.2.3"});
  cache.store(other, 0);
  ASSERT_TRUE(cache.find(other).has_value());
  EXPECT_EQ(*cache.find(other), 0u);
  cache.clear();
  EXPECT_FALSE(cache.find(key).has_value());
  EXPECT_FALSE(cache.find(other).has_value());
}

TEST(RuleCache, KeyDependsOnEveryPart) {
  const auto key = rule_cache::key_of(42, {"app", "shop", "10.1.2.3"});
  EXPECT_EQ(key, rule_cache::key_of(42, {"app", "shop", "10.1.2.3"}));
  EXPECT_NE(key, rule_cache::key_of(43, {"app", "shop", "10.1.2.3"}));
  EXPECT_NE(key, rule_cache::key_of(42, {"bob", "shop", "10.1.2.3"}));
  EXPECT_NE(key, rule_cache::key_of(42, {"app", "crm", "10.1.2.3"}));
  EXPECT_NE(key, rule_cache::key_of(42, {"app", "shop", "10.1.2.4"}));
  // The parts are separated: moving a character from one to the next changes the key.
  EXPECT_NE(rule_cache::key_of(42, {"ab", "c", ""}), rule_cache::key_of(42, {"a", "bc", ""}));
  EXPECT_NE(rule_cache::key_of(42, {"app", "", "shop"}), rule_cache::key_of(42, {"app", "shop", ""}));
}

}  // namespace
}  // namespace weft::routing
