// The values a COM_STMT_EXECUTE binds, as the text the server would compare them by: what
// sharding needs to find a prepared statement's shard key at execute time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/statement_messages.h"

namespace weft::protocol {

// One per parameter: integers in decimal, DECIMAL and strings as sent, DATE/DATETIME/TIMESTAMP
// as 'YYYY-MM-DD HH:MM:SS.ffffff'; nullopt for NULL and for values that are no key (floating
// point, TIME). `types`: the execute's own, or the ones an earlier execute bound. nullopt when
// the values cannot be read (cut, an unknown type).
struct parameter_text {
  std::optional<std::string> text;
  bool number = false;  // bound as a numeric type (the server compares it with a string as a number)
  bool null = false;    // bound as NULL
};
std::optional<std::vector<parameter_text>> parameter_texts(const stmt_execute& execute, bytes_view types);

// One per parameter: the SQL literal a text statement would write for it, meaning what the
// server makes of the bound value. NULL; integers in decimal; FLOAT and DOUBLE as the double
// they are, with an exponent (a DOUBLE literal, not a DECIMAL one); DECIMAL as sent (a numeral,
// or the values are refused); strings quoted for the connection (`no_backslash_escapes`: the
// server's status flag says how it reads a backslash); blobs as X'..' (the server takes them as
// binary); dates, datetimes and times quoted as the server would print them. nullopt when the
// values cannot be read.
std::optional<std::vector<std::string>> parameter_literals(const stmt_execute& execute, bytes_view types,
                                                           bool no_backslash_escapes);

}  // namespace weft::protocol
