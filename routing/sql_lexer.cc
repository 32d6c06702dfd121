#include "routing/sql_lexer.h"

namespace weft::routing {
namespace {

constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;  // identifiers may be UTF-8
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

void sql_lexer::note_hint(std::string_view comment) {
  comment = trim(comment);
  if (comment.size() >= 5 && iequals_upper(comment.substr(0, 5), "WEFT:")) hint_ = trim(comment.substr(5));
}

void sql_lexer::skip_line_comment() {
  const auto start = pos_;
  while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
  auto body = s_.substr(start, pos_ - start);
  body.remove_prefix(body.front() == '#' ? 1 : 2);
  note_hint(body);
}

void sql_lexer::skip_block_comment() {
  const auto body_start = pos_ + 2;
  if (body_start < s_.size() && (s_[body_start] == '!' || (s_[body_start] == 'M' && body_start + 1 < s_.size() &&
                                                               s_[body_start + 1] == '!'))) {
    // Executed by the server: its content is code. Step inside it (past the version number)
    // and let the closing "*/" be skipped as a stray token later.
    executable_comment_ = true;
    pos_ = body_start + (s_[body_start] == '!' ? 1 : 2);
    while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    in_executable_ = true;
    return;
  }
  const auto end = s_.find("*/", body_start);
  note_hint(s_.substr(body_start, (end == std::string_view::npos ? s_.size() : end) - body_start));
  pos_ = end == std::string_view::npos ? s_.size() : end + 2;
}

void sql_lexer::skip_space_and_comments() {
  while (pos_ < s_.size()) {
    const char c = s_[pos_];
    if (is_space(c)) {
      ++pos_;
    } else if (c == '#') {
      skip_line_comment();
    } else if (c == '-' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '-' &&
               (pos_ + 2 == s_.size() || is_space(s_[pos_ + 2]))) {
      skip_line_comment();
    } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '*') {
      skip_block_comment();
    } else if (in_executable_ && c == '*' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '/') {
      in_executable_ = false;  // the end of an executable comment
      pos_ += 2;
    } else {
      break;
    }
  }
}

void sql_lexer::skip_quoted(char quote) {
  ++pos_;
  while (pos_ < s_.size()) {
    const char c = s_[pos_++];
    if (c == '\\' && quote != '`') {
      ++pos_;
    } else if (c == quote) {
      if (pos_ < s_.size() && s_[pos_] == quote) {
        ++pos_;  // a doubled quote inside the literal
      } else {
        return;
      }
    }
  }
  pos_ = s_.size();  // unterminated: the rest is the literal
}

sql_token sql_lexer::next() {
  skip_space_and_comments();
  if (pos_ >= s_.size()) return {};
  const std::size_t start = pos_;
  const char c = s_[pos_];
  const auto token = [&](token_type type) { return sql_token{type, s_.substr(start, pos_ - start)}; };
  if (c == '\'' || c == '"') {
    skip_quoted(c);
    return token(token_type::string);
  }
  if (c == '`') {
    skip_quoted(c);
    return token(token_type::quoted_name);
  }
  if (is_digit(c) || (c == '.' && pos_ + 1 < s_.size() && is_digit(s_[pos_ + 1]))) {
    if (c == '0' && pos_ + 1 < s_.size() && (s_[pos_ + 1] == 'x' || s_[pos_ + 1] == 'b')) {
      pos_ += 2;
      while (pos_ < s_.size() && is_word(s_[pos_])) ++pos_;
      return token(token_type::number);
    }
    while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      auto p = pos_ + 1;
      if (p < s_.size() && (s_[p] == '+' || s_[p] == '-')) ++p;
      if (p < s_.size() && is_digit(s_[p])) {
        pos_ = p;
        while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
      }
    }
    if (pos_ < s_.size() && is_word(s_[pos_])) {  // 1abc is an identifier
      while (pos_ < s_.size() && is_word(s_[pos_])) ++pos_;
      return token(token_type::word);
    }
    return token(token_type::number);
  }
  if (is_word(c)) {
    while (pos_ < s_.size() && is_word(s_[pos_])) ++pos_;
    // X'0F', B'01', N'text': one literal with its prefix.
    if (pos_ - start == 1 && pos_ < s_.size() && s_[pos_] == '\'' &&
        (c == 'x' || c == 'X' || c == 'b' || c == 'B' || c == 'n' || c == 'N')) {
      skip_quoted('\'');
      return token(token_type::string);
    }
    return token(token_type::word);
  }
  ++pos_;
  return token(c == '?' ? token_type::param : token_type::punct);
}

}  // namespace weft::routing
