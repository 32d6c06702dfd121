// Key -> shard for a validated map: the shard's position in map.shards, or nullopt when no
// shard holds the key (below every RANGE bound, in no LIST).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "sharding/shard_map.h"

namespace weft::sharding {

// `normalized`: from normalized_key(map.key, ...).
std::optional<std::size_t> shard_of(const shard_map& map, std::string_view normalized);

// RANGE types: the shards that hold keys from `low` to `high` (both normalized, both included),
// ascending by position.
std::vector<std::size_t> shards_between(const shard_map& map, std::string_view low, std::string_view high);

}  // namespace weft::sharding
