#include <gtest/gtest.h>

#include "routing/session_effects.h"

namespace weft::routing {
namespace {

struct effect_case {
  std::string_view sql;
  bool pins;
  std::string_view reason;
};

TEST(MultiplexingEffect, DecisionTable) {
  const effect_case cases[] = {
      {"SELECT c FROM sbtest1 WHERE id=5", false, ""},
      {"  select @@port", false, ""},
      {"SELECT @@session.sql_mode, @@max_allowed_packet", false, ""},
      {"/* app=x */ SELECT 1", false, ""},
      {"-- note\nSELECT 1", false, ""},
      {"# note\nSELECT 1", false, ""},
      {"INSERT INTO t VALUES ('@not_a_var', 'a;b')", false, ""},
      {"SELECT 'it''s', \"x\\\"@y\", `we@ird`", false, ""},
      {"BEGIN", false, ""},
      {"START TRANSACTION READ ONLY", false, ""},
      {"COMMIT", false, ""},
      {"update t set a = 1 where id = 2;", false, ""},
      {"SELECT 1;  ", false, ""},
      {"CREATE TABLE t (id int)", false, ""},
      {"", false, ""},
      {"SET @x = 1", true, "SET"},
      {"SET GLOBAL sql_mode = ''", true, "SET"},
      {"SET @@global.time_zone = '+00:00'", true, "SET"},
      {"SET sql_mode = CONCAT(@@sql_mode, ',STRICT_ALL_TABLES')", true, "SET"},
      {"SET session_track_schema = OFF", true, "SET"},
      {"SET TRANSACTION ISOLATION LEVEL READ COMMITTED", true, "SET"},
      {"SET autocommit = 0, sql_mode = ''", true, "SET"},
      {"SET sql_mode = ''; SELECT 1", true, "SET"},
      {"USE weft_test", true, "USE"},
      {"LOCK TABLES t WRITE", true, "LOCK"},
      {"PREPARE s FROM 'select 1'", true, "PREPARE"},
      {"CALL p()", true, "CALL"},
      {"SELECT @x := 1", true, "user variable"},
      {"SELECT 1 INTO @x", true, "user variable"},
      {"select @ x", true, "user variable"},
      {"CREATE TEMPORARY TABLE t (a int)", true, "temporary table"},
      {"select get_lock('a', 1)", true, "named lock"},
      {"SELECT LAST_INSERT_ID()", true, "LAST_INSERT_ID()"},
      {"SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 1", true, "SQL_CALC_FOUND_ROWS"},
      {"SELECT FOUND_ROWS()", true, "FOUND_ROWS()"},
      {"SELECT 1; SELECT 2", true, "multi-statement"},
      {"/*!40101 SET NAMES utf8 */", true, "executable comment"},
      {"SELECT /*M! STRAIGHT_JOIN */ 1", true, "executable comment"},
      {"SELECT 1 /* ; */ -- ;\n", false, ""},
  };
  for (const auto& c : cases) {
    const auto effect = multiplexing_effect(c.sql);
    EXPECT_EQ(effect.pins, c.pins) << c.sql;
    EXPECT_EQ(effect.reason, c.reason) << c.sql;
  }
}

TEST(MultiplexingEffect, SessionVariablesWeftCanReplayDoNotPin) {
  for (std::string_view sql : {"SET NAMES utf8mb4", "SET NAMES 'utf8mb4' COLLATE 'utf8mb4_bin'",
                               "set character set latin1", "SET sql_mode = 'STRICT_TRANS_TABLES'",
                               "SET SESSION time_zone = '+02:00', sql_select_limit = 100",
                               "SET @@session.wait_timeout = 600", "SET @@sql_safe_updates=1;",
                               "SET max_statement_time := 2.5", "SET div_precision_increment = -1"}) {
    const auto effect = multiplexing_effect(sql);
    EXPECT_FALSE(effect.pins) << sql;
    EXPECT_TRUE(effect.replayable_set) << sql;
    EXPECT_FALSE(effect.autocommit_only) << sql;
  }
  for (std::string_view sql : {"SET autocommit = 0", "set @@autocommit=1", "SET SESSION autocommit = ON"}) {
    const auto effect = multiplexing_effect(sql);
    EXPECT_FALSE(effect.pins) << sql;
    EXPECT_FALSE(effect.replayable_set) << sql;
    EXPECT_TRUE(effect.autocommit_only) << sql;
  }
}

TEST(MultiplexingEffect, SetStatementIsJudgedByItsStatement) {
  EXPECT_FALSE(multiplexing_effect("SET STATEMENT max_statement_time=0.5 FOR SELECT 1").pins);
  EXPECT_FALSE(multiplexing_effect("SET STATEMENT sql_mode='', @@max_statement_time = 1 FOR UPDATE t SET a = 1").pins);
  EXPECT_EQ(multiplexing_effect("SET STATEMENT max_statement_time=1 FOR SELECT GET_LOCK('a', 1)").reason, "named lock");
  EXPECT_EQ(multiplexing_effect("SET STATEMENT max_statement_time=@t FOR SELECT 1").reason, "user variable");
  EXPECT_TRUE(multiplexing_effect("SET STATEMENT max_statement_time=1").pins);  // no FOR: not a statement weft knows
}

TEST(SchemaOfUse, PlainUseIsASchemaChange) {
  EXPECT_EQ(schema_of_use("USE shop"), "shop");
  EXPECT_EQ(schema_of_use("use `my shop`;"), "my shop");
  EXPECT_EQ(schema_of_use("/* c */ USE `we``ird`"), "we`ird");
  EXPECT_EQ(schema_of_use("USE shop; SELECT 1"), std::nullopt);  // a multi-statement pins
  EXPECT_EQ(schema_of_use("USE"), std::nullopt);
  EXPECT_EQ(schema_of_use("SELECT 1"), std::nullopt);
  EXPECT_EQ(schema_of_use("/*!USE shop */"), std::nullopt);
}

TEST(MultiplexingEffect, UnterminatedLiteralsAndCommentsEndTheScan) {
  // What hides inside an unterminated literal or comment is not code.
  for (std::string_view sql : {"SELECT 'abc @x", "SELECT \"abc\\", "SELECT /* open @x", "SELECT `x;y"}) {
    EXPECT_FALSE(multiplexing_effect(sql).pins) << sql;
  }
  EXPECT_TRUE(multiplexing_effect("'").pins);  // not a statement weft knows: pin
}

}  // namespace
}  // namespace weft::routing

namespace weft::routing {
namespace {

TEST(SetsInsertId, OnlyAnArgumentSetsIt) {
  struct row {
    std::string_view sql;
    bool sets;
  };
  for (const auto& [sql, sets] : std::initializer_list<row>{
           {"SELECT LAST_INSERT_ID()", false},
           {"select last_insert_id ( )", false},
           {"SELECT @@identity, @@last_insert_id", false},
           {"SELECT LAST_INSERT_ID(42)", true},
           {"UPDATE seq SET id = LAST_INSERT_ID(id + 1)", true},
           {"INSERT INTO t VALUES (last_insert_id(0))", true},
           {"SELECT 'LAST_INSERT_ID(5)'", false},           // inside a literal
           {"SELECT 1 /* LAST_INSERT_ID(5) */", false},     // inside a comment
           {"SELECT /*!50000 LAST_INSERT_ID(5) */ 1", true},  // executable: assumed to
       }) {
    EXPECT_EQ(sets_insert_id(sql), sets) << sql;
  }
}

}  // namespace
}  // namespace weft::routing

namespace weft::routing {
namespace {

TEST(MultiplexingEffect, ReadingLastInsertIdIsSeenWhateverElsePins) {
  const auto both = multiplexing_effect("SELECT LAST_INSERT_ID(), ROW_COUNT()");
  EXPECT_EQ(both.reason, "ROW_COUNT()");
  EXPECT_TRUE(both.reads_insert_id);
  const auto variable_first = multiplexing_effect("SELECT @x, @@identity");
  EXPECT_EQ(variable_first.reason, "user variable");
  EXPECT_TRUE(variable_first.reads_insert_id);
  EXPECT_TRUE(multiplexing_effect("SELECT LAST_INSERT_ID()").reads_insert_id);
  EXPECT_FALSE(multiplexing_effect("SELECT GET_LOCK('a', 1)").reads_insert_id);
  EXPECT_EQ(multiplexing_effect("SELECT 1; SELECT LAST_INSERT_ID()").reason, "multi-statement");
}

}  // namespace
}  // namespace weft::routing
