#include "ops/export_definitions.h"

#include "ops/schema_diff.h"

namespace weft::ops {

std::variant<manifest_database, std::string> export_definitions(monitor::mariadb_client& server,
                                                                const std::string& database) {
  auto read = read_schema(server, database);
  if (auto* why = std::get_if<std::string>(&read)) return *why;
  const auto& model = std::get<schema_snapshot>(read);
  schema_snapshot empty;
  empty.database = model.database;
  empty.collation = model.collation;  // the import creates the database with it
  manifest_database out;
  out.name = database;
  out.collation = model.collation;
  for (const auto& change : diff_schemas(empty, model)) {
    const auto& type = change.object_type;
    const bool before = type == "TABLE" || type == "FOREIGN KEY" || type == "SEQUENCE";
    (before ? out.before_data : out.after_data).push_back(change.statement);
  }
  return out;
}

}  // namespace weft::ops
