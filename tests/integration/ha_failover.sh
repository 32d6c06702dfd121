#!/usr/bin/env bash
# Failover drills against the real sandbox, with semi-synchronous replication on:
#  1. mode 'fail': a killed primary is reported (failover_log), nobody is promoted;
#  2. mode 'auto': a write loop through weft, kill -9 of the primary; the time until writes
#     succeed again is measured and printed; every write acknowledged before the kill is on the
#     new primary; hooks ran with the old and new primary; the other replica follows the new one;
#  3. the old primary restarted comes back writable: weft fences it (read_only) and keeps it out
#     of routing until REJOIN SERVER, which either rejoins it or says it diverged;
#  4. mode 'elect' with one candidate that lags: it catches up from the replica ahead of it first;
#  5. mode 'fail' again; the DBA's PROMOTE then fails over to the last replica standing.
source "$(dirname "$0")/lib.sh"
require_sandbox
reset_sandbox_at_exit

# Semi-sync on every node (scripts/sandbox semisync: kept across server restarts until reset).
"$REPO/scripts/sandbox" semisync on > /dev/null
wait_for "[ \"\$(as_root $PRIMARY_PORT -e \"SHOW STATUS LIKE 'Rpl_semi_sync_master_clients'\" | cut -f2)\" = 2 ]" 10 ||
  fail "semi-sync replicas did not register"

export WEFT_MONITOR_MS=500
start_weft_ha "hold_timeout_ms = 5000

[[groups]]
name = \"main\"
failover = \"fail\"
exec_before = \"env | grep ^WEFT_ > $WORK/hook-before.env\"
exec_after = \"env | grep ^WEFT_ > $WORK/hook-after.env\""
wait_for "[ \"\$(admin -e 'SHOW HEALTH' | grep -cP '\tOK\t')\" = 3 ]" 10 || fail "not all servers healthy: $(admin -e 'SHOW HEALTH')"
via_weft -e "CREATE TABLE IF NOT EXISTS weft_test.ha_fail (id INT PRIMARY KEY, written_at DATETIME(6))"

# --- 1. mode 'fail' reports and never promotes -------------------------------------------------
"$REPO/scripts/sandbox" kill "$PRIMARY_PORT" > /dev/null
wait_for "admin -e 'SELECT event FROM failover_log' | grep -q failure_detected" 10 ||
  fail "mode fail: the failure was not reported: $(admin -e 'SELECT * FROM failover_log')"
sleep 2
[ "$(weft_primary)" = "127.0.0.1:$PRIMARY_PORT" ] || fail "mode fail promoted $(weft_primary)"
for port in "$REPLICA1_PORT" "$REPLICA2_PORT"; do
  [ "$(as_root "$port" -e 'select @@read_only')" = 1 ] || fail "mode fail: $port became writable"
done
grep -q "event=failover_not_done group=main primary=127.0.0.1:$PRIMARY_PORT reason=\"mode fail\"" "$WORK/weft.log" ||
  fail "mode fail: no log line saying why nothing was promoted"
"$REPO/scripts/sandbox" start-server "$PRIMARY_PORT" > /dev/null
wait_for "[ \"\$(as_root $PRIMARY_PORT -e \"SHOW STATUS LIKE 'Rpl_semi_sync_master_clients'\" | cut -f2)\" = 2 ]" 15 ||
  fail "the replicas did not reconnect to the restarted primary"
wait_for "[ \"\$(admin -e 'SHOW HEALTH' | grep -cP '\tOK\t')\" = 3 ]" 10 || fail "not healthy again: $(admin -e 'SHOW HEALTH')"

# --- 2. mode 'auto': kill -9 under a write loop --------------------------------------------------
admin -e "UPDATE groups SET failover = 'auto' WHERE name = 'main'"
[ "$(admin -e 'SHOW GROUPS' | cut -f5)" = ACTIVE ] ||
  fail "SHOW GROUPS does not show the failure detector active"
ledger="$WORK/ledger"
/usr/bin/python3 "$REPO/tests/integration/write_loop.py" "$WEFT_PORT" weft_test.ha_fail "$ledger" "$WORK/stop" 40 \
  > "$WORK/loop.json" &
loop=$!
sleep 1.5
last_acked_before_kill="$(tail -n 1 "$ledger")"
"$REPO/scripts/sandbox" kill "$PRIMARY_PORT" > /dev/null
killed_at=$(date +%s%N)
wait_for "[ \"\$(weft_primary)\" != 127.0.0.1:$PRIMARY_PORT ]" 15 || fail "no failover: $(admin -e 'SELECT * FROM failover_log')"
promoted_ms=$(( ($(date +%s%N) - killed_at) / 1000000 ))
new_primary="$(weft_primary)"
new_port="${new_primary##*:}"
sleep 2
touch "$WORK/stop"
wait "$loop" || fail "the write loop failed"
result="$(cat "$WORK/loop.json")"
outage_ms="$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["outage_ms"])' "$result")"
echo "failover drill: primary killed; $new_primary promoted within ${promoted_ms} ms (as seen by polling the admin);"
echo "  writes failed for ${outage_ms} ms (first failed write to the next acknowledged one); loop: $result"
[ "$outage_ms" -lt 5000 ] || fail "writes did not succeed again within 5 s of the failure (${outage_ms} ms)"
# Only the statement in flight on the dying connection may fail (9005); the ones after it wait in
# weft for the new primary (hold_on_failure) instead of failing with 9001.
errors="$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["errors"])' "$result")"
[ "$errors" -le 2 ] || fail "the write loop saw $errors errors during the failover (statements were not held): $result"
acked_after="$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["acked"])' "$result")"
[ "$(wc -l < "$ledger")" -gt "$((last_acked_before_kill + 20))" ] || fail "few writes after the failover: $result"

# No acknowledged write lost: every id in the ledger is on the new primary.
have="$(as_root "$new_port" -e "SELECT id FROM weft_test.ha_fail" | sort)"
missing="$(comm -23 <(sort "$ledger") <(echo "$have"))"
[ -z "$missing" ] || fail "acknowledged writes lost in the failover: $(echo $missing | head -c 300)"
echo "  all $(wc -l < "$ledger") acknowledged writes ($acked_after in the loop) are on $new_primary"

admin -e "SELECT event, old_primary, new_primary, outcome, duration_ms FROM failover_log WHERE event = 'failover'" > "$WORK/fo"
grep -qP "^failover\t127.0.0.1:$PRIMARY_PORT\t$new_primary\tok\t[0-9]+$" "$WORK/fo" || fail "failover_log: $(cat "$WORK/fo")"
echo "  failover_log: $(cat "$WORK/fo")"
grep -q "WEFT_OLD_PRIMARY=127.0.0.1:$PRIMARY_PORT" "$WORK/hook-before.env" || fail "exec_before environment"
grep -q "WEFT_NEW_PRIMARY=$new_primary" "$WORK/hook-after.env" || fail "exec_after environment"
[ "$(as_root "$new_port" -e 'select @@read_only')" = 0 ] || fail "the new primary is read_only"
other=$([ "$new_port" = "$REPLICA1_PORT" ] && echo "$REPLICA2_PORT" || echo "$REPLICA1_PORT")
wait_for "slave_status $other | grep -q 'Master_Port: $new_port'" 5 || fail "$other does not follow the new primary"
slave_status "$other" | grep -q "Slave_SQL_Running: Yes" || fail "$other's SQL thread stopped: $(slave_status "$other" | grep Error)"
[ "$(http_code /metrics)" = 200 ] && grep -q '^weft_failovers_total{kind="failover"} 1$' "$WORK/http.body" ||
  fail "metrics do not count the failover"
[ "$(http_code /ready)" = 200 ] || fail "/ready after the failover: $(cat "$WORK/http.body")"

# --- 3. the old primary returns: fenced, out of routing until REJOIN --------------------------------
"$REPO/scripts/sandbox" start-server "$PRIMARY_PORT" > /dev/null
wait_for "[ \"\$(as_root $PRIMARY_PORT -e 'select @@read_only')\" = 1 ]" 10 ||
  fail "the returning old primary was left writable"
wait_for "admin -e 'SELECT event FROM failover_log' | grep -q fenced" 5 || fail "no fenced event"
admin -e 'SHOW HEALTH' | grep -P "\t$PRIMARY_PORT\tmain\treplica\tOFFLINE_HARD\t" > /dev/null ||
  fail "the old primary is not an OFFLINE_HARD replica: $(admin -e 'SHOW HEALTH')"
for _ in $(seq 20); do
  [ "$(via_weft -e 'select @@port')" != "$PRIMARY_PORT" ] || fail "a read reached the fenced old primary"
done
via_weft -e "INSERT INTO weft_test.ha_fail VALUES (-1, NOW())"
[ "$(as_root "$new_port" -e 'SELECT count(*) FROM weft_test.ha_fail WHERE id = -1')" = 1 ] || fail "write after fencing"

old_pos="$(as_root "$PRIMARY_PORT" -e 'select @@gtid_binlog_pos')"
new_pos="$(as_root "$new_port" -e 'select @@gtid_binlog_pos')"
rejoin="$(admin_error -e "REJOIN SERVER '127.0.0.1:$PRIMARY_PORT'")"
echo "rejoin: old primary at $old_pos, new primary at $new_pos"
if ! grep -q ERROR <<< "$rejoin"; then
  wait_for "admin -e 'SHOW HEALTH' | grep -P '\t$PRIMARY_PORT\tmain\treplica\tONLINE\t' >/dev/null" 5 ||
    fail "rejoined but not ONLINE: $(admin -e 'SHOW HEALTH')"
  slave_status "$PRIMARY_PORT" | grep -q "Master_Port: $new_port" || fail "rejoined, but not replicating from $new_port"
  echo "  REJOIN: the old primary replicates from $new_primary"
else
  # It wrote transactions (unacknowledged: the semi-sync wait was cut by the kill) that the new
  # primary never received: weft must say so rather than rejoin it.
  grep -q "ERROR 9012 .*diverged.*reseed" <<< "$rejoin" || fail "REJOIN failed without saying why: $rejoin"
  admin -e 'SHOW HEALTH' | grep -P "\t$PRIMARY_PORT\tmain\treplica\tOFFLINE_HARD\t" > /dev/null ||
    fail "a diverged old primary came back into routing"
  echo "  REJOIN refused: the old primary diverged (unacknowledged transactions), as reported"
  pass  # the next drill needs the old primary back as a replica
fi

# --- 4. mode 'elect': only the listed candidate, which first catches up from a replica ahead of it --
# The candidate's IO thread is stopped, so it lags; the rejoined old primary acknowledges the
# writes. When the primary dies, the candidate must take what it lacks from that replica.
candidate=$other
ahead=$PRIMARY_PORT
admin -e "UPDATE groups SET failover = 'elect', candidates = '127.0.0.1:$candidate' WHERE name = 'main'"
wait_for "[ \"\$(as_root $new_port -e \"SHOW STATUS LIKE 'Rpl_semi_sync_master_clients'\" | cut -f2)\" -ge 1 ]" 10 ||
  fail "no semi-sync replica for the elect drill"
as_root "$candidate" -e "STOP SLAVE IO_THREAD"
: > "$WORK/ledger2"
via_weft -e "CREATE TABLE IF NOT EXISTS weft_test.ha_elect (id INT PRIMARY KEY, written_at DATETIME(6))"
for i in $(seq 1 50); do via_weft -e "INSERT INTO weft_test.ha_elect VALUES ($i, NOW(6))" && echo "$i" >> "$WORK/ledger2"; done
[ "$(as_root "$candidate" -e "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ha_elect'")" = 0 ] ||
  fail "the candidate was not behind"
"$REPO/scripts/sandbox" kill "$new_port" > /dev/null
wait_for "[ \"\$(weft_primary)\" = 127.0.0.1:$candidate ]" 15 ||
  fail "elect did not promote the candidate $candidate: primary $(weft_primary); $(admin -e 'SELECT * FROM failover_log')"
grep -qE "event=ha_step operation=failover step=\"catch up\" server=127.0.0.1:$candidate outcome=ok ms=[0-9]+ detail=\"from 127.0.0.1:$ahead" "$WORK/weft.log" ||
  fail "the candidate did not catch up from $ahead: $(grep 'ha_step' "$WORK/weft.log" | tail -n 12)"
have="$(as_root "$candidate" -e "SELECT id FROM weft_test.ha_elect" | sort)"
missing="$(comm -23 <(sort "$WORK/ledger2") <(echo "$have"))"
[ -z "$missing" ] || fail "acknowledged writes lost when electing a lagging candidate: $missing"
slave_status "$ahead" | grep -q "Master_Port: $candidate" || fail "$ahead does not follow the elected candidate"
echo "elect drill: $candidate (behind) caught up from $ahead and was promoted; all $(wc -l < "$WORK/ledger2") writes there"

# --- 5. mode 'fail' again, then the DBA decides: PROMOTE of a group whose primary is gone fails over -
admin -e "UPDATE groups SET failover = 'fail', candidates = '' WHERE name = 'main'"
"$REPO/scripts/sandbox" kill "$candidate" > /dev/null
wait_for "admin -e \"SELECT old_primary FROM failover_log WHERE event = 'failure_detected'\" | grep -q ':$candidate'" 10 ||
  fail "mode fail did not report the second failure"
[ "$(weft_primary)" = "127.0.0.1:$candidate" ] || fail "mode fail promoted on its own"
admin -e "CALL group.promote('main')" > "$WORK/promote.out" || fail "PROMOTE of a dead primary: $(cat "$WORK/promote.out")"
[ "$(weft_primary)" = "127.0.0.1:$ahead" ] || fail "PROMOTE did not fail over to $ahead: $(cat "$WORK/promote.out")"
grep -qP "^confirm\t127.0.0.1:$candidate\tok\tunreachable \(PROMOTE\)" "$WORK/promote.out" || fail "promote steps: $(cat "$WORK/promote.out")"
via_weft -e "INSERT INTO weft_test.ha_elect VALUES (1000, NOW(6))" || fail "no write after the DBA's PROMOTE"
echo "PROMOTE of a group with a dead primary (mode fail): $ahead promoted"

# --- The history outlives a restart of weft (kept in the state file) ----------------------------
before="$(admin -e "SELECT event || ' ' || coalesce(old_primary, '') || ' ' || coalesce(new_primary, '') FROM failover_log")"
[ "$(grep -c '^failover ' <<< "$before")" -ge 3 ] || fail "failover_log before the restart: $before"
kill -TERM "$WEFT_PID"
wait "$WEFT_PID" 2>/dev/null || true
WEFT_PID=""
start_weft_ha "hold_timeout_ms = 5000"
after="$(admin -e "SELECT event || ' ' || coalesce(old_primary, '') || ' ' || coalesce(new_primary, '') FROM failover_log")"
[ "$after" = "$before" ] || fail "failover_log after a restart differs: $after (before: $before)"
[ "$(weft_primary)" = "127.0.0.1:$ahead" ] || fail "the restarted weft forgot the new primary: $(weft_primary)"
pass
