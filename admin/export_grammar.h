// The admin's logical-copy commands, parsed (pure; unit-tested):
//
//   EXPORT DATABASE db [, db ...] | EXPORT ALL DATABASES  FROM server TO 'dir'
//       [FORMAT SQL] [DEFINITIONS ONLY | DATA ONLY] [WITH REPLICATION INFO] [PARALLEL n] [ASYNC]
//   IMPORT FROM 'dir' INTO server [DATABASE a AS b [, DATABASE c AS d ...]] [PARALLEL n]
//       [WITHOUT BINLOG] [DRY RUN] [OVERWRITE] [WITH REPLICATION INFO] [AS REPLICA OF server] [ASYNC]
//   CLONE SERVER 'host:port' FROM GROUP g [USING 'host:port'] [ASYNC]
//
// where server is 'host:port', PRIMARY OF GROUP g, or REPLICA 'host:port', and 'dir' a
// directory inside [admin] export_dir.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ops/clone_server.h"
#include "ops/export_command.h"

namespace weft::admin {

struct export_parse {
  std::variant<std::monostate, ops::export_command, ops::import_command, ops::clone_command> command;
  std::string error;  // set when the statement is EXPORT, IMPORT or CLONE with a mistake (1064)
};

// nullopt when sql is not EXPORT, IMPORT or CLONE.
std::optional<export_parse> parse_export_command(std::string_view sql);

}  // namespace weft::admin
