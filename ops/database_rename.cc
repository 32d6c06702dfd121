#include "ops/database_rename.h"

#include "ops/sql_values.h"
#include "routing/sql_lexer.h"

namespace weft::ops {

std::string with_database_renamed(std::string_view sql, std::string_view from, std::string_view to) {
  const auto quoted_from = quote_name(from);
  const auto quoted_to = quote_name(to);
  std::string out;
  std::size_t copied = 0;
  routing::sql_lexer lexer(sql);
  for (auto token = lexer.next(); token.type != routing::token_type::end; token = lexer.next()) {
    const bool names_it = (token.type == routing::token_type::quoted_name && token.text == quoted_from) ||
                          (token.type == routing::token_type::word && token.text == from);
    if (!names_it || lexer.peek_raw() != '.') continue;
    const auto at = static_cast<std::size_t>(token.text.data() - sql.data());
    out.append(sql.substr(copied, at - copied));
    out += quoted_to;
    copied = at + token.text.size();
  }
  out.append(sql.substr(copied));
  return out;
}

}  // namespace weft::ops
