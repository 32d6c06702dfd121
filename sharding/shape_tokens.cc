// Names and comma-separated items, shared by the shape's readers.
#include "sharding/shape_tokens.h"

namespace weft::sharding::shape_detail {

// [schema.]table at i (i holds a name): the name and the index after it.
std::pair<table_name, std::size_t> table_name_at(const token_view& v, std::size_t i) {
  if (v.punct(i + 1, '.') && is_name_token(v.at(i + 2))) {
    return {{name_text(v.at(i)), name_text(v.at(i + 2))}, i + 3};
  }
  return {{"", name_text(v.at(i))}, i + 1};
}

// A column [db.][t.]c starting at i and ending before `end`: its last part and the index after it.
std::optional<std::pair<std::string, std::size_t>> column_at(const token_view& v, std::size_t i, std::size_t end) {
  if (i >= end || !is_name_token(v.at(i)) || v.punct(i + 1, '(')) return std::nullopt;
  if (v.at(i).type == token_type::word && one_of(v.at(i).text, not_columns)) return std::nullopt;
  std::size_t last = i;
  for (int parts = 1; parts < 3 && last + 2 < end && v.punct(last + 1, '.') && is_name_token(v.at(last + 2)); ++parts) {
    last += 2;
  }
  return std::pair{name_text(v.at(last)), last + 1};
}

// The pieces of [b, e) between the commas outside parentheses (none when it is empty).
std::vector<token_range> comma_items(const token_view& v, std::size_t b, std::size_t e) {
  std::vector<token_range> items;
  if (b >= e) return items;
  std::size_t start = b;
  for (std::size_t i = b; i < e; ++i) {
    if (v.punct(i, '(')) {
      const auto close = v.close_of(i);
      i = close == npos ? e : close;
    } else if (v.punct(i, ',')) {
      items.push_back({start, i});
      start = i + 1;
    }
  }
  items.push_back({start, e});
  return items;
}

}  // namespace weft::sharding::shape_detail
