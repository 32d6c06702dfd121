// The shard maps as configuration tables (shard_maps, shard_tables, shards) and back: the
// sharding half of config_tables.
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

#include "sharding/shard_catalog.h"

namespace weft::config {

void write_shard_tables(sqlite3* db, const sharding::catalog& catalog, const std::string& schema);

// Reads the catalog; rows that cannot be read (an unknown type, a table name without a
// database) are errors, as are the catalog's own problems (sharding::validate).
sharding::catalog read_shard_tables(sqlite3* db, const std::string& schema, std::vector<std::string>& errors);

}  // namespace weft::config
