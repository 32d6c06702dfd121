// Does a statement leave state on its backend connection that a later statement of the same
// session may depend on? If so, the session must keep ("pin") that connection; if not, the
// connection can go back to the pool after the statement (multiplexing). Conservative by
// design: when in doubt, pin — a pinned session is slower to scale, never wrong.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace weft::routing {

struct statement_effect {
  bool pins = false;
  std::string_view reason;  // for logs and stats: "user variable", "SET", ...
  // A SET of session variables weft can re-apply on another connection (sql_mode, time_zone,
  // NAMES, ...): not pinning; the session records the statement and replays it where needed.
  bool replayable_set = false;
  // SET autocommit only: nothing to replay, the status flags keep the connection while off.
  bool autocommit_only = false;
  // It reads LAST_INSERT_ID() or @@IDENTITY (whatever else it does): the session's value is set
  // on the connection first.
  bool reads_insert_id = false;
  // It may also set it: LAST_INSERT_ID(expr) (only looked for when it reads it).
  bool sets_insert_id = false;
};

// The reason given for statements that read LAST_INSERT_ID(): the proxy restores the value on
// the connection it uses rather than pinning.
inline constexpr std::string_view last_insert_id_reason = "LAST_INSERT_ID()";

// The schema of a plain `USE name` (backquotes removed), which the proxy treats like COM_INIT_DB
// (the session's schema, part of the pool key) instead of pinning; nullopt for anything else.
std::optional<std::string> schema_of_use(std::string_view sql);

class statement_tokens;

// For the tokens of a COM_QUERY (see statement_analysis.h for everything one pass answers).
statement_effect multiplexing_effect(const statement_tokens& tokens);

// The same from the text (lexes it; for tests and cold paths). Handles comments, quoted strings
// and identifiers.
statement_effect multiplexing_effect(std::string_view sql);

// Does the statement call LAST_INSERT_ID(expr), which sets the session's value (the plain
// LAST_INSERT_ID() and @@IDENTITY only read it)?
bool sets_insert_id(std::string_view sql);

}  // namespace weft::routing
