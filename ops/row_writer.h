// How a chunk's streamed rows become the text of its file: SQL INSERTs (export_table.cc) or
// delimited text (delimited_text.h). EXPORT picks one per format; CLONE always writes SQL.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "monitor/sql_result.h"

namespace weft::ops {

class row_writer {
 public:
  virtual ~row_writer() = default;
  // The result's columns, before the first row.
  virtual void columns(const std::vector<monitor::result_column>& c) = 0;
  // One row, its values valid during the call only.
  virtual void row(const std::vector<monitor::value_view>& values) = 0;
  // The chunk's text; the writer is done.
  virtual std::string finish() = 0;
  virtual std::uint64_t rows() const = 0;
};

}  // namespace weft::ops
