#include "ops/delimited_load.h"

#include "ops/copy_apply.h"
#include "ops/delimited_text.h"
#include "ops/sql_values.h"

namespace weft::ops {
namespace {

// The table's BIT columns on the target (delimited text holds them as integers).
std::optional<std::vector<std::string>> bit_columns(monitor::mariadb_client& server, const std::string& database,
                                                    const std::string& table) {
  const auto found = server.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
                                  sql_value(database, monitor::value_kind::text) +
                                  " AND TABLE_NAME = " + sql_value(table, monitor::value_kind::text) +
                                  " AND DATA_TYPE = 'bit'");
  if (!found) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& row : found->rows) names.push_back(row[0].value_or(""));
  return names;
}

// What the server warned about the statement just run ("" when nothing): LOAD DATA LOCAL turns
// bad values and duplicate keys into warnings, so any warning means the copy is not exact.
std::string warnings(monitor::mariadb_client& server) {
  const auto shown = server.query("SHOW WARNINGS");
  if (!shown) return "SHOW WARNINGS: " + server.error();
  if (shown->rows.empty()) return "";
  const auto& first = shown->rows.front();
  std::string what = "the server reported " + std::to_string(shown->rows.size()) + " warning(s), the first: ";
  for (const auto& v : first) what += v.value_or("NULL") + " ";
  what.pop_back();
  return what;
}

std::optional<std::string> load_text_chunk(monitor::mariadb_client& server, export_format format,
                                           const std::string& database, const manifest_table& table,
                                           const manifest_chunk& chunk, std::string_view content) {
  const auto bits = bit_columns(server, database, table.name);
  if (!bits) return server.error();
  const auto sql = load_data_statement(format, chunk.file, database, table.name, table.columns, *bits);
  if (!server.execute("START TRANSACTION")) return server.error();
  std::string failed;
  const auto loaded = server.load_local(sql, content);
  if (!loaded) failed = server.error();
  if (failed.empty()) failed = warnings(server);
  if (failed.empty() && *loaded != chunk.rows) {
    failed = "loaded " + std::to_string(*loaded) + " rows where " + std::to_string(chunk.rows) + " were expected";
  }
  if (!failed.empty()) {
    server.execute("ROLLBACK");
    return failed;
  }
  if (!server.execute("COMMIT")) return server.error();
  return std::nullopt;
}

}  // namespace

std::optional<std::string> apply_export_chunk(monitor::mariadb_client& server, std::string_view data_format,
                                              const std::string& database, const manifest_table& table,
                                              const manifest_chunk& chunk, std::string_view content) {
  const auto format = format_named(data_format);
  if (!format) return "unknown data_format '" + std::string(data_format) + "'";
  if (*format == export_format::sql) return apply_chunk(server, content, chunk.rows);
  return load_text_chunk(server, *format, database, table, chunk, content);
}

}  // namespace weft::ops
