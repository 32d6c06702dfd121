// What the query result cache may do with one statement, decided from its tokens: whether a read
// a cache rule matched may be answered from memory (and which tables it reads), and which tables
// a write makes stale. Tables are "schema.table" in lower case (an unqualified one is in the
// session's schema); a lower-cased name may stand for two tables, which only costs hits.
// Never cached: anything but a plain SELECT, a locking read, SELECT ... INTO, several statements,
// user or system variables, functions whose value changes between calls (NOW(), RAND(),
// CONNECTION_ID() ...), SQL_NO_CACHE, and the system schemas (they change without writes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/classifier.h"
#include "routing/statement_tokens.h"

namespace weft::session {

struct cacheable_read {
  std::string_view refusal;  // why the read is not cached ("": it may be)
  std::vector<std::string> tables;
};
cacheable_read check_cacheable_read(const routing::statement_info& info, const routing::statement_tokens& tokens,
                                    std::string_view schema);

struct written_tables {
  std::vector<std::string> tables;
  bool every = false;  // tables weft cannot name (CALL, LOAD DATA, several statements ...): all
};
// The tables a statement may change (nullopt: none — a read, SET, USE, BEGIN/COMMIT).
std::optional<written_tables> tables_written(const routing::statement_info& info,
                                             const routing::statement_tokens& tokens, std::string_view schema);

// Everything that changes a read's answer besides its text: who asks, where, and how the
// session's connection is set up (its replayed SETs, character set, protocol capabilities).
struct cache_key_parts {
  std::string_view user, schema, group;
  std::uint64_t settings = 0;  // a digest of the session's replayed SET statements
  std::uint8_t charset = 0;
  std::uint64_t capabilities = 0;
  std::string_view statement;
  // A prepared statement's execute: its parameters as sent (and their types, when the execute
  // relies on the ones sent before); its answer is in the binary protocol, kept apart.
  bool binary = false;
  std::string_view parameters{};
  std::string_view parameter_types{};
};
std::string cache_key(const cache_key_parts& parts);

}  // namespace weft::session
