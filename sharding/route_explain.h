// EXPLAIN ROUTE: how the proxy would route one statement by the shard maps, in words a DBA
// reads: each place the statement goes, what is sent there, and how the answers merge. It
// decides exactly as the proxy does (shard_decision.h, over the same lexing), so what it says
// is what happens; only the query rules are not applied (they are matched per session).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sharding/key_collation.h"
#include "sharding/shard_catalog.h"

namespace weft::sharding {

struct route_step {
  std::string target;  // a group's name, or "(session's group)"
  std::string sql;     // what is sent there
  std::string detail;  // "shard 2 of map users_map (key 7)": shard n is the map's nth, in the order added
};

struct route_explanation {
  // "unsharded", "global group", "one shard", "N shards (scatter-gather)", "refused"
  std::string route;
  std::string map;                // the map that decided ("" when unsharded)
  std::string table;              // the sharded table it names, db.table ("" when unsharded)
  std::vector<route_step> steps;  // none when refused
  std::string merge;              // several shards: how their answers become one (scatter_plan::describe())
  std::string refusal;            // refused: the proxy's error text without "weft: "
};

// `schema`: the database of unqualified names, as the session's current one ("": none).
// `folding`: how string keys beyond ASCII fold (the proxy's; the admin has none).
route_explanation explain_route(std::string_view sql, std::string_view schema, const catalog& shards,
                                key_folding* folding = nullptr);

// The answer to EXPLAIN ROUTE (admin port and proxy port alike): columns step, target, sql,
// detail; one row per place the statement goes, then `merge` when answers merge; a refused
// statement is one row `refused` with the reason.
inline constexpr const char* explain_columns[] = {"step", "target", "sql", "detail"};
std::vector<std::vector<std::optional<std::string>>> explanation_rows(const route_explanation& e,
                                                                      std::string_view statement);

}  // namespace weft::sharding
