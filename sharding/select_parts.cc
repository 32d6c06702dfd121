#include "sharding/select_parts.h"

#include <algorithm>
#include <charconv>
#include <span>
#include <string_view>

#include "routing/sql_lexer.h"
#include "sharding/sql_names.h"

namespace weft::sharding {
namespace {

using routing::iequals_upper;
using routing::sql_token;
using routing::token_type;

// The outer statement's tokens, with their byte offsets and parenthesis depth.
class walk {
 public:
  explicit walk(const routing::statement_tokens& tokens) : sql_(tokens.sql()) {
    int depth = 0;
    for (const auto& t : tokens.tokens()) {
      if (t.token.is(';') && depth == 0) break;
      if (t.token.is(')')) --depth;
      tokens_.push_back(t.token);
      depth_.push_back(depth);
      if (t.token.is('(')) ++depth;
    }
  }
  std::size_t size() const { return tokens_.size(); }
  const sql_token& at(std::size_t i) const {
    static const sql_token none{};
    return i < tokens_.size() ? tokens_[i] : none;
  }
  bool top(std::size_t i) const { return i < depth_.size() && depth_[i] == 0; }
  bool word(std::size_t i, std::string_view upper) const {
    return at(i).type == token_type::word && iequals_upper(at(i).text, upper);
  }
  std::size_t begin_of(std::size_t i) const { return static_cast<std::size_t>(at(i).text.data() - sql_.data()); }
  std::size_t end_of(std::size_t i) const { return begin_of(i) + at(i).text.size(); }
  // The index of the ')' closing the '(' at i (or size()).
  std::size_t closing(std::size_t i) const {
    for (std::size_t j = i + 1; j < size(); ++j) {
      if (at(j).is(')') && depth_[j] == depth_[i]) return j;
    }
    return size();
  }

 private:
  std::string_view sql_;
  std::vector<sql_token> tokens_;
  std::vector<int> depth_;
};


constexpr std::string_view clause_words[] = {"FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT",
                                             "FOR",  "LOCK",  "INTO",  "WINDOW", "PROCEDURE", "UNION"};
constexpr std::string_view select_options[] = {"ALL",           "DISTINCT",         "DISTINCTROW",    "HIGH_PRIORITY",
                                               "STRAIGHT_JOIN", "SQL_SMALL_RESULT", "SQL_BIG_RESULT", "SQL_BUFFER_RESULT",
                                               "SQL_CACHE",     "SQL_NO_CACHE"};

bool is_clause(const walk& w, std::size_t i) {
  if (!w.top(i)) return false;
  return std::any_of(std::begin(clause_words), std::end(clause_words), [&](auto c) { return w.word(i, c); });
}

// The next top-level clause word at or after i (or size()).
std::size_t next_clause(const walk& w, std::size_t i) {
  while (i < w.size() && !is_clause(w, i)) ++i;
  return i;
}

// [b, e) split at top-level commas.
std::vector<std::pair<std::size_t, std::size_t>> comma_items(const walk& w, std::size_t b, std::size_t e) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t start = b;
  for (std::size_t i = b; i < e; ++i) {
    if (w.top(i) && w.at(i).is(',')) out.emplace_back(start, i), start = i + 1;
  }
  if (start < e) out.emplace_back(start, e);
  return out;
}

aggregate aggregate_named(std::string_view word) {
  if (iequals_upper(word, "COUNT")) return aggregate::count;
  if (iequals_upper(word, "SUM")) return aggregate::sum;
  if (iequals_upper(word, "MIN")) return aggregate::min;
  if (iequals_upper(word, "MAX")) return aggregate::max;
  if (iequals_upper(word, "AVG")) return aggregate::avg;
  return aggregate::none;
}

constexpr std::string_view other_aggregates[] = {"GROUP_CONCAT", "STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP",
                                                 "VARIANCE", "VAR_POP", "VAR_SAMP", "BIT_AND", "BIT_OR", "BIT_XOR",
                                                 "JSON_ARRAYAGG", "JSON_OBJECTAGG"};

// Whether [b, e) calls an aggregate function anywhere.
bool calls_aggregate(const walk& w, std::size_t b, std::size_t e) {
  for (std::size_t i = b; i + 1 < e; ++i) {
    if (w.at(i).type != token_type::word || !w.at(i + 1).is('(')) continue;
    if (aggregate_named(w.at(i).text) != aggregate::none) return true;
    if (std::any_of(std::begin(other_aggregates), std::end(other_aggregates),
                    [&](auto a) { return iequals_upper(w.at(i).text, a); })) {
      return true;
    }
  }
  return false;
}

constexpr std::string_view operator_words[] = {"NOT", "AND",  "OR",   "XOR",  "IS",     "IN",       "LIKE",
                                               "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "BINARY", "INTERVAL",
                                               "DIV", "MOD",  "COLLATE", "REGEXP", "RLIKE", "ESCAPE"};

// A token after which a name is an alias (a complete operand), not part of the expression.
bool ends_operand(const sql_token& t) {
  if (t.is(')') || t.type == token_type::number || t.type == token_type::string || t.type == token_type::quoted_name) {
    return true;
  }
  if (t.type != token_type::word) return false;
  return std::none_of(std::begin(operator_words), std::end(operator_words), [&](auto o) { return iequals_upper(t.text, o); });
}

// [b, e) of an item without its alias (`AS name`, or a name after a complete operand).
std::size_t without_alias(const walk& w, std::size_t b, std::size_t e, std::string& alias) {
  const auto& last = w.at(e - 1);
  const bool nameish = is_name_token(last) || last.type == token_type::string;
  if (e - b >= 3 && nameish && w.word(e - 2, "AS")) {
    alias = last.type == token_type::string ? std::string(last.text.substr(1, last.text.size() - 2)) : name_text(last);
    return e - 2;
  }
  if (e - b >= 2 && is_name_token(last) && !w.word(e - 1, "END") && !w.at(e - 2).is('.') && ends_operand(w.at(e - 2))) {
    alias = name_text(last);
    return e - 1;
  }
  return e;
}

// [db.][t.]column covering exactly [b, e): its last part.
std::optional<std::string> column_covering(const walk& w, std::size_t b, std::size_t e) {
  if (b >= e || !is_name_token(w.at(b)) || (e - b) % 2 == 0 || e - b > 5) return std::nullopt;
  for (std::size_t i = b + 1; i < e; i += 2) {
    if (!w.at(i).is('.') || !is_name_token(w.at(i + 1))) return std::nullopt;
  }
  if (w.at(b).type == token_type::word && (iequals_upper(w.at(b).text, "NULL") || iequals_upper(w.at(b).text, "TRUE") ||
                                           iequals_upper(w.at(b).text, "FALSE"))) {
    return std::nullopt;
  }
  return name_text(w.at(e - 1));
}

select_item read_item(const walk& w, std::size_t b, std::size_t e, std::string& problem) {
  select_item item;
  std::string alias;
  const auto x = without_alias(w, b, e, alias);
  item.begin = w.begin_of(b);
  item.end = w.end_of(x - 1);
  const auto column = column_covering(w, b, x);
  if ((x - b == 1 && w.at(b).is('*')) || (x - b == 3 && is_name_token(w.at(b)) && w.at(b + 1).is('.') && w.at(b + 2).is('*'))) {
    item.star = true;
  } else if (column) {
    item.bare_column = true;
  } else if (w.at(b).type == token_type::word && w.at(b + 1).is('(') && w.closing(b + 1) == x - 1 &&
             aggregate_named(w.at(b).text) != aggregate::none) {
    item.function = aggregate_named(w.at(b).text);
    item.argument_begin = w.end_of(b + 1);
    item.argument_end = w.begin_of(x - 1);
    if (w.word(b + 2, "DISTINCT")) problem = "an aggregate of DISTINCT values is not merged across shards";
    if (calls_aggregate(w, b + 2, x - 1)) problem = "an aggregate inside an aggregate is not merged across shards";
  } else if (calls_aggregate(w, b, x)) {
    problem = "an aggregate inside an expression is not merged across shards (select it alone)";
  }
  item.name = !alias.empty() ? alias : column ? *column : "";
  return item;
}

void read_sort_items(const walk& w, std::size_t b, std::size_t e, std::vector<sort_item>& out, std::string& problem,
                     const char* clause) {
  for (const auto& [ib, ie] : comma_items(w, b, e)) {
    sort_item s;
    auto x = ie;
    if (w.word(x - 1, "DESC")) {
      s.descending = true, --x;
    } else if (w.word(x - 1, "ASC")) {
      --x;
    }
    std::size_t position = 0;
    const auto& t = w.at(ib);
    if (x - ib == 1 && t.type == token_type::number &&
        std::from_chars(t.text.data(), t.text.data() + t.text.size(), position).ec == std::errc{} && position > 0) {
      s.position = position;
    } else if (auto column = column_covering(w, ib, x)) {
      s.name = *column;
    } else {
      problem = std::string(clause) + " an expression is not merged across shards (order by a selected column)";
      return;
    }
    out.push_back(std::move(s));
  }
}

std::optional<std::uint64_t> number_at(const walk& w, std::size_t i) {
  const auto& t = w.at(i);
  std::uint64_t v = 0;
  if (t.type != token_type::number || std::from_chars(t.text.data(), t.text.data() + t.text.size(), v).ec != std::errc{}) {
    return std::nullopt;
  }
  return v;
}

// LIMIT n | LIMIT o, n | LIMIT n OFFSET o, at l; the index after it.
std::size_t read_limit(const walk& w, std::size_t l, select_parts& out) {
  limit_clause limit;
  const auto first = number_at(w, l + 1);
  std::size_t last = l + 1;
  if (first && w.at(l + 2).is(',') && number_at(w, l + 3)) {
    limit.offset = *first, limit.count = *number_at(w, l + 3), last = l + 3;
  } else if (first && w.word(l + 2, "OFFSET") && number_at(w, l + 3)) {
    limit.count = *first, limit.offset = *number_at(w, l + 3), last = l + 3;
  } else if (first) {
    limit.count = *first;
  } else {
    out.problem = "a LIMIT that is not a number is not merged across shards";
    return l + 1;
  }
  if (w.word(last + 1, "ROWS")) out.problem = "LIMIT ROWS EXAMINED is not merged across shards";
  limit.begin = w.begin_of(l);
  limit.end = w.end_of(last);
  out.limit = limit;
  return last + 1;
}

// The clauses after the select list: GROUP BY, ORDER BY, LIMIT (others are skipped).
void read_clauses(const walk& w, std::size_t i, select_parts& out) {
  while (i < w.size() && out.problem.empty()) {
    const bool group = w.word(i, "GROUP") && w.word(i + 1, "BY");
    const bool order = w.word(i, "ORDER") && w.word(i + 1, "BY");
    if (group || order) {
      const auto end = next_clause(w, i + 2);
      for (std::size_t j = i + 2; j < end; ++j) {
        if (w.top(j) && w.word(j, "WITH")) out.problem = "GROUP BY ... WITH ROLLUP is not merged across shards";
      }
      if (out.problem.empty()) {
        read_sort_items(w, i + 2, end, group ? out.group_by : out.order_by, out.problem, group ? "GROUP BY" : "ORDER BY");
      }
      i = end;
    } else if (w.word(i, "LIMIT")) {
      i = next_clause(w, read_limit(w, i, out));
    } else {
      i = next_clause(w, i + 1);
    }
  }
}

}  // namespace

select_parts select_parts_of(const routing::statement_tokens& tokens) {
  const walk w(tokens);
  select_parts out;
  if (!w.word(0, "SELECT")) {
    out.problem = "only a plain SELECT is merged across shards";
    return out;
  }
  std::size_t i = 1;
  for (; i < w.size(); ++i) {
    if (w.word(i, "SQL_CALC_FOUND_ROWS")) out.problem = "SQL_CALC_FOUND_ROWS is not counted across shards";
    if (!std::any_of(std::begin(select_options), std::end(select_options), [&](auto o) { return w.word(i, o); })) break;
  }
  const auto list_end = next_clause(w, i);
  out.list_end = list_end < w.size() ? w.begin_of(list_end) : w.size() > 0 ? w.end_of(w.size() - 1) : 0;
  for (const auto& [b, e] : comma_items(w, i, list_end)) {
    std::string problem;
    out.items.push_back(read_item(w, b, e, problem));
    if (out.problem.empty()) out.problem = problem;
  }
  if (out.problem.empty()) read_clauses(w, list_end, out);
  return out;
}

}  // namespace weft::sharding
