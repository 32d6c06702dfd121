// What COMPARE found, per table and per difference, as saved in the job's checkpoints and as
// the DBA reads it: FORMAT SQL (statements to apply, counts as comments), ROWS (one row per
// difference) or SUMMARY (one row per table).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ops/admin_result.h"
#include "ops/compare_command.h"
#include "ops/row_diff.h"

namespace weft::ops {

struct reported_difference {
  std::string kind;  // missing, extra, changed (seen from b: missing on b, extra on b)
  std::string key;   // `id` = 5
  std::string on_a, on_b;    // the rows as value tuples ("" when absent)
  std::string repair_a, repair_b;  // the statement for each side
};

struct chunk_report {
  std::uint64_t rows_a = 0, rows_b = 0;
  std::vector<reported_difference> differences;
};
std::string pack_chunk(const chunk_report& c);
std::optional<chunk_report> unpack_chunk(const std::string& packed);
chunk_report report_chunk(const table_shape& t, const std::vector<monitor::result_column>& columns,
                          const std::vector<row_difference>& differences, std::uint64_t rows_a, std::uint64_t rows_b,
                          const std::vector<std::string>& ignore);

struct table_report {
  std::string name;
  bool on_a = true, on_b = true;
  std::optional<bool> same_definition;
  std::string skipped;          // why the data was not compared ("" when it was)
  std::string note;             // e.g. "no key: compared whole"
  std::vector<std::string> definition_sql;  // DIFF SCHEMA's statements for this table (CHANGES FOR side)
  std::uint64_t rows_a = 0, rows_b = 0;  // counted
  std::uint64_t chunks = 0, chunks_differing = 0;
  std::vector<reported_difference> differences;
};

admin_result render_report(const compare_command& c, const std::vector<table_report>& tables);

}  // namespace weft::ops
