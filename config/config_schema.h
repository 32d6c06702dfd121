// The configuration tables' schema, written once: each column's SQL name, its key in weft.toml,
// its type, whether it is required or may be NULL, its default and what values it allows. The
// SQLite DDL (CHECK constraints included), the INSERT and SELECT column lists of config_tables
// and the keys, ranges and words the TOML reader accepts (config_loader) all come from here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weft::config {

enum class column_type { text, integer, flag };  // flag: 0 or 1 in SQL, false or true in the file

struct column_spec {
  std::string_view name{};      // the SQL column
  std::string_view file_key{};  // its key in the file's [[table]] ("": not in the file)
  column_type type = column_type::text;
  // NOT NULL without a default; a key the file must give, unless the reader derives it (a
  // user's password_hash from password, a rule's id from its place).
  bool required = false;
  bool nullable = false;  // may be NULL (absent); otherwise NOT NULL
  std::string_view sql_default{};  // an SQL literal ("": none)
  std::int64_t min = 0;          // integers: the allowed range (when max > min)
  std::int64_t max = 0;
  std::vector<std::string_view> words{};  // text: the allowed words as SQL stores them (the file: lower case)
  bool non_empty = false;               // text: '' is refused
  std::string_view sql_check{};  // a further CHECK, in SQL ("": none)
  bool primary_key = false;
};

struct table_schema {
  std::string_view name;
  std::string_view order_by;
  std::vector<column_spec> columns;
  std::vector<std::string_view> file_only_keys;  // keys the file has beyond the columns

  // The column's position in insert_sql / select_sql (0-based); throws for an unknown name.
  int index_of(std::string_view column) const;
  const column_spec& column(std::string_view name) const;
};

const table_schema& servers_table();
const table_schema& groups_table();
const table_schema& users_table();
const table_schema& rules_table();
const table_schema& shard_maps_table();
const table_schema& shard_tables_table();
const table_schema& shards_table();
const std::vector<const table_schema*>& all_config_tables();

// In `schema` ("main", or an attached one).
std::string create_table_sql(const table_schema& t, const std::string& schema);
// Adds a column a newer weft defines to a table an older one created (columns added later are
// nullable or have a default, so existing rows stay valid).
std::string add_column_sql(const table_schema& t, const column_spec& c, const std::string& schema);
std::string insert_sql(const table_schema& t, const std::string& schema);
std::string select_sql(const table_schema& t, const std::string& schema);

// The keys a [[table]] of the file may hold.
std::vector<std::string_view> file_keys(const table_schema& t);
// A word as the file spells it (lower case).
std::string file_word(std::string_view word);

}  // namespace weft::config
