// HELP's texts: High availability and replication (see help_topics.h).
#include "admin/help_topics.h"

namespace weft::admin {
namespace {

constexpr help_topic topics[] = {
    // --- High availability: weft's form, with MySQL Fabric's CALL group.x as an alias ---------
    {.name = "CREATE GROUP",
     .category = "High availability",
     .syntax = "CREATE GROUP g\nCALL group.create('g')",
     .description = R"~(Adds an empty group to the configuration. Its first server added becomes
its primary (ADD SERVER).)~",
     .needs = configuration_only,
     .example = "CREATE GROUP shard_b;",
     .aliases = {"CALL group.create"}},
    {.name = "ADD SERVER",
     .category = "High availability",
     .syntax = "ADD SERVER 'host:port' TO GROUP g\nCALL group.add('g', 'host:port')",
     .description = R"~(Adds a server to a group: the first one added is the primary, later ones
replicas. Routing and the monitor take it at once. Replication is not set
up: see REPLICATE.)~",
     .needs = configuration_only,
     .example = "ADD SERVER '10.0.0.5:3306' TO GROUP shard_b;",
     .aliases = {"CALL group.add"}},
    {.name = "REMOVE SERVER",
     .category = "High availability",
     .syntax = "REMOVE SERVER 'host:port' [FROM GROUP g]\nCALL group.remove('g', 'host:port')",
     .description = R"~(Takes a server out of weft's configuration: no new statements go there and
the monitor stops checking it. The server itself is not changed.)~",
     .needs = configuration_only,
     .example = "REMOVE SERVER '10.0.0.5:3306';",
     .aliases = {"CALL group.remove"}},
    {.name = "PROMOTE GROUP",
     .category = "High availability",
     .syntax = "PROMOTE GROUP g [TO 'host:port']\nCALL group.promote('g' [, 'host:port'])",
     .description = R"~(Makes another server the group's primary. With a live primary this is a
switchover: weft holds the group's new statements, lets those in flight
finish, sets the old primary read_only, waits until the candidate applied
its last GTID, promotes it, repoints the other replicas and the old
primary, publishes the new roles and releases the held statements. With
the primary gone it is a failover to the most advanced replica. Without
TO, the candidate is the most advanced replica (among the group's
candidates, if set). Answers one row per step (step, server, outcome,
detail, ms), or error 9012 naming the steps that failed.)~",
     .needs = R"~(on every server of the group, READ_ONLY ADMIN, REPLICATION SLAVE ADMIN,
REPLICA MONITOR and PROCESS (MariaDB 10.5+; SUPER before), or
SYSTEM_VARIABLES_ADMIN, REPLICATION_SLAVE_ADMIN, REPLICATION CLIENT and
PROCESS (MySQL 8).)~",
     .example = "PROMOTE GROUP main TO '127.0.0.1:23307';\nPROMOTE GROUP main;",
     .aliases = {"CALL group.promote", "SWITCHOVER", "mysqlrpladmin"}},
    {.name = "DEMOTE GROUP",
     .category = "High availability",
     .syntax = "DEMOTE GROUP g\nCALL group.demote('g')",
     .description = R"~(Sets the group's primary read_only and OFFLINE_SOFT: no writes reach the
group until PROMOTE GROUP.)~",
     .needs = R"~(on the primary, READ_ONLY ADMIN (MariaDB 10.5+; SUPER before) or
SYSTEM_VARIABLES_ADMIN (MySQL 8).)~",
     .example = "DEMOTE GROUP main;",
     .aliases = {"CALL group.demote"}},
    {.name = "ACTIVATE GROUP",
     .category = "High availability",
     .syntax = "ACTIVATE GROUP g\nCALL group.activate('g')",
     .description = R"~(Turns automatic failover on for the group (its failover column becomes
'auto'): when the monitor finds the primary gone, weft elects and promotes
a replica by itself.)~",
     .needs = configuration_only,
     .example = "ACTIVATE GROUP main;",
     .aliases = {"CALL group.activate"}},
    {.name = "DEACTIVATE GROUP",
     .category = "High availability",
     .syntax = "DEACTIVATE GROUP g\nCALL group.deactivate('g')",
     .description = "Turns automatic failover off for the group (failover = 'off').",
     .needs = configuration_only,
     .example = "DEACTIVATE GROUP main;",
     .aliases = {"CALL group.deactivate"}},
    {.name = "SHOW GROUPS",
     .category = "High availability",
     .syntax = "SHOW GROUPS\nCALL group.lookup_groups()",
     .description = "Lists the groups: primary, replicas, failover mode and status.",
     .needs = weft_state_only,
     .example = "SHOW GROUPS;",
     .aliases = {"CALL group.lookup_groups"}},
    {.name = "SHOW GROUP SERVERS",
     .category = "High availability",
     .syntax = "SHOW GROUP g SERVERS\nCALL group.lookup_servers('g')",
     .description = "Lists a group's servers: address, role, status, mode, weight and health.",
     .needs = weft_state_only,
     .example = "SHOW GROUP main SERVERS;",
     .aliases = {"CALL group.lookup_servers"}},
    {.name = "SHOW GROUP HEALTH",
     .category = "High availability",
     .syntax = "SHOW GROUP g HEALTH\nCALL group.health('g')",
     .description = "SHOW HEALTH for one group's servers.",
     .needs = weft_state_only,
     .example = "SHOW GROUP main HEALTH;",
     .aliases = {"CALL group.health"}},
    {.name = "CALL GROUP",
     .category = "High availability",
     .syntax = R"~(CALL group.create('g')              CREATE GROUP g
CALL group.add('g', 'host:port')    ADD SERVER 'host:port' TO GROUP g
CALL group.remove('g', 'host:port') REMOVE SERVER 'host:port'
CALL group.promote('g' [, 'h:p'])   PROMOTE GROUP g [TO 'h:p']
CALL group.demote('g')              DEMOTE GROUP g
CALL group.activate('g')            ACTIVATE GROUP g
CALL group.deactivate('g')          DEACTIVATE GROUP g
CALL group.health('g')              SHOW GROUP g HEALTH
CALL group.lookup_servers('g')      SHOW GROUP g SERVERS
CALL group.lookup_groups()          SHOW GROUPS)~",
     .description = R"~(MySQL Fabric's RPC spelling of the group commands, so old scripts keep
working: each CALL does what the command beside it does (HELP on that
command tells more).)~",
     .needs = "what the command beside it needs.",
     .example = "CALL group.promote('main', '127.0.0.1:23307');\nCALL group.lookup_servers('main');",
     .aliases = {"FABRIC"}},

    // --- Replication ---------------------------------------------------------------------------
    {.name = "REPLICATE",
     .category = "Replication",
     .syntax = R"~(REPLICATE 'host:port' FROM 'host:port' [USER 'user' PASSWORD 'password']
    [START FROM BEGINNING | CURRENT])~",
     .description = R"~(Makes the first server a replica of the second (like mysqlreplicate). It
checks distinct server_id, the source's binary log, the GTID settings and
the replica's GTID state (a replica holding transactions the source lacks
is refused), warns about differing engines and versions, creates the
replication user on the source if missing, points the replica at it with
GTID auto-positioning and waits until both threads run. USER/PASSWORD
default to [ha] replication_user; START FROM CURRENT skips what the source
already has, BEGINNING (the default) replays its whole binary log.)~",
     .needs = R"~(on the replica, REPLICATION SLAVE ADMIN and REPLICA MONITOR (MariaDB
10.5+; SUPER before) or REPLICATION_SLAVE_ADMIN and REPLICATION CLIENT
(MySQL 8); on the source, CREATE USER and REPLICATION SLAVE WITH GRANT
OPTION when the replication user must be created.)~",
     .example = R"~(REPLICATE '127.0.0.1:23308' FROM '127.0.0.1:23306'
    USER 'repl' PASSWORD 'repl-secret';
REPLICATE '127.0.0.1:23308' FROM '127.0.0.1:23306' START FROM CURRENT;)~",
     .aliases = {"mysqlreplicate"}},
    {.name = "REJOIN SERVER",
     .category = "Replication",
     .syntax = "REJOIN SERVER 'host:port'",
     .description = R"~(Brings an old primary (fenced read_only after a failover) back into its
group as a replica of the current primary, or reports that it diverged
(error 1236: it holds transactions that never reached the new primary)
and must be reseeded.)~",
     .needs = R"~(on the server, REPLICATION SLAVE ADMIN, REPLICA MONITOR and READ_ONLY
ADMIN (MariaDB 10.5+; SUPER before), or REPLICATION_SLAVE_ADMIN,
REPLICATION CLIENT and SYSTEM_VARIABLES_ADMIN (MySQL 8).)~",
     .example = "REJOIN SERVER '127.0.0.1:23306';"},

};

}  // namespace

std::span<const help_topic> ha_help_topics() { return topics; }

}  // namespace weft::admin
