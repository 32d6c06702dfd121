#include "routing/statement_analysis.h"

namespace weft::routing {

statement_analysis analyze(std::string_view sql, statement_tokens& tokens, analysis_options options) {
  tokens.lex(sql);
  return {classify(tokens, options.digest_text), multiplexing_effect(tokens)};
}

void digest_text(const statement_tokens& tokens, std::string& out) { classify(tokens, &out); }

}  // namespace weft::routing
