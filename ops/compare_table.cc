#include "ops/compare_table.h"

#include <cctype>

#include "ops/sql_values.h"

namespace weft::ops {
namespace {

std::string text(const monitor::value& v) { return v.value_or(""); }
std::string literal(const std::string& s) { return sql_value(s, monitor::value_kind::text); }

// Every column of the table; false with `why` when it has none (no such table).
bool read_columns(monitor::mariadb_client& server, table_shape& t, std::string& why) {
  auto rows = server.query("SELECT COLUMN_NAME, COLUMN_TYPE, EXTRA, COLLATION_NAME FROM information_schema.COLUMNS "
                           "WHERE TABLE_SCHEMA = " + literal(t.database) + " AND TABLE_NAME = " + literal(t.table) +
                           " ORDER BY ORDINAL_POSITION");
  if (!rows) return why = server.error(), false;
  if (rows->rows.empty()) return why = "no table " + qualified_name(t.database, t.table), false;
  for (const auto& r : rows->rows) {
    column_shape c;
    c.name = text(r[0]);
    c.generated = text(r[2]).find("GENERATED") != std::string::npos;
    c.is_string = r[3].has_value();
    c.type = text(r[1]) + (r[3] ? " COLLATE " + *r[3] : "");
    t.columns.push_back(std::move(c));
  }
  return true;
}

std::optional<std::size_t> position_of(const table_shape& t, const std::string& name) {
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].name == name) return i;
  }
  return std::nullopt;
}

// The PRIMARY KEY, else the first unique index on NOT NULL whole columns (no prefix).
bool choose_key(monitor::mariadb_client& server, table_shape& t, std::string& why) {
  auto rows = server.query("SELECT INDEX_NAME, COLUMN_NAME, NON_UNIQUE, SUB_PART, NULLABLE FROM "
                           "information_schema.STATISTICS WHERE TABLE_SCHEMA = " + literal(t.database) +
                           " AND TABLE_NAME = " + literal(t.table) +
                           " ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX");
  if (!rows) return why = server.error(), false;
  std::string current;
  bool usable = false;
  std::vector<std::size_t> key;
  const auto settle = [&] {
    if (!current.empty() && usable && t.key.empty()) t.key = key, t.key_index = current;
  };
  for (const auto& r : rows->rows) {
    if (text(r[0]) != current) {
      settle();
      current = text(r[0]);
      usable = text(r[2]) == "0";
      key.clear();
    }
    const auto at = position_of(t, text(r[1]));
    if (!at || r[3].has_value() || text(r[4]) == "YES") usable = false;
    if (at) key.push_back(*at);
  }
  settle();
  return true;
}

}  // namespace

std::variant<table_shape, std::string> read_table_shape(monitor::mariadb_client& server, const std::string& database,
                                                        const std::string& table) {
  table_shape t;
  t.database = database;
  t.table = table;
  std::string why;
  if (!read_columns(server, t, why) || !choose_key(server, t, why)) return why;
  return t;
}

std::optional<std::string> incompatible_shapes(const table_shape& a, const table_shape& b) {
  if (a.columns.size() != b.columns.size()) return "the tables have different columns";
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    const auto &x = a.columns[i], &y = b.columns[i];
    if (x.name != y.name) return "column " + std::to_string(i + 1) + " is " + quote_name(x.name) + " on one side and " +
                                 quote_name(y.name) + " on the other";
    if (x.type != y.type) return "column " + quote_name(x.name) + " is " + x.type + " on one side and " + y.type +
                                 " on the other";
  }
  return std::nullopt;
}

std::optional<std::string> normalized_definition(monitor::mariadb_client& server, const std::string& database,
                                                 const std::string& table) {
  auto t = server.query("SHOW CREATE TABLE " + qualified_name(database, table));
  if (!t || t->rows.empty() || t->rows[0].size() < 2) return std::nullopt;
  auto sql = text(t->rows[0][1]);
  const auto at = sql.find(" AUTO_INCREMENT=");
  if (at != std::string::npos) {
    auto end = at + 16;
    while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end]))) ++end;
    sql.erase(at, end - at);
  }
  return sql;
}

}  // namespace weft::ops
