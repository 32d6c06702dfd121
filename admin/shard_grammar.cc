#include "admin/shard_grammar.h"

#include <algorithm>
#include <cctype>

#include "admin/admin_words.h"
#include "routing/sql_lexer.h"

namespace weft::admin {
namespace {

shard_parse failure(std::string message) { return {std::nullopt, std::move(message)}; }
shard_parse usage_error(const char* usage) { return failure(std::string("weft admin: usage: ") + usage); }

shard_parse finish(cursor& c, shard_command command, const char* usage) {
  if (!c.done()) return failure(std::string("weft admin: unexpected words; usage: ") + usage);
  return {std::move(command), {}};
}

shard_command command_for(shard_verb verb) {
  shard_command c;
  c.verb = verb;
  return c;
}

// db.t (both parts required: a sharded table is named with its database).
bool table_name(cursor& c, std::string& out) {
  auto db = c.value();
  if (!db || db->empty() || !c.accept(".")) return false;
  auto table = c.value();
  if (!table || table->empty()) return false;
  out = *db + "." + *table;
  return true;
}

bool named(cursor& c, const char* keyword, std::string& out) {
  if (keyword && !c.accept(keyword)) return false;
  auto v = c.value();
  if (!v || v->empty()) return false;
  out = *v;
  return true;
}

// A bound as written: a number (maybe negative), a quoted string or date.
std::optional<std::string> bound_value(cursor& c) {
  const bool negative = c.accept("-");
  auto v = c.value();
  if (!v) return std::nullopt;
  return negative ? "-" + *v : *v;
}

shard_parse parse_create(cursor& c) {
  static const char* usage =
      "CREATE SHARD MAP name TYPE HASH | RANGE | RANGE_STRING | RANGE_DATETIME | LIST [KEY INTEGER | STRING | "
      "DATETIME] GLOBAL GROUP name";
  auto command = command_for(shard_verb::create_map);
  if (!c.accept("MAP") || !named(c, nullptr, command.map) || !named(c, "TYPE", command.type)) {
    return usage_error(usage);
  }
  if (c.accept("KEY") && !named(c, nullptr, command.key_type)) return usage_error(usage);
  if (!c.accept("GLOBAL") || !named(c, "GROUP", command.group)) return usage_error(usage);
  return finish(c, command, usage);
}

shard_parse parse_add(cursor& c) {
  static const char* usage = "ADD SHARD TABLE db.table COLUMN name TO MAP name | ADD SHARD TO MAP name GROUP name "
                             "[BOUND value [, value ...]]";
  if (c.accept("TABLE")) {
    auto command = command_for(shard_verb::add_table);
    if (!table_name(c, command.table) || !named(c, "COLUMN", command.column) || !c.accept("TO") ||
        !named(c, "MAP", command.map)) {
      return usage_error(usage);
    }
    return finish(c, command, usage);
  }
  auto command = command_for(shard_verb::add_shard);
  if (!c.accept("TO") || !named(c, "MAP", command.map) || !named(c, "GROUP", command.group)) return usage_error(usage);
  if (c.accept("BOUND")) {
    do {
      auto b = bound_value(c);
      if (!b) return usage_error(usage);
      command.bounds.push_back(*b);
    } while (c.accept(","));
  }
  return finish(c, command, usage);
}

shard_parse parse_remove(cursor& c) {
  static const char* usage = "REMOVE SHARD TABLE db.table | REMOVE SHARD FROM MAP name GROUP name";
  if (c.accept("TABLE")) {
    auto command = command_for(shard_verb::remove_table);
    if (!table_name(c, command.table)) return usage_error(usage);
    return finish(c, command, usage);
  }
  auto command = command_for(shard_verb::remove_shard);
  if (!c.accept("FROM") || !named(c, "MAP", command.map) || !named(c, "GROUP", command.group)) {
    return usage_error(usage);
  }
  return finish(c, command, usage);
}

shard_parse parse_show(cursor& c) {
  static const char* usage = "SHOW SHARD MAPS | SHOW SHARD TABLES | SHOW SHARDS [FROM MAP name]";
  if (c.accept("SHARDS")) {
    auto command = command_for(shard_verb::show_shards);
    if (c.accept("FROM") && !named(c, "MAP", command.map)) return usage_error(usage);
    return finish(c, command, usage);
  }
  if (!c.accept("SHARD")) return usage_error(usage);
  if (c.accept("MAPS")) return finish(c, command_for(shard_verb::show_maps), usage);
  if (c.accept("TABLES")) return finish(c, command_for(shard_verb::show_tables), usage);
  return usage_error(usage);
}

// The text after the first `count` tokens, as written (a hint comment kept), without the
// whitespace around it and trailing semicolons.
std::string text_after_tokens(std::string_view sql, std::size_t count) {
  routing::sql_lexer lexer(sql);
  for (std::size_t i = 0; i < count; ++i) lexer.next();
  auto rest = sql.substr(std::min(lexer.position(), sql.size()));
  const auto blank = [](char ch) { return std::isspace(static_cast<unsigned char>(ch)) != 0; };
  while (!rest.empty() && blank(rest.front())) rest.remove_prefix(1);
  while (!rest.empty() && (blank(rest.back()) || rest.back() == ';')) rest.remove_suffix(1);
  return std::string(rest);
}

// EXPLAIN ROUTE [IN db] statement: words says where the statement begins, the text keeps it.
shard_parse parse_explain(std::string_view sql, const words& w) {
  static const char* usage = "EXPLAIN ROUTE [IN db] statement";
  auto command = command_for(shard_verb::explain_route);
  std::size_t prefix = 2;  // EXPLAIN ROUTE
  if (w.size() > prefix && w[prefix] == "IN") {
    cursor c(w);
    c.accept("EXPLAIN");
    c.accept("ROUTE");
    if (!named(c, "IN", command.schema)) return usage_error(usage);
    prefix = 4;
  }
  command.statement = text_after_tokens(sql, prefix);
  if (command.statement.empty()) return usage_error(usage);
  return {std::move(command), {}};
}

}  // namespace

std::optional<shard_parse> parse_fabric_sharding(const words& w);  // shard_grammar_fabric.cc

std::optional<shard_parse> parse_shard_command(std::string_view sql) {
  const auto w = words_of(sql);
  if (w.size() < 2) return std::nullopt;
  cursor c(w);
  if (w[0] == "CALL") return parse_fabric_sharding(w);
  if (w[0] == "EXPLAIN" && w[1] == "ROUTE") return parse_explain(sql, w);
  const bool about_shards = w[1] == "SHARD" || (w[0] == "SHOW" && w[1] == "SHARDS");
  if (!about_shards) return std::nullopt;
  if (c.accept("SHOW")) return parse_show(c);
  c.accept(w[0].c_str());
  c.accept("SHARD");
  if (w[0] == "CREATE") return parse_create(c);
  if (w[0] == "DROP") {
    auto command = command_for(shard_verb::drop_map);
    if (!c.accept("MAP") || !named(c, nullptr, command.map)) return usage_error("DROP SHARD MAP name");
    return finish(c, command, "DROP SHARD MAP name");
  }
  if (w[0] == "ADD") return parse_add(c);
  if (w[0] == "REMOVE") return parse_remove(c);
  return std::nullopt;
}

}  // namespace weft::admin
