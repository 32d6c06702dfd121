#include "admin/admin_words.h"

#include <algorithm>
#include <cctype>

#include "routing/sql_lexer.h"

namespace weft::admin {
namespace {

// A quoted string or name as the server reads it: the doubled quote is one quote, and in a
// string a backslash escapes the next character (\n, \t, \0 ... as the server maps them).
std::string unquote(std::string_view token, bool string) {
  const char quote = token.front();
  std::string out;
  out.reserve(token.size());
  for (std::size_t i = 1; i + 1 < token.size(); ++i) {
    const char c = token[i];
    if (c == quote && i + 2 < token.size() && token[i + 1] == quote) {
      out += c;
      ++i;
    } else if (string && c == '\\' && i + 2 < token.size()) {
      const char e = token[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == '0' ? '\0' : e == 'Z' ? '\x1a' : e == 'b' ? '\b' : e;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

words words_of(std::string_view sql) {
  using routing::token_type;
  words out;
  routing::sql_lexer lexer(sql);
  for (auto t = lexer.next(); t.type != token_type::end; t = lexer.next()) {
    std::string w(t.text);
    const bool quoted = (t.type == token_type::string || t.type == token_type::quoted_name) && t.text.size() >= 2 &&
                        (t.text.front() == '\'' || t.text.front() == '"' || t.text.front() == '`');
    if (quoted) w = unquote(t.text, t.type == token_type::string);
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

std::string sqlite_text(std::string_view value) {
  std::string out = "'";
  for (const char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

bool cursor::accept(const char* keyword) {
  if (at_end() || w_[i_] != keyword) return false;
  ++i_;
  return true;
}

std::optional<std::string> cursor::value() {
  if (at_end()) return std::nullopt;
  const auto& t = w_.text[i_];
  if (t == "(" || t == ")" || t == "," || t == "." || t == ";") return std::nullopt;
  ++i_;
  return t;
}

bool cursor::done() const {
  for (std::size_t j = i_; j < w_.size(); ++j) {
    if (w_.text[j] != ";") return false;
  }
  return true;
}

}  // namespace weft::admin
