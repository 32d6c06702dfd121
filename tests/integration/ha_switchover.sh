#!/usr/bin/env bash
# Switchover drills through the admin port: PROMOTE GROUP under a client write loop gives the loop
# no error and loses nothing; the old primary replicates from the new one; the write pause is
# measured; Fabric's CALL group.promote switches back; DEMOTE stops writes until PROMOTE.
source "$(dirname "$0")/lib.sh"
require_sandbox
reset_sandbox_at_exit

start_weft_ha "hold_timeout_ms = 5000

[[groups]]
name = \"main\"
exec_before = \"env | grep ^WEFT_ > $WORK/hook-before.env\"
exec_after = \"env | grep ^WEFT_ > $WORK/hook-after.env\""
wait_for "[ \"\$(admin -e \"SELECT count(*) FROM monitor_log WHERE ok = 1\")\" -ge 3 ]" 5 || fail "monitor not checking"

via_weft -e "CREATE TABLE IF NOT EXISTS weft_test.ha_switch (id INT PRIMARY KEY, written_at DATETIME(6))"

# switch_under_load TARGET STATEMENT: runs STATEMENT on the admin port while the write loop runs.
switch_under_load() {
  local expected="$1" statement="$2" ledger="$WORK/ledger.$1" stop="$WORK/stop.$1"
  via_weft -e "TRUNCATE weft_test.ha_switch"
  /usr/bin/python3 "$REPO/tests/integration/write_loop.py" "$WEFT_PORT" weft_test.ha_switch "$ledger" "$stop" 30 \
    > "$WORK/loop.$1.json" &
  local loop=$!
  sleep 1
  admin -e "$statement" > "$WORK/switch.$1.out" 2>&1 || { cat "$WORK/switch.$1.out" >&2; fail "$statement failed"; }
  sleep 1
  touch "$stop"
  wait "$loop" || fail "the write loop failed"
  cat "$WORK/switch.$1.out"
  local result; result="$(cat "$WORK/loop.$1.json")"
  echo "write loop: $result"
  [ "$(weft_primary)" = "127.0.0.1:$expected" ] || fail "weft routes writes to $(weft_primary), not $expected"
  /usr/bin/python3 - "$result" <<'PY' || fail "the client loop saw errors during the switchover: $result"
import json, sys
r = json.loads(sys.argv[1])
sys.exit(0 if r["errors"] == 0 and r["acked"] > 50 else 1)
PY
  # Every acknowledged write is on the new primary.
  local have; have="$(as_root "$expected" -e "SELECT id FROM weft_test.ha_switch" | sort)"
  local missing; missing="$(comm -23 <(sort "$ledger") <(echo "$have"))"
  [ -z "$missing" ] || fail "acknowledged writes missing on the new primary: $(head -c 200 <<< "$missing")"
  echo "switchover to $expected: $(wc -l < "$ledger") acknowledged writes, all present; $(grep -o 'writes paused [0-9]* ms' "$WORK/switch.$1.out")"
}

# --- PROMOTE GROUP main TO a replica --------------------------------------------------------------
switch_under_load "$REPLICA1_PORT" "PROMOTE GROUP main TO '127.0.0.1:$REPLICA1_PORT'"
grep -qP "^routing\t127.0.0.1:$REPLICA1_PORT\tok\t.*writes paused [0-9]+ ms" "$WORK/switch.$REPLICA1_PORT.out" ||
  fail "no routing step with the measured pause"
grep -q "event=query_cache_flushed reason=topology_changed" "$WORK/weft.log" ||
  fail "the result cache was not emptied when the primary changed"
[ "$(as_root "$PRIMARY_PORT" -e 'select @@read_only')" = 1 ] || fail "the old primary is writable"
[ "$(as_root "$REPLICA1_PORT" -e 'select @@read_only')" = 0 ] || fail "the new primary is read_only"
for port in "$PRIMARY_PORT" "$REPLICA2_PORT"; do
  slave_status "$port" > "$WORK/ss"
  grep -q "Master_Port: $REPLICA1_PORT" "$WORK/ss" || fail "$port does not replicate from the new primary"
  grep -q "Slave_IO_Running: Yes" "$WORK/ss" && grep -q "Slave_SQL_Running: Yes" "$WORK/ss" ||
    fail "$port: replication threads not running: $(grep -E 'Running|Error' "$WORK/ss")"
done
# Reads still spread over the replicas, the old primary among them.
wait_for "[ \"\$(admin -e 'SHOW HEALTH' | grep -cP '\tOK\t')\" -ge 3 ]" 10 ||
  fail "SHOW HEALTH is not OK everywhere after the switchover: $(admin -e 'SHOW HEALTH')"
seen=""
for _ in $(seq 30); do seen="$seen $(via_weft -e 'select @@port')"; done
grep -qw "$PRIMARY_PORT" <<< "$seen" || fail "the old primary takes no reads as a replica: $seen"
grep -qw "$REPLICA1_PORT" <<< "$seen" && fail "a plain read went to the new primary: $seen"
grep -q "WEFT_OLD_PRIMARY=127.0.0.1:$PRIMARY_PORT" "$WORK/hook-before.env" || fail "exec_before did not get the old primary"
grep -q "WEFT_NEW_PRIMARY=127.0.0.1:$REPLICA1_PORT" "$WORK/hook-after.env" || fail "exec_after did not get the new primary"
grep -q "WEFT_EVENT=exec_after" "$WORK/hook-after.env" || fail "exec_after environment"
# The persisted configuration follows: the state file says who the primary is.
admin -e 'SHOW CONFIG DIFF' | grep -q "127.0.0.1:$REPLICA1_PORT" || fail "the new roles are not in the state"

# --- Refusals ----------------------------------------------------------------------------------
admin_error -e "PROMOTE GROUP main TO '127.0.0.1:9'" | grep -q "ERROR 9012 .*not a replica of group 'main'" ||
  fail "PROMOTE to a stranger was not refused"
admin_error -e "PROMOTE GROUP nope" | grep -q "ERROR 9012 .*no group 'nope'" || fail "PROMOTE of an unknown group"
admin_error -e "PROMOTE GROUP" | grep -q "ERROR 1064 .*usage: PROMOTE GROUP" || fail "PROMOTE without a group"

# --- Back with Fabric's form ---------------------------------------------------------------------
switch_under_load "$PRIMARY_PORT" "CALL group.promote('main', '127.0.0.1:$PRIMARY_PORT')"
[ "$(as_root "$REPLICA1_PORT" -e 'select @@read_only')" = 1 ] || fail "the second old primary is writable"
admin -e "SELECT event, old_primary, new_primary, outcome FROM failover_log" > "$WORK/log"
[ "$(grep -c '^switchover' "$WORK/log")" = 2 ] || fail "failover_log: $(cat "$WORK/log")"
[ "$(http_code /metrics)" = 200 ] && grep -q '^weft_failovers_total{kind="switchover"} 2$' "$WORK/http.body" ||
  fail "metrics do not count the switchovers: $(grep failovers "$WORK/http.body")"

# --- DEMOTE, then PROMOTE the same server again --------------------------------------------------
admin -e "DEMOTE GROUP main" | grep -q "OFFLINE_SOFT" || fail "DEMOTE"
[ "$(as_root "$PRIMARY_PORT" -e 'select @@read_only')" = 1 ] || fail "a demoted primary is writable"
{ via_weft -e "INSERT INTO weft_test.ha_switch VALUES (-1, NOW())" 2>&1 || true; } | grep -q "ERROR 9003" ||
  fail "a write after DEMOTE did not get 9003"
[ "$(http_code /ready)" = 503 ] || fail "/ready is not 503 after DEMOTE"
admin -e "PROMOTE GROUP main TO '127.0.0.1:$PRIMARY_PORT'" > /dev/null || fail "PROMOTE after DEMOTE"
via_weft -e "INSERT INTO weft_test.ha_switch VALUES (-1, NOW())" || fail "no write after PROMOTE of the demoted primary"
[ "$(http_code /ready)" = 200 ] || fail "/ready is not 200 after PROMOTE"
pass
