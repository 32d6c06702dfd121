#include "ops/export_snapshot.h"

#include <chrono>

namespace weft::ops {
namespace {

using clock = std::chrono::steady_clock;

std::string failure(monitor::mariadb_client& c, const std::string& doing) {
  return c.address().to_string() + ": " + doing + ": " + c.error();
}

// Blocks commits on `control`; the statement that releases them, or the error.
std::variant<std::pair<std::string, std::string>, std::string> block_commits(monitor::mariadb_client& control) {
  // BACKUP STAGE (MariaDB 10.4.1+) blocks commits without blocking writes in flight.
  if (control.execute("BACKUP STAGE START")) {
    if (control.execute("BACKUP STAGE BLOCK_COMMIT")) {
      return std::pair<std::string, std::string>("BACKUP STAGE BLOCK_COMMIT", "BACKUP STAGE END");
    }
    const auto why = failure(control, "BACKUP STAGE BLOCK_COMMIT");
    control.execute("BACKUP STAGE END");
    return why;
  }
  if (control.execute("FLUSH TABLES WITH READ LOCK")) {
    return std::pair<std::string, std::string>("FLUSH TABLES WITH READ LOCK", "UNLOCK TABLES");
  }
  return failure(control, "FLUSH TABLES WITH READ LOCK (BACKUP STAGE was refused too)");
}

std::optional<std::string> start_snapshot(monitor::mariadb_client& worker) {
  if (!worker.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ") ||
      !worker.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")) {
    return failure(worker, "START TRANSACTION WITH CONSISTENT SNAPSHOT");
  }
  return std::nullopt;
}

std::optional<std::string> read_position(monitor::mariadb_client& control, snapshot_point& point) {
  const auto gtid = control.scalar("SELECT @@gtid_binlog_pos");
  if (!gtid) return failure(control, "SELECT @@gtid_binlog_pos");
  point.gtid_position = *gtid;
  const auto status = control.query("SHOW MASTER STATUS");
  if (!status) return failure(control, "SHOW MASTER STATUS");
  if (!status->rows.empty() && status->rows[0].size() >= 2) {
    point.binlog_file = status->rows[0][0].value_or("");
    point.binlog_position = std::stoull(status->rows[0][1].value_or("0"));
  }
  return std::nullopt;
}

}  // namespace

std::variant<snapshot_point, std::string> open_snapshots(monitor::mariadb_client& control,
                                                         const std::vector<monitor::mariadb_client*>& workers) {
  auto blocked = block_commits(control);
  if (auto* why = std::get_if<std::string>(&blocked)) return *why;
  const auto began = clock::now();
  const auto& [method, release] = std::get<0>(blocked);
  snapshot_point point;
  point.method = method;
  std::optional<std::string> failed;
  for (auto* w : workers) {
    if (!failed) failed = start_snapshot(*w);
  }
  if (!failed) failed = read_position(control, point);
  const bool released = control.execute(release);
  point.commit_pause_ms = std::chrono::duration<double, std::milli>(clock::now() - began).count();
  if (failed) return *failed;
  if (!released) return failure(control, release);
  return point;
}

}  // namespace weft::ops
