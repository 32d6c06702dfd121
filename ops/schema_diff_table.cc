#include "ops/schema_diff_table.h"

#include <algorithm>
#include <vector>

#include "ops/schema_sql.h"
#include "ops/schema_text.h"
#include "ops/sql_values.h"

namespace weft::ops {
namespace {

using clauses = std::vector<std::string>;

const column_def* find_column(const table_def& t, const std::string& name) {
  const auto it = std::find_if(t.columns.begin(), t.columns.end(), [&](const column_def& c) { return c.name == name; });
  return it == t.columns.end() ? nullptr : &*it;
}

// The longest common subsequence of two lists of names: the columns that keep their place
// while the others move around them (so one moved column is one MODIFY ... AFTER).
std::set<std::string> longest_common_order(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<std::size_t>> len(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      len[i][j] = a[i] == b[j] ? len[i + 1][j + 1] + 1 : std::max(len[i + 1][j], len[i][j + 1]);
    }
  }
  std::set<std::string> out;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] == b[j]) {
      out.insert(a[i]);
      ++i, ++j;
    } else if (len[i + 1][j] >= len[i][j + 1]) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

// Names of `from`'s columns that `other` has too, in `from`'s order.
std::vector<std::string> shared_columns(const table_def& from, const table_def& other) {
  std::vector<std::string> out;
  for (const auto& c : from.columns) {
    if (find_column(other, c.name)) out.push_back(c.name);
  }
  return out;
}

// ADD and MODIFY in the model's order, each placed after its model predecessor: the server
// applies them one after the other, so every predecessor is in place when it is named.
clauses column_clauses(const table_def& target, const table_def& model, std::set<std::string>& changed) {
  const auto staying = longest_common_order(shared_columns(target, model), shared_columns(model, target));
  clauses out;
  for (std::size_t i = 0; i < model.columns.size(); ++i) {
    const auto& wanted = model.columns[i];
    const auto place = i == 0 ? std::string(" FIRST") : " AFTER " + quote_name(model.columns[i - 1].name);
    const auto* have = find_column(target, wanted.name);
    if (!have) {
      out.push_back("ADD COLUMN " + column_definition(wanted) + place);
      continue;
    }
    const bool moved = !staying.contains(wanted.name);
    if (!(*have == wanted)) changed.insert(wanted.name);
    if (moved || !(*have == wanted)) out.push_back("MODIFY COLUMN " + column_definition(wanted) + (moved ? place : ""));
  }
  return out;
}

clauses column_drops(const table_def& target, const table_def& model) {
  clauses out;
  for (const auto& c : target.columns) {
    if (!find_column(model, c.name)) out.push_back("DROP COLUMN " + quote_name(c.name));
  }
  return out;
}

// Entries of `from` that `other` lacks or has differently.
template <typename Map>
std::vector<typename Map::mapped_type> differing(const Map& from, const Map& other) {
  std::vector<typename Map::mapped_type> out;
  for (const auto& [name, value] : from) {
    const auto it = other.find(name);
    if (it == other.end() || !(it->second == value)) out.push_back(value);
  }
  return out;
}

clauses index_drops(const table_def& target, const table_def& model) {
  clauses out;
  for (const auto& index : differing(target.indexes, model.indexes)) {
    out.push_back(index.kind == index_kind::primary ? "DROP PRIMARY KEY" : "DROP INDEX " + quote_name(index.name));
  }
  return out;
}

clauses index_adds(const table_def& target, const table_def& model) {
  clauses out;
  for (const auto& index : differing(model.indexes, target.indexes)) {
    out.push_back("ADD " + index_definition(index, model.engine));
  }
  return out;
}

clauses check_drops(const table_def& target, const table_def& model) {
  clauses out;
  for (const auto& [name, condition] : target.checks) {
    const auto it = model.checks.find(name);
    if (it == model.checks.end() || it->second != condition) out.push_back("DROP CONSTRAINT " + quote_name(name));
  }
  return out;
}

clauses check_adds(const table_def& target, const table_def& model) {
  clauses out;
  for (const auto& [name, condition] : model.checks) {
    const auto it = target.checks.find(name);
    if (it == target.checks.end() || it->second != condition) {
      out.push_back("ADD CONSTRAINT " + quote_name(name) + " CHECK (" + condition + ")");
    }
  }
  return out;
}

clauses option_clauses(const table_def& target, const table_def& model) {
  clauses out;
  if (target.engine != model.engine) out.push_back("ENGINE=" + model.engine);
  if (target.collation != model.collation) out.push_back("DEFAULT COLLATE=" + model.collation);
  if (target.comment != model.comment) out.push_back("COMMENT=" + sql_string(model.comment));
  if (target.versioned != model.versioned)
    out.push_back(model.versioned ? "ADD SYSTEM VERSIONING" : "DROP SYSTEM VERSIONING");
  return out;
}

// Partitioning follows the other clauses, without a comma ("": the same).
std::string partition_clause(const table_def& target, const table_def& model) {
  if (compact_sql(target.partitioning) == compact_sql(model.partitioning)) return {};
  return model.partitioning.empty() ? "REMOVE PARTITIONING" : model.partitioning;
}

void append(clauses& to, clauses more) { to.insert(to.end(), more.begin(), more.end()); }

std::string alter_statement(const table_def& target, const std::string& database, const clauses& parts,
                            const std::string& partitioning) {
  // The server refuses to alter a system-versioned table unless told to keep its history.
  std::string out = target.versioned ? "SET STATEMENT system_versioning_alter_history = KEEP FOR " : "";
  out += "ALTER TABLE " + qualified_name(database, target.name);
  const std::size_t count = parts.size() + (partitioning.empty() ? 0 : 1);
  if (count == 1) return out + " " + (parts.empty() ? partitioning : parts.front());
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "\n  " : ",\n  ") + parts[i];
  if (!partitioning.empty()) out += "\n" + partitioning;
  return out;
}

}  // namespace

table_alter diff_table(const std::string& database, const table_def& target, const table_def& model) {
  table_alter result;
  // Constraints and indexes go first and come back last, so no clause meets one that is
  // about to change; columns in between.
  clauses parts = check_drops(target, model);
  append(parts, index_drops(target, model));
  append(parts, column_drops(target, model));
  append(parts, column_clauses(target, model, result.changed_columns));
  append(parts, index_adds(target, model));
  append(parts, check_adds(target, model));
  append(parts, option_clauses(target, model));
  const auto partitioning = partition_clause(target, model);
  if (!parts.empty() || !partitioning.empty()) {
    result.statement = alter_statement(target, database, parts, partitioning);
  }
  return result;
}

bool same_definition(const table_def& a, const table_def& b) {
  return a.engine == b.engine && a.collation == b.collation && a.comment == b.comment && a.columns == b.columns &&
         a.indexes == b.indexes && a.foreign_keys == b.foreign_keys && a.checks == b.checks &&
         a.versioned == b.versioned && compact_sql(a.partitioning) == compact_sql(b.partitioning);
}

}  // namespace weft::ops
