#include "sharding/statement_shape.h"

#include <algorithm>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "routing/sql_lexer.h"
#include "sharding/sql_names.h"

namespace weft::sharding {
namespace {

using routing::iequals_upper;
using routing::sql_token;
using routing::token_type;

constexpr std::size_t npos = static_cast<std::size_t>(-1);
using token_range = std::pair<std::size_t, std::size_t>;  // [begin, end) token indexes

template <std::size_t N>
bool one_of(std::string_view text, const std::string_view (&upper)[N]) {
  return std::any_of(std::begin(upper), std::end(upper), [&](std::string_view u) { return iequals_upper(text, u); });
}

// Words that end a WHERE clause when they follow a complete operand.
constexpr std::string_view where_enders[] = {"GROUP", "HAVING", "ORDER", "LIMIT",     "WINDOW", "FOR",
                                             "LOCK",  "INTO",   "UNION", "INTERSECT", "EXCEPT", "RETURNING"};
// Words after which an expression goes on (so a clause word after them is a column's name).
constexpr std::string_view operator_words[] = {"AND",     "OR",     "XOR",      "NOT",  "IS",   "IN",    "BETWEEN",
                                               "LIKE",    "REGEXP", "RLIKE",    "DIV",  "MOD",  "WHERE", "ESCAPE",
                                               "COLLATE", "BINARY", "INTERVAL", "CASE", "WHEN", "THEN",  "ELSE",
                                               "SOUNDS",  "EXISTS", "ANY",      "SOME", "ALL"};
// Words that end a FROM / UPDATE / USING table list.
constexpr std::string_view table_list_enders[] = {"WHERE",  "GROUP",     "HAVING", "ORDER",     "LIMIT", "WINDOW",
                                                  "UNION",  "INTERSECT", "EXCEPT", "INTO",      "SET",   "PROCEDURE",
                                                  "SELECT", "VALUES",    "VALUE",  "RETURNING", "LOCK"};
// Unquoted words that are never a column: constants and functions called without parentheses.
constexpr std::string_view not_columns[] = {
    "NULL",         "TRUE",         "FALSE",     "DEFAULT",        "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
    "CURRENT_USER", "CURRENT_ROLE", "LOCALTIME", "LOCALTIMESTAMP", "UTC_DATE",     "UTC_TIME",     "UTC_TIMESTAMP",
    "NOT",          "BINARY",       "INTERVAL",  "CASE",           "EXISTS"};
constexpr std::string_view aggregate_functions[] = {
    "COUNT",    "SUM",     "MIN",        "MAX",         "AVG",           "GROUP_CONCAT",
    "STD",      "STDDEV",  "STDDEV_POP", "STDDEV_SAMP", "VARIANCE",      "VAR_POP",
    "VAR_SAMP", "BIT_AND", "BIT_OR",     "BIT_XOR",     "JSON_ARRAYAGG", "JSON_OBJECTAGG"};

// The tokens of one statement (up to its ';') and the questions every reader below asks them.
class token_view {
 public:
  token_view(const routing::statement_tokens& tokens, std::size_t end)
      : all_(tokens.tokens()), sql_(tokens.sql()), end_(end) {
    for (std::size_t i = 0; i < end_; ++i) {
      if (all_[i].token.type == token_type::param) params_.push_back(i);
    }
  }

  std::size_t size() const { return end_; }
  const sql_token& at(std::size_t i) const {
    static const sql_token none{};
    return i < end_ ? all_[i].token : none;
  }
  bool punct(std::size_t i, char c) const { return at(i).is(c); }
  // A word written right after '.' names a column or table, whatever it spells (t.order).
  bool after_dot(std::size_t i) const { return i > 0 && i < end_ && all_[i - 1].token.is('.'); }
  bool keyword(std::size_t i, std::string_view upper) const {
    return at(i).type == token_type::word && iequals_upper(at(i).text, upper) && !after_dot(i);
  }
  template <std::size_t N>
  bool keyword_in(std::size_t i, const std::string_view (&upper)[N]) const {
    return at(i).type == token_type::word && one_of(at(i).text, upper) && !after_dot(i);
  }
  // No space between tokens i and i + 1: two characters of one operator (<=>, ||, &&).
  bool touching(std::size_t i) const { return i + 1 < end_ && end_offset(i) == offset(i + 1); }
  std::size_t offset(std::size_t i) const { return static_cast<std::size_t>(at(i).text.data() - sql_.data()); }
  std::size_t end_offset(std::size_t i) const { return offset(i) + at(i).text.size(); }
  std::size_t sql_size() const { return sql_.size(); }
  // Whether token i is the last of the whole text (nothing, not even a ';', follows it).
  bool last_of_text(std::size_t i) const { return i + 1 >= all_.size(); }
  // The index of the ')' matching the '(' at `open`, or npos when the statement ends first.
  std::size_t close_of(std::size_t open) const {
    std::size_t depth = 0;
    for (std::size_t i = open; i < end_; ++i) {
      if (punct(i, '(')) ++depth;
      if (punct(i, ')') && --depth == 0) return i;
    }
    return npos;
  }
  // The 0-based position of the `?` at i among all `?` of the statement.
  std::size_t param_index(std::size_t i) const {
    return static_cast<std::size_t>(std::lower_bound(params_.begin(), params_.end(), i) - params_.begin());
  }

 private:
  std::span<const routing::lexed_token> all_;
  std::string_view sql_;
  std::size_t end_;
  std::vector<std::size_t> params_;  // token indexes of the `?`, in order
};

// ---- Names ----

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

// ---- Literals: the bytes the server reads (default sql_mode) ----

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Hex digits as bytes. X'..' needs whole bytes; 0x.. pads an odd count on the left (0xABC = 0x0ABC).
std::optional<std::string> hex_bytes(std::string_view digits, bool pad_odd) {
  if (digits.size() % 2 != 0 && !pad_odd) return std::nullopt;
  std::string out;
  std::size_t i = 0;
  int byte = 0;
  for (bool high = digits.size() % 2 == 0; i < digits.size(); ++i, high = !high) {
    const int d = hex_digit(digits[i]);
    if (d < 0) return std::nullopt;
    byte = high ? d << 4 : byte | d;
    if (!high) out += static_cast<char>(byte);
  }
  return out;
}

// Bits as bytes, padded on the left to whole bytes (b'1' is 0x01).
std::optional<std::string> bit_bytes(std::string_view bits) {
  std::string out((bits.size() + 7) / 8, '\0');
  for (std::size_t i = 0; i < bits.size(); ++i) {
    const char c = bits[bits.size() - 1 - i];
    if (c != '0' && c != '1') return std::nullopt;
    if (c == '1') out[out.size() - 1 - i / 8] = static_cast<char>(out[out.size() - 1 - i / 8] | (1 << (i % 8)));
  }
  return out;
}

// A backslash escape as the server reads it; \% and \_ keep their backslash (they stay LIKE escapes).
void append_escape(char e, std::string& out) {
  switch (e) {
    case '0':
      out += '\0';
      break;
    case 'b':
      out += '\b';
      break;
    case 'n':
      out += '\n';
      break;
    case 'r':
      out += '\r';
      break;
    case 't':
      out += '\t';
      break;
    case 'Z':
      out += '\x1a';
      break;
    case '%':
    case '_':
      out += '\\';
      out += e;
      break;
    default:
      out += e;  // \' \" \\ and any other character stand for themselves
  }
}

// The bytes of '...' or "..." (with its quotes); nullopt when it is not closed.
std::optional<std::string> unescaped(std::string_view quoted) {
  const char quote = quoted.front();
  std::string out;
  for (std::size_t i = 1; i < quoted.size(); ++i) {
    const char c = quoted[i];
    if (c == '\\') {
      if (++i == quoted.size()) return std::nullopt;
      append_escape(quoted[i], out);
    } else if (c != quote) {
      out += c;
    } else if (i + 1 < quoted.size() && quoted[i + 1] == quote) {
      out += quote;  // a doubled quote stands for one
      ++i;
    } else {
      return i + 1 == quoted.size() ? std::optional(std::move(out)) : std::nullopt;
    }
  }
  return std::nullopt;
}

bool plain_quoted(std::string_view text) { return text.front() == '\'' || text.front() == '"'; }
bool national(std::string_view text) { return text.front() == 'n' || text.front() == 'N'; }

// A string token's bytes: '...', "...", N'...', X'hex', B'bits'.
std::optional<std::string> string_token_value(std::string_view text) {
  if (plain_quoted(text)) return unescaped(text);
  const auto body = text.substr(1);  // the quoted part after the prefix letter
  if (body.size() < 2 || body.back() != '\'') return std::nullopt;
  if (national(text)) return unescaped(body);
  const auto inner = body.substr(1, body.size() - 2);
  return text.front() == 'x' || text.front() == 'X' ? hex_bytes(inner, false) : bit_bytes(inner);
}

// A number token with its sign ('\0' when none): decimal text as written, or 0x.. / 0b.. as
// bytes (a string: the server compares them with strings as bytes). A signed 0x.. is arithmetic.
std::optional<literal> number_literal(std::string_view text, char sign) {
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'b')) {
    if (sign != '\0' || text.size() == 2) return std::nullopt;
    auto bytes = text[1] == 'x' ? hex_bytes(text.substr(2), true) : bit_bytes(text.substr(2));
    if (!bytes) return std::nullopt;
    return literal{literal::kind::string, std::move(*bytes)};
  }
  return literal{literal::kind::number, (sign == '-' ? "-" : "") + std::string(text)};
}

// A charset introducer such as _utf8mb4 or _binary.
bool is_introducer(const sql_token& t) {
  return t.type == token_type::word && t.text.size() > 1 && t.text.front() == '_';
}

// 'a' 'b' ..., N'a', _charset'a', X'..', B'..', _charset 0x..: one string constant in [b, e).
std::optional<literal> string_literal(const token_view& v, std::size_t b, std::size_t e) {
  const bool introducer = is_introducer(v.at(b));
  std::size_t i = introducer ? b + 1 : b;
  if (i >= e) return std::nullopt;
  const auto& first = v.at(i);
  if (first.type == token_type::number && introducer && i + 1 == e) {
    auto bytes = number_literal(first.text, '\0');
    return bytes && bytes->type == literal::kind::string ? bytes : std::nullopt;
  }
  if (first.type != token_type::string || (introducer && national(first.text))) return std::nullopt;
  auto value = string_token_value(first.text);
  // Only quoted text continues with adjacent quoted text ('a' 'b'); X'..' and B'..' stand alone.
  const bool joinable = plain_quoted(first.text) || national(first.text);
  for (++i; value && i < e; ++i) {
    const auto& next = v.at(i);
    if (!joinable || next.type != token_type::string || !plain_quoted(next.text)) return std::nullopt;
    const auto more = unescaped(next.text);
    if (!more) return std::nullopt;
    *value += *more;
  }
  if (!value) return std::nullopt;
  return literal{literal::kind::string, std::move(*value)};
}

std::optional<literal> word_literal(std::string_view word) {
  if (iequals_upper(word, "NULL")) return literal{literal::kind::null, {}};
  if (iequals_upper(word, "TRUE")) return literal{literal::kind::number, "1"};
  if (iequals_upper(word, "FALSE")) return literal{literal::kind::number, "0"};
  return std::nullopt;
}

// The constant the tokens [b, e) spell, if they spell exactly one.
std::optional<literal> literal_in(const token_view& v, std::size_t b, std::size_t e) {
  if (b >= e) return std::nullopt;
  const auto& t = v.at(b);
  if (e - b == 1) {
    if (t.type == token_type::param) return literal{literal::kind::param, {}, v.param_index(b)};
    if (t.type == token_type::word) return word_literal(t.text);
    if (t.type == token_type::number) return number_literal(t.text, '\0');
  }
  if ((t.is('-') || t.is('+')) && e - b == 2 && v.at(b + 1).type == token_type::number) {
    return number_literal(v.at(b + 1).text, t.text[0]);
  }
  return string_literal(v, b, e);
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

// ---- WHERE: the conjuncts that fix a column to constants ----

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

void read_where(const token_view& v, std::size_t main, statement_shape& out) {
  const auto where = where_range(v, main);
  if (!where) return;
  const auto split = conjuncts(v, where->first, where->second);
  out.where_has_or = split.has_or;
  if (split.has_or || !split.understood) return;
  std::vector<key_condition> found;
  if (add_conditions(v, split.parts, found)) out.conditions = std::move(found);
}

// ---- INSERT / REPLACE ----

// INSERT [LOW_PRIORITY | DELAYED | HIGH_PRIORITY] [IGNORE] [INTO] t: the index of t, or npos.
std::size_t insert_target(const token_view& v, std::size_t verb) {
  std::size_t i = verb + 1;
  while (v.keyword_in(i, {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE"})) ++i;
  if (v.keyword(i, "INTO")) ++i;
  return is_name_token(v.at(i)) ? i : npos;
}

bool starts_query(const token_view& v, std::size_t i) { return v.keyword_in(i, {"SELECT", "WITH", "VALUES", "TABLE"}); }

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

// ---- DDL: the tables it creates, alters, drops ----

std::size_t after_if_exists(const token_view& v, std::size_t i) {
  if (!v.keyword(i, "IF")) return i;
  if (v.keyword(++i, "NOT")) ++i;
  return v.keyword(i, "EXISTS") ? i + 1 : i;
}

// name [, name ...] at i, appended: the index after the last.
std::size_t read_name_list(const token_view& v, std::size_t i, std::vector<table_name>& out) {
  while (is_name_token(v.at(i))) {
    auto [name, next] = table_name_at(v, i);
    out.push_back(std::move(name));
    if (!v.punct(next, ',')) return next;
    i = next + 1;
  }
  return i;
}

void add_name_at(const token_view& v, std::size_t i, std::vector<table_name>& out) {
  if (is_name_token(v.at(i))) out.push_back(table_name_at(v, i).first);
}

// RENAME TABLE a TO b [, c TO d ...]
void read_rename_pairs(const token_view& v, std::size_t i, std::vector<table_name>& out) {
  while (is_name_token(v.at(i))) {
    auto [name, next] = table_name_at(v, i);
    out.push_back(std::move(name));
    if (!v.keyword(next, "TO") && !v.punct(next, ',')) return;
    i = next + 1;
  }
}

// The word naming what CREATE / ALTER / DROP acts on, when it is a table-like object.
std::size_t ddl_object(const token_view& v) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v.keyword_in(i, {"TABLE", "TABLES", "VIEW", "SEQUENCE", "INDEX", "TRIGGER"})) return i;
    if (v.punct(i, '(') ||
        v.keyword_in(i, {"DATABASE", "SCHEMA", "USER", "ROLE", "PROCEDURE", "FUNCTION", "EVENT", "SERVER", "TABLESPACE",
                         "LOGFILE", "PACKAGE", "AS", "ON", "BEGIN", "DO", "RETURNS", "SELECT"})) {
      return npos;
    }
  }
  return npos;
}

// ALTER TABLE t ... RENAME [TO | AS] u / EXCHANGE PARTITION p WITH TABLE u.
void read_alter_renames(const token_view& v, std::size_t i, std::vector<table_name>& out) {
  for (; i < v.size(); ++i) {
    if (v.punct(i, '(')) {
      i = v.close_of(i);
      if (i == npos) return;
    } else if (v.keyword(i, "RENAME") && !v.keyword_in(i + 1, {"COLUMN", "INDEX", "KEY", "CONSTRAINT"})) {
      add_name_at(v, v.keyword_in(i + 1, {"TO", "AS"}) ? i + 2 : i + 1, out);
    } else if (v.keyword(i, "WITH") && v.keyword(i + 1, "TABLE")) {
      add_name_at(v, i + 2, out);
    }
  }
}

// The table after the first ON (an index's or a trigger's table).
void read_on_table(const token_view& v, std::size_t i, std::vector<table_name>& out) {
  while (i < v.size() && !v.keyword(i, "ON")) ++i;
  add_name_at(v, i + 1, out);
}

void read_table_object(const token_view& v, std::size_t object, std::vector<table_name>& out) {
  const auto after = read_name_list(v, after_if_exists(v, object + 1), out);
  if (v.keyword(0, "CREATE")) {
    // CREATE TABLE t LIKE s / CREATE TABLE t (LIKE s)
    if (v.keyword(after, "LIKE")) add_name_at(v, after + 1, out);
    if (v.punct(after, '(') && v.keyword(after + 1, "LIKE")) add_name_at(v, after + 2, out);
  } else if (v.keyword(0, "ALTER")) {
    read_alter_renames(v, after, out);
  }
}

void read_ddl_tables(const token_view& v, std::vector<table_name>& out) {
  if (v.keyword(0, "TRUNCATE")) return add_name_at(v, v.keyword(1, "TABLE") ? 2 : 1, out);
  if (v.keyword(0, "RENAME")) {
    if (v.keyword_in(1, {"TABLE", "TABLES"})) read_rename_pairs(v, 2, out);
    return;
  }
  const auto object = ddl_object(v);
  if (object == npos) return;
  if (v.keyword_in(object, {"INDEX", "TRIGGER"})) return read_on_table(v, object + 1, out);
  read_table_object(v, object, out);
}

// ---- The statement: where it ends, what it does ----

// The end of the first statement (its ';' or the end) and whether another statement follows.
std::pair<std::size_t, bool> first_statement(std::span<const routing::lexed_token> tokens) {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!tokens[i].token.is(';')) continue;
    const bool more = std::any_of(tokens.begin() + static_cast<std::ptrdiff_t>(i + 1), tokens.end(),
                                  [](const auto& t) { return !t.token.is(';'); });
    return {i, more};
  }
  return {tokens.size(), false};
}

// WITH [RECURSIVE] name [(columns)] AS (query) [, ...] at `with`: the index after the list,
// its names appended; npos when it is no such list (WITH ROLLUP, WITH CHECK OPTION).
std::size_t cte_list_end(const token_view& v, std::size_t with, std::vector<std::string>& names) {
  std::size_t i = v.keyword(with + 1, "RECURSIVE") ? with + 2 : with + 1;
  std::vector<std::string> found;
  while (is_name_token(v.at(i))) {
    found.push_back(name_text(v.at(i++)));
    const auto columns_end = v.punct(i, '(') ? v.close_of(i) : i - 1;  // name (c1, c2) AS (...)
    if (columns_end == npos || !v.keyword(columns_end + 1, "AS") || !v.punct(columns_end + 2, '(')) return npos;
    const auto body_end = v.close_of(columns_end + 2);
    if (body_end == npos) return npos;
    if (!v.punct(body_end + 1, ',')) {
      names.insert(names.end(), found.begin(), found.end());
      return body_end + 1;
    }
    i = body_end + 2;
  }
  return npos;
}

// The names every WITH of the statement defines: they name no table.
std::vector<std::string> cte_names(const token_view& v) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v.keyword(i, "WITH")) cte_list_end(v, i, names);
  }
  return names;
}

struct statement_start {
  statement_verb verb = statement_verb::other;
  std::size_t main = 0;  // the statement's own first word (after a WITH list)
};

statement_verb verb_at(const token_view& v, std::size_t i) {
  if (v.keyword(i, "SELECT")) return statement_verb::select;
  if (v.keyword(i, "INSERT")) return statement_verb::insert;
  if (v.keyword(i, "REPLACE")) return statement_verb::replace;
  if (v.keyword(i, "UPDATE")) return statement_verb::update;
  if (v.keyword(i, "DELETE")) return statement_verb::remove;
  if (v.keyword_in(i, {"CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME"})) return statement_verb::ddl;
  return statement_verb::other;
}

statement_start start_of(const token_view& v) {
  if (!v.keyword(0, "WITH")) return {verb_at(v, 0), 0};
  std::vector<std::string> ignored;
  const auto main = cte_list_end(v, 0, ignored);
  const auto verb = main == npos ? statement_verb::other : verb_at(v, main);
  const bool allowed =
      verb == statement_verb::select || verb == statement_verb::update || verb == statement_verb::remove;
  return allowed ? statement_start{verb, main} : statement_start{};
}

// DELETE FROM t1, t2 USING t1 JOIN t2 ...: then FROM lists the tables rows are deleted from,
// named again (maybe by alias) in USING.
bool delete_using(const token_view& v, statement_start start) {
  if (start.verb != statement_verb::remove) return false;
  for (std::size_t i = start.main; i < v.size(); ++i) {
    if (v.punct(i, '(')) {
      i = v.close_of(i);
      if (i == npos) return false;
    } else if (v.keyword(i, "USING") && !v.punct(i + 1, '(')) {
      return true;
    }
  }
  return false;
}

// ---- One walk for the tables and what limits scatter-gather ----

enum class list_state : std::uint8_t {
  none,          // not in a table list
  expect_table,  // after FROM, JOIN, ',', UPDATE, USING: a table (or a derived table) comes
  after_table,   // after a table: its alias, index hints, ON ...; then ',' or JOIN for another
  references,    // DELETE FROM t1, t2 USING ...: names the USING list names again
};

struct paren_frame {
  bool query = false;  // a FROM in it starts a table list (not EXTRACT(x FROM y))
  list_state list = list_state::none;
};

class feature_walk {
 public:
  feature_walk(const token_view& v, statement_start start, statement_shape& out)
      : v_(v), start_(start), ctes_(cte_names(v)), delete_using_(delete_using(v, start)), out_(out) {}

  void run() {
    frames_.push_back({true});
    for (std::size_t i = 0; i < v_.size();) i = step(i);
  }

 private:
  paren_frame& frame() { return frames_.back(); }

  std::size_t step(std::size_t i) {
    const auto& t = v_.at(i);
    if (t.is('(')) return open_paren(i);
    if (t.is(')')) {
      if (frames_.size() > 1) frames_.pop_back();
      return i + 1;
    }
    if (t.is(',')) {
      if (frame().list == list_state::after_table) {
        frame().list = list_state::expect_table;
        out_.joins = true;
      }
      return i + 1;
    }
    if (frame().list == list_state::expect_table && is_name_token(t) &&
        !v_.keyword_in(i, {"LATERAL", "LOW_PRIORITY", "IGNORE"})) {
      return table_at(i);
    }
    if (t.type == token_type::word && !v_.after_dot(i)) {
      table_list_word(i);
      target_word(i);
      feature_word(i);
    }
    return i + 1;
  }

  std::size_t open_paren(std::size_t i) {
    const bool query = starts_query(v_, i + 1);
    out_.subquery = out_.subquery || query;
    paren_frame child{query};
    if (frame().list == list_state::expect_table) {
      frame().list = list_state::after_table;  // a derived table, or a group of joined tables
      if (!query) child.list = list_state::expect_table;
    }
    frames_.push_back(child);
    return i + 1;
  }

  // A table in a list: a name, or a table function (JSON_TABLE(...)) that names none.
  std::size_t table_at(std::size_t i) {
    frame().list = list_state::after_table;
    if (v_.punct(i + 1, '(')) return i + 1;
    auto [name, next] = table_name_at(v_, i);
    const bool dual = v_.at(i).type == token_type::word && next == i + 1 && iequals_upper(name.name, "DUAL");
    if (!dual) record(std::move(name));
    return next;
  }

  void record(table_name name) {
    const bool cte = name.schema.empty() && std::find(ctes_.begin(), ctes_.end(), name.name) != ctes_.end();
    if (!cte) out_.tables.push_back(std::move(name));
  }

  void table_list_word(std::size_t i) {
    auto& f = frame();
    if (v_.keyword(i, "FROM") && f.query) {
      f.list = delete_using_ && frames_.size() == 1 ? list_state::references : list_state::expect_table;
    } else if (v_.keyword_in(i, {"JOIN", "STRAIGHT_JOIN"}) && f.list == list_state::after_table &&
               !v_.keyword(i - 1, "FOR")) {  // not USE INDEX FOR JOIN (i)
      f.list = list_state::expect_table;
      out_.joins = true;
    } else if (v_.keyword(i, "USING") && f.list == list_state::references && !v_.punct(i + 1, '(')) {
      f.list = list_state::expect_table;
    } else if (f.list != list_state::none && ends_table_list(i)) {
      f.list = list_state::none;
    }
  }

  bool ends_table_list(std::size_t i) const {
    return v_.keyword_in(i, table_list_enders) || (v_.keyword(i, "FOR") && v_.keyword_in(i + 1, {"UPDATE", "SHARE"})) ||
           (v_.keyword(i, "ON") && v_.keyword(i + 1, "DUPLICATE"));
  }

  // Tables named outside FROM lists: UPDATE's list, INSERT's target, TABLE t, REFERENCES t.
  void target_word(std::size_t i) {
    const bool statement_word = i == start_.main;
    if (statement_word && start_.verb == statement_verb::update) {
      frame().list = list_state::expect_table;
    } else if (statement_word && (start_.verb == statement_verb::insert || start_.verb == statement_verb::replace)) {
      if (const auto target = insert_target(v_, i); target != npos) record(table_name_at(v_, target).first);
    } else if (v_.keyword(i, "TABLE") && start_.verb != statement_verb::ddl && is_name_token(v_.at(i + 1))) {
      record(table_name_at(v_, i + 1).first);
    } else if (v_.keyword(i, "REFERENCES") && start_.verb == statement_verb::ddl && is_name_token(v_.at(i + 1))) {
      record(table_name_at(v_, i + 1).first);
    }
  }

  void feature_word(std::size_t i) {
    if (frames_.size() == 1 && i >= start_.main) outer_feature_word(i);
    if (v_.keyword(i, "OVER") && (v_.punct(i + 1, '(') || is_name_token(v_.at(i + 1)))) out_.window = true;
    if (v_.keyword(i, "FOR") && v_.keyword_in(i + 1, {"UPDATE", "SHARE"})) out_.locking = true;
    if (v_.keyword(i, "LOCK") && v_.keyword(i + 1, "IN") && v_.keyword(i + 2, "SHARE")) out_.locking = true;
    // INSERT [LOW_PRIORITY ...] INTO t is no SELECT ... INTO.
    if (v_.keyword(i, "INTO") &&
        !v_.keyword_in(i - 1, {"INSERT", "REPLACE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE"})) {
      out_.into = true;
    }
  }

  void outer_feature_word(std::size_t i) {
    if (v_.keyword_in(i, {"DISTINCT", "DISTINCTROW"}) && !v_.keyword_in(i - 1, {"UNION", "INTERSECT", "EXCEPT"})) {
      out_.distinct = true;
    } else if (v_.keyword(i, "GROUP") && v_.keyword(i + 1, "BY")) {
      out_.group_by = true;
    } else if (v_.keyword(i, "HAVING")) {
      out_.having = true;
    } else if (v_.keyword(i, "ORDER") && v_.keyword(i + 1, "BY")) {
      out_.order_by = true;
    } else if (starts_limit(i)) {
      out_.limit = true;
    } else if (v_.keyword_in(i, {"UNION", "INTERSECT", "EXCEPT"})) {
      out_.union_ = true;
    } else if (v_.keyword_in(i, aggregate_functions) && v_.punct(i + 1, '(')) {
      out_.aggregates = true;
    }
  }

  // LIMIT n, FETCH FIRST|NEXT n ROWS, OFFSET n ROWS.
  bool starts_limit(std::size_t i) const {
    if (v_.keyword(i, "LIMIT")) return true;
    if (v_.keyword(i, "FETCH")) return v_.keyword_in(i + 1, {"FIRST", "NEXT"});
    const auto count = v_.at(i + 1).type;
    return v_.keyword(i, "OFFSET") && (count == token_type::number || count == token_type::param) &&
           v_.keyword_in(i + 2, {"ROW", "ROWS"});
  }

  const token_view& v_;
  const statement_start start_;
  const std::vector<std::string> ctes_;
  const bool delete_using_;
  statement_shape& out_;
  std::vector<paren_frame> frames_;
};

}  // namespace

statement_shape shape_of(const routing::statement_tokens& tokens) {
  statement_shape out;
  const auto [end, more] = first_statement(tokens.tokens());
  out.multiple_statements = more;
  const token_view v(tokens, end);
  const auto start = start_of(v);
  out.verb = start.verb;
  out.with_cte = v.keyword(0, "WITH");
  // Other statements are not read; one in parentheses ((SELECT ...) UNION ...) still has tables.
  if (start.verb == statement_verb::other && !v.punct(0, '(')) return out;
  if (start.verb == statement_verb::ddl) read_ddl_tables(v, out.tables);
  feature_walk(v, start, out).run();
  if (start.verb == statement_verb::insert || start.verb == statement_verb::replace) read_insert(v, start.main, out);
  const bool filters = start.verb == statement_verb::select || start.verb == statement_verb::update ||
                       start.verb == statement_verb::remove;
  // After an outer UNION, the first WHERE filters only the first SELECT.
  if (filters && !out.union_) read_where(v, start.main, out);
  return out;
}

}  // namespace weft::sharding
