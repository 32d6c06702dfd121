// HELP's texts: Configuration SQL, monitoring and connections (see help_topics.h).
#include "admin/help_topics.h"

namespace weft::admin {
namespace {

constexpr help_topic topics[] = {
    // --- SQL over the tables -----------------------------------------------------------------
    {.name = "SELECT",
     .category = "Configuration SQL",
     .syntax = "SELECT columns FROM table [WHERE ...] [GROUP BY ...] [ORDER BY ...] [LIMIT n]",
     .description = R"~(Reads weft's tables with ordinary SQL (served by SQLite: joins, aggregates
and subqueries work). The configuration: servers, groups, users (password
hashes only), query_rules. The live views, filled from the running proxy
when a statement reads them: stats_digest, stats_servers, stats_pools,
stats_rules, stats_commands, stats_cache (the query result cache),
monitor_log, failover_log, processlist, backend_connections, variables,
accounts. SHOW TABLES lists them.)~",
     .needs = weft_state_only,
     .example = R"~(SELECT address, role, status FROM servers;
SELECT digest_text, count, latency_avg_us FROM stats_digest
  ORDER BY count DESC LIMIT 5;)~"},
    {.name = "INSERT",
     .category = "Configuration SQL",
     .syntax = "INSERT INTO servers | groups | users | query_rules (column, ...)\n  VALUES (...)",
     .description = R"~(Adds configuration rows. The change is validated with the whole
configuration before it commits: an invalid one is rolled back with error
9010 saying why; a valid one is written to the state file and takes effect
at once, without a restart and without dropping client sessions.
PASSWORD('text') makes the password_hash of a users row.)~",
     .needs = configuration_only,
     .example = R"~(INSERT INTO servers (address, group_name, role)
  VALUES ('10.0.0.7:3306', 'main', 'replica');
INSERT INTO users (name, password_hash)
  VALUES ('bob', PASSWORD('bob-secret'));
INSERT INTO query_rules (id, match_digest, route)
  VALUES (10, 'FROM orders', 'primary');)~"},
    {.name = "UPDATE",
     .category = "Configuration SQL",
     .syntax = "UPDATE servers | groups | users | query_rules\n  SET column = value [, ...] [WHERE ...]",
     .description = R"~(Changes configuration rows, validated and applied as INSERT is. Setting a
server's status to OFFLINE_SOFT stops new reads going there without
dropping sessions; OFFLINE_HARD takes it out of routing.)~",
     .needs = configuration_only,
     .example = R"~(UPDATE servers SET status = 'OFFLINE_SOFT' WHERE address = '127.0.0.1:23308';
UPDATE groups SET max_replication_lag = 30 WHERE name = 'main';)~"},
    {.name = "DELETE",
     .category = "Configuration SQL",
     .syntax = "DELETE FROM servers | groups | users | query_rules [WHERE ...]",
     .description = R"~(Removes configuration rows, validated and applied as INSERT is (a group
cannot lose its primary, for instance).)~",
     .needs = configuration_only,
     .example = "DELETE FROM query_rules WHERE id = 10;"},
    {.name = "BEGIN",
     .category = "Configuration SQL",
     .syntax = R"~(BEGIN | START TRANSACTION
  INSERT / UPDATE / DELETE ...
COMMIT | ROLLBACK)~",
     .description = R"~(Groups several configuration changes into one: they are validated together
at COMMIT (so a server can move between groups in two steps) and applied
at once, or all rolled back.)~",
     .needs = configuration_only,
     .example = R"~(BEGIN;
UPDATE servers SET role = 'replica' WHERE address = '127.0.0.1:23306';
UPDATE servers SET role = 'primary' WHERE address = '127.0.0.1:23307';
COMMIT;)~",
     .aliases = {"START TRANSACTION", "COMMIT", "ROLLBACK"}},
    {.name = "SHOW TABLES",
     .category = "Configuration SQL",
     .syntax = "SHOW TABLES",
     .description = "Lists weft's tables: the configuration and the live views (see HELP SELECT).",
     .needs = weft_state_only,
     .example = "SHOW TABLES;"},
    {.name = "SHOW DATABASES",
     .category = "Configuration SQL",
     .syntax = "SHOW DATABASES",
     .description = R"~(Lists the one database of the admin port, weft: the session's schema from
the start, so the client's prompt and table-name completion know it.)~",
     .needs = weft_state_only,
     .example = "SHOW DATABASES;"},

    // --- Monitoring and connections ----------------------------------------------------------
    {.name = "SHOW HEALTH",
     .category = "Monitoring",
     .syntax = "SHOW HEALTH [FOR GROUP g]",
     .description = R"~(Each server as the monitor last saw it: host, port, group, role, status,
GTID mode, health in words (OK, unreachable, not replicating, IO thread
stopped, SQL thread stopped...), replication lag, thread states, GTID
position and the last error.)~",
     .needs = "nothing on the servers: it shows the monitor's last checks (made with the\n[monitor] account).",
     .example = "SHOW HEALTH;\nSHOW HEALTH FOR GROUP main;"},
    {.name = "SHOW TOPOLOGY",
     .category = "Monitoring",
     .syntax = "SHOW TOPOLOGY [FOR GROUP g] [DISCOVER]",
     .description = R"~(The replication tree, asked of the servers now: each server's source (SHOW
SLAVE STATUS) and replicas (SHOW SLAVE HOSTS), with thread states, lag and
GTID position, drawn as a tree. DISCOVER follows the replicas weft does
not manage too (flagged "not managed by weft").)~",
     .needs = R"~(on each server, REPLICA MONITOR and REPLICATION MASTER ADMIN (MariaDB
10.5+), or REPLICATION CLIENT and REPLICATION SLAVE (MySQL, older MariaDB).)~",
     .example = "SHOW TOPOLOGY;\nSHOW TOPOLOGY FOR GROUP main DISCOVER;",
     .aliases = {"mysqlrplshow"}},
    {.name = "SHOW DISK USAGE",
     .category = "Monitoring",
     .syntax = "SHOW DISK USAGE [FOR SERVER 'host:port'] [ALL]",
     .description = R"~(Data and index bytes per database (from information_schema) and the total,
per server. ALL adds the binary logs, the relay logs, the InnoDB files and
the server's logs, measured on disk where weft can read them (a server on
weft's host).)~",
     .needs = R"~(on each server, a privilege on the tables to count (information_schema
shows only those); with ALL, BINLOG MONITOR and REPLICA MONITOR (MariaDB
10.5+) or REPLICATION CLIENT (MySQL).)~",
     .example = "SHOW DISK USAGE;\nSHOW DISK USAGE FOR SERVER '127.0.0.1:23306' ALL;",
     .aliases = {"mysqldiskusage"}},
    {.name = "SHOW CONFIG DIFF",
     .category = "Monitoring",
     .syntax = "SHOW CONFIG DIFF",
     .description = R"~(Where weft.toml and the running configuration (the state file) differ,
one row per table row: its key, the file's value and the state's.)~",
     .needs = weft_state_only,
     .example = "SHOW CONFIG DIFF;"},
    {.name = "SHOW VARIABLES",
     .category = "Monitoring",
     .syntax = "SHOW VARIABLES",
     .description = "weft's settings as it runs them (the variables view, as Variable_name, Value).",
     .needs = weft_state_only,
     .example = "SHOW VARIABLES;\nSELECT * FROM variables WHERE name LIKE 'monitor%';"},
    {.name = "SHOW PROCESSLIST",
     .category = "Connections",
     .syntax = "SHOW PROCESSLIST",
     .description = R"~(The client sessions on the proxy port: id, user, client, schema, command,
time, the backend serving it and its statement (the processlist view).)~",
     .needs = weft_state_only,
     .example = "SHOW PROCESSLIST;\nSELECT * FROM backend_connections WHERE state = 'idle';"},
    {.name = "FLUSH HOSTS",
     .category = "Connections",
     .syntax = "FLUSH HOSTS",
     .description = R"~(Unblocks every client host blocked after too many failed logins, on the
proxy and admin ports; the affected count is how many were blocked.)~",
     .needs = weft_state_only,
     .example = "FLUSH HOSTS;"},
    {.name = "FLUSH BACKEND CONNECTIONS",
     .category = "Connections",
     .syntax = "FLUSH BACKEND CONNECTIONS",
     .description = R"~(Closes every idle pooled backend connection now, on every worker;
connections in use are left alone, so no statement or session is cut. The
affected count is how many closed.)~",
     .needs = "nothing on the servers: weft closes its own connections.",
     .example = "FLUSH BACKEND CONNECTIONS;"},
    {.name = "FLUSH QUERY CACHE",
     .category = "Connections",
     .syntax = "FLUSH QUERY CACHE",
     .description = R"~(Empties the query result cache (rules with cache_ttl_ms), after a change
made behind weft's back that only the TTL would otherwise bound. Reads in
flight do not keep their answers either. The affected count is how many
answers were dropped; stats_cache shows what the cache holds.)~",
     .needs = weft_state_only,
     .example = "FLUSH QUERY CACHE;\nSELECT entries, bytes, hit_ratio FROM stats_cache;"},
};

}  // namespace

std::span<const help_topic> configuration_help_topics() { return topics; }

}  // namespace weft::admin
