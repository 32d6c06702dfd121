// The admin's sharding statements (shard_grammar.h) as SQL on the shard tables: validated,
// persisted and applied like any other admin change; SHOW and Fabric's list/lookup forms read
// them back; EXPLAIN ROUTE says how the proxy would route a statement by them.
#include <algorithm>
#include <functional>

#include "admin/admin_engine.h"
#include "admin/admin_words.h"
#include "config/config_tables.h"
#include "protocol/errors.h"
#include "sharding/route_explain.h"
#include "sharding/shard_lookup.h"

namespace weft::admin {
namespace {

namespace p = protocol;

admin_result refused(std::string message) { return admin_result::failure(p::er::shard_refused, std::move(message)); }

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The key type a new map gets: the RANGE type's own, or the one asked for (INTEGER by default).
std::optional<std::string> key_type_for(sharding::map_type type, const std::string& asked) {
  if (const auto fixed = sharding::fixed_key_kind(type)) {
    const char* own = *fixed == sharding::key_kind::integer    ? "INTEGER"
                      : *fixed == sharding::key_kind::datetime ? "DATETIME"
                                                               : "STRING";
    if (!asked.empty() && upper(asked) != own) return std::nullopt;
    return own;
  }
  const auto word = upper(asked);
  if (word.empty() || word == "INTEGER" || word == "INT" || word == "BIGINT") return "INTEGER";
  if (word == "STRING" || word == "VARCHAR" || word == "CHAR") return "STRING";
  if (word == "DATETIME") return "DATETIME";
  return std::nullopt;
}

std::string next_shard_id() { return "(SELECT coalesce(max(shard_id), 0) + 1 FROM shards)"; }

std::string insert_shard(const std::string& map, const std::string& group, const std::string* bound) {
  return "INSERT INTO shards (shard_id, map_name, group_name, bound) VALUES (" + next_shard_id() + ", " +
         sqlite_text(map) + ", " + sqlite_text(group) + ", " + (bound ? sqlite_text(*bound) : "NULL") + ")";
}


// What a change will run, or why it is refused before anything runs.
struct planned_change {
  std::optional<admin_result> refusal;
  std::vector<std::string> statements;
  std::string info;
};
using question = std::function<bool(const std::string&)>;  // an SQL that answers 1 or not

planned_change refuse(std::string message) { return {refused(std::move(message)), {}, {}}; }

bool map_exists(const question& ask, const std::string& map) {
  return ask("SELECT EXISTS (SELECT 1 FROM shard_maps WHERE name = " + sqlite_text(map) + ")");
}

planned_change plan_create_map(const shard_command& c, const question& ask) {
  const auto type = sharding::map_type_named(c.type);
  if (!type) return refuse("weft: '" + c.type + "' is not a shard map type (HASH, RANGE, RANGE_STRING, "
                           "RANGE_DATETIME, LIST)");
  const auto key_type = key_type_for(*type, c.key_type);
  if (!key_type) {
    return refuse("weft: a " + std::string(sharding::map_type_name(*type)) + " map cannot have KEY " + c.key_type);
  }
  if (!c.map.empty() && map_exists(ask, c.map)) return refuse("weft: shard map '" + c.map + "' exists");
  // Fabric names its maps by number: the next one.
  const auto name = c.map.empty() ? "(SELECT CAST(coalesce(max(CAST(name AS INTEGER)), 0) + 1 AS TEXT) FROM "
                                    "shard_maps WHERE name GLOB '[0-9]*' AND name NOT GLOB '*[^0-9]*')"
                                  : sqlite_text(c.map);
  return {std::nullopt,
          {"INSERT INTO shard_maps (name, type, key_type, global_group) VALUES (" + name + ", " +
           sqlite_text(std::string(sharding::map_type_name(*type))) + ", " + sqlite_text(*key_type) + ", " +
           sqlite_text(c.group) + ")"},
          {}};
}

planned_change plan_add_table(const shard_command& c, const question& ask) {
  if (!map_exists(ask, c.map)) return refuse("weft: no shard map '" + c.map + "'");
  if (ask("SELECT EXISTS (SELECT 1 FROM shard_tables WHERE table_name = " + sqlite_text(c.table) + ")")) {
    return refuse("weft: table " + c.table + " is mapped already (REMOVE SHARD TABLE first)");
  }
  return {std::nullopt,
          {"INSERT INTO shard_tables (table_name, column_name, map_name) VALUES (" + sqlite_text(c.table) + ", " +
           sqlite_text(c.column) + ", " + sqlite_text(c.map) + ")"},
          {}};
}

planned_change plan_add_shard(const shard_command& c, const question& ask) {
  if (!map_exists(ask, c.map)) return refuse("weft: no shard map '" + c.map + "'");
  planned_change plan;
  auto pairs = c.fabric_shards;
  if (!c.fabric_form) {
    if (c.bounds.empty()) pairs.emplace_back(c.group, "");
    for (const auto& b : c.bounds) pairs.emplace_back(c.group, b);
  }
  for (const auto& [group, bound] : pairs) plan.statements.push_back(insert_shard(c.map, group, bound.empty() ? nullptr : &bound));
  if (ask("SELECT EXISTS (SELECT 1 FROM shards WHERE map_name = " + sqlite_text(c.map) + ")")) {
    plan.info = "rows already stored stay where they are: keys that now belong to the new shard are not moved";
  }
  return plan;
}

planned_change plan_removal(const shard_command& c, const question& ask) {
  switch (c.verb) {
    case shard_verb::drop_map:
      if (!map_exists(ask, c.map)) return refuse("weft: no shard map '" + c.map + "'");
      if (ask("SELECT EXISTS (SELECT 1 FROM shard_tables WHERE map_name = " + sqlite_text(c.map) + ")")) {
        return refuse("weft: tables are mapped to '" + c.map + "' (REMOVE SHARD TABLE them first)");
      }
      return {std::nullopt,
              {"DELETE FROM shards WHERE map_name = " + sqlite_text(c.map),
               "DELETE FROM shard_maps WHERE name = " + sqlite_text(c.map)},
              {}};
    case shard_verb::remove_table:
      if (!ask("SELECT EXISTS (SELECT 1 FROM shard_tables WHERE table_name = " + sqlite_text(c.table) + ")")) {
        return refuse("weft: Table name " + c.table + " not found");
      }
      return {std::nullopt, {"DELETE FROM shard_tables WHERE table_name = " + sqlite_text(c.table)}, {}};
    default: {
      const auto where = c.fabric_form ? "shard_id = " + sqlite_text(c.shard_id)
                                       : "map_name = " + sqlite_text(c.map) + " AND group_name = " + sqlite_text(c.group);
      if (!ask("SELECT EXISTS (SELECT 1 FROM shards WHERE " + where + ")")) return refuse("weft: no such shard");
      return {std::nullopt, {"DELETE FROM shards WHERE " + where}, {}};
    }
  }
}

// EXPLAIN ROUTE: one row per place the statement goes (step, target, sql, detail), then how
// weft merges their answers; a refused statement is one row with the proxy's reason.
admin_result explain_route(const shard_command& c, const sharding::catalog& shards) {
  auto r = admin_result::table({"step", "target", "sql", "detail"});
  r.rows = sharding::explanation_rows(sharding::explain_route(c.statement, c.schema, shards), c.statement);
  return r;
}

}  // namespace

admin_result admin_engine::run_shard_command(const shard_command& c) {
  switch (c.verb) {
    case shard_verb::show_maps:
    case shard_verb::show_tables:
    case shard_verb::show_shards:
      return show_shards(c);
    case shard_verb::lookup_servers:
      return lookup_servers(c);
    case shard_verb::explain_route:
      return explain_route(c, config::read_config_tables(db_.get()).config.runtime.shards);
    default:
      return change_shards(c);
  }
}

admin_result admin_engine::run_sql_together(const std::vector<std::string>& statements) {
  const bool own = !explicit_transaction_;
  if (own) {
    if (auto begun = begin(); begun.error) return begun;
  }
  admin_result last;
  for (const auto& sql : statements) {
    last = run_sql(sql);
    if (last.error) {
      if (own) rollback();
      return last;
    }
  }
  if (!own) return last;
  auto done = commit();
  return done.error ? done : last;
}

admin_result admin_engine::change_shards(const shard_command& c) {
  const question ask = [this](const std::string& sql) {
    auto r = run_sql(sql);
    return !r.error && !r.rows.empty() && r.rows[0][0] == "1";
  };
  planned_change plan;
  switch (c.verb) {
    case shard_verb::create_map: plan = plan_create_map(c, ask); break;
    case shard_verb::add_table: plan = plan_add_table(c, ask); break;
    case shard_verb::add_shard: plan = plan_add_shard(c, ask); break;
    default: plan = plan_removal(c, ask); break;
  }
  if (plan.refusal) return std::move(*plan.refusal);
  auto done = run_sql_together(plan.statements);
  if (done.error) return done;
  done.info = plan.info;
  if (c.verb == shard_verb::create_map && c.fabric_form) {
    // Fabric answers create_definition with the new map's id.
    auto id = run_sql("SELECT max(CAST(name AS INTEGER)) AS shard_mapping_id FROM shard_maps WHERE name GLOB '[0-9]*'");
    if (!id.error) return id;
  }
  return done;
}

admin_result admin_engine::show_shards(const shard_command& c) {
  if (c.verb == shard_verb::show_maps) {
    return run_sql(c.fabric_form
                       ? "SELECT name AS mapping_id, type AS type_name, global_group AS global_group_id FROM shard_maps "
                         "ORDER BY CAST(name AS INTEGER), name"
                       : "SELECT name AS map, type, key_type, global_group, (SELECT count(DISTINCT group_name) FROM "
                         "shards s WHERE s.map_name = m.name) AS shards, (SELECT count(*) FROM shard_tables t WHERE "
                         "t.map_name = m.name) AS tables FROM shard_maps m ORDER BY name");
  }
  if (c.verb == shard_verb::show_tables) {
    if (!c.fabric_form) {
      return run_sql("SELECT t.table_name AS `table`, t.column_name AS `column`, t.map_name AS map, m.type, "
                     "m.global_group FROM shard_tables t JOIN shard_maps m ON m.name = t.map_name ORDER BY 1");
    }
    const auto type = sharding::map_type_named(c.type);
    if (!c.type.empty() && !type) return refused("weft: Invalid Sharding Type " + c.type);
    return run_sql("SELECT m.name AS shard_mapping_id, m.global_group, t.table_name, t.column_name, m.type AS "
                   "type_name FROM shard_tables t JOIN shard_maps m ON m.name = t.map_name" +
                   (type ? " WHERE m.type = " + sqlite_text(std::string(sharding::map_type_name(*type))) : "") +
                   " ORDER BY 3");
  }
  return run_sql("SELECT s.map_name AS map, s.shard_id, s.group_name AS `group`, s.bound, (SELECT address FROM "
                 "servers v WHERE v.group_name = s.group_name AND v.role = 'primary') AS `primary` FROM shards s" +
                 (c.map.empty() ? "" : " WHERE s.map_name = " + sqlite_text(c.map)) + " ORDER BY s.shard_id");
}

// Fabric's lookup_servers(table, key, LOCAL | GLOBAL): the servers of the group that holds the
// key (GLOBAL: of the table's global group), as Fabric listed them.
admin_result admin_engine::lookup_servers(const shard_command& c) {
  std::vector<std::string> errors;
  const auto read = config::read_config_tables(db_.get());
  const auto& shards = read.config.runtime.shards;
  const auto dot = c.table.find('.');
  const auto* table = dot == std::string::npos ? nullptr
                                               : shards.table_named(c.table.substr(0, dot), c.table.substr(dot + 1));
  const auto* map = table ? shards.map_named(table->map) : nullptr;
  if (!map) return refused("weft: Table name " + c.table + " not found");
  std::string group = map->global_group;
  if (!c.global) {
    const auto key = sharding::normalized_key(map->key, c.key);
    const auto shard = key ? sharding::shard_of(*map, *key) : std::nullopt;
    if (!shard) return refused("weft: Invalid Key " + c.key);
    group = map->shards[*shard].group;
  }
  auto r = admin_result::table({"server_uuid", "address", "status", "mode", "weight"});
  const auto topology = commands_.topology->load();
  for (const auto& s : topology->servers) {
    if (s.group != group) continue;
    const bool primary = s.role == routing::server_role::primary;
    const bool faulty = s.status != routing::server_status::online;
    r.rows.push_back({s.name, s.name, faulty ? "FAULTY" : primary ? "PRIMARY" : "SECONDARY",
                      primary ? "READ_WRITE" : "READ_ONLY", std::to_string(s.weight)});
  }
  return r;
}

}  // namespace weft::admin
