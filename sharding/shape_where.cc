// WHERE: the top-level AND conjuncts that fix a column to constants.
#include "sharding/shape_tokens.h"

namespace weft::sharding::shape_detail {
namespace {

// `=` or `<=>` at i (not <=, >=, !=, :=, whose first character comes first): the index after it.
std::size_t after_equality(const token_view& v, std::size_t i) {
  if (v.punct(i, '=')) return i + 1;
  if (v.punct(i, '<') && v.touching(i) && v.punct(i + 1, '=') && v.touching(i + 1) && v.punct(i + 2, '>')) {
    return i + 3;
  }
  return npos;
}

std::optional<key_condition> equals(std::string column, std::optional<literal> value) {
  if (!value) return std::nullopt;
  return key_condition{std::move(column), key_condition::kind::equals, {std::move(*value)}};
}

// `( literal, ... )` filling [open, e) exactly.
std::optional<key_condition> in_list(const token_view& v, std::string column, std::size_t open, std::size_t e) {
  if (!v.punct(open, '(') || v.close_of(open) != e - 1) return std::nullopt;
  key_condition c{std::move(column), key_condition::kind::in_list, {}};
  for (const auto& [b, end] : comma_items(v, open + 1, e - 1)) {
    auto value = literal_in(v, b, end);
    if (!value) return std::nullopt;
    c.values.push_back(std::move(*value));
  }
  if (c.values.empty()) return std::nullopt;
  return c;
}

// `literal AND literal` filling [b, e).
std::optional<key_condition> between(const token_view& v, std::string column, std::size_t b, std::size_t e) {
  std::size_t and_at = b;
  while (and_at < e && !v.keyword(and_at, "AND")) ++and_at;
  auto low = literal_in(v, b, and_at), high = literal_in(v, and_at + 1, e);
  if (!low || !high) return std::nullopt;
  return key_condition{std::move(column), key_condition::kind::between, {std::move(*low), std::move(*high)}};
}

// col = lit, col <=> lit, col IS NULL, col IN (...), col BETWEEN lit AND lit, filling [b, e).
std::optional<key_condition> column_first(const token_view& v, std::size_t b, std::size_t e) {
  auto column = column_at(v, b, e);
  if (!column) return std::nullopt;
  auto& [name, i] = *column;
  if (const auto value_at = after_equality(v, i); value_at != npos)
    return equals(std::move(name), literal_in(v, value_at, e));
  if (v.keyword(i, "IS") && v.keyword(i + 1, "NULL") && i + 2 == e) {
    return key_condition{std::move(name), key_condition::kind::equals, {literal{literal::kind::null, {}}}};
  }
  if (v.keyword(i, "IN")) return in_list(v, std::move(name), i + 1, e);
  if (v.keyword(i, "BETWEEN")) return between(v, std::move(name), i + 1, e);
  return std::nullopt;
}

// lit = col, lit <=> col, filling [b, e).
std::optional<key_condition> literal_first(const token_view& v, std::size_t b, std::size_t e) {
  std::size_t op = b;
  while (op < e && !v.punct(op, '=') && !v.punct(op, '<')) ++op;
  const auto column_begin = op < e ? after_equality(v, op) : npos;
  if (column_begin == npos) return std::nullopt;
  auto column = column_at(v, column_begin, e);
  if (!column || column->second != e) return std::nullopt;
  return equals(std::move(column->first), literal_in(v, b, op));
}

std::optional<key_condition> condition_in(const token_view& v, std::size_t b, std::size_t e) {
  if (auto c = column_first(v, b, e)) return c;
  return literal_first(v, b, e);
}

struct conjunct_split {
  std::vector<token_range> parts;
  bool has_or = false;     // OR, XOR or || joins things at this level
  bool understood = true;  // false: unbalanced parentheses
};

bool is_or(const token_view& v, std::size_t i) {
  return v.keyword(i, "OR") || v.keyword(i, "XOR") || (v.punct(i, '|') && v.touching(i) && v.punct(i + 1, '|'));
}

// How many tokens spell AND at i: 1 (AND), 2 (&&), 0 (something else).
std::size_t and_width(const token_view& v, std::size_t i) {
  if (v.keyword(i, "AND")) return 1;
  return v.punct(i, '&') && v.touching(i) && v.punct(i + 1, '&') ? 2 : 0;
}

// The AND conjuncts of [b, e): parentheses and CASE ... END are skipped whole, and the AND of a
// BETWEEN belongs to it. Stops at an OR: AND binds tighter, so nothing at this level is certain.
conjunct_split conjuncts(const token_view& v, std::size_t b, std::size_t e) {
  conjunct_split split;
  std::size_t start = b, cases = 0;
  bool between_open = false;
  for (std::size_t i = b; i < e; ++i) {
    if (v.punct(i, '(')) {
      i = v.close_of(i);
      if (i == npos || i >= e) return {{}, false, false};
      continue;
    }
    if (v.keyword(i, "CASE")) ++cases;
    if (v.keyword(i, "END") && cases > 0) --cases;
    if (cases > 0) continue;
    if (is_or(v, i)) return {{}, true, true};
    if (v.keyword(i, "BETWEEN")) between_open = true;
    const auto width = and_width(v, i);
    if (width == 0) continue;
    if (width == 1 && between_open) {
      between_open = false;
      continue;
    }
    split.parts.push_back({start, i});
    start = i + width;
    i += width - 1;
  }
  split.parts.push_back({start, e});
  return split;
}

// Adds the conditions the conjuncts make certain; false when one is empty (then the split
// was not the server's, and nothing is certain). A parenthesised conjunct is read inside.
bool add_conditions(const token_view& v, const std::vector<token_range>& parts, std::vector<key_condition>& out) {
  for (const auto& [b, e] : parts) {
    if (b >= e) return false;
    if (v.punct(b, '(') && v.close_of(b) == e - 1) {
      const auto inner = conjuncts(v, b + 1, e - 1);
      // An OR inside parentheses makes only this conjunct uncertain.
      if (inner.has_or || !inner.understood) continue;
      if (!add_conditions(v, inner.parts, out)) return false;
    } else if (auto c = condition_in(v, b, e)) {
      out.push_back(std::move(*c));
    }
  }
  return true;
}

// Whether the token at i completes an operand, so that a clause word after it starts the
// clause (a non-reserved word such as WINDOW may otherwise be a column: `a = window`).
bool ends_operand(const token_view& v, std::size_t i) {
  const auto& t = v.at(i);
  switch (t.type) {
    case token_type::number:
    case token_type::string:
    case token_type::param:
    case token_type::quoted_name:
      return true;
    case token_type::punct:
      return t.is(')');
    case token_type::word:
      return v.after_dot(i) || !one_of(t.text, operator_words);
    default:
      return false;
  }
}

// The tokens of the outermost WHERE's condition, after `main` (the statement's first word).
std::optional<token_range> where_range(const token_view& v, std::size_t main) {
  std::size_t begin = npos;
  for (std::size_t i = main; i < v.size(); ++i) {
    if (v.punct(i, '(')) {
      i = v.close_of(i);
      if (i == npos) break;
    } else if (begin == npos) {
      if (v.keyword(i, "WHERE")) begin = i + 1;
    } else if (v.punct(i, ')') || (v.keyword_in(i, where_enders) && ends_operand(v, i - 1))) {
      return token_range{begin, i};
    }
  }
  if (begin == npos) return std::nullopt;
  return token_range{begin, v.size()};
}

}  // namespace

void read_where(const token_view& v, std::size_t main, statement_shape& out) {
  const auto where = where_range(v, main);
  if (!where) return;
  const auto split = conjuncts(v, where->first, where->second);
  out.where_has_or = split.has_or;
  if (split.has_or || !split.understood) return;
  std::vector<key_condition> found;
  if (add_conditions(v, split.parts, found)) out.conditions = std::move(found);
}

}  // namespace weft::sharding::shape_detail
