// An INSERT whose rows weft places itself (route_kind insert_ids / insert_split): keys taken
// from the table's global sequence are written into the text, and rows of several shards are
// cut into one INSERT per shard, each keeping the statement's text around its rows (IGNORE,
// ON DUPLICATE KEY UPDATE ...). Pure text work over the statement's shape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sharding/shard_catalog.h"
#include "sharding/statement_route.h"
#include "sharding/statement_shape.h"

namespace weft::sharding {

inline constexpr std::size_t no_key_column = static_cast<std::size_t>(-1);

// What placing the rows needs, copied out of the route (which points into a catalog snapshot).
struct insert_work {
  shard_map map;
  sharded_table table;
  statement_shape shape;
  std::size_t key_index = no_key_column;               // the key's position in the column list
  std::vector<std::optional<std::size_t>> row_shards;  // nullopt: the row needs a generated key
  std::vector<bool> generated;                         // the row's key comes from the sequence
  std::optional<std::uint64_t> first_id;               // the first generated key, once taken

  std::size_t ids_needed() const;
  // "db.t": the sequence's name.
  std::string table_name() const { return table.schema + "." + table.table; }
};

insert_work insert_work_of(const shard_route& route, statement_shape shape);

// Gives the rows without a key first, first + 1, ... in row order and places them. "" when every
// row has a shard; otherwise why not (a RANGE or LIST map with no shard for such a key).
std::string place_generated(insert_work& work, std::uint64_t first);

// The distinct shards the rows are on, ascending (after place_generated when keys were needed).
std::vector<std::size_t> shards_of_rows(const insert_work& work);

struct insert_part {
  std::size_t shard = 0;
  std::string sql;
  bool has_last_row = false;  // holds the statement's last row (whose insert id the server reports)
};

// One INSERT per shard in shards_of_rows order (none when a generated key could not be written
// into its row). `wrap_first`: the first generated key is written LAST_INSERT_ID(v), so the server
// sets LAST_INSERT_ID() and reports v as it would for a key it generated (used when the whole
// statement goes to one connection).
std::vector<insert_part> insert_parts(std::string_view sql, const insert_work& work, bool wrap_first);

}  // namespace weft::sharding
