// A shard map: how the tables mapped to it are cut into shards, each shard one group of servers,
// with a global group for unsharded tables and global DDL (as in MySQL Fabric). The types are
// Fabric's (HASH, RANGE over integers, RANGE_STRING, RANGE_DATETIME) and LIST.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sharding/shard_key.h"

namespace weft::sharding {

enum class map_type { hash, range, range_string, range_datetime, list };

// "HASH", "RANGE" (or Fabric's "RANGE_INTEGER"), "RANGE_STRING", "RANGE_DATETIME", "LIST";
// any case.
std::optional<map_type> map_type_named(std::string_view name);
std::string_view map_type_name(map_type type);

// The key kind a RANGE type fixes (HASH and LIST: none, the columns decide).
std::optional<key_kind> fixed_key_kind(map_type type);

struct shard {
  std::string group;
  // RANGE types: one lower bound (the shard holds keys from it up to the next shard's bound);
  // LIST: the values the shard holds; HASH: none.
  std::vector<std::string> bounds;
};

struct shard_map {
  std::string name;
  map_type type = map_type::hash;
  // What its keys are: fixed by the RANGE types, the sharded columns' for HASH and LIST (an
  // integer column's key 5 and '05' are one key; a string column's are two).
  key_kind key = key_kind::integer;
  std::string global_group;
  std::vector<shard> shards;
};

// What makes the map unusable, one sentence each (none: it can route): a group named twice or
// also the global group, a bound that is not of the map's type, RANGE bounds that repeat,
// a LIST value on two shards, bounds on a HASH shard, a key kind the RANGE type does not take.
std::vector<std::string> validate(const shard_map& map);

}  // namespace weft::sharding
