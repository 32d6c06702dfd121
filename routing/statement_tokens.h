// One statement lexed once into a reusable buffer, so every routing question about it
// (classification, digest, multiplexing effects, LAST_INSERT_ID) walks the same tokens instead
// of lexing the text again. A worker keeps one buffer: after the first statements it has the
// capacity it needs and lexing allocates nothing.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "routing/sql_lexer.h"

namespace weft::routing {

struct lexed_token {
  sql_token token;
  // An executable comment (`/*! */`) was passed before this token (or at it): what the lexer's
  // executable_comment() said right after returning it.
  bool after_executable_comment = false;
};

class statement_tokens {
 public:
  // Replaces the buffer's content with the tokens of `sql` (the text must outlive the use).
  void lex(std::string_view sql);

  std::string_view sql() const { return sql_; }
  std::span<const lexed_token> tokens() const { return tokens_; }
  // Whether an executable comment appears anywhere, even after the last token.
  bool executable_comment() const { return executable_comment_; }
  // The body of the last `/* weft: ... */` comment, without "weft:".
  std::string_view hint() const { return hint_; }
  // The character right after a token of this text ('\0' at the end): tells `@@x` from `@ @x`.
  char char_after(const sql_token& token) const {
    const auto end = static_cast<std::size_t>(token.text.data() - sql_.data()) + token.text.size();
    return end < sql_.size() ? sql_[end] : '\0';
  }
  // The character right before a token ('\0' at the start): tells `:=` from `=`.
  char char_before(const sql_token& token) const {
    const auto start = static_cast<std::size_t>(token.text.data() - sql_.data());
    return start > 0 ? sql_[start - 1] : '\0';
  }

 private:
  std::string_view sql_;
  std::vector<lexed_token> tokens_;
  bool executable_comment_ = false;
  std::string_view hint_;
};

}  // namespace weft::routing
