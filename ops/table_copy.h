// Reading many tables at one point in time with several connections: the part EXPORT and CLONE
// share. Every worker's snapshot opens at one point (ops/export_snapshot.h); tables go to the
// workers largest first; each table's chunks go into the sink made for it (files, a server).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "monitor/mariadb_client.h"
#include "ops/export_snapshot.h"
#include "ops/export_table.h"
#include "ops/job_registry.h"

namespace weft::ops {

struct table_task {
  std::size_t database = 0;  // position in the caller's list of databases
  std::string database_name;
  std::string name;
  std::string stem;  // file names (EXPORT)
  std::uint64_t bytes = 0, estimated_rows = 0;
};

// What a copy reads: each database's entry (definitions when asked, its tables by name) and
// the tables as tasks, largest first.
struct copy_plan {
  std::vector<manifest_database> databases;
  std::vector<table_task> tasks;
  std::uint64_t estimated_rows = 0;  // the statistics' figure, for progress
};
std::variant<copy_plan, std::string> plan_copy(monitor::mariadb_client& control, const std::vector<std::string>& databases,
                                               bool definitions, bool data);

// The sink worker `worker` writes `task` into; nullptr with `why` set when it cannot be made.
using sink_factory = std::function<std::unique_ptr<chunk_sink>(std::size_t worker, const table_task& task, std::string& why)>;

// Reads every task's table (`tables[i]` gets task i's entry), reporting progress to `job` as
// chunks finish. The snapshot's point, or error text naming the table and chunk.
std::variant<snapshot_point, std::string> copy_tables(monitor::mariadb_client& control,
                                                      const std::vector<monitor::mariadb_client*>& workers,
                                                      const std::vector<table_task>& tasks, const sink_factory& sinks,
                                                      const export_settings& settings, job_context& job,
                                                      job_progress& progress, std::vector<manifest_table>& tables,
                                                      const std::string& reading_phase);

// Connections for a copy: `count` of them (at least one), each with `prepare` run; error text.
std::variant<std::vector<std::unique_ptr<monitor::mariadb_client>>, std::string> open_connections(
    const std::function<std::unique_ptr<monitor::mariadb_client>(std::string& why)>& connect, std::size_t count);

}  // namespace weft::ops
