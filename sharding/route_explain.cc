#include "sharding/route_explain.h"

#include <algorithm>
#include <cctype>

#include "routing/statement_analysis.h"
#include "sharding/insert_rows.h"
#include "sharding/shard_decision.h"
#include "sharding/sql_names.h"

namespace weft::sharding {
namespace {

// A constant as SQL would write it.
std::string shown(const literal& v) {
  switch (v.type) {
    case literal::kind::number:
      return v.value;
    case literal::kind::null:
      return "NULL";
    case literal::kind::param:
      return "?";
    case literal::kind::expression:
      return "an expression";
    case literal::kind::string:
      break;
  }
  std::string out = "'";
  for (const char c : v.value) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

// "key 7", "keys 7, 9" (each key once, in the order written).
std::string keys_named(const std::vector<std::string>& written) {
  std::vector<std::string> keys;
  for (const auto& k : written) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  return (keys.size() == 1 ? "key " : "keys ") + joined(keys, ", ");
}

// The keys of an INSERT's rows, as written.
std::string insert_keys(const statement_shape& shape, std::string_view column) {
  const auto at = std::find_if(shape.insert_columns.begin(), shape.insert_columns.end(),
                               [&](const auto& c) { return same_name(c, column); });
  const auto index = static_cast<std::size_t>(at - shape.insert_columns.begin());
  std::vector<std::string> keys;
  for (const auto& row : shape.rows) {
    if (index < row.values.size()) keys.push_back(shown(row.values[index]));
  }
  return keys.empty() ? std::string() : keys_named(keys);
}

// WHERE's conditions on the key, as written.
std::string condition_keys(const statement_shape& shape, std::string_view column) {
  std::vector<std::string> parts;
  for (const auto& c : shape.conditions) {
    if (!same_name(c.column, column) || c.values.empty()) continue;
    if (c.type == key_condition::kind::between && c.values.size() == 2) {
      parts.push_back("keys " + shown(c.values[0]) + " to " + shown(c.values[1]));
      continue;
    }
    std::vector<std::string> keys;
    for (const auto& v : c.values) keys.push_back(shown(v));
    parts.push_back(keys_named(keys));
  }
  return joined(parts, "; ");
}

// What placed the statement: the hint's key, an INSERT's rows' keys or WHERE's conditions.
std::string keys_of(const shard_decision& d, std::string_view hint) {
  if (d.route.every_shard) return "no key condition narrows it";
  if (const auto value = hint_value(hint, "shard_key")) return "key " + *value + ", from the hint";
  const auto& column = d.route.table->column;
  const bool insert = d.shape.verb == statement_verb::insert || d.shape.verb == statement_verb::replace;
  return insert ? insert_keys(d.shape, column) : condition_keys(d.shape, column);
}

std::string shard_named(const shard_route& r, std::size_t s) {
  return "shard " + std::to_string(s + 1) + " of map " + r.map->name;
}

void explain_unsharded(route_explanation& out, std::string_view sql, std::string_view schema, const catalog& shards,
                       std::string_view hint_group) {
  out.route = "unsharded";
  const std::string names = "names no sharded table";
  auto detail = shards.empty()   ? std::string("no shard maps")
                : schema.empty() ? names + " (no schema: only db.table names can be sharded)"
                                 : names + " (unqualified names are in " + std::string(schema) + ")";
  detail += hint_group.empty() ? ": routed as without sharding" : ": the hint's group";
  out.steps.push_back({hint_group.empty() ? "(session's group)" : std::string(hint_group), std::string(sql), detail});
}

void explain_shards(route_explanation& out, const shard_decision& d, const routing::statement_tokens& tokens) {
  const auto& r = d.route;
  const auto keys = keys_of(d, tokens.hint());
  const auto note = keys.empty() ? std::string() : " (" + keys + ")";
  if (!d.scatter) {
    out.route = "one shard";
    out.steps.push_back({std::string(r.group()), std::string(tokens.sql()), shard_named(r, r.shards[0]) + note});
    return;
  }
  out.route = std::to_string(r.shards.size()) + " shards (scatter-gather)";
  out.merge = d.scatter->describe();
  for (const auto s : r.shards) {
    out.steps.push_back(
        {r.map->shards[s].group, d.scatter->sql, shard_named(r, s) + note + ", read across shards: merged"});
  }
}

// An INSERT whose rows weft places: keys from the global sequence (then wherever they fall), or
// one INSERT per shard in a transaction each.
void explain_insert(route_explanation& out, const shard_decision& d, std::string_view sql) {
  const auto work = insert_work_of(d.route, d.shape);
  if (d.route.kind == route_kind::insert_ids) {
    out.route = "keys from the global sequence";
    out.steps.push_back({work.map.global_group, "weft.shard_sequences",
                         std::to_string(work.ids_needed()) + " key(s) of `" + work.table.column +
                             "` from the table's sequence (a block per worker), written into the rows; each row then "
                             "goes to the shard its key names (one INSERT per shard when they differ)"});
    return;
  }
  const auto parts = insert_parts(sql, work, false);  // (a split: no key is written into a row)
  out.route = std::to_string(parts.size()) + " shards (one INSERT each)";
  for (const auto& part : parts) {
    out.steps.push_back({work.map.shards[part.shard].group, part.sql,
                         shard_named(d.route, part.shard) +
                             ": its rows, in a transaction of its own, committed only when every shard's part succeeded"});
  }
}

}  // namespace

route_explanation explain_route(std::string_view sql, std::string_view schema, const catalog& shards,
                                key_folding* folding) {
  routing::statement_tokens tokens;
  const auto analysis = routing::analyze(sql, tokens);  // lexed as the proxy lexes it
  const auto d = decide_shards(tokens, schema, shards, {}, folding);
  route_explanation out;
  if (d.route.map) out.map = d.route.map->name;
  if (d.route.table) out.table = d.route.table->schema + "." + d.route.table->table;
  switch (d.route.kind) {
    case route_kind::unsharded:
      explain_unsharded(out, sql, schema, shards, analysis.info.hint_group);
      break;
    case route_kind::refused:
      out.route = "refused";
      out.refusal = d.route.reason;
      break;
    case route_kind::global:
      out.route = "global group";
      out.steps.push_back({std::string(d.route.group()), std::string(sql),
                           "DDL on sharded table " + out.table + " of map " + out.map +
                               ": its global group replicates it to every shard"});
      break;
    case route_kind::shards:
      explain_shards(out, d, tokens);
      break;
    case route_kind::insert_ids:
    case route_kind::insert_split:
      explain_insert(out, d, sql);
      break;
    case route_kind::write_shards:
      out.route = std::to_string(d.route.shards.size()) + " shards (hinted shards=all)";
      for (const auto s : d.route.shards) {
        out.steps.push_back({d.route.map->shards[s].group, std::string(sql),
                             shard_named(d.route, s) + (d.route.every_shard ? " (no key condition narrows it)" : "") +
                                 ": in a transaction of its own, committed only when every shard's part succeeded"});
      }
      break;
  }
  return out;
}

std::vector<std::vector<std::optional<std::string>>> explanation_rows(const route_explanation& e,
                                                                      std::string_view statement) {
  std::vector<std::vector<std::optional<std::string>>> rows;
  if (e.route == "refused") {
    rows.push_back({"refused", std::nullopt, std::string(statement), e.refusal});
    return rows;
  }
  for (std::size_t i = 0; i < e.steps.size(); ++i) {
    const auto& s = e.steps[i];
    rows.push_back({std::to_string(i + 1), s.target, s.sql, s.detail});
  }
  if (!e.merge.empty()) rows.push_back({"merge", "weft", std::nullopt, e.merge});
  return rows;
}

}  // namespace weft::sharding
