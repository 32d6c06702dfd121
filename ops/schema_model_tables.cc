// read_tables: information_schema's columns, indexes, foreign keys, checks and table options,
// and SHOW CREATE TABLE, for every base table of the database.
#include <algorithm>

#include "ops/schema_source.h"
#include "ops/schema_text.h"

namespace weft::ops {
namespace {

using monitor::column_text;
using monitor::sql_row;

column_def column_from(const sql_row& row) {
  column_def c;
  c.name = column_text(row, "COLUMN_NAME");
  c.type = column_text(row, "COLUMN_TYPE");
  c.nullable = column_text(row, "IS_NULLABLE") == "YES";
  if (const auto it = row.find("COLUMN_DEFAULT"); it != row.end()) c.default_value = it->second;
  c.extra = column_text(row, "EXTRA");
  if (column_text(row, "IS_GENERATED") == "ALWAYS") {
    c.generated = column_text(row, "GENERATION_EXPRESSION");
    c.stored = c.extra.find("STORED") != std::string::npos;
    c.default_value.reset();  // shown as NULL; a generated column has none
  }
  c.charset = column_text(row, "CHARACTER_SET_NAME");
  c.collation = column_text(row, "COLLATION_NAME");
  c.comment = column_text(row, "COLUMN_COMMENT");
  return c;
}

index_kind kind_of(const sql_row& row) {
  const auto type = column_text(row, "INDEX_TYPE");
  if (column_text(row, "INDEX_NAME") == "PRIMARY") return index_kind::primary;
  if (type == "FULLTEXT") return index_kind::fulltext;
  if (type == "SPATIAL") return index_kind::spatial;
  return column_text(row, "NON_UNIQUE") == "0" ? index_kind::unique : index_kind::plain;
}

// information_schema rows of `sql`, each handed with its table (tables not listed are skipped:
// views and sequences have columns too).
template <typename Each>
bool for_each_table_row(schema_source& source, schema_snapshot& into, const std::string& sql, Each each) {
  const auto rows = source.rows(sql);
  if (!rows) return false;
  for (const auto& row : *rows) {
    const auto it = into.tables.find(column_text(row, "TABLE_NAME"));
    if (it != into.tables.end()) each(it->second, row);
  }
  return true;
}

bool read_options(schema_source& source, schema_snapshot& into) {
  return for_each_table_row(source, into,
                            "SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, TABLE_COMMENT FROM "
                            "information_schema.TABLES" +
                                source.in_database("TABLE_SCHEMA"),
                            [](table_def& t, const sql_row& row) {
                              t.versioned = column_text(row, "TABLE_TYPE") == "SYSTEM VERSIONED";
                              t.engine = column_text(row, "ENGINE");
                              t.collation = column_text(row, "TABLE_COLLATION");
                              t.comment = column_text(row, "TABLE_COMMENT");
                            });
}

bool read_columns(schema_source& source, schema_snapshot& into) {
  return for_each_table_row(source, into,
                            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
                            "IS_GENERATED, GENERATION_EXPRESSION, CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_COMMENT "
                            "FROM information_schema.COLUMNS" +
                                source.in_database("TABLE_SCHEMA") + " ORDER BY TABLE_NAME, ORDINAL_POSITION",
                            [](table_def& t, const sql_row& row) { t.columns.push_back(column_from(row)); });
}

bool read_indexes(schema_source& source, schema_snapshot& into) {
  return for_each_table_row(
      source, into,
      "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE, INDEX_COMMENT, "
      "IGNORED FROM information_schema.STATISTICS" +
          source.in_database("TABLE_SCHEMA") + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
      [](table_def& t, const sql_row& row) {
        auto& index = t.indexes[column_text(row, "INDEX_NAME")];
        index.name = column_text(row, "INDEX_NAME");
        index.kind = kind_of(row);
        index.method = column_text(row, "INDEX_TYPE");
        index.comment = column_text(row, "INDEX_COMMENT");
        index.ignored = column_text(row, "IGNORED") == "YES";
        // A SPATIAL index shows a SUB_PART (32) that no definition can state.
        const auto prefix = index.kind == index_kind::spatial ? std::string() : column_text(row, "SUB_PART");
        index.parts.push_back({column_text(row, "COLUMN_NAME"),
                               prefix.empty() ? std::nullopt : std::optional<unsigned>(std::stoul(prefix)),
                               column_text(row, "COLLATION") == "D"});
      });
}

bool read_foreign_keys(schema_source& source, schema_snapshot& into) {
  const auto& database = source.database();
  return for_each_table_row(
      source, into,
      "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, "
      "k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE FROM information_schema.KEY_COLUMN_USAGE k "
      "JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA "
      "AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME" +
          source.in_database("k.CONSTRAINT_SCHEMA") + " ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
      [&](table_def& t, const sql_row& row) {
        auto& key = t.foreign_keys[column_text(row, "CONSTRAINT_NAME")];
        key.name = column_text(row, "CONSTRAINT_NAME");
        const auto schema = column_text(row, "REFERENCED_TABLE_SCHEMA");
        key.referenced_database = schema == database ? "" : schema;
        key.referenced_table = column_text(row, "REFERENCED_TABLE_NAME");
        key.on_update = column_text(row, "UPDATE_RULE");
        key.on_delete = column_text(row, "DELETE_RULE");
        key.columns.push_back(column_text(row, "COLUMN_NAME"));
        key.referenced_columns.push_back(column_text(row, "REFERENCED_COLUMN_NAME"));
      });
}

// A column's own CHECK is part of its definition (and goes with it); the others are the table's.
bool read_checks(schema_source& source, schema_snapshot& into) {
  return for_each_table_row(source, into,
                            "SELECT TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE FROM "
                            "information_schema.CHECK_CONSTRAINTS" +
                                source.in_database("CONSTRAINT_SCHEMA"),
                            [](table_def& t, const sql_row& row) {
                              const auto name = column_text(row, "CONSTRAINT_NAME");
                              const auto clause = column_text(row, "CHECK_CLAUSE");
                              const auto column = std::find_if(t.columns.begin(), t.columns.end(),
                                                               [&](const column_def& c) { return c.name == name; });
                              if (column_text(row, "LEVEL") == "Column" && column != t.columns.end()) {
                                column->check = clause;
                              } else {
                                t.checks[name] = clause;
                              }
                            });
}

bool read_create_statements(schema_source& source, schema_snapshot& into) {
  for (auto& [name, table] : into.tables) {
    const auto create = source.show_create("TABLE", name, "Create Table");
    if (!create) return false;
    table.create_statement = with_database(without_auto_increment(*create), "CREATE TABLE", source.database(), name);
    table.partitioning = partitioning_of(*create);
  }
  return true;
}

}  // namespace

bool read_tables(schema_source& source, const listed_tables& listed, schema_snapshot& into) {
  for (const auto& name : listed.tables) into.tables[name].name = name;
  return read_options(source, into) && read_columns(source, into) && read_indexes(source, into) &&
         read_foreign_keys(source, into) && read_checks(source, into) && read_create_statements(source, into);
}

}  // namespace weft::ops
