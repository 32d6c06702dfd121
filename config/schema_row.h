// One row of a configuration table's INSERT or SELECT, its columns named as config_schema names
// them (so no file counts column positions by hand).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "config/config_schema.h"
#include "config/sqlite_statement.h"

namespace weft::config {

// One row of a table's INSERT or SELECT, its columns named as the schema names them.
class schema_row {
 public:
  schema_row(const table_schema& table, sqlite3_stmt* statement) : table_(table), s_(statement) {}
  sqlite3_stmt* statement() const { return s_; }

  void text(std::string_view column, const std::string& v) const { bind_text(s_, param(column), v); }
  void optional_text(std::string_view column, const std::string& v) const { bind_optional_text(s_, param(column), v); }
  void integer(std::string_view column, std::int64_t v) const { sqlite3_bind_int64(s_, param(column), v); }
  void flag(std::string_view column, bool v) const { sqlite3_bind_int(s_, param(column), v ? 1 : 0); }

  std::string text(std::string_view column) const { return text_at(s_, table_.index_of(column)); }
  std::int64_t integer(std::string_view column) const { return sqlite3_column_int64(s_, table_.index_of(column)); }
  bool flag(std::string_view column) const { return sqlite3_column_int(s_, table_.index_of(column)) != 0; }
  bool null(std::string_view column) const { return is_null(s_, table_.index_of(column)); }

 private:
  int param(std::string_view column) const { return table_.index_of(column) + 1; }
  const table_schema& table_;
  sqlite3_stmt* s_;
};

}  // namespace weft::config
