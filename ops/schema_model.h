// The definitions of one database on one server, as plain values: tables (columns, indexes,
// foreign keys, checks, options), views, routines, triggers, events and sequences. Read from
// information_schema and SHOW CREATE ... (read_schema); compared by ops/schema_diff.h.
//
// What does not matter is normalised away when reading: AUTO_INCREMENT counters, the order
// objects are listed in, and DEFINER. DEFINER is left out on purpose: accounts are per server
// (a definer missing on the other server would break the object), so the statements weft
// prints create objects owned by whoever applies them, and two definers never count as a
// difference. An event replicated to a replica is disabled there (DISABLE ON SLAVE); that is
// read as ENABLE, so a primary and its replica compare equal.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "monitor/mariadb_client.h"

namespace weft::ops {

struct column_def {
  std::string name;
  std::string type;  // COLUMN_TYPE: int(10) unsigned, enum('a','b'), varchar(20)
  bool nullable = true;
  // As information_schema.COLUMNS shows it (MariaDB): 'text', 0, current_timestamp(), NULL;
  // nullopt: no default.
  std::optional<std::string> default_value;
  std::string extra;      // auto_increment, on update current_timestamp(), INVISIBLE
  std::string generated;  // a generated column's expression ("": not generated)
  bool stored = false;    // a STORED generated column (else VIRTUAL)
  std::string charset;    // "" for types without one
  std::string collation;
  std::string comment;
  std::string check;  // a column-level CHECK's condition ("": none)
  bool operator==(const column_def&) const = default;
};

struct index_part {
  std::string column;
  std::optional<unsigned> prefix;  // a prefix length: `name`(10)
  bool descending = false;
  bool operator==(const index_part&) const = default;
};

enum class index_kind { primary, unique, plain, fulltext, spatial };

struct index_def {
  std::string name;  // PRIMARY for the primary key
  index_kind kind = index_kind::plain;
  std::vector<index_part> parts;
  std::string method = "BTREE";  // information_schema's INDEX_TYPE: BTREE, HASH, RTREE, FULLTEXT
  std::string comment;
  bool ignored = false;  // IGNORED (MariaDB 10.6+): kept up to date, never used by the optimizer
  bool operator==(const index_def&) const = default;
};

struct foreign_key_def {
  std::string name;
  std::vector<std::string> columns;
  std::string referenced_database;  // "": the same database
  std::string referenced_table;
  std::vector<std::string> referenced_columns;
  std::string on_delete = "RESTRICT";
  std::string on_update = "RESTRICT";
  bool operator==(const foreign_key_def&) const = default;
};

struct table_def {
  std::string name;
  std::string engine;
  std::string collation;  // the table's default; it implies the character set
  std::string comment;
  std::vector<column_def> columns;  // in table order
  std::map<std::string, index_def> indexes;
  std::map<std::string, foreign_key_def> foreign_keys;
  std::map<std::string, std::string> checks;  // table-level CHECK constraints: name → condition
  bool versioned = false;                     // WITH SYSTEM VERSIONING
  std::string partitioning;                   // PARTITION BY ... as SHOW CREATE TABLE ends it ("": none)
  // SHOW CREATE TABLE, qualified with the database and without AUTO_INCREMENT=n: what creates
  // the table where it is missing. Not compared (the fields above are).
  std::string create_statement;
};

struct trigger_def {
  std::string name;
  std::string table;
  std::string timing;  // BEFORE, AFTER
  std::string event;   // INSERT, UPDATE, DELETE
  std::string body;    // the statement run FOR EACH ROW
  bool operator==(const trigger_def&) const = default;
};

struct schema_snapshot {
  std::string database;
  std::string collation;  // the database's default
  std::map<std::string, table_def> tables;
  // Name → the CREATE statement, qualified with the database, DEFINER left out.
  std::map<std::string, std::string> views, procedures, functions, events, sequences;
  // By table, timing and event, then in the order they fire.
  std::vector<trigger_def> triggers;
};

// Why a server's definitions could not be read.
struct schema_read_error {
  bool unknown_database = false;  // the database does not exist there (else: the server failed)
  std::string message;
};

// The database's definitions on a server, or why they cannot be read (unknown database → say so).
std::variant<schema_snapshot, std::string> read_schema(monitor::mariadb_client& server, const std::string& database);
// The same, telling an unknown database from a failing server.
std::variant<schema_snapshot, schema_read_error> read_schema_or_error(monitor::mariadb_client& server,
                                                                      const std::string& database);

}  // namespace weft::ops
