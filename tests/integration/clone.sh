#!/usr/bin/env bash
# CLONE SERVER (issue 15): a fresh empty sandbox server is filled from group main while writes go
# on, set to the copy's GTID position, made a replica of the primary, verified with COMPARE, and
# only then added to the group: it replicates with no gap (COMPARE equal after more writes) and
# serves reads through weft. A non-empty server and one already in a group are refused.
# CLONE SERVER NEW has [provision] create_command (the sandbox's `fresh`) make the server first.
source "$(dirname "$0")/lib.sh"
require_sandbox

NEW=23311
MADE=23317  # made by CLONE SERVER NEW's create_command
N="127.0.0.1:$NEW"
DB=weft_clone
on_primary() { as_root "$PRIMARY_PORT" -e "$1"; }
on_new() { as_root "$NEW" -e "$1"; }
finish() {
  local rc=$?
  if [ -n "${LOAD_PID:-}" ]; then kill "$LOAD_PID" 2>/dev/null || true; fi  # not `[ ] && kill`: its failure would end the trap
  as_root "$PRIMARY_PORT" -e "DROP DATABASE IF EXISTS $DB" || true
  "$REPO/scripts/sandbox" drop "$NEW" > /dev/null 2>&1 || true
  "$REPO/scripts/sandbox" drop "$MADE" > /dev/null 2>&1 || true
  cleanup
  exit "$rc"
}
trap finish EXIT
"$REPO/scripts/sandbox" fresh "$NEW" > /dev/null || fail "no fresh server on $NEW"
# The command makes the port it is given, or 23317 when the statement names none (and prints it).
start_weft_ha "
[provision]
create_command = '\"$REPO/scripts/sandbox\" fresh \"\${WEFT_NEW_PORT:-$MADE}\" >&2 && echo 127.0.0.1:\${WEFT_NEW_PORT:-$MADE}'
timeout_ms = 120000"
wait_for "[ \"\$(admin -e \"SELECT COUNT(*) FROM servers WHERE group_name = 'main'\")\" = 3 ]" 5 || fail "group main"

on_primary "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB;
CREATE TABLE $DB.orders (id INT PRIMARY KEY AUTO_INCREMENT, customer INT, total DECIMAL(12,2), note VARCHAR(40), at DATETIME(6));
INSERT INTO $DB.orders (customer, total, note, at) SELECT seq % 97, seq / 7, CONCAT('n', seq), NOW(6) FROM $DB.seq_1_to_30000;
CREATE TABLE $DB.tick (id INT PRIMARY KEY AUTO_INCREMENT, at DATETIME(6));
CREATE VIEW $DB.big_orders AS SELECT id, total FROM $DB.orders WHERE total > 4000;"

# A writer keeps inserting during the clone: the copy plus replication must hold every row once.
# It runs until the clone is done (at most 180 s), however long the copy takes.
( end=$((SECONDS + 180)); while [ $SECONDS -lt $end ] && [ ! -e "$WORK/clone-done" ]; do
    as_root "$PRIMARY_PORT" -e "INSERT INTO $DB.tick (at) VALUES (NOW(6)); UPDATE $DB.orders SET total = total + 1 WHERE id = 1 + FLOOR(RAND() * 30000)" || exit 1
  done ) &
LOAD_PID=$!
sleep 1

err() { admin_error -e "$1"; }
err "CLONE SERVER '127.0.0.1:$REPLICA1_PORT' FROM GROUP main" | grep -q "ERROR 9015 .*is already one of weft's servers" ||
  fail "CLONE of a server in the group: $(err "CLONE SERVER '127.0.0.1:$REPLICA1_PORT' FROM GROUP main")"
err "CLONE SERVER '$N' FROM GROUP nosuch" | grep -q "ERROR 9015 .*group 'nosuch' has no primary" || fail "CLONE from an unknown group"
err "CLONE SERVER 'nowhere' FROM GROUP main" | grep -q "ERROR 1064 .*usage: CLONE SERVER" || fail "CLONE of no address"

out="$(admin -e "CLONE SERVER '$N' FROM GROUP main")" || fail "CLONE failed: $out"
echo "$out"
value() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' <<< "$out"; }
[ "$(value donor)" != "127.0.0.1:$PRIMARY_PORT" ] || fail "the donor was the primary although replicas were healthy"
[ "$(value replicating_from)" = "127.0.0.1:$PRIMARY_PORT" ] || fail "replicating from $(value replicating_from)"
[ -n "$(value gtid_position)" ] || fail "no GTID position"
admin -e "SELECT address, role FROM servers WHERE group_name = 'main'" | grep -qP "^$N\treplica$" || fail "the clone was not added to group main"
slave_status "$NEW" | grep -q "Slave_SQL_Running: Yes" || fail "the clone does not replicate: $(slave_status "$NEW")"
[ "$(on_new "SELECT @@read_only")" = 1 ] || fail "the clone is not read_only"

kill -0 "$LOAD_PID" 2>/dev/null || fail "the writer ended before the clone did: it proved nothing"
touch "$WORK/clone-done"
wait "$LOAD_PID" || fail "the writer failed"
LOAD_PID=""
on_primary "INSERT INTO $DB.tick (at) VALUES (NOW(6))"
pos="$(on_primary 'SELECT @@gtid_binlog_pos')"
[ "$(on_new "SELECT MASTER_GTID_WAIT('$pos', 20)")" = 0 ] || fail "the clone did not catch up"
cmp="$(admin -r -e "COMPARE DATABASE $DB ON PRIMARY OF GROUP main WITH '$N'")"
grep -qx -- "-- result: equal" <<< "$cmp" || fail "the clone differs after more writes: $cmp"
[ "$(on_new "SELECT COUNT(*) FROM $DB.big_orders")" = "$(on_primary "SELECT COUNT(*) FROM $DB.big_orders")" ] || fail "the view"
echo "PASS: CLONE SERVER copied, replicated with no gap and joined group main"

# It takes reads through weft.
wait_for "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do via_weft -e 'SELECT @@port'; done | grep -qx $NEW" 20 ||
  fail "no read reached the clone"
echo "PASS: the clone serves reads"

err "CLONE SERVER '127.0.0.1:23312' FROM GROUP main" | grep -q "ERROR 9014 .*cannot connect to '127.0.0.1:23312'" ||
  fail "CLONE to a server that is not there: $(err "CLONE SERVER '127.0.0.1:23312' FROM GROUP main")"
admin -e "REMOVE SERVER '$N'" > /dev/null || fail "REMOVE SERVER"
err "CLONE SERVER '$N' FROM GROUP main" | grep -q "ERROR 9015 .*'$N' is not empty (it holds .*$DB" ||
  fail "CLONE into a non-empty server: $(err "CLONE SERVER '$N' FROM GROUP main")"
echo "PASS: CLONE refuses a server that is not empty"

# --- CLONE SERVER NEW: [provision] create_command makes the server --------------------------------
err "CLONE SERVER NEW '127.0.0.1:23399' FROM GROUP main" |
  grep -q "ERROR 9014 .*\[provision\] create_command: it failed (exit [1-9][0-9]*)" ||
  fail "a create_command that fails: $(err "CLONE SERVER NEW '127.0.0.1:23399' FROM GROUP main")"
out="$(admin -e "CLONE SERVER NEW FROM GROUP main")" || fail "CLONE SERVER NEW failed: $out"
grep -qxF "server	127.0.0.1:$MADE (made by [provision] create_command)" <<< "$out" || fail "CLONE SERVER NEW: $out"
admin -e "SELECT address, role FROM servers WHERE group_name = 'main'" | grep -qP "^127\.0\.0\.1:$MADE\treplica$" ||
  fail "the made server was not added to group main"
grep -qx -- "-- result: equal" <<< "$(admin -r -e "COMPARE DATABASE $DB ON PRIMARY OF GROUP main WITH '127.0.0.1:$MADE'")" ||
  fail "the made server differs from the primary"
echo "PASS: CLONE SERVER NEW made its server with [provision] create_command, filled it and added it"
