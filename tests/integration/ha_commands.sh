#!/usr/bin/env bash
# The HA commands through the mariadb CLI on the admin port: REPLICATE (checks, replication user,
# GTID positioning, refusals), groups made and filled with SQL and with Fabric's CALL forms,
# ACTIVATE/DEACTIVATE, SHOW GROUPS and health, REJOIN of a healthy replica.
source "$(dirname "$0")/lib.sh"
require_sandbox
reset_sandbox_at_exit

start_weft_ha "catch_up_timeout_ms = 3000"

# --- REPLICATE ---------------------------------------------------------------------------------
# A replica taken out of replication is set up again by weft.
as_root "$REPLICA2_PORT" -e "STOP SLAVE; RESET SLAVE ALL"
[ -z "$(slave_status "$REPLICA2_PORT")" ] || fail "could not detach $REPLICA2_PORT"
via_weft -e "CREATE TABLE IF NOT EXISTS weft_test.ha_rep (id INT PRIMARY KEY); REPLACE INTO weft_test.ha_rep VALUES (1)"
out="$(admin -e "REPLICATE '127.0.0.1:$REPLICA2_PORT' FROM '127.0.0.1:$PRIMARY_PORT' USER 'weft_repl' PASSWORD 'r3pl-pw'")"
echo "$out"
for step in "check server_id" "check binary log" "check GTID" "check GTID state" "replication user" \
  "configure replica" "replicating" "read_only"; do
  grep -qP "^$step\t[^\t]*\tok\t" <<< "$out" || fail "REPLICATE step '$step' not ok: $out"
done
slave_status "$REPLICA2_PORT" > "$WORK/ss"
grep -q "Master_Port: $PRIMARY_PORT" "$WORK/ss" && grep -q "Master_User: weft_repl" "$WORK/ss" &&
  grep -q "Using_Gtid: Slave_Pos" "$WORK/ss" || fail "REPLICATE did not configure GTID replication: $(cat "$WORK/ss")"
[ "$(as_root "$PRIMARY_PORT" -e "SELECT count(*) FROM mysql.user WHERE user = 'weft_repl' AND Repl_slave_priv = 'Y'")" = 1 ] ||
  fail "the replication user was not created on the source"
via_weft -e "INSERT INTO weft_test.ha_rep VALUES (2)"
wait_for "[ \"\$(as_root $REPLICA2_PORT -e 'SELECT count(*) FROM weft_test.ha_rep')\" = 2 ]" 5 ||
  fail "a write on the source did not reach the replica set up by REPLICATE"
[ "$(as_root "$REPLICA2_PORT" -e 'select @@read_only')" = 1 ] || fail "REPLICATE left the replica writable"
grep -q "r3pl-pw" "$WORK/weft.log" && fail "the replication password is in the log"

# Refusals: the same server twice, a wrong password (the IO thread cannot log in), no such server.
out="$(admin_error -e "REPLICATE '127.0.0.1:$PRIMARY_PORT' FROM '127.0.0.1:$PRIMARY_PORT'")"
grep -q "ERROR 9012 .*REPLICATE (nothing was changed) failed: check server_id: both servers have server_id 1" <<< "$out" ||
  fail "same server accepted: $out"
grep -q "event=ha_step operation=replicate step=\"configure replica\" server=127.0.0.1:$PRIMARY_PORT" "$WORK/weft.log" &&
  fail "REPLICATE went on after a failed check"
as_root "$REPLICA2_PORT" -e "STOP SLAVE; RESET SLAVE ALL"
admin_error -e "REPLICATE '127.0.0.1:$REPLICA2_PORT' FROM '127.0.0.1:$PRIMARY_PORT' USER 'repl' PASSWORD 'wrong'" \
  > "$WORK/wrong.out" 2>&1 &
slow=$!
sleep 0.5  # it now waits up to catch_up_timeout_ms for threads that will not run; the port still answers
started=$(date +%s%N)
admin -e "SELECT count(*) FROM servers" > /dev/null
took_ms=$(( ($(date +%s%N) - started) / 1000000 ))
[ "$took_ms" -lt 1000 ] || fail "another admin session waited ${took_ms} ms behind a slow REPLICATE"
wait "$slow" || true
out="$(cat "$WORK/wrong.out")"
# (an existing user keeps its password: CREATE USER IF NOT EXISTS does not change it)
grep -qE "ERROR 9012 .*replicating on 127.0.0.1:$REPLICA2_PORT: .*(1045|Access denied)" <<< "$out" ||
  fail "a wrong replication password was not reported: $out"
out="$(admin_error -e "REPLICATE '127.0.0.1:$REPLICA2_PORT' FROM '127.0.0.1:1'")"
grep -q "ERROR 9012 .*connect on 127.0.0.1:1: 2002" <<< "$out" || fail "an unreachable source: $out"
admin -e "REPLICATE '127.0.0.1:$REPLICA2_PORT' FROM '127.0.0.1:$PRIMARY_PORT' START FROM CURRENT" |
  grep -qP "^replicating\t[^\t]*\tok" || fail "REPLICATE ... START FROM CURRENT"
admin_error -e "REPLICATE '127.0.0.1:$REPLICA2_PORT'" | grep -q "ERROR 1064 .*usage: REPLICATE" || fail "usage"

# --- Groups with SQL and with Fabric's forms --------------------------------------------------------
admin -e "CALL group.create('shard_b')"
admin_error -e "CALL group.add('shard_b', '127.0.0.1:$REPLICA2_PORT')" | grep -q "ERROR 1062" ||
  fail "a server in two groups was accepted"
admin -e "CREATE GROUP shard_c"
admin -e "ADD SERVER '127.0.0.1:1' TO GROUP shard_c"
[ "$(admin -e "SELECT role FROM servers WHERE address = '127.0.0.1:1'")" = primary ] || fail "first server not primary"
groups="$(admin -e 'CALL group.lookup_groups()')"
grep -qP "^main\tNULL\tINACTIVE\t127.0.0.1:$PRIMARY_PORT$" <<< "$groups" || fail "lookup_groups: $groups"
grep -qP "^shard_b\tNULL\tINACTIVE\tNULL$" <<< "$groups" || fail "lookup_groups empty group: $groups"
servers="$(admin -e "CALL group.lookup_servers('main')")"
grep -qP "^1\t127.0.0.1:$PRIMARY_PORT\tPRIMARY\tREAD_WRITE\t1$" <<< "$servers" || fail "lookup_servers: $servers"
grep -qP "\t127.0.0.1:$REPLICA1_PORT\tSECONDARY\tREAD_ONLY\t1$" <<< "$servers" || fail "lookup_servers: $servers"
[ "$(admin -e "CALL group.health('main')" | wc -l)" = 3 ] || fail "group.health"
admin -e "SHOW GROUP shard_c HEALTH" | grep -q "127.0.0.1" || fail "SHOW GROUP HEALTH"
admin -e "ACTIVATE GROUP main"
admin -e 'SHOW GROUPS' | grep -qP "^main\t127.0.0.1:$PRIMARY_PORT\t2\tauto\tACTIVE\tready$" || fail "ACTIVATE: $(admin -e 'SHOW GROUPS')"
admin -e "CALL group.deactivate('main')"
admin -e 'SHOW GROUPS' | grep -qP "^main\t[^\t]*\t2\toff\tINACTIVE\t" || fail "DEACTIVATE"
admin -e 'SHOW GROUPS' | grep -qP "^shard_c\t127.0.0.1:1\t0\toff\tINACTIVE\tgroup 'shard_c': primary 127.0.0.1:1 is" ||
  fail "an unreachable group's status: $(admin -e 'SHOW GROUPS')"
admin -e "REMOVE SERVER '127.0.0.1:1' FROM GROUP shard_c"
admin_error -e "CALL group.explode('main')" | grep -q "ERROR 1064 .*unknown Fabric command" || fail "unknown Fabric call"
# Application traffic never noticed.
[ "$(via_weft -e 'SELECT count(*) FROM weft_test.ha_rep')" -ge 1 ] || fail "traffic after the group changes"

# --- REJOIN of a replica that is already fine: a no-op that says so --------------------------------
out="$(admin -e "REJOIN SERVER '127.0.0.1:$REPLICA1_PORT'")"
grep -qP "^replicating\t127.0.0.1:$REPLICA1_PORT\tok\tfrom 127.0.0.1:$PRIMARY_PORT" <<< "$out" || fail "REJOIN: $out"
admin_error -e "REJOIN SERVER '127.0.0.1:$PRIMARY_PORT'" | grep -q "ERROR 9012 .*is the primary" || fail "REJOIN of the primary"
pass
