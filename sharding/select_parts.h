// The parts of the outermost SELECT that scatter-gather merges by: its select list (which items
// are aggregates), GROUP BY and ORDER BY items (by name or position), and LIMIT with where it is
// written (so the shards can be sent LIMIT offset+count instead). Read from the tokens routing
// lexed; whatever is not understood is said in `problem`, never guessed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "routing/statement_tokens.h"

namespace weft::sharding {

enum class aggregate : std::uint8_t { none, count, sum, min, max, avg };

struct select_item {
  std::size_t begin = 0, end = 0;  // the expression's bytes (alias not included)
  std::string name;                // its alias, or a bare column's name (qualifier stripped); "" otherwise
  aggregate function = aggregate::none;
  bool bare_column = false;  // [db.][t.]column
  bool star = false;         // * or t.*
  std::size_t argument_begin = 0, argument_end = 0;  // an aggregate's argument bytes
};

// An ORDER BY or GROUP BY item: a result column by name or by 1-based position.
struct sort_item {
  std::string name;
  std::size_t position = 0;  // 0: by name
  bool descending = false;
};

struct limit_clause {
  std::uint64_t count = 0, offset = 0;
  std::size_t begin = 0, end = 0;  // the bytes of "LIMIT ..." (to be replaced)
};

struct select_parts {
  std::vector<select_item> items;
  std::size_t list_end = 0;  // byte offset where the select list ends (before FROM, or the end)
  std::vector<sort_item> group_by;
  std::vector<sort_item> order_by;
  std::optional<limit_clause> limit;
  std::string problem;  // non-empty: a part weft does not understand (the statement is refused)
};

select_parts select_parts_of(const routing::statement_tokens& tokens);

}  // namespace weft::sharding
