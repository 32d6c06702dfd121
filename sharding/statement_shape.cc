#include "sharding/statement_shape.h"

#include "sharding/shape_tokens.h"

namespace weft::sharding {
namespace {

using namespace shape_detail;

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
