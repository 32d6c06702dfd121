// The admin's data-comparison commands, parsed (pure; unit-tested):
//
//   COMPARE DATABASE db [TABLE t [, t ...]] ON server WITH server [CHANGES FOR 'a' | 'b']
//       [SHOW REVERSE] [FORMAT SQL | ROWS | SUMMARY] [WHERE 'condition'] [IGNORE COLUMNS (c, ...)]
//       [ASYNC]
//   DIFF SCHEMA db ON server WITH server [CHANGES FOR 'a' | 'b']
//
// where server is 'host:port', PRIMARY OF GROUP g, or REPLICA 'host:port'. CHANGES FOR names
// the side the printed statements repair: 'a' (or the ON server's address) or 'b' (the WITH
// server, the default: "make the replica equal to its primary").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ops/compare_command.h"

namespace weft::admin {

using ops::compare_command;
using ops::diff_schema_command;

struct compare_parse {
  std::variant<std::monostate, compare_command, diff_schema_command> command;
  std::string error;  // set when the statement is one of these commands with a mistake (1064)
};

class cursor;
// A server as the admin grammars name it: 'host:port', PRIMARY OF GROUP g, REPLICA 'host:port'.
std::optional<ops::server_ref> parse_server_ref(cursor& r);

// nullopt when sql is neither COMPARE DATABASE nor DIFF SCHEMA.
std::optional<compare_parse> parse_compare_command(std::string_view sql);

}  // namespace weft::admin
