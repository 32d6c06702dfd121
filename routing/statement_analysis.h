// Everything routing asks about one statement, answered from one lexer pass: what it is
// (kind, transaction action, locking, side effects, hints), its digest (the hash always, the
// text when asked), and what it leaves on its connection (pins, replayable SET, reads and sets
// LAST_INSERT_ID). Query rules take the result: the digest for their cache key, the digest text
// on a cache miss (digest_text() walks the same tokens again, no second lexing).
#pragma once

#include <string>
#include <string_view>

#include "routing/classifier.h"
#include "routing/session_effects.h"
#include "routing/statement_tokens.h"

namespace weft::routing {

struct statement_analysis {
  statement_info info;      // kind, transaction, locking, side effects, hint, digest hash
  statement_effect effect;  // pins and why, replayable SET, reads / sets LAST_INSERT_ID
};

struct analysis_options {
  std::string* digest_text = nullptr;  // receives the normalized statement when given (cleared first)
};

// Lexes `sql` into `tokens` (a buffer the caller reuses: no allocation once it has grown) and
// answers from them. The tokens stay valid for digest_text() until the next analyze().
statement_analysis analyze(std::string_view sql, statement_tokens& tokens, analysis_options options = {});

// The digest text of the statement last lexed into `tokens` (into `out`, cleared first).
void digest_text(const statement_tokens& tokens, std::string& out);

}  // namespace weft::routing
