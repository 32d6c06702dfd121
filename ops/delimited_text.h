// Rows as delimited text in the form MariaDB's LOAD DATA reads back exactly (EXPORT ... FORMAT
// CSV | TSV), and the LOAD DATA statement that reads it: side by side so they cannot drift.
//   TSV: LOAD DATA's defaults: fields end with a tab, lines with \n, `\` escapes.
//   CSV: fields end with ',', strings enclosed in '"', numbers plain, `\` escapes.
// In both NULL is \N (never enclosed) and a value's \ tab newline CR and NUL are written \\ \t
// \n \r \0 (and " as \" in CSV), so a row is one line. Values are the columns' own bytes.
// BIT is written as its unsigned integer (its raw bytes are no text) and loaded back through a
// user variable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ops/export_command.h"
#include "ops/row_writer.h"

namespace weft::ops {

// A format's name in chunk file names and the manifest's data_format ("sql", "csv", "tsv"),
// and the format a name stands for.
std::string_view format_name(export_format f);
std::optional<export_format> format_named(std::string_view name);

class delimited_writer : public row_writer {
 public:
  // `buffer`: an earlier chunk's text, whose memory this one reuses.
  explicit delimited_writer(export_format f, std::string buffer = {}) : csv_(f == export_format::csv), out_(std::move(buffer)) {
    out_.clear();
  }
  void columns(const std::vector<monitor::result_column>& c) override;
  void row(const std::vector<monitor::value_view>& values) override;
  std::string finish() override { return std::move(out_); }
  std::uint64_t rows() const override { return rows_; }

 private:
  void value(const monitor::value_view& v, monitor::value_kind kind);
  void escaped(std::string_view bytes);
  bool csv_;
  std::vector<monitor::value_kind> kinds_;
  std::string out_;
  std::uint64_t rows_ = 0;
};

// LOAD DATA LOCAL INFILE `file` INTO TABLE `database`.`table` CHARACTER SET binary, the
// format's FIELDS and LINES, and the columns in the file's order (those in `bit_columns` read
// into a user variable and cast back). For a session with backslash escapes on.
std::string load_data_statement(export_format f, std::string_view file, std::string_view database,
                                std::string_view table, const std::vector<std::string>& columns,
                                const std::vector<std::string>& bit_columns);

}  // namespace weft::ops
