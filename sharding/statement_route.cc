#include "sharding/statement_route.h"

#include <algorithm>

#include "routing/sql_lexer.h"
#include "sharding/shard_lookup.h"
#include "sharding/sql_names.h"
#include "sharding/statement_scan.h"

namespace weft::sharding {
namespace {

shard_route refused(shard_route r, std::string why) {
  r.kind = route_kind::refused;
  r.reason = std::move(why);
  return r;
}

std::vector<std::size_t> every_shard(const shard_map& map) {
  std::vector<std::size_t> all(map.shards.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  return all;
}

// What reading a key needs: the map's kind, the table's key column, bound values, and how keys
// beyond ASCII fold (key_collation.h).
struct key_reader {
  const shard_map& map;
  const sharded_table& table;
  parameter_values params;
  key_folding* folding = nullptr;
};

key_reader reader_of(const route_input& in, const sharded_table& table, const shard_map& map) {
  return {map, table, in.params, in.folding};
}

// A string key's form: folded as shard_key.h does for ASCII, else as its column's collation.
std::optional<std::string> string_key(std::string_view bytes, bool connection_charset, const key_reader& k) {
  auto key = normalized_key(key_kind::string, bytes);
  if (!key) key = folded_key(bytes, connection_charset, k.table, k.folding);
  return key;
}

// A literal's key in the map's form; nullopt when it is NULL, an unbound parameter, or not of
// the map's kind (then it narrows nothing).
// (A number compared with a string column is compared as a number: '5', '05' and ' 5' all
// match 5, so a number places no string key.)
std::optional<std::string> key_of(const literal& value, const key_reader& k) {
  const bool strings = k.map.key == key_kind::string;
  switch (value.type) {
    case literal::kind::null:
    case literal::kind::expression: return std::nullopt;
    case literal::kind::param: {
      if (value.param_index >= k.params.size() || !k.params[value.param_index].text) return std::nullopt;
      const auto& bound = k.params[value.param_index];
      if (bound.number && strings) return std::nullopt;
      return strings ? string_key(*bound.text, true, k) : normalized_key(k.map.key, *bound.text);
    }
    case literal::kind::number:
      if (strings) return std::nullopt;
      break;
    case literal::kind::string:
      if (strings) return string_key(value.value, value.connection_charset, k);
      break;
  }
  return normalized_key(k.map.key, value.value);
}

// The shards one condition on the key allows; nullopt when it allows any (a value weft cannot
// place, BETWEEN on a map that is not RANGE).
std::optional<std::vector<std::size_t>> shards_allowed(const key_condition& c, const key_reader& k) {
  const auto& map = k.map;
  std::vector<std::size_t> out;
  if (c.type == key_condition::kind::between) {
    // RANGE_STRING keys are folded (shard_key.h): their order is not the column's collation's,
    // so a string range cannot prune shards.
    if (map.type != map_type::range && map.type != map_type::range_datetime) return std::nullopt;
    if (c.values.size() != 2) return std::nullopt;
    const auto low = key_of(c.values[0], k), high = key_of(c.values[1], k);
    if (!low || !high) return std::nullopt;
    return shards_between(map, *low, *high);
  }
  for (const auto& v : c.values) {
    const auto key = key_of(v, k);
    if (!key) return std::nullopt;
    // A key no shard holds cannot match a row weft stored: it adds no shard.
    if (const auto s = shard_of(map, *key)) out.push_back(*s);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// An expression (NOW(), 1 + 1) where a value was expected: weft does not evaluate it.
bool is_expression(const literal& v) { return v.type == literal::kind::expression; }

// What the WHERE's top-level conditions on the key leave: the intersection of what each allows.
std::optional<std::vector<std::size_t>> keyed_shards(const route_input& in, const sharded_table& table,
                                                     const shard_map& map) {
  std::optional<std::vector<std::size_t>> narrowed;
  for (const auto& c : in.shape.conditions) {
    if (!same_name(c.column, table.column)) continue;
    auto allowed = shards_allowed(c, reader_of(in, table, map));
    if (!allowed) continue;
    if (!narrowed) {
      narrowed = std::move(*allowed);
      continue;
    }
    std::vector<std::size_t> both;
    std::set_intersection(narrowed->begin(), narrowed->end(), allowed->begin(), allowed->end(),
                          std::back_inserter(both));
    *narrowed = std::move(both);
  }
  return narrowed;
}

struct tables_named {
  const sharded_table* table = nullptr;  // the (first) sharded table named
  bool several_sharded = false;          // two different sharded tables
};

tables_named sharded_tables(const route_input& in, const catalog& c) {
  tables_named out;
  for (const auto& t : in.shape.tables) {
    const auto* found = c.table_named(t.schema.empty() ? in.schema : std::string_view(t.schema), t.name);
    if (!found) continue;
    if (out.table && out.table != found) out.several_sharded = true;
    if (!out.table) out.table = found;
  }
  return out;
}

shard_route to_shards(shard_route r, std::vector<std::size_t> shards) {
  r.kind = route_kind::shards;
  r.shards = std::move(shards);
  return r;
}

shard_route route_hinted(shard_route r, const std::string& value, const route_input& in) {
  const auto key = key_of(literal{literal::kind::string, value}, reader_of(in, *r.table, *r.map));
  const auto shard = key ? shard_of(*r.map, *key) : std::nullopt;
  if (!shard) return refused(std::move(r), "the hint's shard_key '" + value + "' is no key a shard of map '" +
                                               r.map->name + "' holds");
  // The statement's own key conditions must allow the hinted shard, or the hint hides rows.
  const auto keyed = in.shape.tables.size() == 1 ? keyed_shards(in, *r.table, *r.map) : std::nullopt;
  if (keyed && std::find(keyed->begin(), keyed->end(), *shard) == keyed->end()) {
    return refused(std::move(r), "the hint's shard_key '" + value + "' names another shard than the statement's own "
                                 "condition on `" + r.table->column + "`");
  }
  return to_shards(std::move(r), {*shard});
}

// Statements weft parses no further that name a sharded table (CHECKSUM TABLE, HANDLER, LOAD
// DATA, PREPARE ... FROM '...', CALL): they would run on the global group's empty copy.
// Statements about definitions only (SHOW, DESCRIBE, EXPLAIN) may.
bool reads_unparsed(const route_input& in) {
  if (!in.tokens || in.shape.verb != statement_verb::other || in.tokens->tokens().empty()) return false;
  const auto& first = in.tokens->tokens()[0].token;
  for (const char* allowed : {"SHOW", "DESC", "DESCRIBE", "EXPLAIN", "HELP", "USE", "BEGIN", "START", "COMMIT",
                              "ROLLBACK", "SAVEPOINT", "RELEASE", "XA"}) {
    if (first.type == routing::token_type::word && routing::iequals_upper(first.text, allowed)) return false;
  }
  return true;
}

// DDL that reads rows (CREATE TABLE ... SELECT) from a sharded table would copy the global
// group's empty copy.
bool ddl_reads_sharded(const route_input& in, const catalog& c) {
  if (!in.tokens || in.shape.tables.size() < 2) return false;
  bool selects = false;
  for (const auto& t : in.tokens->tokens()) {
    selects = selects || (t.token.type == routing::token_type::word && routing::iequals_upper(t.token.text, "SELECT"));
  }
  for (std::size_t i = 1; selects && i < in.shape.tables.size(); ++i) {
    const auto& t = in.shape.tables[i];
    if (c.table_named(t.schema.empty() ? in.schema : std::string_view(t.schema), t.name)) return true;
  }
  return false;
}

// An UPDATE (or ON DUPLICATE KEY UPDATE) that assigns the shard key would leave the row on the
// shard of its old key.
bool assigns_key(const route_input& in, const sharded_table& table) {
  if (!in.tokens) return false;
  for (const auto& column : assigned_columns(*in.tokens)) {
    if (same_name(column, table.column)) return true;
  }
  return false;
}

// INSERT/REPLACE ... (columns) VALUES: every row's key placed; one shard for them all, else one
// INSERT per shard (insert_split). Rows without a key take one from the global sequence
// (insert_ids) when the map's keys are integers.
shard_route route_insert(shard_route r, const route_input& in) {
  const auto& shape = in.shape;
  const auto& column = r.table->column;
  const auto where = "INSERT into sharded table " + r.table->schema + "." + r.table->table + ": ";
  if (shape.insert_select || shape.insert_set || shape.rows.empty() || shape.insert_columns.empty()) {
    return refused(std::move(r), where + "only INSERT ... (columns) VALUES (...) is routed (not ... SELECT, ... SET "
                                         "or VALUES without a column list)");
  }
  const bool sequenced = r.map->key == key_kind::integer;
  const auto at = std::find_if(shape.insert_columns.begin(), shape.insert_columns.end(),
                               [&](const auto& c) { return same_name(c, column); });
  if (at == shape.insert_columns.end() && !sequenced) {
    return refused(std::move(r), where + "the column list must name the shard key `" + column +
                                     "` (keys from a global sequence are for integer keys)");
  }
  r.key_index = at == shape.insert_columns.end() ? static_cast<std::size_t>(-1)
                                                 : static_cast<std::size_t>(at - shape.insert_columns.begin());
  bool needs_ids = false;
  std::vector<std::size_t> shards;
  for (std::size_t i = 0; i < shape.rows.size(); ++i) {
    const auto& row = shape.rows[i];
    if (row.values.size() != shape.insert_columns.size()) {
      return refused(std::move(r), where + "row " + std::to_string(i + 1) + " has not one value per column");
    }
    const auto* value = r.key_index < row.values.size() ? &row.values[r.key_index] : nullptr;
    const bool bound_null = value && value->type == literal::kind::param && value->param_index < in.params.size() &&
                            in.params[value->param_index].null;
    if (!value || ((value->type == literal::kind::null || bound_null) && sequenced)) {
      needs_ids = true;
      r.row_shards.push_back(std::nullopt);
      continue;
    }
    const auto key = is_expression(*value) ? std::nullopt : key_of(*value, reader_of(in, *r.table, *r.map));
    const auto shard = key ? shard_of(*r.map, *key) : std::nullopt;
    if (!shard) {
      const auto why = in.folding && !in.folding->why_not.empty() ? in.folding->why_not
                                                                  : std::string("a literal of the map's kind is needed");
      return refused(std::move(r), where + "row " + std::to_string(i + 1) + ": its `" + column +
                                       "` is not a key a shard holds (" + why + ")");
    }
    r.row_shards.push_back(*shard);
    shards.push_back(*shard);
  }
  std::sort(shards.begin(), shards.end());
  shards.erase(std::unique(shards.begin(), shards.end()), shards.end());
  if (needs_ids) {
    r.kind = route_kind::insert_ids;
    r.shards = std::move(shards);
    return r;
  }
  if (shards.size() > 1) {
    r.kind = route_kind::insert_split;
    r.shards = std::move(shards);
    return r;
  }
  r.row_shards.clear();
  return to_shards(std::move(r), std::move(shards));
}

// UPDATE / DELETE: exactly one shard, named by the key.
shard_route route_write(shard_route r, const route_input& in) {
  const auto keyed = keyed_shards(in, *r.table, *r.map);
  const auto what = std::string(in.shape.verb == statement_verb::update ? "UPDATE" : "DELETE") + " on sharded table " +
                    r.table->schema + "." + r.table->table;
  if ((!keyed || keyed->size() > 1) && hint_value(in.hint, "shards") == "all") {
    r.kind = route_kind::write_shards;  // asked for: each shard in a transaction of its own
    r.every_shard = !keyed;
    r.shards = keyed ? std::move(*keyed) : every_shard(*r.map);
    return r;
  }
  if (!keyed) {
    const auto unplaced = in.folding && !in.folding->why_not.empty() ? " (its key places nothing: " +
                                                                         in.folding->why_not + ")"
                                                                   : std::string();
    return refused(std::move(r), what + " without a condition on its shard key `" + r.table->column + "`" +
                                     unplaced + " would write to every shard: refused (hint /* weft: shards=all */ "
                                     "to run it on each shard, outside a transaction)");
  }
  if (keyed->size() > 1) {
    return refused(std::move(r), what + " touches " + std::to_string(keyed->size()) +
                                     " shards; weft writes to one shard per statement unless hinted /* weft: "
                                     "shards=all */");
  }
  // A key no shard holds matches no row weft stored: any shard answers that.
  return to_shards(std::move(r), keyed->empty() ? std::vector<std::size_t>{0} : *keyed);
}

shard_route route_select(shard_route r, const route_input& in) {
  auto keyed = keyed_shards(in, *r.table, *r.map);
  r.every_shard = !keyed;
  if (!keyed) return to_shards(std::move(r), every_shard(*r.map));
  return to_shards(std::move(r), keyed->empty() ? std::vector<std::size_t>{0} : std::move(*keyed));
}

}  // namespace

shard_route route_statement(const route_input& in, const catalog& c) {
  shard_route r;
  const auto named = c.empty() ? tables_named{} : sharded_tables(in, c);
  if (!named.table) {
    const auto* unparsed = reads_unparsed(in) && !c.empty() ? sharded_table_named(*in.tokens, in.schema, c) : nullptr;
    if (!unparsed) return r;
    r.table = unparsed;
    r.map = c.map_named(unparsed->map);
    return refused(std::move(r), "the statement names sharded table " + unparsed->schema + "." + unparsed->table +
                                     "; weft routes only SELECT, INSERT, REPLACE, UPDATE, DELETE and DDL on it");
  }
  r.table = named.table;
  r.map = c.map_named(named.table->map);
  const auto& shape = in.shape;
  if (shape.verb == statement_verb::ddl) {
    if (ddl_reads_sharded(in, c)) {
      return refused(std::move(r), "DDL that reads rows of a sharded table (CREATE ... SELECT) would read the "
                                   "global group's empty copy");
    }
    r.kind = route_kind::global;  // its primary replicates the DDL to every shard
    return r;
  }
  if (assigns_key(in, *r.table)) {
    return refused(std::move(r), "a statement that changes the shard key `" + r.table->column +
                                     "` would leave the row on its old shard: delete it and insert it instead");
  }
  if (r.map->shards.empty()) return refused(std::move(r), "shard map '" + r.map->name + "' has no shards yet");
  if (shape.multiple_statements) return refused(std::move(r), "several statements in one query name a sharded table");
  if (auto hinted = hint_value(in.hint, "shard_key")) return route_hinted(std::move(r), *hinted, in);
  if (named.several_sharded) {
    return refused(std::move(r), "the statement names more than one sharded table; a join across shards is not "
                                 "merged (if its rows share one shard, name it: /* weft: shard_key=v */)");
  }
  if (shape.tables.size() > 1 || shape.subquery) {
    return refused(std::move(r), "a sharded table together with other tables or a subquery is routed only by a "
                                 "hint: /* weft: shard_key=v */");
  }
  switch (shape.verb) {
    case statement_verb::insert:
    case statement_verb::replace: return route_insert(std::move(r), in);
    case statement_verb::update:
    case statement_verb::remove: return route_write(std::move(r), in);
    case statement_verb::select: return route_select(std::move(r), in);
    default: break;
  }
  return refused(std::move(r), "only SELECT, INSERT, REPLACE, UPDATE, DELETE and DDL are routed on sharded tables");
}

std::string_view shard_route::group() const {
  if (kind == route_kind::global && map) return map->global_group;
  if (single()) return map->shards[shards[0]].group;
  return {};
}

std::optional<std::string> hint_value(std::string_view hint, std::string_view name) {
  while (!hint.empty()) {
    const auto eq = hint.find('=');
    const auto stop = hint.find_first_of(" ,\t");
    if (eq == std::string_view::npos || (stop != std::string_view::npos && stop < eq)) {
      hint = stop == std::string_view::npos ? std::string_view{} : hint.substr(stop + 1);
      continue;
    }
    const bool wanted = same_name(hint.substr(0, eq), name);
    auto rest = hint.substr(eq + 1);
    std::size_t end = rest.find_first_of(" ,\t");
    std::string_view value = rest.substr(0, end);
    if (!rest.empty() && (rest[0] == '\'' || rest[0] == '"')) {  // quoted: up to the closing quote
      const auto close = rest.find(rest[0], 1);
      if (close == std::string_view::npos) return std::nullopt;
      value = rest.substr(1, close - 1);
      end = close + 1;
    }
    if (wanted) return std::string(value);
    hint = end >= rest.size() ? std::string_view{} : rest.substr(end + 1);
  }
  return std::nullopt;
}

}  // namespace weft::sharding
