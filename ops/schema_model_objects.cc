// read_objects: the objects one CREATE statement defines (views, sequences, procedures,
// functions, events; DEFINER left out, names qualified) and triggers (from
// information_schema, in firing order).
#include "ops/schema_source.h"
#include "ops/schema_text.h"

namespace weft::ops {
namespace {

using monitor::column_text;

// After the functions: a view's calls of them get the database's name.
bool read_views(schema_source& source, const listed_tables& listed, schema_snapshot& into) {
  std::vector<std::string> functions;
  for (const auto& [name, create] : into.functions) functions.push_back(name);
  for (const auto& name : listed.views) {
    // Read with no default database, the server names every table the view uses with its database.
    const auto create = source.show_create("VIEW", name, "Create View");
    if (!create) return false;
    into.views[name] = with_database_in_calls(without_definer(*create), source.database(), functions);
  }
  return true;
}

bool read_sequences(schema_source& source, const listed_tables& listed, schema_snapshot& into) {
  for (const auto& name : listed.sequences) {
    const auto create = source.show_create("SEQUENCE", name, "Create Table");
    if (!create) return false;
    into.sequences[name] = with_database(*create, "CREATE SEQUENCE", source.database(), name);
  }
  return true;
}

// PROCEDURE or FUNCTION `kind`: each named in information_schema.ROUTINES, from SHOW CREATE.
bool read_routines(schema_source& source, const std::string& kind, std::map<std::string, std::string>& into) {
  const auto rows = source.rows("SELECT ROUTINE_NAME FROM information_schema.ROUTINES" +
                                source.in_database("ROUTINE_SCHEMA") + " AND ROUTINE_TYPE = '" + kind + "'");
  if (!rows) return false;
  const auto column = kind == "PROCEDURE" ? "Create Procedure" : "Create Function";
  for (const auto& row : *rows) {
    const auto name = column_text(row, "ROUTINE_NAME");
    const auto create = source.show_create(kind, name, column);
    if (!create) return false;
    into[name] = with_database(without_definer(*create), kind, source.database(), name);
  }
  return true;
}

bool read_events(schema_source& source, schema_snapshot& into) {
  const auto rows =
      source.rows("SELECT EVENT_NAME FROM information_schema.EVENTS" + source.in_database("EVENT_SCHEMA"));
  if (!rows) return false;
  for (const auto& row : *rows) {
    const auto name = column_text(row, "EVENT_NAME");
    const auto create = source.show_create("EVENT", name, "Create Event");
    if (!create) return false;
    into.events[name] =
        enabled_as_on_primary(with_database(without_definer(*create), "EVENT", source.database(), name));
  }
  return true;
}

bool read_triggers(schema_source& source, schema_snapshot& into) {
  const auto rows = source.rows(
      "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT "
      "FROM information_schema.TRIGGERS" +
      source.in_database("TRIGGER_SCHEMA") +
      " ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER");
  if (!rows) return false;
  for (const auto& row : *rows) {
    into.triggers.push_back({column_text(row, "TRIGGER_NAME"), column_text(row, "EVENT_OBJECT_TABLE"),
                             column_text(row, "ACTION_TIMING"), column_text(row, "EVENT_MANIPULATION"),
                             column_text(row, "ACTION_STATEMENT")});
  }
  return true;
}

}  // namespace

bool read_objects(schema_source& source, const listed_tables& listed, schema_snapshot& into) {
  return read_routines(source, "PROCEDURE", into.procedures) && read_routines(source, "FUNCTION", into.functions) &&
         read_views(source, listed, into) && read_sequences(source, listed, into) && read_events(source, into) &&
         read_triggers(source, into);
}

}  // namespace weft::ops
