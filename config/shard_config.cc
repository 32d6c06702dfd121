#include "config/shard_config.h"

#include <algorithm>

#include "config/schema_row.h"

namespace weft::config {
namespace {

std::string_view key_type_word(sharding::key_kind kind) {
  switch (kind) {
    case sharding::key_kind::integer: return "INTEGER";
    case sharding::key_kind::datetime: return "DATETIME";
    case sharding::key_kind::string: break;
  }
  return "STRING";
}

sharding::key_kind key_kind_of(const std::string& word) {
  if (word == "STRING") return sharding::key_kind::string;
  if (word == "DATETIME") return sharding::key_kind::datetime;
  return sharding::key_kind::integer;
}

void write_maps(sqlite3* db, const sharding::catalog& catalog, const std::string& schema) {
  const auto& table = shard_maps_table();
  auto st = prepare(db, insert_sql(table, schema));
  const schema_row row(table, st.get());
  for (const auto& m : catalog.maps) {
    row.text("name", m.name);
    row.text("type", std::string(sharding::map_type_name(m.type)));
    row.text("key_type", std::string(key_type_word(m.key)));
    row.text("global_group", m.global_group);
    step_done(db, st.get());
  }
}

void write_tables(sqlite3* db, const sharding::catalog& catalog, const std::string& schema) {
  const auto& table = shard_tables_table();
  auto st = prepare(db, insert_sql(table, schema));
  const schema_row row(table, st.get());
  for (const auto& t : catalog.tables) {
    row.text("table_name", t.schema + "." + t.table);
    row.text("column_name", t.column);
    row.text("map_name", t.map);
    step_done(db, st.get());
  }
}

// A shard is one row, or one per value of a LIST shard; ids follow the maps' order.
void write_shards(sqlite3* db, const sharding::catalog& catalog, const std::string& schema) {
  const auto& table = shards_table();
  auto st = prepare(db, insert_sql(table, schema));
  const schema_row row(table, st.get());
  std::int64_t id = 0;
  const auto write = [&](const std::string& map, const std::string& group, const std::string* bound) {
    row.integer("shard_id", ++id);
    row.text("map_name", map);
    row.text("group_name", group);
    if (bound) row.text("bound", *bound);
    step_done(db, st.get());
  };
  for (const auto& m : catalog.maps) {
    for (const auto& s : m.shards) {
      if (s.bounds.empty()) write(m.name, s.group, nullptr);
      for (const auto& b : s.bounds) write(m.name, s.group, &b);
    }
  }
}

void read_maps(sqlite3* db, const std::string& schema, sharding::catalog& out, std::vector<std::string>& errors) {
  const auto& table = shard_maps_table();
  auto st = prepare(db, select_sql(table, schema));
  const schema_row row(table, st.get());
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    sharding::shard_map m;
    m.name = row.text("name");
    const auto type = sharding::map_type_named(row.text("type"));
    if (!type) {
      errors.push_back("shard_maps: map '" + m.name + "' has an unknown type '" + row.text("type") + "'");
      continue;
    }
    m.type = *type;
    // A RANGE type fixes its keys' kind; HASH and LIST take the column's.
    m.key = sharding::fixed_key_kind(m.type).value_or(key_kind_of(row.text("key_type")));
    m.global_group = row.text("global_group");
    out.maps.push_back(std::move(m));
  }
}

void read_tables(sqlite3* db, const std::string& schema, sharding::catalog& out, std::vector<std::string>& errors) {
  const auto& table = shard_tables_table();
  auto st = prepare(db, select_sql(table, schema));
  const schema_row row(table, st.get());
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    const auto name = row.text("table_name");
    const auto dot = name.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) {
      errors.push_back("shard_tables: '" + name + "' is not database.table");
      continue;
    }
    out.tables.push_back({name.substr(0, dot), name.substr(dot + 1), row.text("column_name"), row.text("map_name")});
  }
}

// Rows in shard_id order: a map's shards in the order they were added, a LIST shard's values
// gathered on the first row of its group.
void read_shards(sqlite3* db, const std::string& schema, sharding::catalog& out, std::vector<std::string>& errors) {
  const auto& table = shards_table();
  auto st = prepare(db, select_sql(table, schema));
  const schema_row row(table, st.get());
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    const auto map_name = row.text("map_name");
    auto it = std::find_if(out.maps.begin(), out.maps.end(), [&](const auto& m) { return m.name == map_name; });
    if (it == out.maps.end()) {
      errors.push_back("shards: shard " + std::to_string(row.integer("shard_id")) + " is of '" + map_name +
                       "', not a shard map");
      continue;
    }
    const auto group = row.text("group_name");
    auto shard = std::find_if(it->shards.begin(), it->shards.end(), [&](const auto& s) { return s.group == group; });
    if (shard == it->shards.end()) shard = it->shards.insert(it->shards.end(), sharding::shard{group, {}});
    if (!row.null("bound")) shard->bounds.push_back(row.text("bound"));
  }
}

}  // namespace

void write_shard_tables(sqlite3* db, const sharding::catalog& catalog, const std::string& schema) {
  write_maps(db, catalog, schema);
  write_tables(db, catalog, schema);
  write_shards(db, catalog, schema);
}

sharding::catalog read_shard_tables(sqlite3* db, const std::string& schema, std::vector<std::string>& errors) {
  sharding::catalog out;
  read_maps(db, schema, out, errors);
  read_tables(db, schema, out, errors);
  read_shards(db, schema, out, errors);
  for (auto& p : sharding::validate(out)) errors.push_back("sharding: " + p);
  return out;
}

}  // namespace weft::config
