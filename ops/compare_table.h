// One table of a COMPARE: its shape (columns, the chunking key) as the servers describe it,
// the chunk plan, and each chunk compared on both servers at one consistent point.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "monitor/mariadb_client.h"
#include "ops/compare_sql.h"
#include "ops/row_diff.h"

namespace weft::ops {

struct compare_settings {
  std::chrono::milliseconds chunk_time{500};  // target time of one chunk's digest (pt-table-checksum's 0.5 s)
  std::size_t min_chunk_rows = 1000;
  std::size_t max_chunk_rows = 200000;
  std::size_t max_chunk_bytes = 64u << 20;  // rows a differing chunk holds in memory, both sides
  std::uint32_t max_replica_lag_seconds = 10;  // pause while a compared replica lags more
  std::chrono::seconds gtid_wait{60};          // a replica's wait for the source's position
  unsigned lock_retries = 5;                   // lock waits / deadlocks on the source, per chunk
};

// Columns and key of a table, from information_schema on one server; or why it cannot be read.
std::variant<table_shape, std::string> read_table_shape(monitor::mariadb_client& server, const std::string& database,
                                                        const std::string& table);
// Whether two servers' shapes compare row by row (same columns, types and collations).
std::optional<std::string> incompatible_shapes(const table_shape& a, const table_shape& b);

// SHOW CREATE TABLE without what does not matter (the AUTO_INCREMENT counter).
std::optional<std::string> normalized_definition(monitor::mariadb_client& server, const std::string& database,
                                                 const std::string& table);

// Rows per chunk for a table: as many as a timed sample's pace digests in the chunk time,
// within the settings' bounds and few enough that a differing chunk's rows fit in memory.
std::size_t rows_per_chunk(monitor::mariadb_client& server, const table_shape& t, const std::string& where,
                           const std::vector<std::string>& ignore, const compare_settings& s);

// The upper boundary of the chunk after `lower` (`rows` rows), walking the key on `server`
// just before that chunk is read, while its pages are hot; nullopt inside when fewer rows are
// left (the last chunk is open-ended). Error text on failure.
std::variant<std::optional<key_literals>, std::string> next_boundary(monitor::mariadb_client& server,
                                                                     const table_shape& t,
                                                                     const std::optional<key_literals>& lower,
                                                                     std::size_t rows);

// The table's size as the server's statistics estimate it (for progress before it is read).
std::uint64_t estimated_rows(monitor::mariadb_client& server, const table_shape& t);

struct chunk_outcome {
  std::uint64_t rows_a = 0, rows_b = 0;
  bool differs = false;
  std::vector<monitor::result_column> columns;  // when it differs: what the rows' values are
  std::vector<row_difference> differences;
};

// The pair to compare and, when one replicates from the other, which one is the source.
struct compare_pair {
  monitor::mariadb_client* a = nullptr;
  monitor::mariadb_client* b = nullptr;
  enum class source_side { none, a, b } source = source_side::none;
};

// One chunk on both servers. With a replication source, the source's chunk is share-locked in
// a transaction, its position read, and the replica's read waits for that position: both read
// the same rows however busy the source is. Error text on failure.
std::variant<chunk_outcome, std::string> compare_chunk(const compare_pair& pair, const table_shape& t,
                                                       const std::string& condition, const std::string& where,
                                                       const std::vector<std::string>& ignore,
                                                       const compare_settings& settings);

}  // namespace weft::ops
