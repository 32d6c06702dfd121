#include "sharding/bound_statement.h"

#include "routing/sql_lexer.h"

namespace weft::sharding {

std::optional<std::string> with_parameters(std::string_view sql, std::span<const std::string> literals) {
  routing::sql_lexer lexer(sql);
  std::string out;
  std::size_t copied = 0, used = 0;
  for (auto t = lexer.next(); t.type != routing::token_type::end; t = lexer.next()) {
    if (t.type != routing::token_type::param) continue;
    if (used == literals.size()) return std::nullopt;
    const auto at = static_cast<std::size_t>(t.text.data() - sql.data());
    out.append(sql.substr(copied, at - copied));
    out += literals[used++];
    copied = at + t.text.size();
  }
  if (used != literals.size()) return std::nullopt;
  out.append(sql.substr(copied));
  return out;
}

}  // namespace weft::sharding
