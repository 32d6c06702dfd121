// Keys unique across the shards of a table whose shard key is AUTO_INCREMENT (each shard's own
// counter would repeat the others'). Blocks of keys are allocated from one row per table in
// `weft.shard_sequences` on the map's global group (the row is replicated with the group, so a
// failover keeps it) and served from a worker's memory until used up: a key costs a round trip
// only once per block. Keys are unique and increase within a worker; across workers and restarts
// they leave gaps, as AUTO_INCREMENT may. The first block a worker takes for a table starts
// above the highest key every shard holds.
//
// This file holds the pure parts: the blocks, the SQL that allocates them, and reading the
// answers. The session machine (session/machine_inserts.cc) runs the SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "protocol/bytes.h"
#include "sharding/shard_catalog.h"

namespace weft::sharding {

inline constexpr std::uint64_t sequence_block_size = 100;

class sequence_blocks {
 public:
  // `n` consecutive keys from the table's block (their first); nullopt: not enough left.
  std::optional<std::uint64_t> take(const std::string& table, std::size_t n);
  // A new block [end - size, end) for the table; what was left of the last one is dropped.
  void add(const std::string& table, std::uint64_t end, std::uint64_t size);
  // This worker checked the table's shards (highest key, AUTO_INCREMENT) since it started.
  bool probed(const std::string& table) const;
  void mark_probed(const std::string& table);
  bool store_ready = false;  // this worker made sure weft.shard_sequences exists

 private:
  struct block {
    std::uint64_t next = 0, end = 0;
    bool probed = false;
  };
  std::unordered_map<std::string, block> blocks_;
};

inline constexpr std::string_view sequence_database_sql = "CREATE DATABASE IF NOT EXISTS weft";
inline constexpr std::string_view sequence_table_sql =
    "CREATE TABLE IF NOT EXISTS weft.shard_sequences (table_name VARBINARY(255) NOT NULL PRIMARY KEY, "
    "next_value BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB";

// Run on each shard's primary: its highest key, and whether the key column is AUTO_INCREMENT.
std::string shard_probe_sql(const sharded_table& table);
// Run on the global group's primary: allocates `size` keys, none below `floor`; its one row's one
// value is the end of the block.
std::string allocation_sql(std::string_view table_name, std::uint64_t floor, std::uint64_t size);

struct shard_probe {
  std::optional<std::int64_t> highest;  // NULL: the shard holds no row
  bool auto_increment = false;
  std::string problem;  // the answer was an error or not the expected row
};
shard_probe read_shard_probe(protocol::bytes_view response, bool extended_type_info);

struct allocation {
  std::optional<std::uint64_t> end;
  std::string problem;
};
allocation read_allocation(protocol::bytes_view response, bool extended_type_info);

}  // namespace weft::sharding
