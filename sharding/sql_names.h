// Names in SQL tokens as the server reads them, shared by sharding's readers of statements.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "routing/sql_lexer.h"

namespace weft::sharding {

inline bool is_name_token(const routing::sql_token& t) {
  return t.type == routing::token_type::word || t.type == routing::token_type::quoted_name;
}

// A name without its backquotes (`` inside standing for one backquote).
inline std::string name_text(const routing::sql_token& t) {
  if (t.type != routing::token_type::quoted_name || t.text.size() < 2) return std::string(t.text);
  std::string out;
  const auto inner = t.text.substr(1, t.text.size() - 2);
  for (std::size_t i = 0; i < inner.size(); ++i) {
    out += inner[i];
    if (inner[i] == '`' && i + 1 < inner.size() && inner[i + 1] == '`') ++i;
  }
  return out;
}

// A name as SQL text, in backquotes (a backquote inside doubled).
inline std::string quoted_name(std::string_view name) {
  std::string out = "`";
  for (const char c : name) {
    out += c;
    if (c == '`') out += '`';
  }
  return out + "`";
}

// A string as an SQL literal, in single quotes (quotes and backslashes doubled).
inline std::string quoted_string(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

// Column and alias names compare without case, as the server compares them.
inline bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace weft::sharding
