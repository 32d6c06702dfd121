#include "ops/schema_model.h"

#include "ops/schema_source.h"
#include "ops/schema_text.h"
#include "ops/sql_values.h"

namespace weft::ops {

using monitor::column_text;

std::string schema_source::in_database(const std::string& column) const {
  return " WHERE " + column + " = " + sql_string(database_);
}

std::optional<std::vector<monitor::sql_row>> schema_source::rows(const std::string& sql) {
  auto result = server_.rows(sql);
  if (!result && failure_.empty()) failure_ = server_.error();
  return result;
}

std::optional<std::string> schema_source::show_create(const std::string& kind, const std::string& name,
                                                      const std::string& column) {
  const auto result = rows("SHOW CREATE " + kind + " " + qualified_name(database_, name));
  if (!result) return std::nullopt;
  const auto text = result->empty() ? std::string() : column_text(result->front(), column);
  if (text.empty()) {
    // The server hides a routine's text from an account without the rights to see it.
    failure_ = "SHOW CREATE " + kind + " " + qualified_name(database_, name) + " returned no definition (rights?)";
    return std::nullopt;
  }
  return text;
}

namespace {

// SHOW CREATE prints what this session's settings say: backticks, every option, utf8mb4 text.
bool prepare_session(schema_source& source) {
  return source.rows("SET NAMES utf8mb4") && source.rows("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'") &&
         source.rows("SET SESSION sql_quote_show_create = 1");
}

std::optional<listed_tables> list_tables(schema_source& source) {
  const auto rows = source.rows("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES" +
                                source.in_database("TABLE_SCHEMA") + " ORDER BY TABLE_NAME");
  if (!rows) return std::nullopt;
  listed_tables listed;
  for (const auto& row : *rows) {
    const auto name = column_text(row, "TABLE_NAME");
    const auto type = column_text(row, "TABLE_TYPE");
    if (type == "VIEW") {
      listed.views.push_back(name);
    } else if (type == "SEQUENCE") {
      listed.sequences.push_back(name);
    } else if (type != "TEMPORARY") {
      listed.tables.push_back(name);  // BASE TABLE, SYSTEM VERSIONED
    }
  }
  return listed;
}

}  // namespace

std::variant<schema_snapshot, schema_read_error> read_schema_or_error(monitor::mariadb_client& server,
                                                                      const std::string& database) {
  schema_source source(server, database);
  const auto failed = [&] { return schema_read_error{false, source.failure()}; };
  if (!server.ok()) return schema_read_error{false, server.error()};
  if (!prepare_session(source)) return failed();
  const auto schema =
      source.rows("SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA" + source.in_database("SCHEMA_NAME"));
  if (!schema) return failed();
  if (schema->empty()) return schema_read_error{true, "Unknown database '" + database + "'"};
  schema_snapshot snapshot;
  snapshot.database = database;
  snapshot.collation = column_text(schema->front(), "DEFAULT_COLLATION_NAME");
  const auto listed = list_tables(source);
  if (!listed || !read_tables(source, *listed, snapshot) || !read_objects(source, *listed, snapshot)) return failed();
  return snapshot;
}

std::variant<schema_snapshot, std::string> read_schema(monitor::mariadb_client& server, const std::string& database) {
  auto result = read_schema_or_error(server, database);
  if (auto* error = std::get_if<schema_read_error>(&result)) return std::move(error->message);
  return std::move(std::get<schema_snapshot>(result));
}

}  // namespace weft::ops
