// MariaDB's progress report: while a long statement runs, a server may send packets shaped like
// an ERR with code 0xFFFF to a client that announced MARIADB_CLIENT_PROGRESS; the client shows
// them (the mariadb CLI: "Stage: 1 of 2 'comparing' 42.5% of stage done") and keeps waiting for
// the statement's answer, whose sequence numbers continue after them.
#pragma once

#include <cstdint>
#include <string_view>

#include "protocol/bytes.h"

namespace weft::protocol {

struct progress_report {
  std::uint8_t stage = 1;      // 1 .. max_stage
  std::uint8_t max_stage = 1;
  std::uint32_t progress = 0;  // within the stage, in thousandths of a percent: 0 .. 100000
  std::string_view info;       // what the stage is doing
};

// FF FF FF, one string follows (01), stage, max_stage, progress (3 bytes), info (length-encoded).
bytes encode(const progress_report& r);

}  // namespace weft::protocol
