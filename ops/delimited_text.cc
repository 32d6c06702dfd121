#include "ops/delimited_text.h"

#include <algorithm>
#include <charconv>

#include "ops/sql_values.h"

namespace weft::ops {
namespace {

// BIT(n)'s bytes, most significant first (at most 8), as the unsigned integer they hold.
void append_bit_integer(std::string& out, std::string_view bytes) {
  std::uint64_t n = 0;
  for (const unsigned char c : bytes) n = (n << 8) | c;
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

bool is_number(monitor::value_kind kind) {
  return kind == monitor::value_kind::integer || kind == monitor::value_kind::decimal ||
         kind == monitor::value_kind::floating;
}

}  // namespace

std::string_view format_name(export_format f) {
  switch (f) {
    case export_format::csv: return "csv";
    case export_format::tsv: return "tsv";
    case export_format::sql: break;
  }
  return "sql";
}

std::optional<export_format> format_named(std::string_view name) {
  for (const auto f : {export_format::sql, export_format::csv, export_format::tsv}) {
    if (format_name(f) == name) return f;
  }
  return std::nullopt;
}

void delimited_writer::columns(const std::vector<monitor::result_column>& c) {
  kinds_.clear();
  for (const auto& column : c) kinds_.push_back(column.kind);
}

void delimited_writer::row(const std::vector<monitor::value_view>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out_ += csv_ ? ',' : '\t';
    value(values[i], i < kinds_.size() ? kinds_[i] : monitor::value_kind::text);
  }
  out_ += '\n';
  ++rows_;
}

void delimited_writer::value(const monitor::value_view& v, monitor::value_kind kind) {
  if (!v) {
    out_ += "\\N";
  } else if (kind == monitor::value_kind::bit) {
    append_bit_integer(out_, *v);
  } else if (is_number(kind)) {
    escaped(*v);  // digits as the server prints them: nothing to escape, and never enclosed
  } else {
    if (csv_) out_ += '"';
    escaped(*v);
    if (csv_) out_ += '"';
  }
}

void delimited_writer::escaped(std::string_view bytes) {
  // LOAD DATA's escapes; CSV also escapes the quote that encloses its strings.
  static constexpr escape_table tsv_escapes = [] {
    escape_table t{};
    t['\\'] = '\\', t['\t'] = 't', t['\n'] = 'n', t['\r'] = 'r', t['\0'] = '0';
    return t;
  }();
  static constexpr escape_table csv_escapes = [] {
    auto t = tsv_escapes;
    t['"'] = '"';
    return t;
  }();
  append_escaped(out_, bytes, csv_ ? csv_escapes : tsv_escapes);
}

std::string load_data_statement(export_format f, std::string_view file, std::string_view database,
                                std::string_view table, const std::vector<std::string>& columns,
                                const std::vector<std::string>& bit_columns) {
  std::string list, set;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) list += ", ";
    if (std::find(bit_columns.begin(), bit_columns.end(), columns[i]) == bit_columns.end()) {
      list += quote_name(columns[i]);
      continue;
    }
    // Loaded as a string, "5" would be BIT's bytes 0x35: the integer goes through a variable.
    const auto var = "@c" + std::to_string(i + 1);
    list += var;
    set += (set.empty() ? " SET " : ", ") + quote_name(columns[i]) + " = CAST(" + var + " AS UNSIGNED)";
  }
  const std::string fields = f == export_format::csv ? "FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"'"
                                                     : "FIELDS TERMINATED BY '\\t'";
  return "LOAD DATA LOCAL INFILE " + escaped_bytes(file) + " INTO TABLE " + qualified_name(database, table) +
         " CHARACTER SET binary " + fields + " ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (" + list + ")" + set;
}

}  // namespace weft::ops
