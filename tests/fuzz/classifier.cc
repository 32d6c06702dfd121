// The classifier and digest (routing/classifier.h), which decide per COM_QUERY where it runs
// and which query rules apply, fed any text.
//
// Input: the statement text.
// Checks: asking for the digest text changes nothing else in the answer; the digest hash is the
// hash of the digest text (the rule cache relies on it); the digest ignores spacing and
// comments, as promised (the statement's tokens joined by other spacing, comments dropped, give
// the same digest); the hint's group is a view into the statement; replica_safe() implies a
// plain read. The result cache's decisions (session/result_caching.h): a cacheable statement is
// a plain read; the tables it reads, and those a write names, are "schema.table" in lower case;
// a read writes nothing.
#include <string>

#include "fuzz_input.h"
#include "routing/classifier.h"
#include "routing/sql_lexer.h"
#include "routing/statement_analysis.h"
#include "session/result_caching.h"

namespace {
using namespace weft::routing;

bool same_answer(const statement_info& a, const statement_info& b) {
  return a.kind == b.kind && a.transaction == b.transaction && a.locking_read == b.locking_read &&
         a.side_effects == b.side_effects && a.multi_statement == b.multi_statement && a.hint == b.hint &&
         a.hint_group == b.hint_group && a.digest == b.digest;
}

// The tokens of sql, comments dropped, joined by two spaces (none after the last: an
// unterminated quote runs to the end and would take them in).
std::string respaced(std::string_view sql) {
  std::string out;
  sql_lexer lexer(sql);
  for (auto t = lexer.next(); t.type != token_type::end; t = lexer.next()) {
    if (!out.empty()) out += "  ";
    out += t.text;
  }
  return out;
}

bool qualified_lower(const std::vector<std::string>& tables) {
  for (const auto& t : tables) {
    if (t.find('.') == std::string::npos) return false;
    for (const char c : t) {
      if (c >= 'A' && c <= 'Z') return false;
    }
  }
  return true;
}

void check_caching(std::string_view sql) {
  statement_tokens tokens;
  const auto info = analyze(sql, tokens).info;
  const auto read = weft::session::check_cacheable_read(info, tokens, "Shop");
  if (read.refusal.empty()) FUZZ_EXPECT(info.replica_safe() && qualified_lower(read.tables));
  const auto writes = weft::session::tables_written(info, tokens, "Shop");
  if (info.kind == statement_kind::read && !info.multi_statement) FUZZ_EXPECT(!writes);
  if (writes && !writes->every) FUZZ_EXPECT(!writes->tables.empty() && qualified_lower(writes->tables));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  std::string digest_text;
  const auto with_text = classify(sql, &digest_text);
  const auto plain = classify(sql);
  FUZZ_EXPECT(same_answer(with_text, plain));
  FUZZ_EXPECT(plain.digest == digest_of(digest_text));
  if (!plain.hint_group.empty()) {
    FUZZ_EXPECT(plain.hint_group.data() >= sql.data() &&
                plain.hint_group.data() + plain.hint_group.size() <= sql.data() + sql.size());
  }
  if (plain.replica_safe()) FUZZ_EXPECT(plain.kind == statement_kind::read && !plain.locking_read);
  FUZZ_EXPECT(classify(respaced(sql)).digest == plain.digest);
  check_caching(sql);
  return 0;
}
