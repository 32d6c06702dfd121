#include "admin/compare_grammar.h"

#include "admin/admin_words.h"
#include "routing/topology.h"

namespace weft::admin {
namespace {

using ops::changes_side;
using ops::compare_format;
using ops::server_ref;

constexpr const char* compare_usage =
    "COMPARE DATABASE db [TABLE t [, t ...]] ON server WITH server [CHANGES FOR 'a'|'b'] [SHOW REVERSE] "
    "[FORMAT SQL|ROWS|SUMMARY] [WHERE 'condition'] [IGNORE COLUMNS (c, ...)] [ASYNC]; server: 'host:port', "
    "PRIMARY OF GROUP g or REPLICA 'host:port'";
constexpr const char* diff_usage = "DIFF SCHEMA db ON server WITH server [CHANGES FOR 'a'|'b']";

std::optional<std::string> address(cursor& r) {
  auto text = r.value();
  if (!text) return std::nullopt;
  const auto ep = routing::parse_endpoint(*text);
  return ep ? std::optional(ep->to_string()) : std::nullopt;
}

}  // namespace

std::optional<server_ref> parse_server_ref(cursor& r) {
  if (r.accept("PRIMARY")) {
    if (!r.accept("OF") || !r.accept("GROUP")) return std::nullopt;
    auto group = r.value();
    if (!group || group->empty()) return std::nullopt;
    return server_ref{server_ref::kind::primary_of_group, *group};
  }
  const bool replica = r.accept("REPLICA");
  auto text = address(r);
  if (!text) return std::nullopt;
  return server_ref{replica ? server_ref::kind::replica : server_ref::kind::address, *text};
}

namespace {

// ON server WITH server
bool two_servers(cursor& r, server_ref& a, server_ref& b) {
  if (!r.accept("ON")) return false;
  auto first = parse_server_ref(r);
  if (!first || !r.accept("WITH")) return false;
  auto second = parse_server_ref(r);
  if (!second) return false;
  a = *first;
  b = *second;
  return true;
}

// CHANGES FOR 'a' | 'b' | the address of either side.
bool changes_for(cursor& r, const server_ref& a, const server_ref& b, changes_side& out) {
  auto side = r.value();
  if (!side) return false;
  if (*side == "a" || *side == "A" || *side == a.text) {
    out = changes_side::a;
  } else if (*side == "b" || *side == "B" || *side == b.text) {
    out = changes_side::b;
  } else {
    return false;
  }
  return true;
}

// t [, t ...] or (c, ...): names separated by commas.
bool name_list(cursor& r, std::vector<std::string>& out) {
  do {
    auto name = r.value();
    if (!name || name->empty()) return false;
    out.push_back(*name);
  } while (r.accept(","));
  return true;
}

bool compare_option(cursor& r, compare_command& c) {
  if (r.accept("CHANGES")) return r.accept("FOR") && changes_for(r, c.a, c.b, c.changes_for);
  if (r.accept("SHOW")) return r.accept("REVERSE") && (c.show_reverse = true);
  if (r.accept("FORMAT")) {
    if (r.accept("SQL")) return c.format = compare_format::sql, true;
    if (r.accept("ROWS")) return c.format = compare_format::rows, true;
    if (r.accept("SUMMARY")) return c.format = compare_format::summary, true;
    return false;
  }
  if (r.accept("WHERE")) {
    auto condition = r.value();
    if (!condition || condition->empty()) return false;
    c.where = *condition;
    return true;
  }
  if (r.accept("IGNORE")) {
    return r.accept("COLUMNS") && r.accept("(") && name_list(r, c.ignore_columns) && r.accept(")");
  }
  if (r.accept("ASYNC")) return c.async = true;
  return false;
}

compare_parse usage(const char* text) { return {std::monostate{}, std::string("weft admin: usage: ") + text}; }

compare_parse parse_compare(cursor& r) {
  compare_command c;
  auto db = r.value();
  if (!db || db->empty()) return usage(compare_usage);
  c.database = *db;
  if (r.accept("TABLE") && !name_list(r, c.tables)) return usage(compare_usage);
  if (!two_servers(r, c.a, c.b)) return usage(compare_usage);
  while (!r.at_end() && !r.accept(";")) {
    if (!compare_option(r, c)) return usage(compare_usage);
  }
  if (!r.at_end()) return usage(compare_usage);
  return {std::move(c), {}};
}

compare_parse parse_diff(cursor& r) {
  diff_schema_command c;
  auto db = r.value();
  if (!db || db->empty() || !two_servers(r, c.a, c.b)) return usage(diff_usage);
  c.database = *db;
  if (r.accept("CHANGES") && !(r.accept("FOR") && changes_for(r, c.a, c.b, c.changes_for))) return usage(diff_usage);
  r.accept(";");
  if (!r.at_end()) return usage(diff_usage);
  return {std::move(c), {}};
}

}  // namespace

std::optional<compare_parse> parse_compare_command(std::string_view sql) {
  const auto w = words_of(sql);
  cursor r(w);
  if (r.accept("COMPARE")) {
    if (!r.accept("DATABASE")) return usage(compare_usage);
    return parse_compare(r);
  }
  if (r.accept("DIFF")) {
    if (!r.accept("SCHEMA")) return usage(diff_usage);
    return parse_diff(r);
  }
  return std::nullopt;
}

}  // namespace weft::admin

