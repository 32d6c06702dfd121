#include "ops/compare_sql.h"

#include <algorithm>

#include "ops/sql_values.h"

namespace weft::ops {
namespace {

std::string key_name(const table_shape& t, std::size_t i) { return quote_name(t.columns[t.key[i]].name); }

std::string from_clause(const table_shape& t) {
  std::string from = " FROM " + qualified_name(t.database, t.table);
  if (!t.key_index.empty()) from += " FORCE INDEX (" + quote_name(t.key_index) + ")";
  return from;
}

std::string key_list(const table_shape& t) {
  std::string out;
  for (std::size_t i = 0; i < t.key.size(); ++i) out += (i ? ", " : "") + key_name(t, i);
  return out;
}

// (k1, ..., kn) compared with a boundary, spelled out so the range optimizer reads it:
// k1 OP1 v1 OR (k1 = v1 AND k2 OP1 v2) OR ... where the last term uses `last`.
std::string tuple_compare(const table_shape& t, const key_literals& v, const char* op, const char* last) {
  std::string out = "(";
  for (std::size_t i = 0; i < t.key.size(); ++i) {
    out += i ? " OR (" : "(";
    for (std::size_t j = 0; j < i; ++j) out += key_name(t, j) + " = " + v[j] + " AND ";
    out += key_name(t, i) + (i + 1 == t.key.size() ? last : op) + v[i] + ")";
  }
  return out + ")";
}

std::string where_clause(const std::string& condition, const std::string& where) {
  std::string out = " WHERE " + condition;
  if (!where.empty()) out += " AND (" + where + ")";
  return out;
}

// Numbers and temporal values print without '|' and never as a bare '-': no length needed.
bool prints_plainly(const column_shape& c) {
  static const char* const plain[] = {"tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float",
                                      "double", "date", "time", "year"};
  return !c.is_string && std::any_of(std::begin(plain), std::end(plain), [&](const char* p) {
    return c.type.rfind(p, 0) == 0;
  });
}

std::string column_encoding(const column_shape& c) {
  const auto name = quote_name(c.name);
  if (prints_plainly(c)) return "COALESCE(" + name + ", '-')";
  const auto bytes = "CAST(" + name + " AS BINARY)";
  return "COALESCE(CONCAT(LENGTH(" + bytes + "), ':', " + bytes + "), '-')";
}

// Keyed chunks are read in key order (FORCE INDEX on the key's range), so their rows' hashes
// are concatenated as read; a keyless table's are sorted first, since no order is defined.
std::string digest_of_rows(const table_shape& t, const std::string& inner) {
  const char* order = t.key.empty() ? " ORDER BY h" : "";
  return "SELECT COUNT(*), SHA2(GROUP_CONCAT(h" + std::string(order) + " SEPARATOR ''), 256) FROM (" + inner +
         ") AS chunk";
}

}  // namespace

std::string chunk_condition(const table_shape& t, const std::optional<key_literals>& lower,
                            const std::optional<key_literals>& upper) {
  std::string out;
  if (lower) out = tuple_compare(t, *lower, " > ", " > ");
  if (upper) out += (out.empty() ? "" : " AND ") + tuple_compare(t, *upper, " < ", " <= ");
  return out.empty() ? "1" : out;
}

std::string row_digest_expression(const table_shape& t, const std::vector<std::string>& ignore) {
  std::string parts;
  for (const auto& c : t.columns) {
    if (std::find(ignore.begin(), ignore.end(), c.name) != ignore.end()) continue;
    parts += (parts.empty() ? "" : ", ") + column_encoding(c);
  }
  return "UNHEX(SHA2(CONCAT_WS('|', " + (parts.empty() ? std::string("''") : parts) + "), 256))";
}

std::string digest_query(const table_shape& t, const std::string& condition, const std::string& where,
                         const std::vector<std::string>& ignore) {
  return digest_of_rows(t, "SELECT " + row_digest_expression(t, ignore) + " AS h" + from_clause(t) +
                               where_clause(condition, where));
}

std::string sample_digest_query(const table_shape& t, const std::string& where, const std::vector<std::string>& ignore,
                                std::size_t rows) {
  return digest_of_rows(t, "SELECT " + row_digest_expression(t, ignore) + " AS h" + from_clause(t) +
                               where_clause("1", where) + " ORDER BY " + key_list(t) + " LIMIT " + std::to_string(rows));
}

std::string rows_query(const table_shape& t, const std::string& condition, const std::string& where) {
  std::string select;
  for (const auto& c : t.columns) select += (select.empty() ? "" : ", ") + quote_name(c.name);
  for (std::size_t i = 0; i < t.key.size(); ++i) {
    const auto& c = t.columns[t.key[i]];
    select += ", " + (c.is_string ? "WEIGHT_STRING(" + quote_name(c.name) + ")" : quote_name(c.name));
  }
  auto sql = "SELECT " + select + from_clause(t) + where_clause(condition, where);
  if (!t.key.empty()) sql += " ORDER BY " + key_list(t);
  return sql;
}

std::string boundary_query(const table_shape& t, const std::optional<key_literals>& lower, std::size_t rows) {
  return "SELECT " + key_list(t) + from_clause(t) + " WHERE " + chunk_condition(t, lower, std::nullopt) +
         " ORDER BY " + key_list(t) + " LIMIT 1 OFFSET " + std::to_string(rows == 0 ? 0 : rows - 1);
}

std::string lock_query(const table_shape& t, const std::string& condition) {
  return "SELECT COUNT(*)" + from_clause(t) + " WHERE " + condition + " LOCK IN SHARE MODE";
}

}  // namespace weft::ops
