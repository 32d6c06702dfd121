// The SQL lexer every routing decision starts from, fed any text.
//
// Input: the statement text.
// Checks: it ends (at most one token per byte); tokens are non-empty views into the text, in
// order and never overlapping; each has the shape its type says (a quote, a backquote, "?", one
// punctuation character, a digit); the hint is a view into the text; at_end() agrees with next().
#include "fuzz_input.h"
#include "routing/sql_lexer.h"

namespace {
using namespace weft::routing;

bool inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void check_shape(const sql_token& t) {
  const char first = t.text.front();
  switch (t.type) {
    case token_type::string:
      FUZZ_EXPECT(first == '\'' || first == '"' || t.text.size() >= 2);
      break;
    case token_type::quoted_name: FUZZ_EXPECT(first == '`'); break;
    case token_type::param: FUZZ_EXPECT(t.text == "?"); break;
    case token_type::punct: FUZZ_EXPECT(t.text.size() == 1); break;
    case token_type::number: FUZZ_EXPECT((first >= '0' && first <= '9') || first == '.'); break;
    case token_type::word:
    case token_type::end: break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  sql_lexer lexer(sql);
  const char* previous_end = sql.data();
  for (std::size_t tokens = 0;; ++tokens) {
    FUZZ_EXPECT(tokens <= sql.size());
    const bool said_end = lexer.at_end();
    const auto t = lexer.next();
    FUZZ_EXPECT(said_end == (t.type == token_type::end));
    if (t.type == token_type::end) break;
    FUZZ_EXPECT(!t.text.empty() && inside(t.text, sql));
    FUZZ_EXPECT(t.text.data() >= previous_end);
    previous_end = t.text.data() + t.text.size();
    FUZZ_EXPECT(lexer.position() >= static_cast<std::size_t>(previous_end - sql.data()));
    check_shape(t);
  }
  FUZZ_EXPECT(lexer.hint().empty() || inside(lexer.hint(), sql));
  return 0;
}
