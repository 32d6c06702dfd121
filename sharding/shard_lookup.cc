#include "sharding/shard_lookup.h"

#include <algorithm>

namespace weft::sharding {
namespace {

// Whether key a sorts before key b as the map's kind compares them (integers as numbers;
// normalized datetimes and strings as bytes).
bool before(key_kind kind, std::string_view a, std::string_view b) {
  if (kind == key_kind::integer) return integer_key(a).value_or(0) < integer_key(b).value_or(0);
  return a < b;
}

// RANGE: the shard with the greatest lower bound not above the key.
std::optional<std::size_t> range_shard(const shard_map& map, std::string_view key) {
  std::optional<std::size_t> best;
  std::string best_bound;
  for (std::size_t i = 0; i < map.shards.size(); ++i) {
    const auto bound = normalized_key(map.key, map.shards[i].bounds.at(0));
    if (!bound || before(map.key, key, *bound)) continue;
    if (!best || before(map.key, best_bound, *bound)) best = i, best_bound = *bound;
  }
  return best;
}

}  // namespace

std::vector<std::size_t> shards_between(const shard_map& map, std::string_view low, std::string_view high) {
  std::vector<std::size_t> out;
  if (before(map.key, high, low)) return out;
  // The shard holding `low`, and every shard whose lower bound lies in (low, high].
  const auto first = range_shard(map, low);
  for (std::size_t i = 0; i < map.shards.size(); ++i) {
    const auto bound = normalized_key(map.key, map.shards[i].bounds.at(0));
    if (i == first || (bound && before(map.key, low, *bound) && !before(map.key, high, *bound))) out.push_back(i);
  }
  return out;
}

std::optional<std::size_t> shard_of(const shard_map& map, std::string_view normalized) {
  if (map.shards.empty()) return std::nullopt;
  switch (map.type) {
    case map_type::hash: return jump_bucket(key_hash(normalized), map.shards.size());
    case map_type::list:
      for (std::size_t i = 0; i < map.shards.size(); ++i) {
        for (const auto& v : map.shards[i].bounds) {
          if (normalized_key(map.key, v) == normalized) return i;
        }
      }
      return std::nullopt;
    case map_type::range:
    case map_type::range_string:
    case map_type::range_datetime: break;
  }
  return range_shard(map, normalized);
}

}  // namespace weft::sharding
