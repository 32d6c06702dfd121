// analyze(): one lexer pass answers what classify(), multiplexing_effect() and sets_insert_id()
// answer one by one, with one token buffer reused from statement to statement.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "routing/statement_analysis.h"

namespace weft::routing {
namespace {

constexpr std::string_view statements[] = {
    "SELECT c FROM sbtest1 WHERE id=5023",
    "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')",
    "SELECT LAST_INSERT_ID()",
    "SELECT LAST_INSERT_ID(42)",
    "UPDATE t SET a = LAST_INSERT_ID(a + 1) WHERE id = 7",
    "SET @v := 5",
    "SET sql_mode = 'ANSI', time_zone = '+00:00'",
    "SET autocommit = 0",
    "SET STATEMENT max_statement_time=1 FOR SELECT GET_LOCK('x', 1)",
    "/* weft: route=replica group=reports */ SELECT * FROM orders WHERE id IN (1, 2, 3) FOR UPDATE",
    "SELECT 1; SELECT @@IDENTITY",
    "/*!40101 SET NAMES utf8 */",
    "CREATE TEMPORARY TABLE tmp (id INT)",
    "START TRANSACTION READ ONLY",
    "BEGIN",
    "",
};

void expect_same_info(const statement_info& a, const statement_info& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.transaction, b.transaction);
  EXPECT_EQ(a.locking_read, b.locking_read);
  EXPECT_EQ(a.side_effects, b.side_effects);
  EXPECT_EQ(a.multi_statement, b.multi_statement);
  EXPECT_EQ(a.hint, b.hint);
  EXPECT_EQ(a.hint_group, b.hint_group);
  EXPECT_EQ(a.digest, b.digest);
}

void expect_same_effect(const statement_effect& a, const statement_effect& b) {
  EXPECT_EQ(a.pins, b.pins);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.replayable_set, b.replayable_set);
  EXPECT_EQ(a.autocommit_only, b.autocommit_only);
  EXPECT_EQ(a.reads_insert_id, b.reads_insert_id);
  EXPECT_EQ(a.sets_insert_id, b.sets_insert_id);
}

TEST(StatementAnalysis, AnswersWhatEachQuestionAnswersAlone) {
  statement_tokens tokens;  // one buffer for all: nothing of a statement leaks into the next
  for (int round = 0; round < 2; ++round) {
    for (const auto sql : statements) {
      SCOPED_TRACE(sql);
      std::string text, expected_text;
      const auto analysis = analyze(sql, tokens, {&text});
      expect_same_info(analysis.info, classify(sql, &expected_text));
      EXPECT_EQ(text, expected_text);
      expect_same_effect(analysis.effect, multiplexing_effect(sql));
      EXPECT_EQ(analysis.effect.sets_insert_id, multiplexing_effect(sql).reads_insert_id && sets_insert_id(sql));
      std::string again;
      digest_text(tokens, again);  // from the tokens left in the buffer
      EXPECT_EQ(again, expected_text);
    }
  }
}

TEST(StatementAnalysis, InsertIdFacts) {
  statement_tokens tokens;
  auto a = analyze("SELECT LAST_INSERT_ID()", tokens);
  EXPECT_TRUE(a.effect.reads_insert_id);
  EXPECT_FALSE(a.effect.sets_insert_id);
  a = analyze("UPDATE t SET a = LAST_INSERT_ID(a + 1) WHERE id = 7", tokens);
  EXPECT_TRUE(a.effect.reads_insert_id);
  EXPECT_TRUE(a.effect.sets_insert_id);
  a = analyze("SELECT c FROM t WHERE id = 1", tokens);
  EXPECT_FALSE(a.effect.reads_insert_id);
  EXPECT_FALSE(a.effect.sets_insert_id);
  EXPECT_FALSE(a.effect.pins);
  EXPECT_TRUE(a.info.replica_safe());
}

TEST(StatementAnalysis, DigestTextOnlyWhenAsked) {
  statement_tokens tokens;
  std::string text = "left over";
  const auto a = analyze("SELECT * FROM t WHERE id IN (1, 2, 3)", tokens, {&text});
  EXPECT_EQ(text, "SELECT * FROM t WHERE id IN (...)");
  EXPECT_EQ(a.info.digest, digest_of(text));
  EXPECT_EQ(analyze("SELECT * FROM t WHERE id IN (4, 5)", tokens).info.digest, a.info.digest);
}

}  // namespace
}  // namespace weft::routing
