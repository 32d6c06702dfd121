// The shared vocabulary of statement_shape's readers (sharding/ only, not for other folders):
// the tokens of one statement and the questions every reader asks them, the words that end
// clauses, names, and the readers each file holds (shape_literals, shape_where, shape_insert,
// shape_ddl; statement_shape.cc walks the tables and puts the shape together).
#pragma once

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "routing/sql_lexer.h"
#include "routing/statement_tokens.h"
#include "sharding/sql_names.h"
#include "sharding/statement_shape.h"

namespace weft::sharding::shape_detail {
using routing::iequals_upper;
using routing::sql_token;
using routing::token_type;

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);
using token_range = std::pair<std::size_t, std::size_t>;  // [begin, end) token indexes

template <std::size_t N>
bool one_of(std::string_view text, const std::string_view (&upper)[N]) {
  return std::any_of(std::begin(upper), std::end(upper), [&](std::string_view u) { return iequals_upper(text, u); });
}

// Words that end a WHERE clause when they follow a complete operand.
inline constexpr std::string_view where_enders[] = {"GROUP", "HAVING", "ORDER", "LIMIT",     "WINDOW", "FOR",
                                             "LOCK",  "INTO",   "UNION", "INTERSECT", "EXCEPT", "RETURNING"};
// Words after which an expression goes on (so a clause word after them is a column's name).
inline constexpr std::string_view operator_words[] = {"AND",     "OR",     "XOR",      "NOT",  "IS",   "IN",    "BETWEEN",
                                               "LIKE",    "REGEXP", "RLIKE",    "DIV",  "MOD",  "WHERE", "ESCAPE",
                                               "COLLATE", "BINARY", "INTERVAL", "CASE", "WHEN", "THEN",  "ELSE",
                                               "SOUNDS",  "EXISTS", "ANY",      "SOME", "ALL"};
// Words that end a FROM / UPDATE / USING table list.
inline constexpr std::string_view table_list_enders[] = {"WHERE",  "GROUP",     "HAVING", "ORDER",     "LIMIT", "WINDOW",
                                                  "UNION",  "INTERSECT", "EXCEPT", "INTO",      "SET",   "PROCEDURE",
                                                  "SELECT", "VALUES",    "VALUE",  "RETURNING", "LOCK"};
// Unquoted words that are never a column: constants and functions called without parentheses.
inline constexpr std::string_view not_columns[] = {
    "NULL",         "TRUE",         "FALSE",     "DEFAULT",        "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
    "CURRENT_USER", "CURRENT_ROLE", "LOCALTIME", "LOCALTIMESTAMP", "UTC_DATE",     "UTC_TIME",     "UTC_TIMESTAMP",
    "NOT",          "BINARY",       "INTERVAL",  "CASE",           "EXISTS"};
inline constexpr std::string_view aggregate_functions[] = {
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

// A query starts at i: SELECT, WITH, VALUES or TABLE (INSERT ... SELECT, a subquery).
inline bool starts_query(const token_view& v, std::size_t i) {
  return v.keyword_in(i, {"SELECT", "WITH", "VALUES", "TABLE"});
}

// ---- Names (shape_tokens.cc) ----
// [schema.]table at i (i holds a name): the name and the index after it.
std::pair<table_name, std::size_t> table_name_at(const token_view& v, std::size_t i);
// A column [db.][t.]c starting at i and ending before `end`: its last part and the index after it.
std::optional<std::pair<std::string, std::size_t>> column_at(const token_view& v, std::size_t i, std::size_t end);
// The pieces of [b, e) between the commas outside parentheses (none when it is empty).
std::vector<token_range> comma_items(const token_view& v, std::size_t b, std::size_t e);

// ---- The readers ----
// The constant the tokens [b, e) spell, if they spell exactly one (shape_literals.cc).
std::optional<literal> literal_in(const token_view& v, std::size_t b, std::size_t e);
// The outermost WHERE's conditions on columns, after `main` (shape_where.cc).
void read_where(const token_view& v, std::size_t main, statement_shape& out);
// INSERT [LOW_PRIORITY | DELAYED | HIGH_PRIORITY] [IGNORE] [INTO] t: the index of t, or npos; and
// the column list and rows (shape_insert.cc).
std::size_t insert_target(const token_view& v, std::size_t verb);
void read_insert(const token_view& v, std::size_t main, statement_shape& out);
// The tables DDL creates, alters, drops, renames (shape_ddl.cc).
void read_ddl_tables(const token_view& v, std::vector<table_name>& out);

}  // namespace weft::sharding::shape_detail
