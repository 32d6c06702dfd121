// An admin statement as words: the lexer's tokens upper-cased for matching keywords, and as
// written (quoted strings and names without their quotes) for values such as group names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft::admin {

struct words {
  std::vector<std::string> upper;
  std::vector<std::string> text;
  std::size_t size() const { return upper.size(); }
  bool empty() const { return upper.empty(); }
  const std::string& operator[](std::size_t i) const { return upper[i]; }
};

words words_of(std::string_view sql);

// The value after "a b" anywhere in the statement ("FOR GROUP g"), as written.
std::optional<std::string> option_after(const words& w, const char* a, const char* b);
bool has_word(const words& w, const char* word);

// A value as an SQLite string literal (quotes doubled; backslashes are plain characters there).
std::string sqlite_text(std::string_view value);

// Reads words left to right for the admin grammars; every accessor fails softly so a parse is
// a chain of checks. Holds a reference: the words must outlive it.
class cursor {
 public:
  explicit cursor(const words& w) : w_(w) {}
  // Steps over the next word when it is `keyword` (upper case).
  bool accept(const char* keyword);
  // The next word as written, unless it is punctuation ( ) , . ; or there is none.
  std::optional<std::string> value();
  bool at_end() const { return i_ >= w_.size(); }
  // Only semicolons, if anything, are left.
  bool done() const;

 private:
  const words& w_;
  std::size_t i_ = 0;
};

}  // namespace weft::admin
