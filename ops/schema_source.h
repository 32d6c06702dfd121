// The two halves of read_schema (ops/schema_model.h) and the connection they share: tables
// (ops/schema_model_tables.cc) and the objects defined by one statement, views, routines,
// triggers, events and sequences (ops/schema_model_objects.cc).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "monitor/mariadb_client.h"
#include "ops/schema_model.h"

namespace weft::ops {

// A server's connection reading one database, remembering why the first read failed.
class schema_source {
 public:
  schema_source(monitor::mariadb_client& server, std::string database)
      : server_(server), database_(std::move(database)) {}

  const std::string& database() const { return database_; }
  // WHERE <column> = '<database>'
  std::string in_database(const std::string& column) const;
  // All rows; nullopt (and failure() says why) when the server refused or went away.
  std::optional<std::vector<monitor::sql_row>> rows(const std::string& sql);
  // One column of SHOW CREATE <kind> `db`.`name`; nullopt when it cannot be read (no rights).
  std::optional<std::string> show_create(const std::string& kind, const std::string& name, const std::string& column);
  const std::string& failure() const { return failure_; }

 private:
  monitor::mariadb_client& server_;
  std::string database_;
  std::string failure_;
};

// The names information_schema.TABLES lists, by kind.
struct listed_tables {
  std::vector<std::string> tables, views, sequences;
};

// Columns, indexes, foreign keys, checks, options and CREATE TABLE of each listed table.
bool read_tables(schema_source& source, const listed_tables& listed, schema_snapshot& into);
// Views, sequences, procedures, functions, triggers and events.
bool read_objects(schema_source& source, const listed_tables& listed, schema_snapshot& into);

}  // namespace weft::ops
