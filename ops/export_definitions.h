// A database's definitions for an EXPORT, as DIFF SCHEMA would create them on an empty server:
// tables, foreign keys and sequences (created before the rows are loaded) apart from views,
// routines, triggers and events (created after, so no trigger fires on imported rows).
#pragma once

#include <string>
#include <variant>

#include "monitor/mariadb_client.h"
#include "ops/export_manifest.h"

namespace weft::ops {

// The database's entry with its name, collation and definitions (no tables yet); error text.
std::variant<manifest_database, std::string> export_definitions(monitor::mariadb_client& server,
                                                                const std::string& database);

}  // namespace weft::ops
