// EXPORT and IMPORT as the operations take them (the admin grammar, admin/export_grammar.h,
// produces them; the operations never see SQL).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ops/compare_command.h"

namespace weft::ops {

enum class export_format { sql, csv, tsv };

struct export_command {
  std::vector<std::string> databases;  // empty with `all`: every database but the system ones
  bool all = false;
  server_ref from;
  std::string to;  // a directory inside [admin] export_dir
  export_format format = export_format::sql;
  bool definitions = true, data = true;  // DEFINITIONS ONLY / DATA ONLY clear one
  bool replication_info = false;         // print how to make an imported copy a replica
  bool users = false;                    // WITH USERS: the accounts with privileges on them
  unsigned parallel = 0;                 // 0: the default
  bool async = false;
  bool operator==(const export_command&) const = default;
};

struct import_command {
  std::string from;  // a directory inside [admin] export_dir, holding manifest.json
  server_ref into;
  std::vector<std::pair<std::string, std::string>> renames;  // DATABASE a AS b
  unsigned parallel = 0;
  bool without_binlog = false;  // sql_log_bin = 0 for the import's sessions
  bool dry_run = false;         // check everything, apply nothing
  bool overwrite = false;       // replace existing non-empty tables (else refused)
  bool replication_info = false;
  bool users = false;  // WITH USERS: create the export's accounts (else they are left out)
  std::optional<server_ref> replica_of;  // AS REPLICA OF: replicate from there at the export's position
  bool async = false;
  bool operator==(const import_command&) const = default;
};

}  // namespace weft::ops
