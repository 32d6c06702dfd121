// sharding/: shard maps, key normalization and key -> shard, as decision tables.
#include <gtest/gtest.h>

#include <map>

#include "sharding/shard_lookup.h"

namespace weft::sharding {
namespace {

TEST(ShardMap, TypeNames) {
  const std::map<std::string, std::optional<map_type>> table{
      {"HASH", map_type::hash},          {"hash", map_type::hash},
      {"RANGE", map_type::range},        {"RANGE_INTEGER", map_type::range},
      {"range_string", map_type::range_string}, {"RANGE_DATETIME", map_type::range_datetime},
      {"LIST", map_type::list},          {"RANGE_FLOAT", std::nullopt},
      {"", std::nullopt}};
  for (const auto& [name, type] : table) EXPECT_EQ(map_type_named(name), type) << name;
  EXPECT_EQ(map_type_name(map_type::range_datetime), "RANGE_DATETIME");
}

TEST(ShardKey, NormalizedAsTheServerCompares) {
  struct row {
    key_kind kind;
    const char* text;
    std::optional<std::string> key;
  };
  const row table[] = {
      {key_kind::integer, "5", "5"},
      {key_kind::integer, "+5", "5"},
      {key_kind::integer, "05", "5"},
      {key_kind::integer, "-0", "0"},
      {key_kind::integer, "-9223372036854775808", "-9223372036854775808"},
      {key_kind::integer, "9223372036854775808", std::nullopt},  // past BIGINT: not guessed
      {key_kind::integer, "5.0", std::nullopt},
      {key_kind::integer, "1e3", std::nullopt},
      {key_kind::integer, " 5", std::nullopt},
      {key_kind::integer, "", std::nullopt},
      {key_kind::datetime, "2026-12-03", "2026-12-03 00:00:00.000000"},
      {key_kind::datetime, "2026-12-03 10:11:12", "2026-12-03 10:11:12.000000"},
      {key_kind::datetime, "2026-12-03 10:11:12.5", "2026-12-03 10:11:12.500000"},
      {key_kind::datetime, "2026-12-03 10:11:12.123456", "2026-12-03 10:11:12.123456"},
      {key_kind::datetime, "2026-12-03 10:11:12.1234567", std::nullopt},
      {key_kind::datetime, "2026-12-3", std::nullopt},
      {key_kind::datetime, "2026-12-03T10:11:12", std::nullopt},
      {key_kind::datetime, "2026-12-03 10:11", std::nullopt},
      {key_kind::string, "abc", "ABC"},    // _ci: 'abc' = 'ABC' (folding is safe under _bin too)
      {key_kind::string, "abc  ", "ABC"},  // PAD SPACE
      {key_kind::string, "a b", "A B"},
      {key_kind::string, "Abc", "ABC"},
      {key_kind::string, "x_1-#", "X_1-#"},
      {key_kind::string, "abc\t", std::nullopt},              // control bytes: ignorable in some collations
      {key_kind::string, "caf\xc3\xa9", std::nullopt},       // non-ASCII: equality depends on the collation
      {key_kind::string, "", ""},
  };
  for (const auto& r : table) EXPECT_EQ(normalized_key(r.kind, r.text), r.key) << r.text;
}

TEST(ShardKey, HashIsMd5sFirstEightBytes) {
  EXPECT_EQ(key_hash(""), 0xd41d8cd98f00b204ULL);   // MD5("") = d41d8cd98f00b204...
  EXPECT_EQ(key_hash("5"), 0xe4da3b7fbbce2345ULL);  // MD5("5") = e4da3b7fbbce2345...
}

TEST(ShardKey, JumpBucketMovesOnlyIntoTheNewBucket) {
  std::vector<std::size_t> counts(4);
  for (int i = 0; i < 20000; ++i) {
    const auto h = key_hash(std::to_string(i));
    const auto four = jump_bucket(h, 4);
    ASSERT_LT(four, 4u);
    ++counts[four];
    const auto five = jump_bucket(h, 5);
    EXPECT_TRUE(five == four || five == 4) << i;
    EXPECT_EQ(jump_bucket(h, 1), 0u);
  }
  for (const auto c : counts) EXPECT_NEAR(static_cast<double>(c), 5000.0, 500.0);
}

shard_map range_map() {
  shard_map m{"orders", map_type::range, key_kind::integer, "global", {{"s1", {"0"}}, {"s2", {"100"}}, {"s3", {"1000"}}}};
  return m;
}

TEST(ShardLookup, RangeByNumberNotText) {
  const auto m = range_map();
  ASSERT_TRUE(validate(m).empty());
  const std::map<std::string, std::optional<std::size_t>> table{
      {"-5", std::nullopt}, {"0", 0}, {"99", 0}, {"100", 1}, {"999", 1}, {"1000", 2}, {"5000", 2}};
  for (const auto& [key, shard] : table) EXPECT_EQ(shard_of(m, *normalized_key(m.key, key)), shard) << key;
}

TEST(ShardLookup, RangeStringDatetimeList) {
  const shard_map strings{"s", map_type::range_string, key_kind::string, "g", {{"a", {"a"}}, {"b", {"m"}}}};
  const auto string_shard = [&](const char* key) { return shard_of(strings, *normalized_key(key_kind::string, key)); };
  EXPECT_EQ(string_shard("b"), 0u);
  EXPECT_EQ(string_shard("m"), 1u);
  EXPECT_EQ(string_shard("zz"), 1u);
  EXPECT_EQ(string_shard("A"), 0u);  // 'A' = 'a' (folded)
  EXPECT_EQ(string_shard("M"), 1u);
  EXPECT_EQ(string_shard("0"), std::nullopt);  // below 'A'
  const shard_map dates{"d", map_type::range_datetime, key_kind::datetime, "g",
                        {{"old", {"2000-01-01"}}, {"new", {"2026-01-01 00:00:00"}}}};
  EXPECT_EQ(shard_of(dates, *normalized_key(key_kind::datetime, "2025-12-31 23:59:59.999999")), 0u);
  EXPECT_EQ(shard_of(dates, *normalized_key(key_kind::datetime, "2026-01-01")), 1u);
  const shard_map list{"l", map_type::list, key_kind::integer, "g", {{"eu", {"1", "2", "03"}}, {"us", {"4"}}}};
  ASSERT_TRUE(validate(list).empty());
  EXPECT_EQ(shard_of(list, "3"), 0u);
  EXPECT_EQ(shard_of(list, "4"), 1u);
  EXPECT_EQ(shard_of(list, "5"), std::nullopt);
}

TEST(ShardLookup, HashKeysTheServerCallsEqualLandTogether) {
  const shard_map m{"h", map_type::hash, key_kind::integer, "g", {{"a", {}}, {"b", {}}, {"c", {}}}};
  ASSERT_TRUE(validate(m).empty());
  EXPECT_EQ(shard_of(m, *normalized_key(m.key, "05")), shard_of(m, *normalized_key(m.key, "5")));
  const shard_map s{"hs", map_type::hash, key_kind::string, "g", {{"a", {}}, {"b", {}}, {"c", {}}}};
  EXPECT_EQ(shard_of(s, *normalized_key(s.key, "abc  ")), shard_of(s, *normalized_key(s.key, "abc")));
}

TEST(ShardMap, ValidationNamesEachProblem) {
  struct row {
    shard_map map;
    std::size_t problems;
  };
  const row table[] = {
      {range_map(), 0},
      {{"m", map_type::range, key_kind::integer, "g", {{"a", {"0"}}, {"a", {"10"}}}}, 1},          // group twice
      {{"m", map_type::range, key_kind::integer, "g", {{"g", {"0"}}}}, 1},                          // the global group
      {{"m", map_type::range, key_kind::integer, "g", {{"a", {"0"}}, {"b", {"00"}}}}, 1},           // one bound twice
      {{"m", map_type::range, key_kind::integer, "g", {{"a", {"x"}}}}, 1},                          // not an integer
      {{"m", map_type::range, key_kind::integer, "g", {{"a", {}}}}, 1},                             // no bound
      {{"m", map_type::range, key_kind::string, "g", {{"a", {"0"}}}}, 1},                           // wrong kind
      {{"m", map_type::hash, key_kind::integer, "g", {{"a", {"0"}}}}, 1},                           // HASH with a bound
      {{"m", map_type::list, key_kind::integer, "g", {{"a", {"1"}}, {"b", {"1"}}}}, 1},             // value twice
      {{"m", map_type::list, key_kind::integer, "g", {{"a", {}}}}, 1},                              // no values
  };
  for (std::size_t i = 0; i < std::size(table); ++i) {
    EXPECT_EQ(validate(table[i].map).size(), table[i].problems) << "row " << i;
  }
}

}  // namespace
}  // namespace weft::sharding
