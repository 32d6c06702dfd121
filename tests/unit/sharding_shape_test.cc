// sharding/statement_shape: what routing by shard key reads of one statement, as decision tables.
// Each table row is one statement and what shape_of must say of it; a field left out of the
// shape's text description must be false or empty.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "sharding/statement_shape.h"

namespace weft::sharding {
namespace {

statement_shape shape(std::string_view sql) {
  routing::statement_tokens tokens;
  tokens.lex(sql);
  return shape_of(tokens);
}

std::string_view verb_name(statement_verb verb) {
  switch (verb) {
    case statement_verb::select:
      return "select";
    case statement_verb::insert:
      return "insert";
    case statement_verb::replace:
      return "replace";
    case statement_verb::update:
      return "update";
    case statement_verb::remove:
      return "delete";
    case statement_verb::ddl:
      return "ddl";
    case statement_verb::other:
      return "other";
  }
  return "?";
}

// A literal as a test writes it: 5, -5, 'bytes' (\xHH for bytes outside printable ASCII, \\ and
// \' for those two), NULL, ?0 (a parameter and its index), <expr>.
std::string text_of(const literal& l) {
  switch (l.type) {
    case literal::kind::number:
      return l.value;
    case literal::kind::null:
      return "NULL";
    case literal::kind::param:
      return "?" + std::to_string(l.param_index);
    case literal::kind::expression:
      return "<expr>";
    case literal::kind::string:
      break;
  }
  std::string out = "'";
  for (const char c : l.value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\' || c == '\'') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte >= 0x7f) {
      constexpr char hex[] = "0123456789ABCDEF";
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 15];
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string list_of(const std::vector<literal>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ",") + text_of(v);
  return out;
}

// "db.t,u"
std::string tables_of(const statement_shape& s) {
  std::string out;
  for (const auto& t : s.tables) out += (out.empty() ? "" : ",") + (t.schema.empty() ? "" : t.schema + ".") + t.name;
  return out;
}

// "id=5; c IN(1,'2',?0); d BETWEEN 1 AND 9"
std::string conditions_of(const statement_shape& s) {
  std::string out;
  for (const auto& c : s.conditions) {
    if (!out.empty()) out += "; ";
    switch (c.type) {
      case key_condition::kind::equals:
        out += c.column + "=" + list_of(c.values);
        break;
      case key_condition::kind::in_list:
        out += c.column + " IN(" + list_of(c.values) + ")";
        break;
      case key_condition::kind::between:
        out += c.column + " BETWEEN " + text_of(c.values.at(0)) + " AND " + text_of(c.values.at(1));
        break;
    }
  }
  return out;
}

// The names of the flags that are set, in a fixed order.
std::string flags_of(const statement_shape& s) {
  const std::pair<bool, const char*> flags[] = {{s.where_has_or, "or"},
                                                {s.joins, "joins"},
                                                {s.subquery, "subquery"},
                                                {s.union_, "union"},
                                                {s.window, "window"},
                                                {s.with_cte, "cte"},
                                                {s.distinct, "distinct"},
                                                {s.group_by, "group"},
                                                {s.having, "having"},
                                                {s.order_by, "order"},
                                                {s.limit, "limit"},
                                                {s.aggregates, "agg"},
                                                {s.locking, "locking"},
                                                {s.into, "into"},
                                                {s.multiple_statements, "multi"},
                                                {s.insert_select, "insert_select"},
                                                {s.insert_set, "insert_set"}};
  std::string out;
  for (const auto& [set, name] : flags) {
    if (set) out += (out.empty() ? "" : " ") + std::string(name);
  }
  return out;
}

struct shape_row {
  const char* sql;
  const char* verb;
  const char* tables;
  const char* conditions;
  const char* flags;
};

void expect_rows(std::span<const shape_row> rows) {
  for (const auto& row : rows) {
    const auto s = shape(row.sql);
    EXPECT_EQ(verb_name(s.verb), row.verb) << row.sql;
    EXPECT_EQ(tables_of(s), row.tables) << row.sql;
    EXPECT_EQ(conditions_of(s), row.conditions) << row.sql;
    EXPECT_EQ(flags_of(s), row.flags) << row.sql;
    if (s.where_has_or) {
      EXPECT_TRUE(s.conditions.empty()) << row.sql;
    }
  }
}

TEST(ShardingShape, SimpleStatements) {
  const shape_row rows[] = {
      {"SELECT * FROM t WHERE id = 5", "select", "t", "id=5", ""},
      {"select * from t where id = 5", "select", "t", "id=5", ""},
      {"SELECT * FROM t", "select", "t", "", ""},
      {"SELECT 1", "select", "", "", ""},
      {"SELECT 1 FROM DUAL", "select", "", "", ""},
      {"SELECT * FROM `dual`", "select", "dual", "", ""},
      {"SELECT * FROM db.t WHERE id = -5", "select", "db.t", "id=-5", ""},
      {"SELECT * FROM `db`.`t` WHERE `id` = 5", "select", "db.t", "id=5", ""},
      {"SELECT * FROM `db.t` WHERE id = 5", "select", "db.t", "id=5", ""},  // one name with a dot
      {"SELECT * FROM `we``ird` w WHERE w.`i``d` = 5", "select", "we`ird", "i`d=5", ""},
      {"SELECT * FROM t AS a WHERE a.id = 5", "select", "t", "id=5", ""},
      {"SELECT * FROM db.t WHERE db.t.id = 5", "select", "db.t", "id=5", ""},
      {"SELECT * FROM t WHERE Id = '5'", "select", "t", "Id='5'", ""},
      {"SELECT * FROM t WHERE -5 = id", "select", "t", "id=-5", ""},
      {"SELECT * FROM t WHERE '7' = t.id", "select", "t", "id='7'", ""},
      {"SELECT * FROM t WHERE id = ?", "select", "t", "id=?0", ""},
      {"SELECT * FROM t WHERE id <=> 5", "select", "t", "id=5", ""},
      {"SELECT * FROM t WHERE id <=> NULL", "select", "t", "id=NULL", ""},
      {"SELECT * FROM t WHERE id IS NULL", "select", "t", "id=NULL", ""},
      {"SELECT * FROM t WHERE id IS NOT NULL", "select", "t", "", ""},
      {"SELECT * FROM t WHERE t.id IN (1, '2', ?)", "select", "t", "id IN(1,'2',?0)", ""},
      {"SELECT * FROM t WHERE id NOT IN (1, 2)", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id IN (1, f(2))", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id BETWEEN 1 AND 9", "select", "t", "id BETWEEN 1 AND 9", ""},
      {"SELECT * FROM t WHERE id BETWEEN -1 AND ? AND k = 2", "select", "t", "id BETWEEN -1 AND ?0; k=2", ""},
      {"SELECT * FROM t WHERE id NOT BETWEEN 1 AND 9 AND k = 2", "select", "t", "k=2", ""},
      {"SELECT * FROM t WHERE id = 5 AND k = 'x' && z IN (3)", "select", "t", "id=5; k='x'; z IN(3)", ""},
      {"SELECT * FROM t WHERE id = /* comment */ 5 AND -- line\n k = 6", "select", "t", "id=5; k=6", ""},
  };
  expect_rows(rows);
}

TEST(ShardingShape, ConditionsNeverGuessed) {
  const shape_row rows[] = {
      {"SELECT * FROM t WHERE id = 5 OR id = 6", "select", "t", "", "or"},
      {"SELECT * FROM t WHERE id = 5 XOR k = 1", "select", "t", "", "or"},
      {"SELECT * FROM t WHERE id = 5 || k = 1", "select", "t", "", "or"},
      {"SELECT * FROM t WHERE id = 5 AND (a = 1 OR b = 2)", "select", "t", "id=5", ""},
      {"SELECT * FROM t WHERE (id = 5)", "select", "t", "id=5", ""},
      {"SELECT * FROM t WHERE ((id = 5 AND k = 2)) AND z = 3", "select", "t", "id=5; k=2; z=3", ""},
      {"SELECT * FROM t WHERE (id = 5 AND k = 2 OR z = 3)", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id = 5 + 1", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id = f(3)", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id = other_col", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id = - -5", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id = -'5'", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id = -0x10", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id = DATE '2026-01-01'", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id = 'a' COLLATE utf8mb4_bin", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id >= 5 AND id <= 5 AND id != 4 AND id < 9", "select", "t", "", ""},
      {"SELECT * FROM t WHERE NOT id = 5", "select", "t", "", ""},
      {"SELECT * FROM t WHERE id = CURRENT_DATE", "select", "t", "", ""},
      {"SELECT * FROM t WHERE CURRENT_USER = 'x'", "select", "t", "", ""},
      {"SELECT * FROM t WHERE CASE WHEN a AND id = 5 AND b THEN 1 END", "select", "t", "", ""},
      {"SELECT * FROM t WHERE CASE WHEN a OR b THEN 1 END = 1 AND id = 5", "select", "t", "id=5", ""},
      {"SELECT * FROM t WHERE id = 5 AND", "select", "t", "", ""},
      {"SELECT * FROM t WHERE (id = 5", "select", "t", "", ""},
      // A non-reserved clause word as a column does not end WHERE early.
      {"SELECT * FROM t WHERE id = 5 AND x = window OR y = 1", "select", "t", "", "or"},
      {"SELECT * FROM t WHERE t.order = 5", "select", "t", "order=5", ""},
      {"SELECT * FROM t WHERE id = 5 AND window = 3 GROUP BY a", "select", "t", "id=5; window=3", "group"},
      {"SELECT * FROM t WHERE id IN (SELECT 1) AND k = 1", "select", "t", "k=1", "subquery"},
      {"SELECT * FROM t WHERE (id) = 5 AND id = (5) AND (a, id) = (1, 5)", "select", "t", "", ""},
      {"SELECT * FROM t WHERE x.y.z.w = 2 AND id = 1e", "select", "t", "", ""},  // 1e is a column
      {"SELECT * FROM t WHERE CASE id WHEN 1 THEN 1 END = 1 AND id = 2", "select", "t", "id=2", ""},
  };
  expect_rows(rows);
}

TEST(ShardingShape, LimitsOfScatterGather) {
  const shape_row rows[] = {
      {"SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE k = 1)", "select", "t,u", "", "subquery"},
      {"SELECT * FROM t WHERE id = 5 AND EXISTS (SELECT 1 FROM u)", "select", "t,u", "id=5", "subquery"},
      {"SELECT (SELECT MAX(x) FROM u) AS m FROM t WHERE id = 1", "select", "u,t", "id=1", "subquery"},
      {"SELECT * FROM (SELECT * FROM t WHERE id = 1) AS d", "select", "t", "", "subquery"},
      {"SELECT a FROM t WHERE id = 1 UNION SELECT a FROM u WHERE id = 1", "select", "t,u", "", "union"},
      {"SELECT a FROM t UNION DISTINCT SELECT a FROM u", "select", "t,u", "", "union"},
      {"SELECT a FROM t INTERSECT SELECT a FROM u", "select", "t,u", "", "union"},
      {"(SELECT a FROM t) UNION (SELECT a FROM u)", "other", "t,u", "", "subquery union"},
      {"SELECT a, ROW_NUMBER() OVER (PARTITION BY b ORDER BY c) FROM t WHERE id = 1", "select", "t", "id=1", "window"},
      {"SELECT a, SUM(b) OVER w FROM t WINDOW w AS (ORDER BY c)", "select", "t", "", "window agg"},
      {"WITH c AS (SELECT * FROM t WHERE id = 1) SELECT * FROM c", "select", "t", "", "subquery cte"},
      {"WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT * FROM c, u WHERE u.id = 2",
       "select", "u", "id=2", "joins subquery cte"},
      {"SELECT DISTINCT a FROM t WHERE id = 1", "select", "t", "id=1", "distinct"},
      {"SELECT DISTINCTROW a FROM t", "select", "t", "", "distinct"},
      {"SELECT COUNT(DISTINCT a) FROM t", "select", "t", "", "agg"},
      {"SELECT a, COUNT(*) FROM t WHERE id = 1 GROUP BY a HAVING COUNT(*) > 1 ORDER BY a LIMIT 10", "select", "t",
       "id=1", "group having order limit agg"},
      {"SELECT a FROM t ORDER BY a OFFSET 5 ROWS FETCH FIRST 10 ROWS ONLY", "select", "t", "", "order limit"},
      {"SELECT GROUP_CONCAT(a ORDER BY b) FROM t", "select", "t", "", "agg"},
      {"SELECT STD(a), MIN(b) FROM t", "select", "t", "", "agg"},
      {"SELECT * FROM t WHERE id = 1 FOR UPDATE", "select", "t", "id=1", "locking"},
      {"SELECT * FROM t WHERE id = 1 FOR SHARE", "select", "t", "id=1", "locking"},
      {"SELECT * FROM t WHERE id = 1 LOCK IN SHARE MODE", "select", "t", "id=1", "locking"},
      {"SELECT a INTO @v FROM t WHERE id = 1", "select", "t", "id=1", "into"},
      {"SELECT a FROM t WHERE id = 1 INTO @v", "select", "t", "id=1", "into"},
      {"SELECT * FROM t WHERE id = 1; SELECT 2", "select", "t", "id=1", "multi"},
      {"SELECT * FROM t WHERE id = 1;", "select", "t", "id=1", ""},
      {"SELECT * FROM t ;; ", "select", "t", "", ""},
      {"SELECT a FROM t GROUP BY a WITH ROLLUP", "select", "t", "", "group"},
      {"SELECT * FROM t WHERE id = 1 ORDER BY (SELECT 1)", "select", "t", "id=1", "subquery order"},
      {"SELECT * FROM t WHERE id = 5 INTO OUTFILE '/tmp/x'", "select", "t", "id=5", "into"},
      {"SELECT EXTRACT(YEAR FROM d), TRIM(LEADING 'x' FROM s) FROM t", "select", "t", "", ""},
  };
  expect_rows(rows);
}

TEST(ShardingShape, Joins) {
  const shape_row rows[] = {
      {"SELECT * FROM t1 JOIN t2 ON t1.id = t2.id WHERE t1.id = 5", "select", "t1,t2", "id=5", "joins"},
      {"SELECT * FROM t1 a, db.t2 b WHERE a.id = b.id AND a.id = 5", "select", "t1,db.t2", "id=5", "joins"},
      {"SELECT * FROM t1 LEFT OUTER JOIN t2 USING (id) NATURAL JOIN t3 CROSS JOIN t4 STRAIGHT_JOIN t5", "select",
       "t1,t2,t3,t4,t5", "", "joins"},
      {"SELECT * FROM t1 JOIN (t2 JOIN t3 ON t2.a = t3.a) ON t1.a = t2.a", "select", "t1,t2,t3", "", "joins"},
      {"SELECT * FROM t1 JOIN t2 ON t1.a = t2.a, t3", "select", "t1,t2,t3", "", "joins"},
      {"SELECT * FROM t1 USE INDEX FOR JOIN (i1), t2 FORCE INDEX (i2)", "select", "t1,t2", "", "joins"},
      {"SELECT * FROM t1 PARTITION (p0, p1) WHERE id = 3", "select", "t1", "id=3", ""},
      {"SELECT * FROM t1, JSON_TABLE(t1.j, '$[*]' COLUMNS (x INT PATH '$')) AS jt", "select", "t1", "", "joins"},
      {"SELECT * FROM t, LATERAL (SELECT * FROM u WHERE u.a = t.a) AS d", "select", "t,u", "", "joins subquery"},
      {"SELECT STRAIGHT_JOIN a FROM t WHERE id = 1", "select", "t", "id=1", ""},
  };
  expect_rows(rows);
}

TEST(ShardingShape, Writes) {
  const shape_row rows[] = {
      {"UPDATE t SET a = 1 WHERE id = 5", "update", "t", "id=5", ""},
      {"UPDATE LOW_PRIORITY IGNORE db.t SET a = 1, b = 2 WHERE id IN (1, 2) ORDER BY a LIMIT 1", "update", "db.t",
       "id IN(1,2)", "order limit"},
      {"UPDATE t1 JOIN t2 ON t1.id = t2.id SET t1.a = t2.a WHERE t1.id = 5", "update", "t1,t2", "id=5", "joins"},
      {"UPDATE t1, t2 SET t1.a = 1 WHERE t1.id = t2.id", "update", "t1,t2", "", "joins"},
      {"UPDATE t SET a = (SELECT MAX(b) FROM u WHERE u.id = 3) WHERE id = 7", "update", "t,u", "id=7", "subquery"},
      {"DELETE FROM t WHERE id = 5", "delete", "t", "id=5", ""},
      {"DELETE LOW_PRIORITY QUICK IGNORE FROM t WHERE id = 5 ORDER BY a LIMIT 3", "delete", "t", "id=5", "order limit"},
      {"DELETE t1, t2 FROM t1 JOIN t2 ON t1.id = t2.id WHERE t1.id = 5", "delete", "t1,t2", "id=5", "joins"},
      {"DELETE FROM a1, a2 USING t1 AS a1 INNER JOIN t2 AS a2 WHERE a1.id = a2.id", "delete", "t1,t2", "", "joins"},
      {"DELETE t1 FROM t1 LEFT JOIN t2 USING (id) WHERE t2.id IS NULL", "delete", "t1,t2", "id=NULL", "joins"},
      {"WITH c AS (SELECT id FROM u) DELETE FROM t WHERE id = 4", "delete", "u,t", "id=4", "subquery cte"},
      {"INSERT INTO t (id) VALUES (1)", "insert", "t", "", ""},
      {"REPLACE INTO t VALUES (1)", "replace", "t", "", ""},
      {"INSERT INTO t SELECT * FROM u WHERE id = 1", "insert", "t,u", "", "insert_select"},
      {"INSERT INTO t (a, b) SELECT DISTINCT a, b FROM u ON DUPLICATE KEY UPDATE a = 1, b = 2", "insert", "t,u", "",
       "distinct insert_select"},
      {"INSERT INTO t TABLE u", "insert", "t,u", "", "insert_select"},
      {"INSERT INTO t (SELECT * FROM u)", "insert", "t,u", "", "subquery insert_select"},
      {"INSERT INTO t SET id = 1, a = 'x'", "insert", "t", "", "insert_set"},
      {"CREATE TABLE db.t (id INT PRIMARY KEY, p INT REFERENCES parent (id))", "ddl", "db.t,parent", "", ""},
      {"CREATE TABLE IF NOT EXISTS t LIKE s", "ddl", "t,s", "", ""},
      {"CREATE TABLE t AS SELECT * FROM s WHERE id = 1", "ddl", "t,s", "", ""},
      {"ALTER TABLE t ADD COLUMN c INT, RENAME TO u", "ddl", "t,u", "", ""},
      {"ALTER TABLE t RENAME COLUMN a TO b", "ddl", "t", "", ""},
      {"DROP TABLE IF EXISTS t1, `db`.`t2`", "ddl", "t1,db.t2", "", ""},
      {"DROP TEMPORARY TABLE t", "ddl", "t", "", ""},
      {"TRUNCATE TABLE t", "ddl", "t", "", ""},
      {"TRUNCATE t", "ddl", "t", "", ""},
      {"RENAME TABLE a TO b, c TO d", "ddl", "a,b,c,d", "", ""},
      {"CREATE UNIQUE INDEX i ON t (a)", "ddl", "t", "", ""},
      {"DROP INDEX i ON db.t", "ddl", "db.t", "", ""},
      {"CREATE OR REPLACE VIEW v AS SELECT * FROM t", "ddl", "v,t", "", ""},
      {"CREATE TABLE t (LIKE s)", "ddl", "t,s", "", ""},
      {"ALTER TABLE t EXCHANGE PARTITION p WITH TABLE u", "ddl", "t,u", "", ""},
      {"CREATE TRIGGER tr BEFORE INSERT ON db.t FOR EACH ROW SET NEW.a = 1", "ddl", "db.t", "", ""},
      {"CREATE DEFINER=`root`@`%` SQL SECURITY INVOKER VIEW v AS SELECT * FROM t1 JOIN t2", "ddl", "v,t1,t2", "",
       "joins"},
      {"DELETE FROM t WHERE id = 1 RETURNING id", "delete", "t", "id=1", ""},
      {"DELETE FROM t USING t JOIN u ON t.a = u.a WHERE t.id = 5", "delete", "t,u", "id=5", "joins"},
      {"REPLACE t SET a = 1", "replace", "t", "", "insert_set"},
      {"WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a", "other", "", "", "cte"},  // not SQL the server takes
      {"INSERT INTO t WITH c AS (SELECT * FROM s) SELECT * FROM c", "insert", "t,s", "", "subquery insert_select"},
      {"CREATE DATABASE d", "ddl", "", "", ""},
      {"SHOW TABLES FROM db", "other", "", "", ""},
      {"SET @a = (SELECT 1 FROM t)", "other", "", "", ""},
      {"CALL p(1); SELECT 1", "other", "", "", "multi"},
      {"", "other", "", "", ""},
  };
  expect_rows(rows);
}

// Each literal as the WHERE of `SELECT * FROM t WHERE k = <literal>`.
TEST(ShardingShape, LiteralsAsTheServerReadsThem) {
  const std::pair<const char*, const char*> rows[] = {
      {"5", "5"},
      {"-5", "-5"},
      {"- 5", "-5"},
      {"+5", "5"},
      {"1.50", "1.50"},
      {"-1e3", "-1e3"},
      {"TRUE", "1"},
      {"false", "0"},
      {"NULL", "NULL"},
      {"'abc'", "'abc'"},
      {"\"abc\"", "'abc'"},
      {"''", "''"},
      {"'it''s'", "'it\\'s'"},
      {"\"say \"\"hi\"\"\"", "'say \"hi\"'"},
      {"'it\\'s'", "'it\\'s'"},
      {"'a\\\"b'", "'a\"b'"},
      {"'\\0\\b\\n\\r\\t\\Z'", "'\\x00\\x08\\x0A\\x0D\\x09\\x1A'"},
      {"'back\\\\slash'", "'back\\\\slash'"},
      {"'100\\%\\_'", "'100\\\\%\\\\_'"},  // \% and \_ keep their backslash
      {"'\\q'", "'q'"},
      {"X'4142'", "'AB'"},
      {"x''", "''"},
      {"0x414", "'\\x04\\x14'"},
      {"0x4142", "'AB'"},
      {"B'01000001'", "'A'"},
      {"b'1'", "'\\x01'"},
      {"0b1000001", "'A'"},
      {"N'abc'", "'abc'"},
      {"_utf8mb4'abc'", "'abc'"},
      {"_binary 'a\\nb'", "'a\\x0Ab'"},
      {"_binary X'41'", "'A'"},
      {"_binary 0x41", "'A'"},
      {"'a' 'b' \"c\"", "'abc'"},
      {"N'a' 'b'", "'ab'"},
      {"'caf\xc3\xa9'", "'caf\\xC3\\xA9'"},
  };
  for (const auto& [written, read] : rows) {
    const auto sql = std::string("SELECT * FROM t WHERE k = ") + written;
    const auto s = shape(sql);
    ASSERT_EQ(s.conditions.size(), 1u) << sql;
    EXPECT_EQ(text_of(s.conditions[0].values.at(0)), read) << sql;
  }
  // What is not one constant is no key.
  for (const char* written : {"X'414'", "X'4G'", "0xZZ", "B'12'", "'unterminated", "X'41' 'b'", "_utf8mb4 N'a'",
                              "_utf8mb4", "_x 5", "'a' X'41'"}) {
    EXPECT_TRUE(shape(std::string("SELECT * FROM t WHERE k = ") + written).conditions.empty()) << written;
  }
}

TEST(ShardingShape, ParametersNumberedInTheWholeStatement) {
  const auto s = shape("SELECT ? FROM t WHERE a = ? AND id IN (?, 5, ?) AND k BETWEEN ? AND ?");
  EXPECT_EQ(conditions_of(s), "a=?1; id IN(?2,5,?3); k BETWEEN ?4 AND ?5");
  const auto u = shape("UPDATE t SET a = ? WHERE ? = id");
  EXPECT_EQ(conditions_of(u), "id=?1");
}

struct insert_case {
  const char* sql;
  const char* columns;  // "a,b"
  const char* rows;     // each row's text sliced at begin/end, then its values: "(1, 'x')=1,'x' | ..."
  const char* prefix;   // sql up to values_prefix_end
  const char* suffix;   // sql from rows_suffix_begin
};

std::string columns_of(const statement_shape& s) {
  std::string out;
  for (const auto& c : s.insert_columns) out += (out.empty() ? "" : ",") + c;
  return out;
}

std::string rows_of(const statement_shape& s, std::string_view sql) {
  std::string out;
  for (const auto& r : s.rows) {
    if (!out.empty()) out += " | ";
    out += std::string(sql.substr(r.begin, r.end - r.begin)) + "=" + (r.all_literals ? "" : "!") + list_of(r.values);
  }
  return out;
}

TEST(ShardingShape, InsertRowsAndTheirOffsets) {
  const insert_case cases[] = {
      {"INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b')", "id,name", "(1, 'a')=1,'a' | (2, 'b')=2,'b'",
       "INSERT INTO t (id, name) VALUES", ""},
      {"INSERT t VALUE (-1,'it''s')", "", "(-1,'it''s')=-1,'it\\'s'", "INSERT t VALUE", ""},
      {"REPLACE INTO `db`.`t` (`id`) VALUES (?),(?)", "id", "(?)=?0 | (?)=?1", "REPLACE INTO `db`.`t` (`id`) VALUES",
       ""},
      {"INSERT IGNORE INTO t (id, at) VALUES (1, NOW()), (2, 1 + 1), (3, DEFAULT), (4, (SELECT 1))", "id,at",
       "(1, NOW())=!1,<expr> | (2, 1 + 1)=!2,<expr> | (3, DEFAULT)=!3,<expr> | (4, (SELECT 1))=!4,<expr>",
       "INSERT IGNORE INTO t (id, at) VALUES", ""},
      {"INSERT INTO t (id, n) VALUES (1, 1) ON DUPLICATE KEY UPDATE n = n + VALUES(n)", "id,n", "(1, 1)=1,1",
       "INSERT INTO t (id, n) VALUES", " ON DUPLICATE KEY UPDATE n = n + VALUES(n)"},
      {"INSERT INTO t (id) VALUES (1) AS new ON DUPLICATE KEY UPDATE id = new.id", "id", "(1)=1",
       "INSERT INTO t (id) VALUES", " AS new ON DUPLICATE KEY UPDATE id = new.id"},
      {"INSERT INTO t VALUES (1) RETURNING id", "", "(1)=1", "INSERT INTO t VALUES", " RETURNING id"},
      {"INSERT INTO t VALUES (1);", "", "(1)=1", "INSERT INTO t VALUES", ";"},
      {"INSERT INTO t VALUES (1)  /* trailing */ ", "", "(1)=1", "INSERT INTO t VALUES", ""},
      {"INSERT INTO t VALUES /* rows: */ (1, _binary 'x'), ()", "",
       "(1, _binary 'x')=1,'x' | ()=", "INSERT INTO t VALUES", ""},
      {"INSERT DELAYED t PARTITION (p1) (a) VALUES ('x')", "a", "('x')='x'",
       "INSERT DELAYED t PARTITION (p1) (a) VALUES", ""},
      {"INSERT INTO t VALUES ROW(1), ROW(2)", "", "", "", ""},    // not read: no rows
      {"INSERT INTO t VALUES (1), 2", "", "", "", ""},            // broken list: no rows
      {"INSERT INTO t (a, f(b)) VALUES (1, 2)", "", "", "", ""},  // not a column list
  };
  for (const auto& c : cases) {
    const std::string_view sql = c.sql;
    const auto s = shape(sql);
    EXPECT_EQ(columns_of(s), c.columns) << sql;
    EXPECT_EQ(rows_of(s, sql), c.rows) << sql;
    EXPECT_EQ(sql.substr(0, s.values_prefix_end), c.prefix) << sql;
    if (!s.rows.empty()) {
      EXPECT_EQ(sql.substr(s.rows_suffix_begin), c.suffix) << sql;
    }
    EXPECT_FALSE(s.insert_select || s.insert_set) << sql;
  }
}

TEST(ShardingShape, PerShardInsertRebuiltFromTheOffsets) {
  const std::string sql = "INSERT INTO t (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c') ON DUPLICATE KEY UPDATE v = 'z'";
  const auto s = shape(sql);
  ASSERT_EQ(s.rows.size(), 3u);
  const auto row = [&](std::size_t i) { return sql.substr(s.rows[i].begin, s.rows[i].end - s.rows[i].begin); };
  const auto rebuilt =
      sql.substr(0, s.values_prefix_end) + " " + row(0) + ", " + row(2) + sql.substr(s.rows_suffix_begin);
  EXPECT_EQ(rebuilt, "INSERT INTO t (id, v) VALUES (1, 'a'), (3, 'c') ON DUPLICATE KEY UPDATE v = 'z'");
  EXPECT_EQ(s.rows_suffix_begin, sql.find(" ON DUPLICATE"));
  EXPECT_EQ(shape("INSERT INTO t VALUES (1)").rows_suffix_begin, std::string_view("INSERT INTO t VALUES (1)").size());
}

}  // namespace
}  // namespace weft::sharding
