#include "ops/row_diff.h"

#include <algorithm>
#include <map>

#include "ops/sql_values.h"

namespace weft::ops {
namespace {

bool ignored(const std::vector<std::string>& ignore, const std::string& name) {
  return std::find(ignore.begin(), ignore.end(), name) != ignore.end();
}

// One string per row that equal keys (or, without a key, equal rows) share: each part
// length-prefixed so no two different tuples join into the same text.
std::string match_text(const table_shape& t, const monitor::value_row& row, const std::vector<std::string>& ignore) {
  std::string out;
  const auto add = [&out](const monitor::value& v) {
    out += v ? std::to_string(v->size()) + ":" + *v : std::string("-");
  };
  if (!t.key.empty()) {
    for (std::size_t i = 0; i < t.key.size(); ++i) add(row[t.columns.size() + i]);
    return out;
  }
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (!ignored(ignore, t.columns[i].name)) add(row[i]);
  }
  return out;
}

bool same_values(const table_shape& t, const monitor::value_row& a, const monitor::value_row& b,
                 const std::vector<std::string>& ignore) {
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (!ignored(ignore, t.columns[i].name) && a[i] != b[i]) return false;
  }
  return true;
}

std::string key_match(const table_shape& t, const std::vector<monitor::result_column>& columns,
                      const monitor::value_row& row) {
  std::string out;
  const bool whole_row = t.key.empty();
  const std::size_t n = whole_row ? t.columns.size() : t.key.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = whole_row ? i : t.key[i];
    out += (i ? " AND " : "") + quote_name(t.columns[c].name) + (whole_row ? " <=> " : " = ") +
           sql_value(row[c], columns[c].kind);
  }
  return out + (whole_row ? " LIMIT 1" : "");
}

std::string insert_of(const table_shape& t, const std::vector<monitor::result_column>& columns,
                      const monitor::value_row& row) {
  std::string names, values;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].generated) continue;
    names += (names.empty() ? "" : ", ") + quote_name(t.columns[i].name);
    values += (values.empty() ? "" : ", ") + sql_value(row[i], columns[i].kind);
  }
  return "INSERT INTO " + qualified_name(t.database, t.table) + " (" + names + ") VALUES (" + values + ");";
}

std::string update_of(const table_shape& t, const std::vector<monitor::result_column>& columns,
                      const monitor::value_row& model, const monitor::value_row& target,
                      const std::vector<std::string>& ignore) {
  std::string set;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].generated || ignored(ignore, t.columns[i].name) || model[i] == target[i]) continue;
    set += (set.empty() ? "" : ", ") + quote_name(t.columns[i].name) + " = " + sql_value(model[i], columns[i].kind);
  }
  return "UPDATE " + qualified_name(t.database, t.table) + " SET " + set + " WHERE " + key_match(t, columns, target) +
         ";";
}

}  // namespace

std::vector<row_difference> diff_rows(const table_shape& t, const monitor::result_table& a,
                                      const monitor::result_table& b, const std::vector<std::string>& ignore) {
  std::multimap<std::string, const monitor::value_row*> on_b;
  for (const auto& row : b.rows) on_b.emplace(match_text(t, row, ignore), &row);
  std::vector<row_difference> out;
  for (const auto& row : a.rows) {
    const auto it = on_b.find(match_text(t, row, ignore));
    if (it == on_b.end()) {
      out.push_back({row_difference::kind::missing, row, {}});
      continue;
    }
    if (!same_values(t, row, *it->second, ignore)) out.push_back({row_difference::kind::changed, row, *it->second});
    on_b.erase(it);
  }
  // What b has left, in b's order.
  for (const auto& row : b.rows) {
    const auto range = on_b.equal_range(match_text(t, row, ignore));
    for (auto it = range.first; it != range.second; ++it) {
      if (it->second != &row) continue;
      out.push_back({row_difference::kind::extra, {}, row});
      on_b.erase(it);
      break;
    }
  }
  return out;
}

std::string repair_statement(const table_shape& t, const std::vector<monitor::result_column>& columns,
                             const row_difference& d, bool repair_a, const std::vector<std::string>& ignore) {
  using k = row_difference::kind;
  const auto& model = repair_a ? d.b : d.a;
  const auto& target = repair_a ? d.a : d.b;
  if (d.what == k::changed) return update_of(t, columns, model, target, ignore);
  const bool target_lacks_row = repair_a ? d.what == k::extra : d.what == k::missing;
  if (target_lacks_row) return insert_of(t, columns, model);
  return "DELETE FROM " + qualified_name(t.database, t.table) + " WHERE " + key_match(t, columns, target) + ";";
}

}  // namespace weft::ops
