// What a statement is, for routing: a read a replica may answer, a write, transaction control,
// SET or USE; whether it locks rows or has side effects that bind it to the primary; its digest
// (the statement with literals as `?` and IN/VALUES lists collapsed) as a 64-bit hash; and the
// routing hint a comment may carry (`/* weft: route=primary group=g2 */`). One walk over the
// statement's tokens, no allocation (unless the digest text is asked for).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace weft::routing {

enum class statement_kind : std::uint8_t { read, write, transaction, set, use };
std::string_view to_string(statement_kind kind);

enum class transaction_action : std::uint8_t {
  none,
  begin,             // BEGIN, START TRANSACTION [READ WRITE | WITH CONSISTENT SNAPSHOT]
  begin_read_only,   // START TRANSACTION READ ONLY
  commit,
  rollback,
  savepoint,         // SAVEPOINT, RELEASE SAVEPOINT, ROLLBACK TO
  xa,
};

enum class route_hint : std::uint8_t { none, primary, replica };

struct statement_info {
  statement_kind kind = statement_kind::write;
  transaction_action transaction = transaction_action::none;
  bool locking_read = false;     // FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE
  bool side_effects = false;     // GET_LOCK(), LAST_INSERT_ID(), NEXTVAL(), SELECT ... INTO, @v := ...
  bool multi_statement = false;  // more than one statement in the text
  route_hint hint = route_hint::none;
  std::string_view hint_group;   // group=NAME in a hint (a view into the statement text)
  std::uint64_t digest = 0;

  // A replica may answer it: a plain read with nothing that binds it to the primary.
  bool replica_safe() const {
    return kind == statement_kind::read && !locking_read && !side_effects && !multi_statement;
  }
};

class statement_tokens;

// digest_text, when given, receives the normalized statement (reused buffer: cleared first).
// Walks tokens already lexed (see statement_analysis.h for everything one pass answers).
statement_info classify(const statement_tokens& tokens, std::string* digest_text = nullptr);

// The same from the text (lexes it; for tests and cold paths).
statement_info classify(std::string_view sql, std::string* digest_text = nullptr);

// The digest hash of a normalized text: classify(sql).digest == digest_of(digest text of sql).
std::uint64_t digest_of(std::string_view digest_text);

}  // namespace weft::routing
