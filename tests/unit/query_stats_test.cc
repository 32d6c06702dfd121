#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "proxy/query_stats.h"

namespace weft::proxy {
namespace {

using std::chrono::microseconds;

TEST(QueryStats, RecordStatementAccumulates) {
  query_stats stats;
  EXPECT_FALSE(stats.knows(42));
  stats.record_statement(42, "SELECT * FROM t WHERE id = ?", "shop", microseconds(100), 5, false, "db1:3306");
  EXPECT_TRUE(stats.knows(42));
  // Later sightings do not replace the text or the schema of the first one.
  stats.record_statement(42, "ignored", "crm", microseconds(50), 1, true, "db2:3306");
  stats.record_statement(42, "", "", microseconds(300), 0, false, "db2:3306");

  ASSERT_EQ(stats.digests().size(), 1u);
  const auto& d = stats.digests().at(42);
  EXPECT_EQ(d.text, "SELECT * FROM t WHERE id = ?");
  EXPECT_EQ(d.schema, "shop");
  EXPECT_EQ(d.count, 3u);
  EXPECT_EQ(d.latency_min_us, 50u);
  EXPECT_EQ(d.latency_max_us, 300u);
  EXPECT_EQ(d.latency_sum_us, 450u);
  EXPECT_EQ(d.rows, 6u);
  EXPECT_EQ(d.errors, 1u);
  EXPECT_EQ(d.last_server, "db2:3306");
  EXPECT_TRUE(d.first_seen <= d.last_seen);
  EXPECT_FALSE(stats.knows(7));
}

TEST(QueryStats, MinimumIsTheFirstLatencyNotZero) {
  query_stats stats;
  stats.record_statement(1, "SELECT ?", "", microseconds(700), 0, false, "db1:3306");
  EXPECT_EQ(stats.digests().at(1).latency_min_us, 700u);
  EXPECT_EQ(stats.digests().at(1).latency_max_us, 700u);
  stats.record_statement(1, "", "", microseconds(900), 0, false, "db1:3306");
  EXPECT_EQ(stats.digests().at(1).latency_min_us, 700u);
  EXPECT_EQ(stats.digests().at(1).latency_max_us, 900u);
}

TEST(QueryStats, DigestsAreKeptApart) {
  query_stats stats;
  stats.record_statement(1, "SELECT ?", "", microseconds(10), 1, false, "db1:3306");
  stats.record_statement(2, "UPDATE t SET a = ?", "", microseconds(20), 0, true, "db2:3306");
  ASSERT_EQ(stats.digests().size(), 2u);
  EXPECT_EQ(stats.digests().at(1).text, "SELECT ?");
  EXPECT_EQ(stats.digests().at(1).errors, 0u);
  EXPECT_EQ(stats.digests().at(2).text, "UPDATE t SET a = ?");
  EXPECT_EQ(stats.digests().at(2).errors, 1u);
  EXPECT_EQ(stats.digests().at(2).last_server, "db2:3306");
}

TEST(QueryStats, FullTableCountsNewDigestsUnderOneEntry) {
  constexpr std::uint64_t capacity = 10000;
  query_stats stats;
  for (std::uint64_t digest = 1; digest <= capacity; ++digest) {
    stats.record_statement(digest, "SELECT ?", "", microseconds(1), 0, false, "db1:3306");
  }
  stats.record_statement(capacity + 1, "SELECT a", "", microseconds(5), 0, false, "db1:3306");
  stats.record_statement(capacity + 2, "SELECT b", "", microseconds(7), 0, false, "db1:3306");
  EXPECT_FALSE(stats.knows(capacity + 1));
  EXPECT_FALSE(stats.knows(capacity + 2));
  ASSERT_TRUE(stats.knows(0));
  const auto& overflow = stats.digests().at(0);
  EXPECT_EQ(overflow.count, 2u);
  EXPECT_EQ(overflow.latency_sum_us, 12u);
  EXPECT_NE(overflow.text.find("digest table is full"), std::string::npos) << overflow.text;
  EXPECT_EQ(stats.digests().size(), capacity + 1);
  // Known digests still count under their own entry.
  stats.record_statement(5, "", "", microseconds(1), 0, false, "db1:3306");
  EXPECT_EQ(stats.digests().at(5).count, 2u);
}

TEST(QueryStats, RecordServerSums) {
  query_stats stats;
  stats.record_server("db1:3306", 10, 100, false);
  stats.record_server("db1:3306", 5, 50, true);
  stats.record_server("db2:3306", 1, 2, false);
  ASSERT_EQ(stats.servers().size(), 2u);
  const auto& s = stats.servers().at("db1:3306");
  EXPECT_EQ(s.queries, 2u);
  EXPECT_EQ(s.errors, 1u);
  EXPECT_EQ(s.bytes_sent, 15u);
  EXPECT_EQ(s.bytes_received, 150u);
  EXPECT_EQ(stats.servers().at("db2:3306").queries, 1u);
  EXPECT_EQ(stats.servers().at("db2:3306").errors, 0u);
}

TEST(QueryStats, MergeAddsCountsAndKeepsExtremes) {
  query_stats mine;
  mine.record_statement(1, "SELECT ?", "shop", microseconds(100), 2, false, "db1:3306");
  mine.record_statement(1, "", "", microseconds(400), 3, true, "db1:3306");
  mine.record_server("db1:3306", 10, 20, false);

  query_stats theirs;
  theirs.record_statement(1, "SELECT ?", "shop", microseconds(50), 1, false, "db2:3306");
  theirs.record_statement(1, "", "", microseconds(150), 4, true, "db2:3306");
  theirs.record_statement(2, "DELETE FROM t", "crm", microseconds(80), 0, false, "db1:3306");
  theirs.record_server("db1:3306", 1, 2, true);
  theirs.record_server("db2:3306", 7, 8, false);

  mine.merge(theirs);

  ASSERT_EQ(mine.digests().size(), 2u);
  const auto& d = mine.digests().at(1);
  EXPECT_EQ(d.count, 4u);
  EXPECT_EQ(d.latency_min_us, 50u);   // theirs
  EXPECT_EQ(d.latency_max_us, 400u);  // mine
  EXPECT_EQ(d.latency_sum_us, 700u);
  EXPECT_EQ(d.rows, 10u);
  EXPECT_EQ(d.errors, 2u);
  EXPECT_EQ(d.text, "SELECT ?");

  // A digest only the other worker saw is copied.
  const auto& copied = mine.digests().at(2);
  EXPECT_EQ(copied.count, 1u);
  EXPECT_EQ(copied.text, "DELETE FROM t");
  EXPECT_EQ(copied.schema, "crm");
  EXPECT_EQ(copied.latency_min_us, 80u);
  EXPECT_EQ(copied.latency_max_us, 80u);

  ASSERT_EQ(mine.servers().size(), 2u);
  const auto& s = mine.servers().at("db1:3306");
  EXPECT_EQ(s.queries, 2u);
  EXPECT_EQ(s.errors, 1u);
  EXPECT_EQ(s.bytes_sent, 11u);
  EXPECT_EQ(s.bytes_received, 22u);
  EXPECT_EQ(mine.servers().at("db2:3306").queries, 1u);

  // The source is left as it was.
  EXPECT_EQ(theirs.digests().at(1).count, 2u);
  EXPECT_EQ(theirs.servers().at("db1:3306").queries, 1u);
}

TEST(QueryStats, MergeIntoEmptyCopiesEverything) {
  query_stats theirs;
  theirs.record_statement(9, "SELECT ?", "shop", microseconds(30), 2, false, "db1:3306");
  theirs.record_server("db1:3306", 3, 4, false);
  query_stats total;
  total.merge(theirs);
  ASSERT_TRUE(total.knows(9));
  EXPECT_EQ(total.digests().at(9).count, 1u);
  EXPECT_EQ(total.digests().at(9).latency_sum_us, 30u);
  EXPECT_EQ(total.digests().at(9).last_server, "db1:3306");
  EXPECT_EQ(total.servers().at("db1:3306").bytes_received, 4u);
}

// Rule hits: each worker counts its own; the admin's total is their sum, per rule.
TEST(QueryStats, RuleHitsAddUpOverWorkers) {
  std::vector<routing::query_rule> rules(3);
  query_stats worker1, worker2;
  worker1.count_rule_hits(rules, 0b001);
  worker1.count_rule_hits(rules, 0b011);
  worker2.count_rule_hits(rules, 0b001);
  worker2.count_rule_hits(rules, 0b000);
  query_stats total;
  total.merge(worker1);
  total.merge(worker2);
  EXPECT_EQ(total.rule_hits().of(rules[0]), 3u);
  EXPECT_EQ(total.rule_hits().of(rules[1]), 1u);
  EXPECT_EQ(total.rule_hits().of(rules[2]), 0u);
  EXPECT_EQ(worker1.rule_hits().of(rules[0]), 2u);  // the workers' own counts are left as they were
}

TEST(QueryStats, RuleHitsFollowTheRulesNotThePositions) {
  std::vector<routing::query_rule> old_rules(2);
  query_stats worker1, worker2;
  worker1.count_rule_hits(old_rules, 0b11);
  worker2.count_rule_hits(old_rules, 0b01);
  // A copy of the list (a new snapshot of the same rules) keeps counting...
  const auto copied = old_rules;
  worker1.count_rule_hits(copied, 0b01);
  // ...a newly loaded list starts at zero (a worker moving to it drops its old counts).
  const std::vector<routing::query_rule> new_rules(2);
  worker2.count_rule_hits(new_rules, 0b11);
  query_stats total;
  total.merge(worker1);
  total.merge(worker2);
  EXPECT_EQ(total.rule_hits().of(copied[0]), 2u);  // worker1 twice; worker2 moved on
  EXPECT_EQ(total.rule_hits().of(copied[1]), 1u);
  EXPECT_EQ(total.rule_hits().of(new_rules[0]), 1u);
  EXPECT_EQ(total.rule_hits().of(new_rules[1]), 1u);
}

}  // namespace
}  // namespace weft::proxy
