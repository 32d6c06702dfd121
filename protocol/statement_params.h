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
};
std::optional<std::vector<parameter_text>> parameter_texts(const stmt_execute& execute, bytes_view types);

}  // namespace weft::protocol
