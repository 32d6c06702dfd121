// What sharding needs to know of one SQL statement to route it: its verb, the tables it names,
// the shard-key conditions WHERE makes certain, an INSERT's rows (with byte offsets, so a
// per-shard INSERT can be rebuilt from the text), and the features that limit scatter-gather.
// A pure parser over tokens already lexed (routing::statement_tokens): no I/O, no threads. Its
// readers are one file each over a shared token view (shape_tokens.h): literals, WHERE, INSERT
// rows, DDL tables; statement_shape.cc walks the tables and features and assembles the shape.
//
// It never guesses: what it does not understand leaves `conditions` (or `rows`) empty or sets a
// flag, so the caller refuses or scatters rather than routing to the wrong shard. Strings are
// read as the server reads them with the default sql_mode (backslash escapes on, "x" a string,
// || an OR).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "routing/statement_tokens.h"

namespace weft::sharding {

// A constant the server would compare a key with.
struct literal {
  // expression: not a constant (NOW(), 1 + 1, DEFAULT, a subquery); only in insert_row::values.
  enum class kind : std::uint8_t { number, string, null, param, expression } type = kind::null;
  // number: as written, with a leading '-' (TRUE and FALSE are 1 and 0); string: the bytes the
  // server sees (quotes doubled or backslash-escaped resolved, X'..', 0x.., B'..', 0b.. as bytes,
  // N'..' and _charset introducers dropped, adjacent literals 'a' 'b' joined); others: empty.
  std::string value;
  std::size_t param_index = 0;  // param: the 0-based position of this `?` among all `?` of the text
  // string: its bytes are in the connection's character set (not N'..', X'..', 0x.., _charset'..').
  bool connection_charset = true;
  bool operator==(const literal&) const = default;
};

// Unquoted (backquotes removed, `` as one `); schema empty when not written.
struct table_name {
  std::string schema;
  std::string name;
  bool operator==(const table_name&) const = default;
};

enum class statement_verb : std::uint8_t {
  select,
  insert,
  replace,
  update,
  remove,  // DELETE
  ddl,     // CREATE, ALTER, DROP, TRUNCATE, RENAME
  other,   // anything else (SHOW, SET, CALL, a statement starting with '(' ...): nothing more is read
};

// One conjunct at the top level of WHERE that fixes a column to constants.
struct key_condition {
  std::string column;  // as written, qualifier stripped (t.c, db.t.c -> c), unquoted, case kept
  enum class kind : std::uint8_t { equals, in_list, between } type = kind::equals;
  std::vector<literal> values;  // equals: 1 (IS NULL and <=> NULL: a null literal), in_list: n, between: low, high
  bool operator==(const key_condition&) const = default;
};

struct insert_row {
  std::size_t begin = 0, end = 0;  // byte offsets in the text of "(" and one past ")"
  std::vector<literal> values;     // one per value written; an expression's is of kind expression
  bool all_literals = true;        // false when a value is an expression (NOW(), 1+1, DEFAULT, a subquery)
  bool operator==(const insert_row&) const = default;
};

struct statement_shape {
  statement_verb verb = statement_verb::other;
  // Every table the statement names, in order of appearance: FROM and every JOIN, comma joins,
  // INSERT/REPLACE INTO, UPDATE t1, t2, DELETE FROM / USING, INSERT ... SELECT's sources, tables
  // inside subqueries and CTEs. DDL: the tables it creates, alters, drops, renames (and LIKE,
  // REFERENCES, an index's or trigger's table), then those its SELECT or body reads (CREATE TABLE
  // ... AS SELECT, a view). Aliases, CTE names and DUAL are not tables.
  std::vector<table_name> tables;
  // The top-level AND conjuncts of the outermost WHERE (SELECT, UPDATE, DELETE; none after an
  // outer UNION) of the forms `col = lit`, `lit = col`, `col <=> lit`, `col IN (lit, ...)`,
  // `col BETWEEN lit AND lit`, `col IS NULL`; a parenthesised conjunct is unwrapped.
  std::vector<key_condition> conditions;
  bool where_has_or = false;  // OR, XOR or || at WHERE's top level (then conditions is empty)

  // INSERT/REPLACE ... [INTO] t [(c1, c2)] VALUES|VALUE (...), (...) [ON DUPLICATE KEY UPDATE ...]
  std::vector<std::string> insert_columns;  // unquoted; empty when no column list
  std::vector<insert_row> rows;             // empty unless every row was read
  std::size_t values_prefix_end = 0;        // right after VALUES/VALUE: the text before the first row
  std::size_t rows_suffix_begin = 0;        // right after the last row's ')', or the text's size when
                                            // no token follows
  bool insert_select = false;               // INSERT ... SELECT / (SELECT ...) / WITH ... / TABLE t
  bool insert_set = false;                  // INSERT ... SET c = v

  // What limits scatter-gather. "Outer" means the outermost statement (after a WITH list).
  bool joins = false;     // more than one table in a FROM / UPDATE / USING list, anywhere
  bool subquery = false;  // '(' followed by SELECT, WITH, VALUES or TABLE, anywhere
  bool union_ = false;    // outer UNION / INTERSECT / EXCEPT
  bool window = false;    // OVER ( or OVER name, anywhere
  bool with_cte = false;  // the statement starts with WITH
  bool distinct = false;  // outer SELECT DISTINCT / DISTINCTROW
  bool group_by = false, having = false, order_by = false;  // outer
  bool limit = false;                                       // outer LIMIT, FETCH FIRST|NEXT, OFFSET n ROWS
  bool aggregates = false;                                  // outer COUNT( SUM( MIN( MAX( AVG( GROUP_CONCAT( STD( ...
  bool locking = false;                                     // FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE, anywhere
  bool into = false;                                        // SELECT ... INTO (any INTO but INSERT/REPLACE's), anywhere
  bool multiple_statements = false;  // a ';' followed by another statement (only the first is read)
};

statement_shape shape_of(const routing::statement_tokens& tokens);

}  // namespace weft::sharding
