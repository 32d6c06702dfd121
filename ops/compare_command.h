// COMPARE DATABASE and DIFF SCHEMA as the operations take them: which database, which tables,
// which two servers, which side the printed changes repair. The admin grammar
// (admin/compare_grammar.h) produces them; the operations never see SQL.
#pragma once

#include <string>
#include <vector>

namespace weft::ops {

// A server named by the DBA: by address, or by its place in a group.
struct server_ref {
  enum class kind { address, primary_of_group, replica };
  kind how = kind::address;
  std::string text;  // "host:port" (address, replica) or the group's name
  bool operator==(const server_ref&) const = default;
};
std::string to_string(const server_ref& ref);

// Which side the printed statements change: `a` is the ON server, `b` the WITH server.
enum class changes_side { a, b };
enum class compare_format { sql, rows, summary };

struct compare_command {
  std::string database;
  std::vector<std::string> tables;  // empty: every base table of the database
  server_ref a, b;
  changes_side changes_for = changes_side::b;
  bool show_reverse = false;  // also the statements for the other side, as SQL comments
  compare_format format = compare_format::sql;
  std::string where;  // an extra condition on every table's rows (empty: none)
  std::vector<std::string> ignore_columns;
  bool async = false;  // answer the job id at once
  bool operator==(const compare_command&) const = default;
};

struct diff_schema_command {
  std::string database;
  server_ref a, b;
  changes_side changes_for = changes_side::b;
  bool operator==(const diff_schema_command&) const = default;
};

}  // namespace weft::ops
