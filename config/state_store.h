// The persisted runtime configuration: an SQLite file holding the config tables
// (config_tables.h). Every change is one SQLite transaction (WAL, synchronous=FULL), so a crash
// at any moment leaves the previous or the new configuration, never a mix. weft.toml
// bootstraps an empty state; later starts load the state and report how the file differs.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "config/config_tables.h"
#include "config/failover_event.h"

namespace weft::config {

struct sqlite_closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using sqlite_db = std::unique_ptr<sqlite3, sqlite_closer>;

// Opens (creating if needed) a connection to the state file, with the tables in place. Each
// admin session has its own connection; SQLite serializes writers.
sqlite_db open_state(const std::string& path);

// One difference between the configuration file and the persisted state.
struct config_difference {
  std::string table;
  std::string key;         // the row's primary key
  std::string in_file;     // the row as the file has it ("" when absent)
  std::string in_state;    // the row as the state has it ("" when absent)
};

class state_store {
 public:
  explicit state_store(std::string path);

  const std::string& path() const { return path_; }
  bool empty();  // nothing saved yet (a first start)
  void save(const table_config& config);  // one transaction
  table_read_result load();
  // Rows that differ between `file` and the persisted state.
  std::vector<config_difference> diff(const table_config& file);
  // The HA history (table failover_history), so that failover_log outlives a restart.
  void record_event(const failover_event& event);
  std::vector<failover_event> recent_events(std::size_t limit);

 private:
  std::string path_;
  sqlite_db db_;
};

// Rows that differ between the tables of two schemas of one connection (for SHOW CONFIG DIFF).
std::vector<config_difference> diff_schemas(sqlite3* db, const std::string& file_schema,
                                            const std::string& state_schema);

}  // namespace weft::config
