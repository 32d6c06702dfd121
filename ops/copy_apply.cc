#include "ops/copy_apply.h"

#include "ops/database_rename.h"
#include "ops/sql_values.h"

namespace weft::ops {

std::vector<std::string> definition_statements(const manifest_database& d, const std::string& target, bool after_data,
                                               bool drop_tables_first) {
  std::vector<std::string> statements;
  if (!after_data) {
    statements.push_back("CREATE DATABASE IF NOT EXISTS " + quote_name(target) +
                         (d.collation.empty() ? "" : " COLLATE " + quote_name(d.collation)));
    for (const auto& t : d.tables) {
      if (drop_tables_first) statements.push_back("DROP TABLE IF EXISTS " + qualified_name(target, t.name));
    }
  }
  for (const auto& s : after_data ? d.after_data : d.before_data) {
    statements.push_back(target == d.name ? s : with_database_renamed(s, d.name, target));
  }
  return statements;
}

namespace {
bool already_exists(unsigned code) {
  return code == 1050 || code == 1304 || code == 1359 || code == 1537;  // table/view, routine, trigger, event
}
}  // namespace

std::optional<std::string> run_statements(monitor::mariadb_client& server, const std::vector<std::string>& statements) {
  for (const auto& s : statements) {
    if (server.execute(s) || already_exists(server.error_code())) continue;
    return server.error() + " in: " + s;
  }
  return std::nullopt;
}

std::optional<std::string> apply_chunk(monitor::mariadb_client& server, std::string_view statements, std::uint64_t rows) {
  if (!server.execute("START TRANSACTION")) return server.error();
  std::uint64_t inserted = 0;
  for (std::size_t at = 0; at < statements.size();) {
    auto end = statements.find('\n', at);
    if (end == std::string_view::npos) end = statements.size();
    if (end > at) {
      if (!server.execute(std::string(statements.substr(at, end - at)))) {
        const auto why = server.error();
        server.execute("ROLLBACK");
        return why;
      }
      inserted += server.affected_rows();
    }
    at = end + 1;
  }
  if (inserted != rows) {
    server.execute("ROLLBACK");
    return "inserted " + std::to_string(inserted) + " rows where " + std::to_string(rows) + " were expected";
  }
  if (!server.execute("COMMIT")) return server.error();
  return std::nullopt;
}

bool prepare_loading_session(monitor::mariadb_client& server, bool without_binlog) {
  return server.execute("SET NAMES binary") &&
         server.execute("SET SESSION foreign_key_checks = 0, unique_checks = 0, time_zone = '+00:00', "
                        "sql_mode = 'NO_AUTO_VALUE_ON_ZERO'") &&
         (!without_binlog || server.execute("SET SESSION sql_log_bin = 0"));
}

}  // namespace weft::ops
