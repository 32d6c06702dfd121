// HELP's texts: Data comparison, backup and copy (see help_topics.h).
#include "admin/help_topics.h"

namespace weft::admin {
namespace {

constexpr help_topic topics[] = {
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

};

}  // namespace

std::span<const help_topic> data_help_topics() { return topics; }

}  // namespace weft::admin
