// Splits SQL text into tokens the way the server reads it: comments (`/* */`, `-- `, `#`) are
// skipped, executable comments (`/*! */`, `/*M! */`) are code, quoted strings and identifiers are
// one token each. No allocation; tokens are views into the text. Shared by everything in
// routing/ that looks at statements (classifier, multiplexing effects).
#pragma once

#include <cstdint>
#include <string_view>

namespace weft::routing {

enum class token_type : std::uint8_t {
  end,
  word,          // keyword or bare identifier (may start with a digit, like the server allows)
  number,        // 12, 1.5, 1e3, 0x1F
  string,        // 'x', "x", X'0F', B'01', N'x'
  quoted_name,   // `x`
  param,         // ?
  punct,         // one character: ( ) , ; . @ = + - ...
};

struct sql_token {
  token_type type = token_type::end;
  std::string_view text;
  bool is(char c) const { return type == token_type::punct && text.size() == 1 && text[0] == c; }
};

// ASCII case-insensitive equality against an upper-case word.
inline bool iequals_upper(std::string_view text, std::string_view upper) {
  if (text.size() != upper.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

class sql_lexer {
 public:
  explicit sql_lexer(std::string_view sql) : s_(sql) {}

  sql_token next();
  // True once an executable comment (`/*!...*/`, `/*M!...*/`) was passed.
  bool executable_comment() const { return executable_comment_; }
  // The body of the last `/* weft: ... */` (or `-- weft: ...`) comment passed, without "weft:".
  std::string_view hint() const { return hint_; }
  bool at_end() {
    skip_space_and_comments();
    return pos_ >= s_.size();
  }
  // The character right after the last token (no skipping): tells `@@x` from `@ @x`.
  char peek_raw() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  std::size_t position() const { return pos_; }

 private:
  void skip_space_and_comments();
  void skip_line_comment();
  void skip_block_comment();
  void skip_quoted(char quote);
  void note_hint(std::string_view comment);

  std::string_view s_;
  std::size_t pos_ = 0;
  bool executable_comment_ = false;
  bool in_executable_ = false;  // inside /*! ... */: its "*/" ends it
  std::string_view hint_;
};

}  // namespace weft::routing
