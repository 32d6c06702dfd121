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

}  // namespace weft::admin
