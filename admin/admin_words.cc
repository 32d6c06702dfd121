#include "admin/admin_words.h"

#include <algorithm>
#include <cctype>

#include "routing/sql_lexer.h"

namespace weft::admin {

words words_of(std::string_view sql) {
  using routing::token_type;
  words out;
  routing::sql_lexer lexer(sql);
  for (auto t = lexer.next(); t.type != token_type::end; t = lexer.next()) {
    std::string w(t.text);
    if (t.type == token_type::string || t.type == token_type::quoted_name) w = w.substr(1, w.size() >= 2 ? w.size() - 2 : 0);
    out.text.push_back(w);
    for (auto& c : w) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out.upper.push_back(std::move(w));
  }
  return out;
}

std::optional<std::string> option_after(const words& w, const char* a, const char* b) {
  for (std::size_t i = 0; i + 2 < w.size(); ++i) {
    if (w[i] == a && w[i + 1] == b) return w.text[i + 2];
  }
  return std::nullopt;
}

bool has_word(const words& w, const char* word) {
  return std::find(w.upper.begin(), w.upper.end(), word) != w.upper.end();
}

}  // namespace weft::admin
