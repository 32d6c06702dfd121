#include "routing/statement_tokens.h"

namespace weft::routing {

void statement_tokens::lex(std::string_view sql) {
  sql_ = sql;
  tokens_.clear();
  sql_lexer lexer(sql);
  for (sql_token t = lexer.next(); t.type != token_type::end; t = lexer.next()) {
    tokens_.push_back({t, lexer.executable_comment()});
  }
  executable_comment_ = lexer.executable_comment();
  hint_ = lexer.hint();
}

}  // namespace weft::routing
