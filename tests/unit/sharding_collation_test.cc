// sharding/key_collation: the connection's character set as SET NAMES leaves it (decision table),
// which collations fold, and keys folded with weights the way a server would answer them
// (synthetic tables built here; the real ones are checked against MariaDB by
// tests/integration/sharding_collations.sh).
#include <gtest/gtest.h>

#include <cctype>

#include "protocol/errors.h"
#include "protocol/frame.h"
#include "protocol/messages.h"
#include "protocol/result_set.h"
#include "routing/statement_tokens.h"
#include "sharding/key_collation.h"
#include "sharding/shard_key.h"
#include "sharding/shard_lookup.h"
#include "sharding/statement_route.h"

namespace weft::sharding {
namespace {

namespace p = protocol;

TEST(ShardingCollation, HandshakeCharsets) {
  const std::vector<std::pair<int, std::string_view>> table{
      {8, "latin1"}, {47, "latin1"}, {33, "utf8mb3"}, {192, "utf8mb3"}, {45, "utf8mb4"},
      {46, "utf8mb4"}, {224, "utf8mb4"}, {247, "utf8mb4"}, {63, ""}, {28, ""}, {248, ""}};
  for (const auto& [id, charset] : table) EXPECT_EQ(charset_of_collation_id(static_cast<std::uint8_t>(id)), charset) << id;
}

TEST(ShardingCollation, CharsetAfterSet) {
  const std::vector<std::pair<std::string_view, std::optional<std::string>>> table{
      {"SET NAMES utf8mb4", "utf8mb4"},
      {"set names Latin1;", "latin1"},
      {"SET NAMES 'latin1' COLLATE 'latin1_bin'", "latin1"},
      {"SET NAMES utf8", "utf8mb3"},
      {"SET NAMES DEFAULT", ""},
      {"SET NAMES latin1, autocommit = 1", ""},
      {"SET CHARACTER SET latin1", ""},
      {"SET character_set_client = latin1", ""},
      {"SET @@session.collation_connection = 'utf8mb4_bin'", ""},
      {"SET sql_mode = 'ANSI', time_zone = '+00:00'", std::nullopt},
      {"SET autocommit = 0", std::nullopt},
  };
  for (const auto& [sql, charset] : table) EXPECT_EQ(charset_after_set(sql), charset) << sql;
}

TEST(ShardingCollation, CollationsThatFold) {
  for (const char* yes : {"utf8mb4_general_ci", "utf8mb4_unicode_ci", "UTF8MB4_BIN", "utf8mb3_unicode_520_nopad_ci",
                          "utf8mb4_general_nopad_ci", "latin1_swedish_ci", "latin1_german2_ci"}) {
    EXPECT_TRUE(folds_per_character(yes)) << yes;
  }
  for (const char* no : {"utf8mb4_czech_ci", "utf8mb4_danish_ci", "utf8mb4_spanish2_ci", "utf16_general_ci",
                         "binary", "", "utf8mb4_unicode"}) {
    EXPECT_FALSE(folds_per_character(no)) << no;
  }
}

// A latin1 collation as a server would weigh it: ASCII letters as their upper case, 'é' as 'E',
// 'ß' as "SS", 'Ä' its own weight, a no-break space nothing.
std::string latin1_weight(unsigned char c) {
  if (c == 0xE9) return "E";
  if (c == 0xDF) return "SS";
  if (c == 0xA0) return "";
  if (c < 0x80) return std::string(1, static_cast<char>(std::toupper(c)));
  return std::string(1, static_cast<char>(c));
}

p::bytes weights_answer(std::size_t codes, const std::function<std::string(char32_t)>& weight) {
  const std::vector<p::column_definition> columns{p::text_column("code"), p::text_column("weight")};
  std::vector<p::text_row> rows;
  for (char32_t c = 0; c < codes; ++c) rows.push_back({std::to_string(c), weight(c)});
  return p::encode_text_result(columns, rows, 0, 2);
}

p::bytes check_answer(std::string_view charset, const std::function<std::string(char32_t)>& weight) {
  std::vector<p::column_definition> columns;
  p::text_row row;
  for (const auto sample : weight_samples(charset)) {
    std::string w;
    for (const char32_t c : sample) w += weight(c);
    columns.push_back(p::text_column("w"));
    row.push_back(w);
  }
  return p::encode_text_result(columns, std::vector<p::text_row>{row}, 0, 2);
}

std::shared_ptr<const collation_weights> latin1_weights(std::string& problem) {
  const auto weight = [](char32_t c) { return latin1_weight(static_cast<unsigned char>(c)); };
  return collation_weights::load("latin1", weights_answer(256, weight), check_answer("latin1", weight), false, problem);
}

TEST(ShardingCollation, Latin1KeysFold) {
  std::string problem;
  const auto w = latin1_weights(problem);
  ASSERT_TRUE(w) << problem;
  EXPECT_EQ(w->fold("\xE9mile"), "EMILE");
  EXPECT_EQ(w->fold("stra\xDF" "e  "), "STRASSE");
  EXPECT_EQ(w->fold("\xC4" "b"), "\xFF\xC4" "B");   // a weight no ASCII character has
  EXPECT_EQ(w->fold("a\xA0" "b\xA0"), "AB");        // ignorable characters weigh nothing
  EXPECT_EQ(w->fold("Emile"), normalized_key(key_kind::string, "Emile"));  // ASCII: as shard_key.h
  EXPECT_EQ(w->fold("\xFF"), "\xFF\xFF");
}

TEST(ShardingCollation, WeightsThatCannotFold) {
  std::string problem;
  const auto same_dash = [](char32_t c) { return c == '_' ? std::string("-") : latin1_weight(static_cast<unsigned char>(c)); };
  EXPECT_FALSE(collation_weights::load("latin1", weights_answer(256, same_dash), check_answer("latin1", same_dash),
                                       false, problem));
  EXPECT_EQ(problem, "the ASCII characters '-' and '_' weigh the same");
  const auto double_x = [](char32_t c) { return c == 'x' ? std::string("XX") : latin1_weight(static_cast<unsigned char>(c)); };
  EXPECT_FALSE(collation_weights::load("latin1", weights_answer(256, double_x), check_answer("latin1", double_x),
                                       false, problem));
  EXPECT_EQ(problem, "the ASCII character 'x' is not one weight");
  // The server weighs "ch" as one letter (a contraction): its characters' weights do not add up.
  const auto weight = [](char32_t c) { return latin1_weight(static_cast<unsigned char>(c)); };
  const auto contraction = [](char32_t c) { return c == 'h' ? std::string("Q") : latin1_weight(static_cast<unsigned char>(c)); };
  EXPECT_FALSE(collation_weights::load("latin1", weights_answer(256, weight), check_answer("latin1", contraction),
                                       false, problem));
  EXPECT_EQ(problem, "sample 1 weighs otherwise than its characters (a contraction)");
  const auto err = p::encode_packet(p::encode(p::make_error({1273, "HY000"}, "Unknown collation")), 1);
  EXPECT_FALSE(collation_weights::load("latin1", err, err, false, problem));
  EXPECT_EQ(problem, "Unknown collation");
}

// A utf8mb4 collation of two-byte weights: ASCII letters as upper case, 'é' as 'E', Cyrillic
// 'ж' as 'Ж', anything else its code point.
std::string utf8_weight(char32_t c) {
  if (c == 0xE9) c = 'E';
  if (c == 0x436) c = 0x416;
  if (c < 0x80) c = static_cast<char32_t>(std::toupper(static_cast<int>(c)));
  return {static_cast<char>(c >> 8), static_cast<char>(c & 0xFF)};
}

TEST(ShardingCollation, Utf8KeysFold) {
  std::string problem;
  const auto w = collation_weights::load("utf8mb4", weights_answer(0x10000, utf8_weight),
                                         check_answer("utf8mb4", utf8_weight), false, problem);
  ASSERT_TRUE(w) << problem;
  EXPECT_EQ(w->fold("\xC3\xA9mile "), "EMILE");                            // émile
  EXPECT_EQ(w->fold("\xD0\xB6" "a"), w->fold("\xD0\x96" "A"));             // жa = ЖA
  EXPECT_EQ(w->fold("\xD0\x96"), std::string("\xFF\x04\x16"));
  EXPECT_EQ(w->fold("\xE4\xB8\xAD"), std::string("\xFF\x4E\x2D"));         // 中: U+4E2D
  EXPECT_EQ(w->fold("\xFF\x04 "), std::nullopt);                           // not UTF-8
  EXPECT_EQ(w->fold("\xC0\x80"), std::nullopt);                            // overlong
  EXPECT_EQ(w->fold("\xED\xA0\x80"), std::nullopt);                        // a surrogate
  EXPECT_EQ(w->fold("\xF0\x9F\x98\x80"), std::nullopt);                    // beyond U+FFFF
  EXPECT_EQ(w->fold("\xC3"), std::nullopt);                                // cut short
  EXPECT_EQ(w->fold("\xD0\x96\xC4\xA0"), std::string("\xFF\x04\x16\xFF\x01\x20"));  // U+0120: its weight ends in 0x20, kept
}

catalog names_catalog() {
  catalog c;
  c.maps.push_back({"names_map", map_type::hash, key_kind::string, "global", {{"s1", {}}, {"s2", {}}, {"s3", {}}}});
  c.tables = {{"app", "names", "name", "names_map"}};
  return c;
}

shard_route route_with(const catalog& c, const std::string& sql, key_folding* folding) {
  routing::statement_tokens tokens;
  tokens.lex(sql);
  const auto shape = shape_of(tokens);
  return route_statement({shape, "app", tokens.hint(), {}, &tokens, folding}, c);
}

TEST(ShardingCollation, RoutingAsksThenFolds) {
  const auto c = names_catalog();
  key_collations known;
  key_folding ask(&known, "latin1");
  const auto first = route_with(c, "SELECT * FROM names WHERE name = '\xE9mile'", &ask);
  EXPECT_EQ(ask.wanted, &c.tables[0]);  // not learned: the machine learns it, then plans again
  EXPECT_TRUE(first.every_shard);
  std::string problem;
  known.learn("app.names", {latin1_weights(problem), {}});
  key_folding folded(&known, "latin1", false);
  const auto accented = route_with(c, "SELECT * FROM names WHERE name = '\xE9mile'", &folded);
  const auto plain = route_with(c, "SELECT * FROM names WHERE name = 'EMILE'", &folded);
  ASSERT_TRUE(accented.single());
  EXPECT_EQ(accented.shards, plain.shards);
  const auto insert = route_with(c, "INSERT INTO names (name) VALUES ('\xE9mile'), ('emile  ')", &folded);
  EXPECT_TRUE(insert.single()) << insert.reason;
  EXPECT_EQ(insert.shards, plain.shards);
}

TEST(ShardingCollation, KeysThatPlaceNothing) {
  const auto c = names_catalog();
  key_collations known;
  std::string problem;
  known.learn("app.names", {latin1_weights(problem), {}});
  key_folding other_charset(&known, "utf8mb4", false);
  auto r = route_with(c, "INSERT INTO names (name) VALUES ('\xC3\xA9mile')", &other_charset);
  EXPECT_EQ(r.kind, route_kind::refused);
  EXPECT_NE(r.reason.find("the connection's character set (utf8mb4) is not the column's (latin1)"), std::string::npos)
      << r.reason;
  key_folding introduced(&known, "latin1", false);
  r = route_with(c, "SELECT * FROM names WHERE name = _latin1'\xE9mile'", &introduced);
  EXPECT_TRUE(r.every_shard);
  EXPECT_EQ(introduced.why_not, "a key beyond ASCII written with a character set introducer, N'', X'' or 0x is not placed");
  known.learn("app.names", {nullptr, "weft does not fold keys in collation utf8mb4_czech_ci"});
  key_folding czech(&known, "utf8mb4", false);
  r = route_with(c, "UPDATE names SET v = 1 WHERE name = '\xC4\x8D" "aj'", &czech);
  EXPECT_EQ(r.kind, route_kind::refused);
  EXPECT_NE(r.reason.find("its key places nothing: weft does not fold keys in collation utf8mb4_czech_ci"),
            std::string::npos) << r.reason;
  r = route_with(c, "UPDATE names SET v = 1 WHERE name = 'chaj'", &czech);  // ASCII places without the collation
  EXPECT_TRUE(r.single()) << r.reason;
}

TEST(ShardingCollation, StatementsAskingTheServer) {
  EXPECT_EQ(key_column_sql({"app", "na'mes", "name", "m"}),
            "SELECT COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'app' AND "
            "TABLE_NAME = 'na''mes' AND COLUMN_NAME = 'name'");
  EXPECT_EQ(weights_sql("latin1_swedish_ci", "latin1"),
            "WITH RECURSIVE b(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM b WHERE n < 255) SELECT n, "
            "WEIGHT_STRING(CHAR(n USING latin1) COLLATE latin1_swedish_ci) FROM b");
  EXPECT_EQ(weights_sql("x; DROP TABLE t", "latin1"), "SELECT 'not a collation' FROM DUAL WHERE FALSE");
  EXPECT_EQ(weights_check_sql("latin1_bin", "latin1").substr(0, 74),
            "SELECT WEIGHT_STRING(_latin1 X'6368' COLLATE latin1_bin), WEIGHT_STRING(_l");
  const std::vector<p::column_definition> two{p::text_column("c"), p::text_column("s")};
  const auto found = read_key_column(p::encode_text_result(two, std::vector<p::text_row>{{"utf8mb4_bin", "utf8mb4"}}, 0, 2), false);
  EXPECT_EQ(found.collation, "utf8mb4_bin");
  EXPECT_EQ(found.problem, "");
  const auto missing = read_key_column(p::encode_text_result(two, std::vector<p::text_row>{}, 0, 2), false);
  EXPECT_EQ(missing.problem, "the shards have no such column yet");
  const auto integer = read_key_column(p::encode_text_result(two, std::vector<p::text_row>{{std::nullopt, std::nullopt}}, 0, 2), false);
  EXPECT_EQ(integer.collation, "");
}

}  // namespace
}  // namespace weft::sharding
