// COMPARE's pure parts: the grammar, SQL literals of every kind, the chunk SQL, matching two
// sides' rows and the statements that repair one side, the job store's packing.
#include <gtest/gtest.h>

#include "admin/compare_grammar.h"
#include "ops/compare_report.h"
#include "ops/compare_sql.h"
#include "ops/job_store.h"
#include "ops/row_diff.h"
#include "ops/sql_values.h"

namespace weft::ops {
namespace {

using admin::parse_compare_command;

compare_command compare_of(std::string_view sql) {
  const auto p = parse_compare_command(sql);
  EXPECT_TRUE(p.has_value()) << sql;
  if (!p) return {};
  EXPECT_EQ(p->error, "") << sql;
  const auto* c = std::get_if<compare_command>(&p->command);
  EXPECT_NE(c, nullptr) << sql;
  return c ? *c : compare_command{};
}

TEST(CompareGrammar, EveryOption) {
  const auto c = compare_of(
      "COMPARE DATABASE shop TABLE orders, `line items` ON PRIMARY OF GROUP main WITH REPLICA '127.0.0.1:23307' "
      "CHANGES FOR 'a' SHOW REVERSE FORMAT ROWS WHERE 'id > 10 AND note = ''it''''s''' IGNORE COLUMNS (updated_at, "
      "etag) ASYNC;");
  EXPECT_EQ(c.database, "shop");
  EXPECT_EQ(c.tables, (std::vector<std::string>{"orders", "line items"}));
  EXPECT_EQ(c.a, (server_ref{server_ref::kind::primary_of_group, "main"}));
  EXPECT_EQ(c.b, (server_ref{server_ref::kind::replica, "127.0.0.1:23307"}));
  EXPECT_EQ(c.changes_for, changes_side::a);
  EXPECT_TRUE(c.show_reverse);
  EXPECT_EQ(c.format, compare_format::rows);
  EXPECT_EQ(c.where, "id > 10 AND note = 'it''s'");
  EXPECT_EQ(c.ignore_columns, (std::vector<std::string>{"updated_at", "etag"}));
  EXPECT_TRUE(c.async);
}

TEST(CompareGrammar, DefaultsAndAddresses) {
  const auto c = compare_of("compare database d on '127.0.0.1:1' with 'localhost:2' changes for '127.0.0.1:1'");
  EXPECT_EQ(c.a, (server_ref{server_ref::kind::address, "127.0.0.1:1"}));
  EXPECT_EQ(c.b, (server_ref{server_ref::kind::address, "localhost:2"}));
  EXPECT_EQ(c.changes_for, changes_side::a);
  EXPECT_EQ(c.format, compare_format::sql);
  EXPECT_FALSE(c.async);
  EXPECT_TRUE(c.tables.empty());
}

TEST(CompareGrammar, MistakesAreUsageErrors) {
  for (const char* sql : {"COMPARE DATABASE", "COMPARE DATABASE d ON 'x' WITH 'y:1'", "COMPARE DATABASE d ON 'a:1'",
                          "COMPARE DATABASE d ON 'a:1' WITH 'b:2' FORMAT XML", "COMPARE DATABASE d ON 'a:1' WITH 'b:2' CHANGES FOR 'c'",
                          "COMPARE TABLE t", "DIFF SCHEMA d ON 'a:1'", "COMPARE DATABASE d ON 'a:1' WITH 'b:2' IGNORE COLUMNS x"}) {
    const auto p = parse_compare_command(sql);
    ASSERT_TRUE(p.has_value()) << sql;
    EXPECT_NE(p->error.find("usage"), std::string::npos) << sql;
  }
  EXPECT_FALSE(parse_compare_command("SELECT 1").has_value());
}

TEST(CompareGrammar, DiffSchema) {
  const auto p = parse_compare_command("DIFF SCHEMA d ON PRIMARY OF GROUP g WITH '127.0.0.1:9' CHANGES FOR 'a'");
  ASSERT_TRUE(p.has_value());
  const auto* d = std::get_if<diff_schema_command>(&p->command);
  ASSERT_NE(d, nullptr) << p->error;
  EXPECT_EQ(d->database, "d");
  EXPECT_EQ(d->changes_for, changes_side::a);
}

// Every kind of value as a literal that reads back the same in any sql_mode.
TEST(SqlValues, LiteralsByKind) {
  struct row { monitor::value v; monitor::value_kind kind; const char* literal; };
  const row rows[] = {
      {std::nullopt, monitor::value_kind::text, "NULL"},
      {"", monitor::value_kind::text, "''"},
      {"NULL", monitor::value_kind::text, "'NULL'"},
      {"it's", monitor::value_kind::text, "'it''s'"},
      {"a\\b", monitor::value_kind::text, "_utf8mb4 X'615C62'"},
      {"line\nnext", monitor::value_kind::text, "_utf8mb4 X'6C696E650A6E657874'"},
      {"\xC3\xA9t\xC3\xA9", monitor::value_kind::text, "'\xC3\xA9t\xC3\xA9'"},
      {"-12", monitor::value_kind::integer, "-12"},
      {"12345678901234567890.000000001", monitor::value_kind::decimal, "12345678901234567890.000000001"},
      {"1.5e-07", monitor::value_kind::floating, "1.5e-07"},
      {std::string("\x00\xFF", 2), monitor::value_kind::binary, "0x00FF"},
      {"", monitor::value_kind::binary, "X''"},
      {std::string("\x05", 1), monitor::value_kind::bit, "0x05"},
      {"2026-12-02 10:11:12.000123", monitor::value_kind::text, "'2026-12-02 10:11:12.000123'"},
      {"{\"k\": [1, \"v\"]}", monitor::value_kind::text, "'{\"k\": [1, \"v\"]}'"},
  };
  for (const auto& r : rows) EXPECT_EQ(sql_value(r.v, r.kind), r.literal);
  EXPECT_EQ(quote_name("we`ird"), "`we``ird`");
}

table_shape two_key_table() {
  table_shape t;
  t.database = "d";
  t.table = "t";
  t.columns = {{"a", false, false, "int(11)"}, {"b", false, true, "varchar(10)"}, {"v", false, false, "int(11)"},
               {"g", true, false, "int(11)"}};
  t.key = {0, 1};
  t.key_index = "PRIMARY";
  return t;
}

TEST(CompareSql, ChunkConditionsSpellTheTupleOut) {
  const auto t = two_key_table();
  EXPECT_EQ(chunk_condition(t, std::nullopt, std::nullopt), "1");
  EXPECT_EQ(chunk_condition(t, key_literals{"1", "'x'"}, std::nullopt), "((`a` > 1) OR (`a` = 1 AND `b` > 'x'))");
  EXPECT_EQ(chunk_condition(t, std::nullopt, key_literals{"2", "'y'"}), "((`a` < 2) OR (`a` = 2 AND `b` <= 'y'))");
}

TEST(CompareSql, DigestIsNullSafeAndLengthPrefixed) {
  const auto t = two_key_table();
  const auto e = row_digest_expression(t, {"v"});
  // Integers print plainly; strings (and every type that might hold '|') are length-prefixed.
  EXPECT_EQ(e, "UNHEX(SHA2(CONCAT_WS('|', COALESCE(`a`, '-'), "
               "COALESCE(CONCAT(LENGTH(CAST(`b` AS BINARY)), ':', CAST(`b` AS BINARY)), '-'), COALESCE(`g`, '-')), 256))");
  const auto q = digest_query(t, "1", "a > 0", {});
  // A keyed chunk is concatenated in key order; a keyless table's rows are sorted by hash.
  EXPECT_EQ(q.find("SELECT COUNT(*), SHA2(GROUP_CONCAT(h SEPARATOR ''), 256) FROM (SELECT UNHEX(SHA2("), 0u);
  auto typed = t;
  typed.columns = {{"d", false, false, "datetime(6)"}, {"f", false, false, "bit(8)"}, {"j", false, true, "longtext"}};
  EXPECT_EQ(row_digest_expression(typed, {}),
            "UNHEX(SHA2(CONCAT_WS('|', COALESCE(`d`, '-'), COALESCE(CONCAT(LENGTH(CAST(`f` AS BINARY)), ':', CAST(`f` AS BINARY)), '-'), "
            "COALESCE(CONCAT(LENGTH(CAST(`j` AS BINARY)), ':', CAST(`j` AS BINARY)), '-')), 256))");
  auto keyless = t;
  keyless.key.clear();
  keyless.key_index.clear();
  EXPECT_EQ(digest_query(keyless, "1", "", {}).find("SELECT COUNT(*), SHA2(GROUP_CONCAT(h ORDER BY h SEPARATOR ''), 256)"), 0u);
  EXPECT_NE(q.find("FROM `d`.`t` FORCE INDEX (`PRIMARY`) WHERE 1 AND (a > 0)"), std::string::npos);
  EXPECT_EQ(boundary_query(t, key_literals{"1", "'x'"}, 100),
            "SELECT `a`, `b` FROM `d`.`t` FORCE INDEX (`PRIMARY`) WHERE ((`a` > 1) OR (`a` = 1 AND `b` > 'x')) "
            "ORDER BY `a`, `b` LIMIT 1 OFFSET 99");
  EXPECT_NE(rows_query(t, "1", "").find("`g`, `a`, WEIGHT_STRING(`b`) FROM"), std::string::npos);
}

monitor::result_table side(std::vector<monitor::value_row> rows) {
  monitor::result_table r;
  r.columns = {{"a", monitor::value_kind::integer}, {"b", monitor::value_kind::text},
               {"v", monitor::value_kind::integer}, {"g", monitor::value_kind::integer},
               {"a", monitor::value_kind::integer}, {"b", monitor::value_kind::binary}};
  r.rows = std::move(rows);
  return r;
}

// Rows as rows_query returns them: the columns, then the key's merge values (for `b`, its
// collation weight: the same for 'K' and 'k' in a _ci collation).
monitor::value_row r(int a, const char* b, monitor::value v, const char* weight) {
  return {std::to_string(a), std::string(b), std::move(v), std::string("0"), std::to_string(a), std::string(weight)};
}

TEST(RowDiff, MissingExtraChangedAndCaseOnlyKeys) {
  const auto t = two_key_table();
  const auto a = side({r(1, "K", "10", "K"), r(2, "x", "20", "X"), r(3, "y", std::nullopt, "Y")});
  const auto b = side({r(1, "k", "10", "K"), r(3, "y", "", "Y"), r(4, "z", "40", "Z")});
  const auto d = diff_rows(t, a, b, {});
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].what, row_difference::kind::changed);  // 'K' vs 'k': same key, different value
  EXPECT_EQ(d[1].what, row_difference::kind::missing);
  EXPECT_EQ(d[2].what, row_difference::kind::changed);  // NULL vs ''
  EXPECT_EQ(d[3].what, row_difference::kind::extra);
  EXPECT_EQ(repair_statement(t, a.columns, d[0], false, {}), "UPDATE `d`.`t` SET `b` = 'K' WHERE `a` = 1 AND `b` = 'k';");
  EXPECT_EQ(repair_statement(t, a.columns, d[1], false, {}), "INSERT INTO `d`.`t` (`a`, `b`, `v`) VALUES (2, 'x', 20);");
  EXPECT_EQ(repair_statement(t, a.columns, d[2], false, {}), "UPDATE `d`.`t` SET `v` = NULL WHERE `a` = 3 AND `b` = 'y';");
  EXPECT_EQ(repair_statement(t, a.columns, d[3], false, {}), "DELETE FROM `d`.`t` WHERE `a` = 4 AND `b` = 'z';");
  // The same differences repair a instead.
  EXPECT_EQ(repair_statement(t, a.columns, d[1], true, {}), "DELETE FROM `d`.`t` WHERE `a` = 2 AND `b` = 'x';");
  EXPECT_EQ(repair_statement(t, a.columns, d[3], true, {}), "INSERT INTO `d`.`t` (`a`, `b`, `v`) VALUES (4, 'z', 40);");
  EXPECT_TRUE(diff_rows(t, a, a, {}).empty());
  EXPECT_EQ(diff_rows(t, a, side({r(1, "K", "10", "K"), r(2, "x", "99", "X"), r(3, "y", std::nullopt, "Y")}), {"v"}).size(), 0u);
}

TEST(RowDiff, KeylessTablesMatchAsMultisets) {
  auto t = two_key_table();
  t.key.clear();
  monitor::result_table a, b;
  a.columns = b.columns = {{"a", monitor::value_kind::integer}, {"b", monitor::value_kind::text},
                           {"v", monitor::value_kind::integer}, {"g", monitor::value_kind::integer}};
  a.rows = {{"1", "x", "1", "0"}, {"1", "x", "1", "0"}};  // a duplicate pair
  b.rows = {{"1", "x", "1", "0"}};
  const auto d = diff_rows(t, a, b, {});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].what, row_difference::kind::missing);
  row_difference extra{row_difference::kind::extra, {}, b.rows[0]};
  EXPECT_EQ(repair_statement(t, a.columns, extra, false, {}),
            "DELETE FROM `d`.`t` WHERE `a` <=> 1 AND `b` <=> 'x' AND `v` <=> 1 AND `g` <=> 0 LIMIT 1;");
}

TEST(JobStore, PackRoundTrips) {
  const std::vector<std::optional<std::string>> fields{std::nullopt, "", "a:b", std::string("\0-9", 3), "-"};
  EXPECT_EQ(unpack(pack(fields)), fields);
  EXPECT_FALSE(unpack("5:abc").has_value());
  EXPECT_FALSE(unpack("x").has_value());
  chunk_report c{3, 4, {{"changed", "`id` = 1", "(1)", "(2)", "UPDATE a", "UPDATE b"}}};
  const auto back = unpack_chunk(pack_chunk(c));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->rows_b, 4u);
  EXPECT_EQ(back->differences.at(0).repair_b, "UPDATE b");
}

}  // namespace
}  // namespace weft::ops
