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
      {"SET NAMES utf8mb4", true, "SET"},
      {"set autocommit=0", true, "set"},
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

TEST(MultiplexingEffect, UnterminatedLiteralsAndCommentsEndTheScan) {
  // What hides inside an unterminated literal or comment is not code.
  for (std::string_view sql : {"SELECT 'abc @x", "SELECT \"abc\\", "SELECT /* open @x", "SELECT `x;y"}) {
    EXPECT_FALSE(multiplexing_effect(sql).pins) << sql;
  }
  EXPECT_TRUE(multiplexing_effect("'").pins);  // not a statement weft knows: pin
}

}  // namespace
}  // namespace weft::routing
