// Where a statement on sharded tables goes: the shards its key conditions name, the global group
// for DDL, or a refusal that says why. Decided from the statement's shape (statement_shape.h)
// and the catalog; never a guess: a statement whose shards weft cannot know for certain goes to
// every shard the map has (a read) or is refused (a write).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sharding/key_collation.h"
#include "sharding/shard_catalog.h"
#include "sharding/statement_shape.h"

namespace weft::sharding {

enum class route_kind : std::uint8_t {
  unsharded,  // names no sharded table: where it would go without sharding (or the global group)
  global,     // DDL on a sharded table: the map's global group, which replicates it to every shard
  shards,     // the shards listed (one: sent as it is)
  refused,    // `reason` says why
  // INSERT/REPLACE ... (columns) VALUES whose rows weft places itself (sharding/insert_rows.h):
  insert_ids,    // rows without a key (the key column not written, or NULL): keys from the
                 // table's global sequence first, then placed
  insert_split,  // rows of several shards: one INSERT per shard, in one transaction each
  write_shards,  // UPDATE/DELETE on several shards (no key, or keys of several), hinted
                 // /* weft: shards=all */: the statement on each, in one transaction each
};

struct shard_route {
  route_kind kind = route_kind::unsharded;
  const shard_map* map = nullptr;
  const sharded_table* table = nullptr;
  std::vector<std::size_t> shards;  // positions in map->shards, ascending, no repeats
  bool every_shard = false;         // no key condition narrowed it: all of the map's shards
  // insert_ids, insert_split: the key's position in the column list (npos: not written) and each
  // row's shard (nullopt: the row needs a key from the sequence).
  std::size_t key_index = static_cast<std::size_t>(-1);
  std::vector<std::optional<std::size_t>> row_shards;
  std::string reason;               // refused: the error's text

  bool single() const { return kind == route_kind::shards && shards.size() == 1; }
  std::string_view group() const;   // single(): that shard's group; global: the global group
};

// A bound parameter's value as text, for keys of prepared statements (no text: NULL, or a type
// that is no key); `number`: bound as a number (a string key compares with it as a number).
struct bound_value {
  std::optional<std::string> text;
  bool number = false;
  bool null = false;  // bound as NULL (a row without its key: one from the global sequence)
};
using parameter_values = std::span<const bound_value>;

struct route_input {
  const statement_shape& shape;
  std::string_view schema;    // the session's current database (for unqualified names)
  std::string_view hint;      // the `/* weft: ... */` comment's body ("": none)
  parameter_values params{};  // of COM_STMT_EXECUTE (empty for text statements)
  // The statement's tokens, for what its shape does not say (a statement weft does not parse
  // naming a sharded table, the columns an UPDATE assigns); none: those checks are skipped.
  const routing::statement_tokens* tokens = nullptr;
  // How string keys beyond ASCII fold (none: they place nothing); routing writes what it missed.
  key_folding* folding = nullptr;
};

shard_route route_statement(const route_input& in, const catalog& shards);

// The value of `name=` in a hint's body ("shard_key=42", quotes removed), if any.
std::optional<std::string> hint_value(std::string_view hint, std::string_view name);

}  // namespace weft::sharding
