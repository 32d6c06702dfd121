#!/usr/bin/env bash
# COMPARE DATABASE through the mariadb CLI on the admin port, primary against a replica: known
# differences injected on the replica (insert, delete, change, NULL vs '', a NULL moved between
# columns, a case-only key change, a BLOB byte, duplicate rows that CRC32+BIT_XOR cannot see) are
# found exactly; its SQL applied makes a second COMPARE equal; no false difference under a
# concurrent write load; nothing is written on the servers; KILL JOB / RESUME JOB and a weft
# restart mid-job resume from the saved chunks; a replica that dies mid-job fails the job naming
# the chunk, and RESUME JOB finishes it once the replica is back; bad input gets clear errors.
source "$(dirname "$0")/lib.sh"
require_sandbox

DB=weft_cmp
R1="127.0.0.1:$REPLICA1_PORT"
on_primary() { as_root "$PRIMARY_PORT" -e "$1"; }
on_replica() { as_root "$REPLICA1_PORT" -e "SET SESSION sql_log_bin = 0; $1"; }
finish() {
  local rc=$?
  "$REPO/scripts/sandbox" start-server "$REPLICA1_PORT" > /dev/null || true  # after the server-death drill
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

# --- Under a concurrent write load on the primary: no false difference ------------------------
# One client writes for the whole time (updates across big, inserts past its end, deletes).
{
  for i in $(seq 1 1500); do
    echo "UPDATE $DB.big SET v = v + 1 WHERE id = $(( (i * 7919) % 20000 + 1 ));"
    echo "INSERT INTO $DB.big (v, pad) VALUES ($i, 'load');"
    [ $((i % 50)) = 0 ] && echo "DELETE FROM $DB.big WHERE pad = 'load' ORDER BY id LIMIT 10;"
    echo "DO SLEEP(0.002);"
  done
} > "$WORK/load.sql"
as_root "$PRIMARY_PORT" < "$WORK/load.sql" &
LOAD_PID=$!
for round in 1 2 3; do
  out="$(compare "TABLE big, types ON PRIMARY OF GROUP main WITH REPLICA '$R1'")"
  grep -qx -- "-- result: equal" <<< "$out" || fail "a false difference under writes (round $round): $out"
done
kill -0 "$LOAD_PID" 2>/dev/null || fail "the write load ended before the comparisons did: they proved nothing"
wait "$LOAD_PID" || fail "the write load failed"
replica_caught_up
echo "PASS: no false difference under writes"

# --- KILL JOB and RESUME JOB; a weft restart mid-job -------------------------------------------
# A row lock held on the primary stops the job's share lock at the chunk of id 15001, which a
# drifted row on the replica makes differ (equal chunks are read without locks).
on_replica "UPDATE $DB.big SET v = -7 WHERE id = 15001"
drift="UPDATE \`$DB\`.\`big\` SET \`v\` = $(on_primary "SELECT v FROM $DB.big WHERE id = 15001") WHERE \`id\` = 15001;"
hold_row() {
  as_root "$PRIMARY_PORT" -e "BEGIN; SELECT id FROM $DB.big WHERE id = 15001 FOR UPDATE; DO SLEEP($1); COMMIT" >/dev/null &
  HOLDER=$!
  sleep 0.3
}
job_state() { admin -e "SELECT 1" >/dev/null; admin -e "SHOW JOBS" | awk -F'\t' -v id="$1" '$1 == id { print $3 }'; }
job_chunks() { admin -e "SHOW JOBS" | awk -F'\t' -v id="$1" '$1 == id { print $7 }'; }
hold_row 3
id="$(admin -e "COMPARE DATABASE $DB TABLE big ON PRIMARY OF GROUP main WITH REPLICA '$R1' ASYNC" | cut -f1)"
[ -n "$id" ] || fail "COMPARE ... ASYNC gave no job id"
wait_for "[ \"\$(job_state $id)\" = running ] && [ \"\$(job_chunks $id)\" -gt 10 ]" 5 || fail "job $id is not running: $(admin -e 'SHOW JOBS')"
metrics="$(curl -s "http://127.0.0.1:$HTTP_PORT/metrics")"
grep -q "^weft_jobs{state=\"running\"} 1$" <<< "$metrics" &&
  grep -qE "^weft_job_progress\{job=\"$id\",figure=\"chunks_done\"\} [1-9][0-9]*$" <<< "$metrics" ||
  fail "no job gauges in /metrics: $(grep job <<< "$metrics")"
admin -e "KILL JOB $id"
wait "$HOLDER"
wait_for "[ \"\$(job_state $id)\" = killed ]" 10 || fail "KILL JOB did not stop job $id: $(admin -e 'SHOW JOBS')"
done_before="$(job_chunks "$id")"
[ "$done_before" -lt 101 ] || fail "the job finished before it was killed"
admin -e "RESUME JOB $id"
wait_for "[ \"\$(job_state $id)\" = done ]" 30 || fail "the resumed job did not finish: $(admin -e 'SHOW JOBS')"
grep -q "event=job_started job=$id resumed_checkpoints=$((done_before + 1))" "$WORK/weft.log" ||
  fail "RESUME JOB did not continue from the $done_before saved chunks"
admin -r -e "SHOW JOB $id" | grep -qxF "$drift" || fail "the resumed job's output: $(admin -e "SHOW JOB $id")"
admin_error -e "KILL JOB $id" | grep -q "ERROR 9015.*is not running (done)" || fail "KILL JOB of a finished job"
admin_error -e "SHOW JOB 999" | grep -q "ERROR 9015.*no job 999" || fail "SHOW JOB of no job"

hold_row 3
id="$(admin -e "COMPARE DATABASE $DB TABLE big ON PRIMARY OF GROUP main WITH REPLICA '$R1' ASYNC" | cut -f1)"
wait_for "[ \"\$(job_chunks $id)\" -gt 10 ]" 5 || fail "job $id made no progress"
stop_weft
wait "$HOLDER"
start_weft "" "" "$(admin_toml)

[jobs]
max_chunk_rows = 200"
wait_admin
wait_for "[ \"\$(job_state $id)\" = done ]" 30 || fail "the job interrupted by a restart did not finish: $(admin -e 'SHOW JOBS')"
grep -q "event=job_started job=$id resumed_checkpoints=[1-9]" "$WORK/weft.log" || fail "the restart did not resume job $id from its chunks"
admin -r -e "SHOW JOB $id" | grep -qxF "$drift" || fail "the job resumed after a restart: $(admin -e "SHOW JOB $id")"
echo "PASS: KILL/RESUME and restart resume from the saved chunks"

# --- A server that dies mid-job ------------------------------------------------------------------
# The job waits for the held row's chunk; the replica is killed meanwhile: the job fails naming
# that chunk, and once the replica is back RESUME JOB finishes from there with the same output.
hold_row 3
id="$(admin -e "COMPARE DATABASE $DB TABLE big ON PRIMARY OF GROUP main WITH REPLICA '$R1' ASYNC" | cut -f1)"
wait_for "[ \"\$(job_chunks $id)\" -gt 10 ]" 5 || fail "job $id made no progress"
"$REPO/scripts/sandbox" kill "$REPLICA1_PORT" > /dev/null
wait "$HOLDER"
wait_for "[ \"\$(job_state $id)\" = failed ]" 20 || fail "the job did not fail when its replica died: $(admin -e 'SHOW JOBS')"
failed_at="$(admin -e "SHOW JOBS" | awk -F'\t' -v id="$id" '$1 == id { print $13 }')"
grep -qE "^weft: chunk [0-9]+ of big: 127\.0\.0\.1:$REPLICA1_PORT: .*\(RESUME JOB continues from this chunk\)$" <<< "$failed_at" ||
  fail "the failed job's error does not name the chunk and the server: $failed_at"
chunks_failed="$(job_chunks "$id")"
"$REPO/scripts/sandbox" start-server "$REPLICA1_PORT" > /dev/null
wait_for "slave_status $REPLICA1_PORT | grep -q 'Slave_SQL_Running: Yes'" 20 || fail "the replica did not replicate again"
admin -e "RESUME JOB $id"
wait_for "[ \"\$(job_state $id)\" = done ]" 30 || fail "the job resumed after the replica came back did not finish: $(admin -e 'SHOW JOBS')"
grep -q "event=job_started job=$id resumed_checkpoints=$((chunks_failed + 1))" "$WORK/weft.log" ||
  fail "RESUME JOB did not continue from the $chunks_failed chunks done before the replica died"
admin -r -e "SHOW JOB $id" | grep -qxF "$drift" || fail "the job resumed after the replica died: $(admin -e "SHOW JOB $id")"
echo "PASS: a replica dying mid-job fails it at a named chunk; RESUME JOB finishes it"

# --- A COMPARE waited for at the CLI's prompt shows MariaDB progress reports --------------------
hold_row 3
printf '%s\n' "COMPARE DATABASE $DB TABLE big ON PRIMARY OF GROUP main WITH REPLICA '$R1' FORMAT SUMMARY;" 'quit' |
  /usr/bin/python3 "$(dirname "$0")/cli_session.py" 'cmp> ' mariadb --protocol=TCP -h127.0.0.1 -P"$ADMIN_PORT" \
    -uadmin -padmin-secret --skip-ssl --prompt='cmp> ' > "$WORK/cli.txt" 2>&1
wait "$HOLDER"
grep -q "Stage: 2 of 2 'comparing big' *[0-9.]*% of stage done" "$WORK/cli.txt" || fail "no progress report at the CLI: $(cat "$WORK/cli.txt")"
grep -qP "\| big +\| same +\| [0-9]+ +\| [0-9]+ .*\| 1 +\| differs +\|" "$WORK/cli.txt" || fail "the waited-for result after the progress reports: $(cat "$WORK/cli.txt")"
echo "PASS: progress reports while a COMPARE runs"
on_replica "$drift"

# --- Bad input ---------------------------------------------------------------------------------
err() { admin_error -e "$1"; }
err "COMPARE DATABASE nosuchdb ON PRIMARY OF GROUP main WITH REPLICA '$R1'" | grep -q "ERROR 1049 .*Unknown database 'nosuchdb' on '127.0.0.1:$PRIMARY_PORT'" ||
  fail "unknown database: $(err "COMPARE DATABASE nosuchdb ON PRIMARY OF GROUP main WITH REPLICA '$R1'")"
err "COMPARE DATABASE $DB TABLE nosuch ON PRIMARY OF GROUP main WITH REPLICA '$R1'" | grep -q "ERROR 1146 .*doesn't exist on either server" ||
  fail "unknown table"
err "COMPARE DATABASE $DB ON PRIMARY OF GROUP nosuch WITH REPLICA '$R1'" | grep -q "ERROR 9014 .*no group 'nosuch'" || fail "unknown group"
err "COMPARE DATABASE $DB ON PRIMARY OF GROUP main WITH REPLICA '127.0.0.1:1'" | grep -q "ERROR 9014 .*not a replica" || fail "unknown replica"
err "COMPARE DATABASE $DB ON PRIMARY OF GROUP main WITH '127.0.0.1:1'" | grep -q "ERROR 9014 .*cannot connect to '127.0.0.1:1'" || fail "unreachable server"
err "COMPARE DATABASE $DB ON PRIMARY OF GROUP main" | grep -q "ERROR 1064 .*usage: COMPARE DATABASE" || fail "usage error"
huge="$(head -c 1048576 /dev/zero | tr '\0' 'x')"
echo "COMPARE DATABASE $DB ON PRIMARY OF GROUP main WITH REPLICA '$R1' WHERE '$huge'" > "$WORK/huge.sql"
{ admin < "$WORK/huge.sql" 2>&1 || true; } | grep -q "ERROR 9015 .*WHERE condition is 1048576 bytes; COMPARE takes at most 65536" ||
  fail "a 1 MB WHERE: $(admin < "$WORK/huge.sql" 2>&1 | head -c 300)"
on_replica "ALTER TABLE $DB.pair ADD COLUMN extra INT"
out="$(compare "TABLE pair ON PRIMARY OF GROUP main WITH REPLICA '$R1'")"
grep -q -- "-- table \`pair\`: not compared: the tables have different columns" <<< "$out" || fail "mismatched definitions: $out"
grep -qxF "ALTER TABLE \`$DB\`.\`pair\` DROP COLUMN \`extra\`;" <<< "$out" || fail "no DIFF SCHEMA statement for the mismatched table: $out"
on_replica "ALTER TABLE $DB.pair DROP COLUMN extra"
out="$(compare "TABLE pair ON PRIMARY OF GROUP main WITH REPLICA '$R1' WHERE 'id >= 2'")"
grep -q "rows 2 on a, 2 on b" <<< "$out" || fail "WHERE was not applied: $out"
pass
