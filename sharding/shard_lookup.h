// Key -> shard for a validated map: the shard's position in map.shards, or nullopt when no
// shard holds the key (below every RANGE bound, in no LIST).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "sharding/shard_map.h"

namespace weft::sharding {

// `normalized`: from normalized_key(map.key, ...).
std::optional<std::size_t> shard_of(const shard_map& map, std::string_view normalized);

}  // namespace weft::sharding
