// What an admin statement answers: a result set, or an OK with a count, or an error. The
// operations answer the DBA in the same form (the steps they took), so it lives here, below the
// admin fronts that send it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.h"
#include "protocol/result_set.h"

namespace weft::ops {

// How far a long statement is, for a client that shows progress while it waits (the mariadb
// CLI, through MariaDB's progress reports).
struct progress_note {
  unsigned stage = 1, max_stage = 1;
  double fraction = 0;  // of the stage, 0..1
  std::string info;
};
using progress_sink = std::function<void(const progress_note&)>;

struct admin_result {
  std::vector<protocol::column_definition> columns;  // empty: an OK
  std::vector<protocol::text_row> rows;
  std::uint64_t affected = 0;
  std::string info;
  std::optional<protocol::err_packet> error;

  static admin_result failure(protocol::err_packet err) {
    admin_result r;
    r.error = std::move(err);
    return r;
  }
  static admin_result failure(protocol::error_spec spec, std::string message) {
    return failure(protocol::make_error(spec, std::move(message)));
  }
  // A result set of text columns.
  static admin_result table(std::initializer_list<const char*> names) {
    admin_result r;
    for (const char* n : names) r.columns.push_back(protocol::text_column(n));
    return r;
  }
  // One row of an (item, value) summary, the shape the long operations answer in.
  void add_item(std::string item, std::string value) { rows.push_back({std::move(item), std::move(value)}); }
};

}  // namespace weft::ops
