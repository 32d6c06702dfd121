#include "admin/help_topics.h"

namespace weft::admin {
namespace {

// What a command needs of weft's backend account ([admin] backend_user) on the servers.
constexpr std::string_view weft_state_only = "nothing on the servers: it reads or changes weft's own state.";
constexpr std::string_view configuration_only =
    R"~(nothing on the servers: it changes weft's configuration only (the
monitor then checks the servers with the [monitor] account).)~";

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

    // --- Data comparison -----------------------------------------------------------------------
    {.name = "COMPARE DATABASE",
     .category = "Data comparison",
     .syntax = R"~(COMPARE DATABASE db [TABLE t [, t ...]] ON server WITH server
    [CHANGES FOR 'a' | 'b'] [SHOW REVERSE] [FORMAT SQL | ROWS | SUMMARY]
    [WHERE 'condition'] [IGNORE COLUMNS (c, ...)] [ASYNC])~"
               "\n" "server: 'host:port' | PRIMARY OF GROUP g | REPLICA 'host:port'",
     .description = R"~(Compares a database on two servers: table definitions, row counts, then
the data. Each table's primary key is cut into chunks that both sides
digest (a NULL-safe SHA-256 digest of the rows); only chunks that differ
are narrowed down to the rows that differ. Nothing is written on the
servers: the answer is the INSERT, UPDATE and DELETE statements that make
the target equal to the other side. The target is the WITH server ('b')
unless CHANGES FOR 'a'; SHOW REVERSE adds the statements for the other
side as comments. FORMAT ROWS lists the differing rows, FORMAT SUMMARY
one line per table. WHERE limits the rows compared in every table; IGNORE
COLUMNS leaves columns out. It runs as a job (SHOW JOBS) and answers when
done; ASYNC answers the job id at once, and SHOW JOB n the result later.)~",
     .needs = R"~(on both servers, SELECT on the compared tables, and BINLOG MONITOR
(MariaDB 10.5+) or REPLICATION CLIENT (MySQL) to read GTID positions.)~",
     .example = R"~(COMPARE DATABASE shop ON PRIMARY OF GROUP main
    WITH REPLICA '127.0.0.1:23307';
COMPARE DATABASE shop TABLE orders, customers ON '10.0.0.5:3306'
    WITH '10.0.0.6:3306' FORMAT SUMMARY;
COMPARE DATABASE shop TABLE orders ON PRIMARY OF GROUP main
    WITH REPLICA '127.0.0.1:23308' WHERE 'id > 1000000' ASYNC;)~",
     .aliases = {"mysqldbcompare", "CHECKSUM"}},
    {.name = "DIFF SCHEMA",
     .category = "Data comparison",
     .syntax = "DIFF SCHEMA db ON server WITH server [CHANGES FOR 'a' | 'b']\n"
               "server: 'host:port' | PRIMARY OF GROUP g | REPLICA 'host:port'",
     .description = R"~(Compares a database's definitions on two servers: tables, columns,
indexes, foreign keys, check constraints, views, routines, triggers and
events. The answer is the CREATE, ALTER and DROP statements, one row
each (step, object_type, object, action, statement) in the order they can
run, that give the target (the WITH server unless CHANGES FOR 'a') the
other side's schema. Nothing is written on the servers.)~",
     .needs = R"~(on both servers, the rights to see the database's objects in
information_schema and to SHOW CREATE them: SELECT on the tables, SHOW
VIEW, TRIGGER, EVENT, and for routines being their definer or SELECT on
mysql.proc.)~",
     .example = "DIFF SCHEMA shop ON PRIMARY OF GROUP main WITH '10.0.0.9:3306';",
     .aliases = {"mysqldiff"}},

    // --- Backup and copy -------------------------------------------------------------------------
    {.name = "EXPORT DATABASE",
     .category = "Backup and copy",
     .syntax = R"~(EXPORT DATABASE db [, db ...] | EXPORT ALL DATABASES
    FROM server TO 'dir' [FORMAT SQL | CSV | TSV]
    [DEFINITIONS ONLY | DATA ONLY] [WITH REPLICATION INFO] [WITH USERS]
    [PARALLEL n] [ASYNC])~"
               "\n" "server: 'host:port' | PRIMARY OF GROUP g | REPLICA 'host:port'",
     .description = R"~(Writes a consistent logical copy of databases into 'dir', a new or
empty directory inside [admin] export_dir (nothing is written anywhere
else). PARALLEL n connections (default [jobs] parallel) read the server at
one point: commits are blocked (BACKUP STAGE BLOCK_COMMIT) only while they
open their snapshots; the pause and the GTID position are reported. Each
table is cut into chunks of its key, written as zstd-compressed INSERTs
with a SHA-256 per chunk; manifest.json, written last, lists the
definitions (tables, views, routines, triggers, events in dependency
order), the chunks, their row counts and digests. FORMAT TSV or CSV
writes each chunk instead as text LOAD DATA reads back exactly (TSV: its
defaults; CSV: fields ended by ',', strings enclosed in '"'; both: NULL as
\N, tab, newline, CR, NUL and \ escaped with \, BIT as its integer, a row
a line), in <table>.<n>.tsv.zst or .csv.zst files. WITH REPLICATION INFO
prints the statements that make a copy replicate from the source with no
gap. WITH USERS also keeps the accounts with privileges on the databases
(with ALL DATABASES every account but root's and the server's own): their
CREATE USER with the password's hash (in manifest.json, mode 0600, never
in an answer) and their grants on *.* and on those databases. A full
disk fails the job with the system's reason and no half-written file. A
failed or killed export, resumed, starts again from a new point.)~",
     .needs = R"~(on the server, SELECT, SHOW VIEW, TRIGGER, EVENT and SHOW CREATE
ROUTINE (or SELECT on mysql.proc), RELOAD for BACKUP STAGE (or FLUSH
TABLES WITH READ LOCK), BINLOG MONITOR or REPLICATION CLIENT; SELECT on
the mysql database for WITH USERS.)~",
     .example = R"~(EXPORT DATABASE shop FROM PRIMARY OF GROUP main TO 'nightly/2026-12-02';
EXPORT DATABASE shop FROM '10.0.0.5:3306' TO 'shop-tsv' FORMAT TSV;
EXPORT ALL DATABASES FROM REPLICA '127.0.0.1:23307' TO 'full'
    WITH REPLICATION INFO PARALLEL 4 ASYNC;)~",
     .aliases = {"mysqldbexport", "mysqldump", "BACKUP"}},
    {.name = "IMPORT",
     .category = "Backup and copy",
     .syntax = R"~(IMPORT FROM 'dir' INTO server [DATABASE a AS b [, DATABASE c AS d ...]]
    [PARALLEL n] [WITHOUT BINLOG] [DRY RUN] [OVERWRITE]
    [WITH REPLICATION INFO] [WITH USERS] [AS REPLICA OF server] [ASYNC])~"
               "\n" "server: 'host:port' | PRIMARY OF GROUP g | REPLICA 'host:port'",
     .description = R"~(Loads an EXPORT from 'dir' (inside [admin] export_dir). Before anything
is applied, every chunk file must exist and no target table may hold rows
or differ in definition (OVERWRITE drops and recreates them). Tables are
created first, then each table's chunks are checked against the
manifest's SHA-256 (a damaged chunk fails the job before any row of that
table is applied) and loaded by PARALLEL n connections, one transaction
per chunk with its row count checked (a csv or tsv chunk goes through
LOAD DATA LOCAL from memory and also fails on any warning, such as a
value cut to fit); views, routines, triggers and
events come last, so no trigger fires on imported rows. DATABASE a AS b
loads a into b (qualifiers in definitions renamed). WITHOUT BINLOG keeps
the load out of the binary log; DRY RUN checks everything and applies
nothing. A failed or killed import, or one a weft restart interrupted,
resumes after its last loaded chunk (RESUME JOB; a chunk that committed
without its checkpoint is found by the row count, never loaded twice).
WITH USERS creates the export's accounts after the rows (an account
already there is kept as it is; OVERWRITE replaces it). AS REPLICA OF
sets the copy's GTID position and makes it replicate from that server.)~",
     .needs = R"~(on the server, CREATE, DROP (with OVERWRITE), INSERT, ALTER, CREATE VIEW,
CREATE ROUTINE, TRIGGER, EVENT; BINLOG ADMIN or SUPER for WITHOUT BINLOG;
CREATE USER and GRANT OPTION (with the privileges granted) for WITH USERS.)~",
     .example = R"~(IMPORT FROM 'nightly/2026-12-02' INTO '10.0.0.9:3306';
IMPORT FROM 'full' INTO '127.0.0.1:23310' DATABASE shop AS shop_copy DRY RUN;)~",
     .aliases = {"mysqldbimport", "RESTORE", "LOAD"}},
    {.name = "CLONE SERVER",
     .category = "Backup and copy",
     .syntax = "CLONE SERVER 'host:port' FROM GROUP g [USING 'host:port'] [ASYNC]\n"
               "CLONE SERVER NEW ['host:port'] FROM GROUP g [USING 'host:port'] [ASYNC]",
     .description = R"~(Makes an empty server a new replica of group g in one command. A
consistent copy of every database is streamed from the donor (USING, else
the group's least-lagging healthy replica, else its primary) to the new
server through weft, with no file in between and out of its binary log;
the new server is set to the copy's GTID position and made a replica of
the group's primary (as REPLICATE), waits until it has caught up, is
checked against the primary with COMPARE, and only then added to the
group (ADD SERVER), so it takes reads only once it is proven equal. A
server that holds databases, or is already one of weft's, is refused.
NEW first runs [provision] create_command (through /bin/sh, with
WEFT_NEW_SERVER, WEFT_NEW_HOST, WEFT_NEW_PORT and WEFT_GROUP set; with no
address named, its last line of output names the server it made) and
waits until that server answers.)~",
     .needs = R"~(on the donor what EXPORT needs; on the new server what IMPORT needs
plus SUPER or REPLICATION SLAVE ADMIN (gtid_slave_pos, CHANGE MASTER);
[ha] replication_user, as for REPLICATE.)~",
     .example = R"~(CLONE SERVER '127.0.0.1:23311' FROM GROUP main;
CLONE SERVER '10.0.0.12:3306' FROM GROUP main USING '10.0.0.11:3306' ASYNC;
CLONE SERVER NEW FROM GROUP main;)~",
     .aliases = {"clone", "server clone", "PROVISION"}},

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

std::span<const help_topic> all_help_topics() { return topics; }

}  // namespace weft::admin
