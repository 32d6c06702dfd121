#!/usr/bin/env bash
# Failover of one shard group's primary under a key-routed write loop (issue 16's acceptance):
# the sharded sandbox (scripts/sandbox shards: global 23320+23321; shard1 23322+23323 and shard2
# 23324+23325, whose primaries replicate from 23320), semi-synchronous replication on, weft in
# front of it with failover = "auto" for shard1 and a HASH map over shard1 and shard2.
# First a switchover of shard1 to 23323 and back (PROMOTE): each time the new primary replicates
# from the global primary 23320, the old one from the new one, and a global write reaches both.
#  - loop A (tests/integration/write_loop.py): INSERT INTO weft_test.f_events (id, v) VALUES
#    (i, i) for i = 1, 2, 3, ..., one row per statement, every attempt recorded (ok or failed);
#  - loop B, beside it on its own connection: rows of a RANGE-mapped table whose keys all belong
#    to shard2 (weft_test.f_side, ids from 1000000000), to see shard2's writes during the hold;
#  - kill -9 of shard1's primary (23322) while both run; weft must promote 23323.
# Then: every acknowledged id is on the current primary of its shard (23323 for shard1 keys, 23324
# for shard2 keys, as CALL sharding.lookup_servers places them) and nowhere else; acknowledged +
# failed = attempted; no write for a shard2 key failed; SHOW GROUP shard1 SERVERS names 23323 the
# primary; shard2's servers untouched; the promoted 23323 replicates from the global primary 23320
# (SHOW SLAVE STATUS) and a global write and DDL made through weft after the failover reach it
# and 23324. Prints the figures and the failover's timing.
# SHARD_FAILOVER_SEMISYNC=off runs the drill without semi-sync (acknowledged writes may then be
# lost by design: a commit is acknowledged before the replica has it).
source "$(dirname "$0")/lib.sh"
require_sandbox
"$REPO/scripts/sandbox" shards > "$WORK/shards.log" 2>&1 || { cat "$WORK/shards.log" >&2; fail "the sharded sandbox did not start"; }
GLOBAL=23320 GLOBAL_R=23321 S1=23322 S1R=23323 S2=23324 S2R=23325
LOOP_PID="" SIDE_PID=""

# The drill changes the layout (a new shard1 primary, 23322 down): at exit the loops stop, weft
# stops, and the sandbox is made again (scripts/sandbox reset remakes the sharded layout too).
on_exit() {
  local rc=$? pid
  for pid in "$LOOP_PID" "$SIDE_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  cleanup
  if ! "$REPO/scripts/sandbox" reset > "${TMPDIR:-/tmp}/weft-sandbox-reset.log" 2>&1; then
    echo "sandbox reset failed:" >&2
    cat "${TMPDIR:-/tmp}/weft-sandbox-reset.log" >&2
    exit 1
  fi
  if [ -n "${SANITIZER_REPORT:-}" ]; then exit 1; fi
  exit "$rc"
}
trap on_exit EXIT

# Semi-sync on every node: a commit on a shard primary is acknowledged once its replica has it.
semisync_registered() {
  [ "${SHARD_FAILOVER_SEMISYNC:-on}" = on ] || return 0
  for p in $S1 $S2; do
    wait_for "[ \"\$(as_root $p -e \"SHOW STATUS LIKE 'Rpl_semi_sync_master_clients'\" | cut -f2)\" = 1 ]" 10 ||
      fail "the semi-sync replica of $p did not register"
  done
}
[ "${SHARD_FAILOVER_SEMISYNC:-on}" = on ] && "$REPO/scripts/sandbox" semisync on > /dev/null
semisync_registered

start_weft "127.0.0.1:$GLOBAL" "" "$(admin_toml)
$(sharded_servers_toml)

[monitor]
user = \"monitor\"
password = \"monitor-secret\"
interval_ms = 200
timeout_ms = 1000
failures_to_shun = 2

[ha]
replication_user = \"repl\"
replication_password = \"repl-secret\"
hold_timeout_ms = 5000

[[groups]]
name = \"shard1\"
failover = \"auto\""
wait_admin
wait_for "[ \"\$(admin -e 'SHOW HEALTH' | grep -cP '\tOK\t')\" = 6 ]" 10 || fail "not all servers healthy: $(admin -e 'SHOW HEALTH')"
group_primary() { admin -e "SELECT address FROM servers WHERE group_name = '$1' AND role = 'primary'"; }
groups="$(admin -e 'SHOW GROUPS')"
grep -qP '^shard1\t127.0.0.1:23322\t1\tauto\tACTIVE\t' <<<"$groups" || fail "SHOW GROUPS: shard1 is not failover auto, ACTIVE: $groups"
grep -qP '^shard2\t127.0.0.1:23324\t1\toff\tINACTIVE\t' <<<"$groups" || fail "SHOW GROUPS: shard2: $groups"

# --- The map and the tables (DDL through weft: the global group, replicated to the shards) -------
as_root $GLOBAL -e "DROP TABLE IF EXISTS weft_test.f_events, weft_test.f_side, weft_test.f_global"
admin -e "CREATE SHARD MAP f_map TYPE HASH GLOBAL GROUP main;
  ADD SHARD TO MAP f_map GROUP shard1; ADD SHARD TO MAP f_map GROUP shard2;
  ADD SHARD TABLE weft_test.f_events COLUMN id TO MAP f_map;
  CREATE SHARD MAP f_side_map TYPE RANGE GLOBAL GROUP main;
  ADD SHARD TO MAP f_side_map GROUP shard1 BOUND 0; ADD SHARD TO MAP f_side_map GROUP shard2 BOUND 1000000000;
  ADD SHARD TABLE weft_test.f_side COLUMN id TO MAP f_side_map"
via_weft -e "CREATE TABLE weft_test.f_events (id INT PRIMARY KEY, v INT);
  CREATE TABLE weft_test.f_side (id INT PRIMARY KEY, v INT);
  CREATE TABLE weft_test.f_global (k INT PRIMARY KEY)"
tables_on() { as_root "$1" -e "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'weft_test' AND table_name IN ('f_events', 'f_side', 'f_global')"; }
for p in $S1 $S1R $S2 $S2R; do
  wait_for "[ \"\$(tables_on $p)\" = 3 ]" 20 || fail "the tables created through weft did not reach $p"
done
# The global stream reaches both shards (through 23322 to 23323) before the drill.
via_weft -e "INSERT INTO weft_test.f_global VALUES (0)"
for p in $S1R $S2R; do
  wait_for "[ \"\$(as_root $p -e 'SELECT count(*) FROM weft_test.f_global WHERE k = 0')\" = 1 ]" 10 ||
    fail "a global write did not reach $p before the drill"
done

# --- Switchover in shard1 and back (PROMOTE): each new primary takes the global stream from 23320 --
# The promoted server replicates from the global primary, the old primary (now its replica) from
# the promoted one, and a global write made through weft reaches both (and shard2).
replicates_from() { # PORT SOURCE_PORT: both replication threads running, from SOURCE_PORT
  local st
  st="$(slave_status "$1")"
  grep -q "Master_Port: $2\$" <<<"$st" && grep -q 'Slave_IO_Running: Yes' <<<"$st" && grep -q 'Slave_SQL_Running: Yes' <<<"$st"
}
replication_of() { slave_status "$1" | grep -E '^ *(Master_Port|Slave_IO_Running|Slave_SQL_Running|Last_IO_Error|Last_SQL_Error):' | tr -s ' \n' ' '; }
switch_shard1() { # NEW OLD
  local out
  out="$(admin -e "PROMOTE GROUP shard1 TO '127.0.0.1:$1'" 2>&1)" || fail "PROMOTE GROUP shard1 TO $1: $out"
  grep -qP "^stop global stream\t127\.0\.0\.1:$2\tok\t" <<<"$out" &&
    grep -qP "^global stream\t127\.0\.0\.1:$1\tok\treplicates from 127\.0\.0\.1:$GLOBAL, " <<<"$out" &&
    grep -qP "^global stream\t127\.0\.0\.1:$1\tok\tIO and SQL threads running from 127\.0\.0\.1:$GLOBAL" <<<"$out" ||
    fail "PROMOTE GROUP shard1 TO $1 did not move the global stream to it: $out"
  grep -q 'repl-secret' <<<"$out" && fail "PROMOTE's answer shows the replication password: $out"
  [ "$(group_primary shard1)" = "127.0.0.1:$1" ] || fail "PROMOTE GROUP shard1 TO $1: the primary is $(group_primary shard1)"
  wait_for "replicates_from $1 $GLOBAL && replicates_from $2 $1" 10 ||
    fail "after PROMOTE GROUP shard1 TO $1: $1 replicates $(replication_of $1); $2 replicates $(replication_of $2)"
}
global_reaches() { # K PORT...: a global write made through weft reaches every PORT
  local k="$1" p
  shift
  via_weft -e "INSERT INTO weft_test.f_global VALUES ($k)"
  for p in "$@"; do
    wait_for "[ \"\$(as_root $p -e 'SELECT count(*) FROM weft_test.f_global WHERE k = $k')\" = 1 ]" 10 ||
      fail "a global write (k = $k) did not reach $p: it replicates $(replication_of $p)"
  done
}
switch_shard1 $S1R $S1
global_reaches 100 $S1R $S1 $S2
switch_shard1 $S1 $S1R
global_reaches 101 $S1 $S1R $S2
# The global group's own switchover and back: every shard primary follows its new primary.
switch_global() { # NEW OLD
  local out
  out="$(admin -e "PROMOTE GROUP main TO '127.0.0.1:$1'" 2>&1)" || fail "PROMOTE GROUP main TO $1: $out"
  for p in $S1 $S2; do
    grep -qP "^shard stream\t127\.0\.0\.1:$p\tok\treplicates from 127\.0\.0\.1:$1, " <<<"$out" ||
      fail "PROMOTE GROUP main TO $1 did not move shard primary $p to it: $out"
  done
  grep -q 'repl-secret' <<<"$out" && fail "PROMOTE's answer shows the replication password: $out"
  wait_for "replicates_from $S1 $1 && replicates_from $S2 $1 && replicates_from $2 $1" 10 ||
    fail "after PROMOTE GROUP main TO $1: $S1 $(replication_of $S1); $S2 $(replication_of $S2); $2 $(replication_of $2)"
}
switch_global $GLOBAL_R $GLOBAL
global_reaches 102 $S1 $S1R $S2 $S2R $GLOBAL
switch_global $GLOBAL $GLOBAL_R
global_reaches 103 $S1 $S1R $S2 $S2R $GLOBAL_R
semisync_registered
echo "switchover: shard1 to $S1R and back to $S1, each new primary replicating from $GLOBAL, the old one from it"
echo "switchover: main to $GLOBAL_R and back, the shard primaries following it each time"
echo "layout: global $GLOBAL+$GLOBAL_R, shard1 $S1+$S1R (failover auto), shard2 $S2+$S2R; semi-sync ${SHARD_FAILOVER_SEMISYNC:-on}"

# --- The drill ------------------------------------------------------------------------------------
loop() { /usr/bin/python3 "$REPO/tests/integration/write_loop.py" "$WEFT_PORT" "$@"; }
: > "$WORK/ledger"
: > "$WORK/side-ledger"
loop weft_test.f_events "$WORK/ledger" "$WORK/stop" 90 --value-column v --attempts "$WORK/attempts" > "$WORK/loop.json" &
LOOP_PID=$!
loop weft_test.f_side "$WORK/side-ledger" "$WORK/stop" 90 --value-column v --attempts "$WORK/side-attempts" \
  --first-id 1000000000 > "$WORK/side.json" &
SIDE_PID=$!
wait_for "[ \"\$(wc -l < $WORK/ledger)\" -ge 300 ] && [ \"\$(wc -l < $WORK/side-ledger)\" -ge 300 ]" 20 ||
  fail "the write loops did not get going: $(wc -l < "$WORK/ledger") and $(wc -l < "$WORK/side-ledger") acknowledged"
sleep 1
for f in attempts side-attempts; do grep -vP '\tok\t' "$WORK/$f" > "$WORK/$f.early" || true; done
[ ! -s "$WORK/attempts.early" ] && [ ! -s "$WORK/side-attempts.early" ] ||
  fail "writes failed before the kill: $(head -n 3 "$WORK/attempts.early" "$WORK/side-attempts.early")"
acked_before_kill="$(wc -l < "$WORK/ledger")"
side_at_kill="$(wc -l < "$WORK/side-ledger")"
kill_started=$(date +%s%N)
"$REPO/scripts/sandbox" kill $S1 > /dev/null
wait_for "[ \"\$(group_primary shard1)\" = 127.0.0.1:$S1R ]" 20 ||
  fail "shard1 did not fail over to $S1R: primary $(group_primary shard1); $(admin -e 'SELECT * FROM failover_log')"
promoted_ms=$(( ($(date +%s%N) - kill_started) / 1000000 ))
side_during=$(( $(wc -l < "$WORK/side-ledger") - side_at_kill ))
sleep 2
touch "$WORK/stop"
wait "$LOOP_PID" || fail "write loop A failed"
LOOP_PID=""
wait "$SIDE_PID" || fail "write loop B failed"
SIDE_PID=""
result="$(cat "$WORK/loop.json")"
side_result="$(cat "$WORK/side.json")"
json() { /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

# --- Every attempt accounted for: acknowledged + failed = attempted --------------------------------
attempted="$(wc -l < "$WORK/attempts")"
acked="$(wc -l < "$WORK/ledger")"
failed="$(grep -cvP '\tok\t' "$WORK/attempts" || true)"
[ "$attempted" = "$(json "$result" attempted)" ] || fail "loop A attempted $(json "$result" attempted), recorded $attempted"
[ "$acked" = "$(json "$result" acked)" ] && [ "$acked" = "$(grep -cP '\tok\t' "$WORK/attempts")" ] ||
  fail "loop A: ledger $acked, acknowledged $(json "$result" acked)"
[ "$((acked + failed))" = "$attempted" ] || fail "acknowledged $acked + failed $failed != attempted $attempted"
[ "$failed" = "$(( $(json "$result" errors) + $(json "$result" duplicates) ))" ] || fail "loop A's failures: $result"
[ "$(cut -f1 "$WORK/attempts" | sort -n | uniq | wc -l)" = "$attempted" ] &&
  [ "$(cut -f1 "$WORK/attempts" | sort -n | tail -n 1)" = "$attempted" ] || fail "loop A's ids are not 1..$attempted, once each"
[ "$acked" -gt "$((acked_before_kill + 100))" ] || fail "few writes after the failover: $acked_before_kill before the kill, $acked in all"

# --- Each id's shard, as weft's map places it (CALL sharding.lookup_servers, one call per id) -------
seq 1 "$attempted" | awk -v q="'" '{
  printf "SELECT %skey %s%s;\n", q, $1, q
  printf "CALL sharding.lookup_servers(%sweft_test.f_events%s, %s%s%s, %sLOCAL%s);\n", q, q, q, $1, q, q, q }' > "$WORK/lookup.sql"
lookup_started=$SECONDS
admin < "$WORK/lookup.sql" > "$WORK/lookup.out" || fail "lookup_servers: $(tail -n 3 "$WORK/lookup.out")"
awk -F'\t' '/^key [0-9]+$/ { split($0, a, " "); id = a[2]; next }
  $3 == "PRIMARY" { print id "\t" $2 }' "$WORK/lookup.out" > "$WORK/primary_of"
[ "$(wc -l < "$WORK/primary_of")" = "$attempted" ] && [ "$(cut -f1 "$WORK/primary_of" | sort -u | wc -l)" = "$attempted" ] ||
  fail "lookup_servers did not name one primary per id: $(wc -l < "$WORK/primary_of") for $attempted ids"
# After the failover the map names the new primary: shard1 keys -> 23323, shard2 keys -> 23324.
stray="$(cut -f2 "$WORK/primary_of" | sort | uniq -c | grep -vE " 127\.0\.0\.1:($S1R|$S2)$" || true)"
[ -z "$stray" ] || fail "lookup_servers names primaries other than $S1R and $S2: $stray"
awk -F'\t' -v s1="127.0.0.1:$S1R" '{ print $1 "\t" ($2 == s1 ? "shard1" : "shard2") }' "$WORK/primary_of" > "$WORK/shard_of"
echo "lookup_servers for $attempted ids: $((SECONDS - lookup_started)) s"

# attempts joined with shards: id, shard, start_ms, end_ms, outcome, error
awk -F'\t' -v OFS='\t' 'NR == FNR { shard[$1] = $2; next } { print $1, shard[$1], $2, $3, $4, $5 }' \
  "$WORK/shard_of" "$WORK/attempts" > "$WORK/joined"
ids() { awk -F'\t' -v s="$1" -v o="$2" '$2 == s && (o == "any" || (o == "ok") == ($5 == "ok")) { print $1 }' "$WORK/joined" | sort; }
for s in shard1 shard2; do
  ids $s ok > "$WORK/acked.$s"
  ids $s failed > "$WORK/failed.$s"
done
# Per shard: attempted, acknowledged, failed, the longest time between two acknowledged writes
# (the client's view of the shard's outage) and the slowest acknowledged statement.
stats() {
  awk -F'\t' -v s="$1" '$2 == s { n++ } $2 == s && $5 == "ok" { ok++; if (last != "" && $4 - last > gap) gap = $4 - last; last = $4
      if ($4 - $3 > slow) slow = $4 - $3 }
    $2 == s && $5 != "ok" { bad++ }
    END { printf "%d attempted, %d acknowledged, %d failed; longest gap between acknowledged writes %d ms, slowest %d ms\n", n, ok, bad, gap, slow }' "$WORK/joined"
}
s1_failed="$(wc -l < "$WORK/failed.shard1")"
s2_failed="$(wc -l < "$WORK/failed.shard2")"

# --- No acknowledged write lost: each on its shard's current primary, exactly once, nowhere else ----
as_root $S1R -e "SELECT id FROM weft_test.f_events" | sort > "$WORK/rows.shard1"
as_root $S2 -e "SELECT id FROM weft_test.f_events" | sort > "$WORK/rows.shard2"
[ "$(as_root $GLOBAL -e 'SELECT count(*) FROM weft_test.f_events')" = 0 ] || fail "sharded rows reached the global group"
lost1="$(comm -23 "$WORK/acked.shard1" "$WORK/rows.shard1")"
lost2="$(comm -23 "$WORK/acked.shard2" "$WORK/rows.shard2")"
[ -z "$lost1" ] || fail "$(wc -w <<<"$lost1") acknowledged shard1 writes are not on $S1R: $(echo $lost1 | head -c 300)"
[ -z "$lost2" ] || fail "$(wc -w <<<"$lost2") acknowledged shard2 writes are not on $S2: $(echo $lost2 | head -c 300)"
misplaced="$(comm -12 "$WORK/acked.shard1" "$WORK/rows.shard2"; comm -12 "$WORK/acked.shard2" "$WORK/rows.shard1")"
[ -z "$misplaced" ] || fail "acknowledged writes on the other shard too: $(echo $misplaced | head -c 300)"
[ "$(sort "$WORK/rows.shard1" "$WORK/rows.shard2" | uniq -d | wc -l)" = 0 ] || fail "an id is on both shards"
sort "$WORK/rows.shard1" "$WORK/rows.shard2" > "$WORK/rows.all"
unacked_rows="$(comm -23 "$WORK/rows.all" <(sort "$WORK/ledger"))"
[ -z "$(comm -23 <(echo "$unacked_rows" | sed '/^$/d') <(sort "$WORK/failed.shard1" "$WORK/failed.shard2"))" ] ||
  fail "rows that loop A never attempted: $(echo $unacked_rows | head -c 300)"
# Rows only on the shard the map names (unacknowledged ones included).
wrong="$(comm -12 "$WORK/rows.shard1" "$WORK/acked.shard2"; comm -12 "$WORK/rows.shard1" "$WORK/failed.shard2"
         comm -12 "$WORK/rows.shard2" "$WORK/acked.shard1"; comm -12 "$WORK/rows.shard2" "$WORK/failed.shard1")"
[ -z "$wrong" ] || fail "rows on a shard the map does not name for them: $(echo $wrong | head -c 300)"

# --- shard2 unaffected ---------------------------------------------------------------------------
[ "$s2_failed" = 0 ] || fail "$s2_failed writes for shard2 keys failed: $(grep -P '\tshard2\t' "$WORK/joined" | grep -vP '\tok\t' | head -n 3)"
side_attempted="$(wc -l < "$WORK/side-attempts")"
side_acked="$(wc -l < "$WORK/side-ledger")"
[ "$side_acked" = "$side_attempted" ] && [ "$(json "$side_result" errors)" = 0 ] && [ "$(json "$side_result" duplicates)" = 0 ] ||
  fail "loop B (shard2 keys only) saw failures: $side_result"
as_root $S2 -e "SELECT id FROM weft_test.f_side" | sort > "$WORK/side-rows"
[ -z "$(comm -23 <(sort "$WORK/side-ledger") "$WORK/side-rows")" ] || fail "loop B's acknowledged writes are not all on $S2"
[ "$(as_root $S1R -e 'SELECT count(*) FROM weft_test.f_side')" = 0 ] || fail "loop B's rows (shard2 keys) reached shard1"
side_gap="$(json "$side_result" longest_gap_ms)"
# shard2's writes went on while shard1 had no primary (loop A waits in weft then, loop B does not).
[ "$side_during" -gt 0 ] || fail "no shard2 write was acknowledged between the kill and the promotion"
side_slow="$(awk -F'\t' '$3 - $2 > m { m = $3 - $2 } END { print m + 0 }' "$WORK/side-attempts")"
[ "$(group_primary shard2)" = "127.0.0.1:$S2" ] || fail "shard2's primary changed: $(group_primary shard2)"
[ "$(as_root $S2 -e 'select @@read_only')" = 0 ] || fail "$S2 is read_only"
st2="$(slave_status $S2R)"
grep -q "Master_Port: $S2" <<<"$st2" && grep -q 'Slave_SQL_Running: Yes' <<<"$st2" ||
  fail "$S2R no longer replicates from $S2: $(grep -E 'Master_Port|Running|Error' <<<"$st2")"
[ "$(admin -e "SELECT count(*) FROM failover_log WHERE group_name <> 'shard1' AND NOT (group_name = 'main' AND event = 'switchover')")" = 0 ] ||
  fail "failover_log has events for other groups (but main's two switchovers): $(admin -e 'SELECT * FROM failover_log')"

# --- shard1 failed over to 23323 ------------------------------------------------------------------
servers1="$(admin -e 'SHOW GROUP shard1 SERVERS')"
grep -qP "^127.0.0.1:$S1R\tprimary\t" <<<"$servers1" || fail "SHOW GROUP shard1 SERVERS: $servers1"
grep -qP "^127.0.0.1:$S1\treplica\tOFFLINE_HARD\t" <<<"$servers1" || fail "the old primary is not OFFLINE_HARD: $servers1"
[ "$(as_root $S1R -e 'select @@read_only')" = 0 ] || fail "the new primary $S1R is read_only"
admin -e "SELECT event, old_primary, new_primary, outcome, duration_ms FROM failover_log WHERE group_name = 'shard1' AND event = 'failover'" > "$WORK/fo"
grep -qP "^failover\t127.0.0.1:$S1\t127.0.0.1:$S1R\tok\t[0-9]+$" "$WORK/fo" || fail "failover_log: $(admin -e 'SELECT * FROM failover_log')"
failover_ms="$(cut -f5 "$WORK/fo")"
# weft holds shard1's statements while it fails over: only the statement in flight on the dying
# connection fails (9005), as in ha_failover.sh's drill (which allows 2).
[ "$s1_failed" -le 2 ] || fail "$s1_failed writes for shard1 keys failed (statements were not held): $(grep -vP '\tok\t' "$WORK/attempts" | head -n 5)"

echo "sharding failover drill: kill -9 of shard1's primary $S1 under a key-routed write loop"
echo "  loop A (weft_test.f_events, HASH over shard1 and shard2): $attempted attempted, $acked acknowledged, $failed failed ($acked_before_kill acknowledged before the kill)"
echo "    shard1: $(stats shard1)"
echo "    shard2: $(stats shard2)"
if [ "$failed" -gt 0 ]; then
  echo "    failed: $(awk -F'\t' '$5 != "ok" { printf "id %s (%s, %s ms): %s; ", $1, $2, $4 - $3, $6 }' "$WORK/joined")"
  echo "    of them committed anyway (the statement in flight when the primary died): $(wc -w <<<"$unacked_rows")"
fi
echo "  loop B (weft_test.f_side, shard2 keys only, beside loop A): $side_attempted attempted, $side_acked acknowledged, 0 failed; $side_during acknowledged between the kill and the promotion; longest gap ${side_gap} ms, slowest ${side_slow} ms"
echo "  failover: $S1R promoted ${promoted_ms} ms after the kill (admin polled every ~0.1 s); failover_log duration ${failover_ms} ms"
echo "  every acknowledged id is on its shard's current primary ($S1R: $(wc -l < "$WORK/acked.shard1"), $S2: $(wc -l < "$WORK/acked.shard2")), once, nowhere else: 0 lost"
{ grep 'event=ha_step' "$WORK/weft.log" || true; } | sed 's/^/    /' | cut -c1-240

# --- The global group's stream to shard1 after the failover ---------------------------------------
# 23323 replicated from 23322, which replicated from 23320; once promoted, 23323 takes the global
# stream (global tables, global DDL) from the global group's primary 23320 itself, as weft's
# failover step "global stream" says.
grep -qP 'event=ha_step operation=failover step="global stream" server=127\.0\.0\.1:'$S1R' outcome=ok .*replicates from 127\.0\.0\.1:'$GLOBAL "$WORK/weft.log" ||
  fail "the failover did not point $S1R at the global primary $GLOBAL: $(grep 'event=ha_step' "$WORK/weft.log" | tail -n 20)"
grep -q 'repl-secret' "$WORK/weft.log" && fail "the replication password is in weft's log"
global_stream() { slave_status $S1R | grep -E '^ *(Master_Host|Master_Port|Slave_IO_Running|Slave_SQL_Running|Using_Gtid|Last_IO_Error|Last_SQL_Error):' || true; }
wait_for "global_stream | grep -q 'Master_Port: $GLOBAL' && global_stream | grep -q 'Slave_IO_Running: Yes' &&
  global_stream | grep -q 'Slave_SQL_Running: Yes'" 10 ||
  fail "the new shard1 primary $S1R does not replicate from the global primary $GLOBAL: $(global_stream | tr -s ' \n' ' ')"
echo "  global stream to the new shard1 primary $S1R (SHOW SLAVE STATUS):"
global_stream | sed 's/^ */    /'
via_weft -e "INSERT INTO weft_test.f_global VALUES (1); CREATE TABLE weft_test.f_after (k INT PRIMARY KEY)"
global_row() { as_root "$1" -e "SELECT (SELECT count(*) FROM weft_test.f_global WHERE k = 1) + (SELECT count(*) FROM information_schema.tables WHERE table_schema = 'weft_test' AND table_name = 'f_after')"; }
for p in $S2 $S1R; do
  wait_for "[ \"\$(global_row $p)\" = 2 ]" 10 ||
    fail "a global write and a CREATE TABLE made through weft after the failover (weft_test.f_global k = 1, weft_test.f_after) did not reach $p: $p gtid_slave_pos $(as_root $p -e 'select @@gtid_slave_pos'), $GLOBAL gtid_binlog_pos $(as_root $GLOBAL -e 'select @@gtid_binlog_pos')"
done
echo "    a global write and a CREATE TABLE made through weft after the failover reached $S1R and $S2"
pass
