// INSERT / REPLACE: the target, the column list and the rows with their byte offsets.
#include "sharding/shape_tokens.h"

namespace weft::sharding::shape_detail {
namespace {

// (c1, c2, ...) at `open`: the unquoted names; nullopt when an item is not a column.
std::optional<std::vector<std::string>> column_list(const token_view& v, std::size_t open) {
  const auto close = v.close_of(open);
  if (close == npos) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& [b, e] : comma_items(v, open + 1, close)) {
    auto column = column_at(v, b, e);
    if (!column || column->second != e) return std::nullopt;
    names.push_back(std::move(column->first));
  }
  return names;
}

insert_row row_at(const token_view& v, std::size_t open, std::size_t close) {
  insert_row row{v.offset(open), v.end_offset(close), {}, true};
  for (const auto& [b, e] : comma_items(v, open + 1, close)) {
    auto value = literal_in(v, b, e);
    row.all_literals = row.all_literals && value.has_value();
    row.values.push_back(value ? std::move(*value) : literal{literal::kind::expression, {}});
  }
  return row;
}

// VALUES (...), (...) after the keyword at `keyword`; rows stay empty unless all of them read
// (VALUES ROW(...), a list that breaks off).
void read_rows(const token_view& v, std::size_t keyword, statement_shape& out) {
  std::vector<insert_row> rows;
  std::size_t close = npos;
  for (std::size_t i = keyword + 1;; i = close + 2) {
    if (!v.punct(i, '(')) return;
    close = v.close_of(i);
    if (close == npos) return;
    rows.push_back(row_at(v, i, close));
    if (!v.punct(close + 1, ',')) break;
  }
  out.values_prefix_end = v.end_offset(keyword);
  out.rows_suffix_begin = v.last_of_text(close) ? v.sql_size() : v.end_offset(close);
  out.rows = std::move(rows);
}

}  // namespace

// INSERT [LOW_PRIORITY | DELAYED | HIGH_PRIORITY] [IGNORE] [INTO] t: the index of t, or npos.
std::size_t insert_target(const token_view& v, std::size_t verb) {
  std::size_t i = verb + 1;
  while (v.keyword_in(i, {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE"})) ++i;
  if (v.keyword(i, "INTO")) ++i;
  return is_name_token(v.at(i)) ? i : npos;
}

void read_insert(const token_view& v, std::size_t main, statement_shape& out) {
  const auto target = insert_target(v, main);
  if (target == npos) return;
  auto i = table_name_at(v, target).second;
  if (v.keyword(i, "PARTITION") && v.punct(i + 1, '(')) {
    i = v.close_of(i + 1);
    if (i == npos) return;
    ++i;
  }
  if (v.punct(i, '(') && !starts_query(v, i + 1)) {
    auto columns = column_list(v, i);
    if (!columns) return;
    out.insert_columns = std::move(*columns);
    i = v.close_of(i) + 1;
  }
  if (v.keyword_in(i, {"VALUES", "VALUE"})) return read_rows(v, i, out);
  out.insert_set = v.keyword(i, "SET");
  out.insert_select = v.punct(i, '(') || starts_query(v, i);
}

}  // namespace weft::sharding::shape_detail
