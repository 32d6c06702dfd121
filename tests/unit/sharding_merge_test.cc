// sharding/: reads across shards merged as one server answers (result_merge, scatter_plan,
// select_parts, value_order, decimal_text), from result sets built byte for byte.
#include <gtest/gtest.h>

#include "protocol/constants.h"
#include "protocol/messages.h"
#include "protocol/result_set.h"
#include "routing/statement_tokens.h"
#include "sharding/decimal_text.h"
#include "sharding/result_merge.h"
#include "sharding/result_view.h"
#include "sharding/scatter_plan.h"
#include "sharding/select_parts.h"
#include "sharding/statement_shape.h"

namespace weft::sharding {
namespace {

namespace p = protocol;

p::column_definition column(const char* name, p::column_type type, std::uint16_t charset, std::uint8_t decimals = 0) {
  auto c = p::text_column(name);
  c.type = type;
  c.charset = charset;
  c.decimals = decimals;
  return c;
}

constexpr auto longlong = p::column_type::longlong;
constexpr auto varchar = p::column_type::var_string;
constexpr auto newdecimal = static_cast<p::column_type>(246);

p::bytes answer(const std::vector<p::column_definition>& columns, const std::vector<p::text_row>& rows) {
  return p::encode_text_result(columns, rows, 0, 0x0002);
}

struct outcome {
  std::vector<p::text_row> rows;
  std::string refusal;
};

// The plan of `sql` (routing's tokens), its answer merged from the shards' answers.
outcome merged(const std::string& sql, const std::vector<p::bytes>& shards) {
  routing::statement_tokens tokens;
  tokens.lex(sql);
  const auto decision = plan_scatter(shape_of(tokens), select_parts_of(tokens), sql);
  if (!decision.plan) return {{}, "plan: " + decision.refusal};
  std::vector<p::bytes_view> views(shards.begin(), shards.end());
  const auto m = merge_results(views, *decision.plan, 1000);
  if (!m.refusal.empty()) return {{}, m.refusal};
  const auto v = read_result(m.frames);
  EXPECT_EQ(v.what, result_view::kind::rows) << v.problem;
  outcome out;
  for (const auto& r : v.rows) {
    p::text_row row;
    for (const auto& value : r.values) row.push_back(value ? std::optional<std::string>(*value) : std::nullopt);
    out.rows.push_back(row);
  }
  return out;
}

TEST(ShardingMerge, DecimalText) {
  EXPECT_EQ(decimal_add("1.50", "2.25"), "3.75");
  EXPECT_EQ(decimal_add("-1.50", "1.25"), "-0.25");
  EXPECT_EQ(decimal_add("-1", "1"), "0");
  EXPECT_EQ(decimal_add("99999999999999999999999999999999999999999", "1"), "100000000000000000000000000000000000000000");
  EXPECT_EQ(decimal_add("007", "0"), "7");
  EXPECT_EQ(decimal_add("1e3", "1"), std::nullopt);
  EXPECT_EQ(decimal_compare("10", "9.99"), 1);
  EXPECT_EQ(decimal_compare("-10", "-9"), -1);
  EXPECT_EQ(decimal_compare("-0.0", "0"), 0);
  EXPECT_EQ(decimal_divide("3", 2, 4), "1.5000");
  EXPECT_EQ(decimal_divide("2", 3, 4), "0.6667");
  EXPECT_EQ(decimal_divide("-2", 3, 4), "-0.6667");
  EXPECT_EQ(decimal_divide("10.05", 2, 6), "5.025000");
  EXPECT_EQ(decimal_divide("1", 0, 4), std::nullopt);
}

// Each shard's answer already in ORDER BY order (as the shards send it): merged k ways, ties in
// shard order as a stable sort of them gives, only the rows LIMIT keeps.
TEST(ShardingMerge, SortedAnswersMergedKWays) {
  const std::vector cols{column("id", longlong, 63), column("name", varchar, 46)};
  const std::vector<p::bytes> shards{answer(cols, {{"1", "a"}, {"3", "c"}, {"3", "x"}, {"10", "j"}}),
                                     answer(cols, {{"2", "b"}, {"3", "y"}, {"11", "k"}}),
                                     answer(cols, {})};
  auto got = merged("SELECT id, name FROM t ORDER BY id", shards);
  ASSERT_EQ(got.refusal, "");
  std::vector<std::string> names;
  for (const auto& r : got.rows) names.push_back(*r[1]);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "x", "y", "j", "k"}));
  got = merged("SELECT id, name FROM t ORDER BY id LIMIT 3 OFFSET 2", shards);
  names.clear();
  for (const auto& r : got.rows) names.push_back(*r[1]);
  EXPECT_EQ(names, (std::vector<std::string>{"c", "x", "y"}));
  const std::vector<p::bytes> descending{answer(cols, {{"10", "j"}, {"1", "a"}}), answer(cols, {{"11", "k"}, {"2", "b"}})};
  got = merged("SELECT id, name FROM t ORDER BY id DESC LIMIT 3", descending);
  names.clear();
  for (const auto& r : got.rows) names.push_back(*r[1]);
  EXPECT_EQ(names, (std::vector<std::string>{"k", "j", "b"}));
}

TEST(ShardingMerge, UnionAndOrder) {
  const std::vector cols{column("id", longlong, 63), column("name", varchar, 46)};
  const std::vector<p::bytes> shards{answer(cols, {{"3", "c"}, {"10", "j"}, {"1", "a"}}),
                                     answer(cols, {{"2", "b"}, {"11", std::nullopt}})};
  auto got = merged("SELECT id, name FROM t ORDER BY id", shards);
  ASSERT_EQ(got.refusal, "");
  ASSERT_EQ(got.rows.size(), 5u);
  EXPECT_EQ(got.rows[0][0], "1");
  EXPECT_EQ(got.rows[4][0], "11");  // numbers, not text: 11 after 3
  got = merged("SELECT id, name FROM t ORDER BY id DESC LIMIT 2 OFFSET 1", shards);
  ASSERT_EQ(got.rows.size(), 2u);
  EXPECT_EQ(got.rows[0][0], "10");
  EXPECT_EQ(got.rows[1][0], "3");
  got = merged("SELECT id, name FROM t ORDER BY 1 LIMIT 1", shards);
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0][0], "1");
  const std::vector nullable{column("n", longlong, 63)};
  got = merged("SELECT n FROM t ORDER BY n LIMIT 1", {answer(nullable, {{"5"}}), answer(nullable, {{std::nullopt}})});
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0][0], std::nullopt);  // NULL first
  // Strings: the definition tells the connection's collation, not the column's: never ordered.
  EXPECT_NE(merged("SELECT id, name FROM t ORDER BY name", shards).refusal.find("not ordered"), std::string::npos);
}

TEST(ShardingMerge, RefusedWhereNoExactMerge) {
  const std::vector ci{column("name", varchar, 45)};
  const std::vector<p::bytes> shards{answer(ci, {{"b"}}), answer(ci, {{"A"}})};
  EXPECT_NE(merged("SELECT name FROM t ORDER BY name", shards).refusal.find("not ordered across shards"), std::string::npos);
  EXPECT_NE(merged("SELECT DISTINCT name FROM t", shards).refusal.find("not compared across shards"), std::string::npos);
  EXPECT_NE(merged("SELECT name FROM t ORDER BY other", shards).refusal.find("selected columns only"), std::string::npos);
  const std::vector dbl{column("s", p::column_type::double_, 63)};
  EXPECT_NE(merged("SELECT sum(x) AS s FROM t", {answer(dbl, {{"1.5"}}), answer(dbl, {{"2"}})}).refusal.find("floating"),
            std::string::npos);
  EXPECT_NE(merged("SELECT a FROM t HAVING a > 1", shards).refusal.find("HAVING"), std::string::npos);
}

TEST(ShardingMerge, Aggregates) {
  const std::vector cols{column("g", longlong, 63), column("n", longlong, 63), column("s", newdecimal, 63),
                         column("lo", longlong, 63), column("a", newdecimal, 63, 4), column("h1", newdecimal, 63),
                         column("h2", longlong, 63)};
  const std::vector<p::bytes> shards{
      answer(cols, {{"1", "2", "10", "20", "5.0000", "10", "2"}, {"2", "1", "7", "9", "7.0000", "7", "1"}}),
      answer(cols, {{"1", "1", "5", "-4", "5.0000", "5", "1"}, {"3", "1", std::nullopt, std::nullopt, std::nullopt,
                                                               std::nullopt, "0"}})};
  const auto got = merged("SELECT g, count(*), sum(v), min(w), avg(v) FROM t GROUP BY g", shards);
  ASSERT_EQ(got.refusal, "");
  ASSERT_EQ(got.rows.size(), 3u);
  EXPECT_EQ(got.rows[0], (p::text_row{"1", "3", "15", "-4", "5.0000"}));
  EXPECT_EQ(got.rows[1], (p::text_row{"2", "1", "7", "9", "7.0000"}));
  EXPECT_EQ(got.rows[2], (p::text_row{"3", "1", std::nullopt, std::nullopt, std::nullopt}));
}

TEST(ShardingMerge, PlanRewritesWhatShardsRun) {
  routing::statement_tokens tokens;
  const std::string sql = "SELECT id, avg(score) FROM t GROUP BY id ORDER BY id LIMIT 5, 10";
  tokens.lex(sql);
  auto d = plan_scatter(shape_of(tokens), select_parts_of(tokens), sql);
  ASSERT_TRUE(d.plan) << d.refusal;
  EXPECT_EQ(d.plan->sql, "SELECT id, avg(score) , SUM(score), COUNT(score) FROM t GROUP BY id ORDER BY id ");
  EXPECT_EQ(d.plan->offset, 5u);
  EXPECT_EQ(d.plan->count, 10u);
  const std::string plain = "SELECT * FROM t ORDER BY id LIMIT 10 OFFSET 20";
  tokens.lex(plain);
  d = plan_scatter(shape_of(tokens), select_parts_of(tokens), plain);
  ASSERT_TRUE(d.plan) << d.refusal;
  EXPECT_EQ(d.plan->sql, "SELECT * FROM t ORDER BY id LIMIT 30");
}

TEST(ShardingMerge, ShardErrorIsTheAnswer) {
  const std::vector cols{column("id", longlong, 63)};
  const auto err = p::encode(p::make_error({1054, "42S22"}, "Unknown column 'x'"), p::cap::protocol_41);
  p::bytes framed{static_cast<std::uint8_t>(err.size()), std::uint8_t{0}, std::uint8_t{0}, std::uint8_t{1}};
  framed.insert(framed.end(), err.begin(), err.end());
  std::vector<p::bytes_view> views{p::bytes_view(answer(cols, {{"1"}})), p::bytes_view(framed)};
  routing::statement_tokens tokens;
  tokens.lex("SELECT id FROM t");
  const auto plan = plan_scatter(shape_of(tokens), select_parts_of(tokens), "SELECT id FROM t");
  ASSERT_TRUE(plan.plan);
  const auto first = answer(cols, {{"1"}});
  views[0] = first;
  const auto m = merge_results(views, *plan.plan, 1000);
  EXPECT_EQ(read_result(m.frames).what, result_view::kind::error);
}

}  // namespace
}  // namespace weft::sharding
