#include "ops/schema_diff.h"

#include <algorithm>

#include "ops/dependency_order.h"
#include "ops/schema_diff_objects.h"
#include "ops/schema_diff_table.h"
#include "ops/schema_sql.h"
#include "ops/schema_text.h"
#include "ops/sql_values.h"

namespace weft::ops {
namespace {

using changes = std::vector<schema_change>;

void append(changes& to, changes more) { to.insert(to.end(), more.begin(), more.end()); }

bool references(const foreign_key_def& key, const std::string& table) {
  return key.referenced_database.empty() && key.referenced_table == table;
}

bool overlaps(const std::vector<std::string>& columns, const std::set<std::string>& changed) {
  return std::any_of(columns.begin(), columns.end(), [&](const std::string& c) { return changed.contains(c); });
}

// Tables on one side only, by name.
std::vector<std::string> only_in(const schema_snapshot& side, const schema_snapshot& other) {
  std::vector<std::string> out;
  for (const auto& [name, table] : side.tables) {
    if (!other.tables.contains(name)) out.push_back(name);
  }
  return out;
}

class planner {
 public:
  planner(const schema_snapshot& target, const schema_snapshot& model) : target_(target), model_(model) {}
  changes run();

 private:
  void plan_tables();
  bool recreated(const std::string& table, const foreign_key_def& key) const;
  changes foreign_key_drops() const;
  changes foreign_key_adds() const;
  changes table_drops() const;
  changes table_alters() const;
  changes table_creates() const;
  schema_change drop_key(const std::string& table, const std::string& name, const char* action) const;
  schema_change add_key(const std::string& table, const foreign_key_def& key, const char* action) const;

  const schema_snapshot& target_;
  const schema_snapshot& model_;
  const std::string& db_ = target_.database;
  std::map<std::string, table_alter> alters_;  // tables on both sides
  dependency_order drops_, creates_;           // tables on one side, in the order they can go / come
};

changes planner::run() {
  plan_tables();
  changes out;
  if (target_.collation != model_.collation) {
    out.push_back({"DATABASE", db_, "ALTER", "ALTER DATABASE " + quote_name(db_) + " COLLATE " + model_.collation});
  }
  append(out, trigger_drops(target_, model_));
  append(out, extra_definitions("EVENT", db_, target_.events, model_.events));
  append(out, extra_definitions("VIEW", db_, target_.views, model_.views));
  append(out, extra_definitions("PROCEDURE", db_, target_.procedures, model_.procedures));
  append(out, extra_definitions("FUNCTION", db_, target_.functions, model_.functions));
  append(out, foreign_key_drops());
  append(out, table_drops());
  append(out, extra_definitions("SEQUENCE", db_, target_.sequences, model_.sequences));
  append(out, missing_definitions("SEQUENCE", db_, target_.sequences, model_.sequences));
  append(out, table_alters());
  append(out, table_creates());
  append(out, foreign_key_adds());
  append(out, missing_definitions("FUNCTION", db_, target_.functions, model_.functions));
  append(out, missing_views(target_.views, model_.views));
  append(out, missing_definitions("PROCEDURE", db_, target_.procedures, model_.procedures));
  append(out, trigger_creates(target_, model_));
  append(out, missing_definitions("EVENT", db_, target_.events, model_.events));
  return out;
}

void planner::plan_tables() {
  for (const auto& [name, table] : model_.tables) {
    if (const auto it = target_.tables.find(name); it != target_.tables.end()) {
      alters_[name] = diff_table(db_, it->second, table);
    }
  }
  // Tables that go: those referencing a table before it. Tables that come: after those they reference.
  drops_ = order_by_dependencies(only_in(target_, model_), [&](const std::string& table) {
    std::vector<std::string> referencing;
    for (const auto& [name, other] : target_.tables) {
      for (const auto& [key_name, key] : other.foreign_keys) {
        if (references(key, table)) referencing.push_back(name);
      }
    }
    return referencing;
  });
  creates_ = order_by_dependencies(only_in(model_, target_), [&](const std::string& table) {
    std::vector<std::string> referenced;
    for (const auto& [key_name, key] : model_.tables.at(table).foreign_keys) {
      if (key.referenced_database.empty()) referenced.push_back(key.referenced_table);
    }
    return referenced;
  });
}

// A foreign key alike on both sides over a column that changes: made again around the change.
bool planner::recreated(const std::string& table, const foreign_key_def& key) const {
  if (overlaps(key.columns, alters_.at(table).changed_columns)) return true;
  const auto parent = alters_.find(key.referenced_table);
  return key.referenced_database.empty() && parent != alters_.end() &&
         overlaps(key.referenced_columns, parent->second.changed_columns);
}

schema_change planner::drop_key(const std::string& table, const std::string& name, const char* action) const {
  return {"FOREIGN KEY", table + "." + name, action,
          "ALTER TABLE " + qualified_name(db_, table) + " DROP FOREIGN KEY " + quote_name(name)};
}

schema_change planner::add_key(const std::string& table, const foreign_key_def& key, const char* action) const {
  return {"FOREIGN KEY", table + "." + key.name, action,
          "ALTER TABLE " + qualified_name(db_, table) + " ADD " + foreign_key_definition(key, db_)};
}

changes planner::foreign_key_drops() const {
  changes out;
  for (const auto& [table, alter] : alters_) {
    const auto& wanted = model_.tables.at(table).foreign_keys;
    for (const auto& [name, key] : target_.tables.at(table).foreign_keys) {
      const auto it = wanted.find(name);
      if (it == wanted.end()) {
        out.push_back(drop_key(table, name, "DROP"));
      } else if (!(it->second == key) || recreated(table, key)) {
        out.push_back(drop_key(table, name, "ALTER"));
      }
    }
  }
  // Tables that go and reference each other in a cycle: one of the keys goes first.
  for (const auto& [referenced, referencing] : drops_.cycle_edges) {
    for (const auto& [name, key] : target_.tables.at(referencing).foreign_keys) {
      if (references(key, referenced)) out.push_back(drop_key(referencing, name, "DROP"));
    }
  }
  return out;
}

changes planner::foreign_key_adds() const {
  changes out;
  for (const auto& [table, alter] : alters_) {
    const auto& have = target_.tables.at(table).foreign_keys;
    for (const auto& [name, key] : model_.tables.at(table).foreign_keys) {
      const auto it = have.find(name);
      if (it == have.end()) {
        out.push_back(add_key(table, key, "CREATE"));
      } else if (!(it->second == key) || recreated(table, key)) {
        out.push_back(add_key(table, key, "ALTER"));
      }
    }
  }
  // New tables referencing each other in a cycle: the key closing it comes once both exist.
  for (const auto& [table, referenced] : creates_.cycle_edges) {
    for (const auto& [name, key] : model_.tables.at(table).foreign_keys) {
      if (references(key, referenced)) out.push_back(add_key(table, key, "CREATE"));
    }
  }
  return out;
}

changes planner::table_drops() const {
  changes out;
  for (const auto& name : drops_.order) {
    out.push_back({"TABLE", name, "DROP", "DROP TABLE " + qualified_name(db_, name)});
  }
  return out;
}

changes planner::table_alters() const {
  changes out;
  for (const auto& [name, alter] : alters_) {
    if (alter.statement) out.push_back({"TABLE", name, "ALTER", *alter.statement});
  }
  return out;
}

changes planner::table_creates() const {
  changes out;
  for (const auto& name : creates_.order) {
    std::vector<std::string> later;  // foreign keys closing a cycle: added once both tables exist
    for (const auto& [table, referenced] : creates_.cycle_edges) {
      if (table != name) continue;
      for (const auto& [key_name, key] : model_.tables.at(name).foreign_keys) {
        if (references(key, referenced)) later.push_back(key_name);
      }
    }
    const auto& create = model_.tables.at(name).create_statement;
    out.push_back({"TABLE", name, "CREATE", later.empty() ? create : without_foreign_keys(create, later)});
  }
  return out;
}

}  // namespace

std::vector<schema_change> diff_schemas(const schema_snapshot& target, const schema_snapshot& model) {
  return planner(target, model).run();
}

bool same_table(const schema_snapshot& a, const schema_snapshot& b, const std::string& table) {
  const auto x = a.tables.find(table);
  const auto y = b.tables.find(table);
  return x != a.tables.end() && y != b.tables.end() && same_definition(x->second, y->second);
}

}  // namespace weft::ops
