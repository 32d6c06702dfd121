// Every EXPORT worker reads the source at one point: commits are blocked for the moment the
// workers open their consistent snapshots (MariaDB BACKUP STAGE BLOCK_COMMIT; FLUSH TABLES WITH
// READ LOCK where that is refused), and the binary log position of that point is recorded.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "monitor/mariadb_client.h"

namespace weft::ops {

struct snapshot_point {
  std::string method;  // "BACKUP STAGE BLOCK_COMMIT" or "FLUSH TABLES WITH READ LOCK"
  std::string gtid_position;
  std::string binlog_file;
  std::uint64_t binlog_position = 0;
  double commit_pause_ms = 0;  // how long commits were blocked
};

// Opens a REPEATABLE READ snapshot on every worker at one point, using `control` for the lock.
// Error text on failure (the lock is released whatever happens).
std::variant<snapshot_point, std::string> open_snapshots(monitor::mariadb_client& control,
                                                         const std::vector<monitor::mariadb_client*>& workers);

}  // namespace weft::ops
