// Where one client statement goes, decided before it is sent: the classifier's view of it, the
// query rules (candidates cached per digest, so re2 runs again only for raw-text rules), hints,
// and the read/write split. No I/O: the session machine acts on the plan.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/messages.h"
#include "routing/classifier.h"
#include "routing/query_rules.h"
#include "routing/rw_split.h"
#include "routing/statement_analysis.h"
#include "session/result_caching.h"
#include "sharding/global_sequence.h"
#include "sharding/insert_rows.h"
#include "sharding/scatter_plan.h"
#include "sharding/shard_catalog.h"
#include "sharding/statement_route.h"

namespace weft::session {

// What planning keeps between statements of one worker (its thread only): the rule candidates
// by digest, and a buffer for digest text.
struct planner_cache {
  routing::rule_cache rules;
  std::uint64_t rules_version = 0;  // of the rules the cache was filled for
  std::string scratch;
  routing::statement_tokens tokens;  // the current statement's tokens, reused (lexed once)
  routing::rule_hits* hits = nullptr;  // where matched rules are counted (the worker's statistics)
  sharding::sequence_blocks sequences;  // keys of sharded tables' global sequences, by block
  sharding::key_collations collations;  // how sharded tables' string keys beyond ASCII fold
};

struct query_plan {
  routing::statement_info info;
  routing::target_role role = routing::target_role::primary;
  std::string group;  // empty: the session's group
  bool pins = false;  // the statement leaves state on its connection
  std::string_view pin_reason;
  bool reads_insert_id = false;  // LAST_INSERT_ID() is set on the connection first
  bool sets_insert_id = false;   // LAST_INSERT_ID(expr): the new value is read back after it
  bool replayable_set = false;
  std::optional<std::string> use_schema;  // a plain USE: a schema change, not a pin
  std::optional<protocol::err_packet> refusal;  // blocked by a rule
  std::optional<std::string> replacement;       // text to send instead (rewrite, timeout)
  std::uint32_t rule_id = 0;                     // first matching rule (0: none)
  // The group came from a shard map (a shard, or the global group for DDL): a connection held
  // in another group means the transaction would span two shards.
  bool sharded = false;
  // A read across shards: the groups it goes to (one lane each) and how their answers merge.
  std::vector<std::string> scatter_groups;
  std::optional<sharding::scatter_plan> scatter;
  // An INSERT whose rows weft places: keys from the global sequence, or one INSERT per shard.
  std::optional<sharding::insert_work> insert;
  // A string key beyond ASCII needs this table's key collation, which the worker has not learned:
  // learn it (session/machine_collations.cc), then plan again.
  std::optional<sharding::sharded_table> collation_wanted;
  // An UPDATE/DELETE hinted /* weft: shards=all */: run on each of these groups, a transaction each.
  std::vector<std::string> write_groups;
  // A rule's cache_ttl_ms, when the read may be cached (check_cacheable_read), and its tables.
  std::uint32_t cache_ttl_ms = 0;
  std::vector<std::string> cache_tables;
  // The tables the statement may change (worked out only while the result cache is on).
  std::optional<written_tables> writes;
};

struct session_facts {
  std::string_view user;
  std::string_view schema;
  std::string_view client_address;
  std::string_view group;  // the session's group
  std::string_view key_charset;  // the connection's character set, for string keys ("": unknown)
  bool may_learn_collations = true;  // a key column's collation not learned yet is asked for
  bool result_cache = false;  // the result cache is on: writes name the tables they change
};

query_plan plan_query(std::string_view sql, const session_facts& session, const routing::topology& topology,
                      const std::vector<routing::query_rule>& rules, const sharding::catalog& shards,
                      planner_cache& cache);

// Where a statement on sharded tables goes (sets plan.group, plan.sharded, or plan.refusal);
// statements that name only unsharded tables go where they would without sharding (the
// session's group: a sharded deployment makes the global group the default one).
// `params`: a prepared statement's bound values (empty for text).
void apply_shard_route(query_plan& plan, const session_facts& session, const sharding::catalog& shards,
                       planner_cache& cache, sharding::parameter_values params = {});

// Whether a prepared statement's executes may be answered by the result cache: a rule's
// cache_ttl_ms (0: none, or the statement may not be cached) and the tables it reads. Only the
// cache_ttl_ms of rules applies to prepared statements (their other actions are for text).
struct statement_caching {
  std::uint32_t ttl_ms = 0;
  std::vector<std::string> tables;
};
statement_caching plan_statement_caching(std::string_view sql, const session_facts& session,
                                         const std::vector<routing::query_rule>& rules, planner_cache& cache);

// The digest text of a statement seen for the first time, for the statistics.
std::string_view digest_text_for_stats(std::string_view sql, planner_cache& cache);

}  // namespace weft::session
