// Values and names written as SQL a DBA can apply on any MariaDB or MySQL server, whatever its
// sql_mode: every value is an exact literal of its kind (NULL, digits, hex for bytes), strings
// are quoted without backslash escapes (NO_BACKSLASH_ESCAPES reads them the same) and any
// string a quote-doubling literal cannot carry safely is written as hex with its character set.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "monitor/sql_result.h"

namespace weft::ops {

// `name` with backticks doubled inside.
std::string quote_name(std::string_view name);
// `db`.`table`
std::string qualified_name(std::string_view database, std::string_view table);
// The value as a literal of its kind: NULL, 42, 1.50, 0x00FF, X'' (empty bytes), 'text',
// _utf8mb4 X'5C6E' (text with a backslash or a control character).
std::string sql_value(const monitor::value& v, monitor::value_kind kind);

// A string's bytes as they are, in quotes with backslash escapes (\0 \' \\ \n \r \Z) so no raw
// newline is left: for a session with SET NAMES binary and backslash escapes on (EXPORT's
// files, IMPORT's and CLONE's loads), where the server stores the bytes unconverted.
std::string escaped_bytes(std::string_view bytes);

// The same two, appended to `out` from a streamed value (no string per value).
void append_sql_value(std::string& out, const monitor::value_view& v, monitor::value_kind kind);
void append_escaped_bytes(std::string& out, std::string_view bytes);

// For each byte, the letter that follows its backslash when it must be escaped, or 0. Only
// control bytes (below 0x20), ' " and \ may be named (append_escaped skips past all others).
using escape_table = std::array<char, 256>;
// Appends `bytes` with the bytes `escapes` names written as backslash + letter; the runs
// between them (most values are one run) are appended whole.
void append_escaped(std::string& out, std::string_view bytes, const escape_table& escapes);

}  // namespace weft::ops
