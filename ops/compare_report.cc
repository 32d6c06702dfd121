#include "ops/compare_report.h"

#include "ops/job_store.h"
#include "ops/sql_values.h"

namespace weft::ops {
namespace {

const char* kind_name(row_difference::kind k) {
  switch (k) {
    case row_difference::kind::missing: return "missing";
    case row_difference::kind::extra: return "extra";
    default: return "changed";
  }
}

std::string tuple_of(const std::vector<monitor::result_column>& columns, const monitor::value_row& row, std::size_t n) {
  if (row.empty()) return {};
  std::string out = "(";
  for (std::size_t i = 0; i < n; ++i) out += (i ? ", " : "") + sql_value(row[i], columns[i].kind);
  return out + ")";
}

std::string key_of(const table_shape& t, const std::vector<monitor::result_column>& columns,
                   const monitor::value_row& row) {
  if (t.key.empty()) return "(no key)";
  std::string out;
  for (std::size_t i = 0; i < t.key.size(); ++i) {
    const auto c = t.key[i];
    out += (i ? " AND " : "") + quote_name(t.columns[c].name) + " = " + sql_value(row[c], columns[c].kind);
  }
  return out;
}

std::string counts_line(const table_report& t) {
  std::size_t missing = 0, extra = 0, changed = 0;
  for (const auto& d : t.differences) {
    missing += d.kind == "missing";
    extra += d.kind == "extra";
    changed += d.kind == "changed";
  }
  return "rows " + std::to_string(t.rows_a) + " on a, " + std::to_string(t.rows_b) + " on b; " +
         std::to_string(t.chunks) + " chunks, " + std::to_string(t.chunks_differing) + " differ; missing on b " +
         std::to_string(missing) + ", extra on b " + std::to_string(extra) + ", changed " + std::to_string(changed);
}

std::string table_state(const table_report& t) {
  if (!t.on_a) return "only on b";
  if (!t.on_b) return "only on a";
  if (!t.skipped.empty()) return "not compared: " + t.skipped;
  const bool equal = t.differences.empty() && t.same_definition.value_or(true) && t.rows_a == t.rows_b;
  return equal ? "equal" : "differs";
}

void sql_lines(const compare_command& c, const table_report& t, admin_result& out) {
  const bool for_a = c.changes_for == changes_side::a;
  const auto line = [&out](std::string text) { out.rows.push_back({std::move(text)}); };
  line("-- table " + quote_name(t.name) + ": " + table_state(t));
  if (t.same_definition && !*t.same_definition) line("--   definitions differ");
  for (const auto& statement : t.definition_sql) line(statement);
  if (!t.note.empty()) line("--   " + t.note);
  if (!t.on_a || !t.on_b || !t.skipped.empty()) return;
  line("--   " + counts_line(t));
  for (const auto& d : t.differences) line(for_a ? d.repair_a : d.repair_b);
  if (!c.show_reverse) return;
  for (const auto& d : t.differences) line("-- reverse: " + (for_a ? d.repair_b : d.repair_a));
}

}  // namespace

std::string pack_chunk(const chunk_report& c) {
  std::vector<std::optional<std::string>> fields{std::to_string(c.rows_a), std::to_string(c.rows_b)};
  for (const auto& d : c.differences) fields.emplace_back(pack({d.kind, d.key, d.on_a, d.on_b, d.repair_a, d.repair_b}));
  return pack(fields);
}

std::optional<chunk_report> unpack_chunk(const std::string& packed) {
  const auto fields = unpack(packed);
  if (!fields || fields->size() < 2 || !(*fields)[0] || !(*fields)[1]) return std::nullopt;
  chunk_report c;
  c.rows_a = std::stoull(*(*fields)[0]);
  c.rows_b = std::stoull(*(*fields)[1]);
  for (std::size_t i = 2; i < fields->size(); ++i) {
    const auto d = unpack((*fields)[i].value_or(""));
    if (!d || d->size() != 6) return std::nullopt;
    c.differences.push_back({d->at(0).value_or(""), d->at(1).value_or(""), d->at(2).value_or(""),
                             d->at(3).value_or(""), d->at(4).value_or(""), d->at(5).value_or("")});
  }
  return c;
}

chunk_report report_chunk(const table_shape& t, const std::vector<monitor::result_column>& columns,
                          const std::vector<row_difference>& differences, std::uint64_t rows_a, std::uint64_t rows_b,
                          const std::vector<std::string>& ignore) {
  chunk_report out{rows_a, rows_b, {}};
  const auto n = t.columns.size();
  for (const auto& d : differences) {
    const auto& any = d.a.empty() ? d.b : d.a;
    out.differences.push_back({kind_name(d.what), key_of(t, columns, any), tuple_of(columns, d.a, n),
                               tuple_of(columns, d.b, n), repair_statement(t, columns, d, true, ignore),
                               repair_statement(t, columns, d, false, ignore)});
  }
  return out;
}

admin_result render_report(const compare_command& c, const std::vector<table_report>& tables) {
  if (c.format == compare_format::summary) {
    auto out = admin_result::table({"table_name", "definition", "rows_a", "rows_b", "chunks", "chunks_differing",
                                    "missing_on_b", "extra_on_b", "changed", "result"});
    for (const auto& t : tables) {
      std::size_t missing = 0, extra = 0, changed = 0;
      for (const auto& d : t.differences) missing += d.kind == "missing", extra += d.kind == "extra",
                                                     changed += d.kind == "changed";
      const auto def = t.same_definition ? std::string(*t.same_definition ? "same" : "differs") : std::string("-");
      out.rows.push_back({t.name, def, std::to_string(t.rows_a), std::to_string(t.rows_b), std::to_string(t.chunks),
                          std::to_string(t.chunks_differing), std::to_string(missing), std::to_string(extra),
                          std::to_string(changed), table_state(t)});
    }
    return out;
  }
  if (c.format == compare_format::rows) {
    auto out = admin_result::table({"table_name", "difference", "row_key", "on_a", "on_b"});
    for (const auto& t : tables) {
      for (const auto& d : t.differences) out.rows.push_back({t.name, d.kind, d.key, d.on_a, d.on_b});
    }
    return out;
  }
  auto out = admin_result::table({"sql"});
  std::size_t differing = 0;
  for (const auto& t : tables) {
    sql_lines(c, t, out);
    differing += table_state(t) != "equal";
  }
  out.rows.push_back({"-- result: " + (differing == 0 ? std::string("equal")
                                                       : std::to_string(differing) + " table(s) differ")});
  return out;
}

}  // namespace weft::ops
