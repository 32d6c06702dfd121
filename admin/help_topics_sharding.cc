// HELP's texts: Sharding and jobs (see help_topics.h).
#include "admin/help_topics.h"

namespace weft::admin {
namespace {

constexpr help_topic topics[] = {
    // --- Sharding: weft's form, with MySQL Fabric's CALL sharding.x as an alias ----------------
    {.name = "CREATE SHARD MAP",
     .category = "Sharding",
     .syntax = R"~(CREATE SHARD MAP m TYPE HASH | RANGE | RANGE_STRING | RANGE_DATETIME | LIST
    [KEY INTEGER | STRING | DATETIME] GLOBAL GROUP gg
CALL sharding.create_definition('type', 'gg'))~",
     .description = R"~(Makes a shard map: how the tables mapped to it are cut into shards by one
column (the shard key), each shard a group. The global group gg holds the
unsharded tables and DDL and replicates them to every shard. KEY says what
a HASH or LIST map's keys are (INTEGER by default); the RANGE types fix
their own. The Fabric form numbers its maps and answers the new id.)~",
     .needs = configuration_only,
     .example = "CREATE SHARD MAP users_map TYPE HASH GLOBAL GROUP global;",
     .aliases = {"CALL sharding.create_definition"}},
    {.name = "DROP SHARD MAP",
     .category = "Sharding",
     .syntax = "DROP SHARD MAP m\nCALL sharding.remove_definition(m)",
     .description = R"~(Removes a shard map and its shards. Refused while tables are mapped to it
(REMOVE SHARD TABLE them first).)~",
     .needs = configuration_only,
     .example = "DROP SHARD MAP users_map;",
     .aliases = {"CALL sharding.remove_definition"}},
    {.name = "ADD SHARD TABLE",
     .category = "Sharding",
     .syntax = "ADD SHARD TABLE db.t COLUMN c TO MAP m\nCALL sharding.add_table(m, 'db.t', 'c')",
     .description = R"~(Maps a table to a shard map, cut by column c: the proxy sends its
statements to the shard their key names (see EXPLAIN ROUTE).)~",
     .needs = configuration_only,
     .example = "ADD SHARD TABLE weft_test.users COLUMN id TO MAP users_map;",
     .aliases = {"CALL sharding.add_table"}},
    {.name = "REMOVE SHARD TABLE",
     .category = "Sharding",
     .syntax = "REMOVE SHARD TABLE db.t\nCALL sharding.remove_table('db.t')",
     .description = R"~(Unmaps a table: its statements go to the session's group again, as
without sharding. No rows move.)~",
     .needs = configuration_only,
     .example = "REMOVE SHARD TABLE weft_test.users;",
     .aliases = {"CALL sharding.remove_table"}},
    {.name = "ADD SHARD",
     .category = "Sharding",
     .syntax = R"~(ADD SHARD TO MAP m GROUP g [BOUND v [, v ...]]
CALL sharding.add_shard(m, 'g/bound, g/bound ...', 'ENABLED'))~",
     .description = R"~(Adds a shard, the group g, to a map. A RANGE shard names its lower bound
(it holds keys from there up to the next shard's bound); a LIST shard its
values; a HASH shard nothing. The group must have servers. Rows already
stored are not moved (resharding is a later step), and weft says so.)~",
     .needs = configuration_only,
     .example = R"~(ADD SHARD TO MAP users_map GROUP shard1;
ADD SHARD TO MAP orders_map GROUP shard2 BOUND 1000;
ADD SHARD TO MAP region_map GROUP shard1 BOUND 'eu', 'uk';)~",
     .aliases = {"CALL sharding.add_shard"}},
    {.name = "REMOVE SHARD",
     .category = "Sharding",
     .syntax = "REMOVE SHARD FROM MAP m GROUP g\nCALL sharding.remove_shard(shard_id)",
     .description = R"~(Takes a shard out of a map: its keys belong to the other shards from then
on. No rows move.)~",
     .needs = configuration_only,
     .example = "REMOVE SHARD FROM MAP orders_map GROUP shard2;",
     .aliases = {"CALL sharding.remove_shard"}},
    {.name = "SHOW SHARD MAPS",
     .category = "Sharding",
     .syntax = "SHOW SHARD MAPS\nCALL sharding.list_definitions()",
     .description = R"~(Lists the shard maps: map, type, key_type, global_group and how many
shards and tables each has (Fabric's form: mapping_id, type_name,
global_group_id).)~",
     .needs = weft_state_only,
     .example = "SHOW SHARD MAPS;",
     .aliases = {"CALL sharding.list_definitions"}},
    {.name = "SHOW SHARD TABLES",
     .category = "Sharding",
     .syntax = "SHOW SHARD TABLES\nCALL sharding.list_tables(['type'])",
     .description = "Lists the sharded tables: table, column (the shard key), map, type and\nglobal group.",
     .needs = weft_state_only,
     .example = "SHOW SHARD TABLES;",
     .aliases = {"CALL sharding.list_tables"}},
    {.name = "SHOW SHARDS",
     .category = "Sharding",
     .syntax = "SHOW SHARDS [FROM MAP m]",
     .description = R"~(Lists the shards: map, shard_id, group, bound (one row per value of a
LIST shard) and the group's primary.)~",
     .needs = weft_state_only,
     .example = "SHOW SHARDS FROM MAP orders_map;"},
    {.name = "FABRIC SHARDING",
     .category = "Sharding",
     .syntax = R"~(CALL sharding.create_definition('type', 'gg')      CREATE SHARD MAP
CALL sharding.remove_definition(m)                 DROP SHARD MAP
CALL sharding.add_table(m, 'db.t', 'c')            ADD SHARD TABLE
CALL sharding.remove_table('db.t')                 REMOVE SHARD TABLE
CALL sharding.add_shard(m, 'g/b, ...', 'ENABLED')  ADD SHARD
CALL sharding.remove_shard(shard_id)               REMOVE SHARD
CALL sharding.list_definitions()                   SHOW SHARD MAPS
CALL sharding.list_tables(['type'])                SHOW SHARD TABLES
CALL sharding.lookup_servers('db.t', key, 'LOCAL' | 'GLOBAL'))~",
     .description = R"~(MySQL Fabric's RPC spelling of the sharding commands, with Fabric's
arguments (maps are numbered), so old scripts keep working: each CALL
does what the command beside it does. lookup_servers lists the servers
(server_uuid, address, status, mode, weight) of the group holding the
key, or with 'GLOBAL' of the table's global group.)~",
     .needs = "what the command beside it needs; lookup_servers: nothing.",
     .example = R"~(CALL sharding.create_definition('RANGE_STRING', 'global');
CALL sharding.lookup_servers('weft_test.names', 'Zed', 'LOCAL');)~",
     .aliases = {"CALL sharding", "CALL sharding.lookup_servers", "mysqlfabric"}},
    {.name = "EXPLAIN ROUTE",
     .category = "Sharding",
     .syntax = "EXPLAIN ROUTE [IN db] statement",
     .description = R"~(How the proxy port would route the statement by the shard maps, decided
exactly as the proxy decides: one row per place it goes (step, target,
sql, detail: the group, the SQL sent there, which shard of which map and
by what key), then for a read across shards a row 'merge' saying how weft
merges the answers (union, sort, re-aggregate, LIMIT); a statement the
proxy would refuse is one row 'refused' with the proxy's reason. IN db is
the session's database for unqualified names; without it, only names
written db.table can be sharded. Query rules are not applied. A hint
/* weft: shard_key=v */ counts (the mariadb CLI keeps comments only when
started with --comments).)~",
     .needs = weft_state_only,
     .example = R"~(EXPLAIN ROUTE SELECT * FROM weft_test.users WHERE id = 7;
EXPLAIN ROUTE IN weft_test SELECT name FROM orders ORDER BY name LIMIT 20, 10;
EXPLAIN ROUTE INSERT INTO weft_test.users (id, name) VALUES (7, 'ann');
EXPLAIN ROUTE /* weft: shard_key=7 */ SELECT * FROM weft_test.users u
    JOIN weft_test.countries c USING (country);)~",
     .aliases = {"EXPLAIN"}},

    // --- Jobs ----------------------------------------------------------------------------------
    {.name = "SHOW JOBS",
     .category = "Job control",
     .syntax = "SHOW JOBS",
     .description = R"~(Lists the jobs, the long operations weft runs in the background (COMPARE
DATABASE): id, command, state (queued, running, done, failed, killed,
interrupted), phase, rows and chunks done of the total, rows per second,
the seconds left, start and end times, the last error. Jobs and their
checkpoints are kept in the state file: a job running when weft stops
resumes by itself at the next start.)~",
     .needs = weft_state_only,
     .example = "SHOW JOBS;"},
    {.name = "SHOW JOB",
     .category = "Job control",
     .syntax = "SHOW JOB n",
     .description = R"~(A finished job's output: what its command answers (for COMPARE
DATABASE, the statements that repair the target, or the rows or summary
its FORMAT asked for). A job not finished yet shows its SHOW JOBS row.)~",
     .needs = weft_state_only,
     .example = "SHOW JOB 3;"},
    {.name = "KILL JOB",
     .category = "Job control",
     .syntax = "KILL JOB n",
     .description = R"~(Stops a running job at its next checkpoint (state killed); RESUME JOB n
continues it from there.)~",
     .needs = "nothing on the servers: weft closes the job's own connections.",
     .example = "KILL JOB 3;"},
    {.name = "RESUME JOB",
     .category = "Job control",
     .syntax = "RESUME JOB n",
     .description = R"~(Continues a job that is not running and not done (killed, failed,
interrupted) from its last checkpoint (for COMPARE DATABASE, the chunks
not compared yet), with the options it was started with.)~",
     .needs = "what the job's command needs (HELP COMPARE DATABASE).",
     .example = "RESUME JOB 3;"},
};

}  // namespace

std::span<const help_topic> sharding_help_topics() { return topics; }

}  // namespace weft::admin
