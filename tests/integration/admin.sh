#!/usr/bin/env bash
# The admin port through the real mariadb CLI and the HTTP port through curl: every admin command,
# validated changes that apply at runtime, /ready following the primary, disk usage against
# information_schema and the files on disk, and kill -9 during a stream of admin updates.
source "$(dirname "$0")/lib.sh"
require_sandbox

ADMIN_TOML="$(admin_toml)"
STATE="$WORK/weft.toml.state"

export WEFT_REPLICAS=1
start_weft "" "" "$ADMIN_TOML"
wait_admin

# --- The login and the tables ---------------------------------------------------------------
{ mariadb --protocol=TCP -h127.0.0.1 -P"$ADMIN_PORT" -uadmin -pwrong --skip-ssl -e 'select 1' 2>&1 || true; } |
  grep -q "ERROR 1045" || fail "a wrong admin password was not refused with 1045"
{ mariadb --protocol=TCP -h127.0.0.1 -P"$ADMIN_PORT" -u"$APP_USER" -p"$APP_PASSWORD" --skip-ssl -e 'select 1' 2>&1 || true; } |
  grep -q "ERROR 1045" || fail "an application user logged in to the admin port"
tables="$(admin -e 'SHOW TABLES' | tr '\n' ' ')"
for t in servers groups users query_rules variables stats_digest stats_servers stats_pools stats_rules \
  stats_commands monitor_log processlist; do
  grep -qw "$t" <<< "$tables" || fail "SHOW TABLES lacks $t: $tables"
done
[ "$(admin -e "SELECT count(*) FROM servers WHERE group_name = 'main'")" = 3 ] || fail "servers table"
[ "$(admin -e "SELECT address FROM servers WHERE role = 'primary'")" = "127.0.0.1:$PRIMARY_PORT" ] ||
  fail "primary row"
admin -e "SELECT password_hash FROM users WHERE name = '$APP_USER'" | grep -q '^\*[0-9A-F]\{40\}$' ||
  fail "users does not show a native hash"
admin -e "SELECT * FROM users" | grep -q "$APP_PASSWORD" && fail "a clear password in users"
admin -e "SELECT value FROM variables WHERE name = 'monitor.interval_ms'" | grep -qx 200 || fail "variables"

# --- Live views after traffic ----------------------------------------------------------------
for i in $(seq 5); do via_weft -e "select $i + 0 as n" > /dev/null; done
via_weft -e "create table if not exists weft_test.admin_t (id int primary key, v int)"
via_weft -e "replace into weft_test.admin_t values (1, 1)"
digest="$(admin -e "SELECT count FROM stats_digest WHERE digest_text LIKE 'select ? + ? as n%'")"
[ "${digest:-0}" -ge 5 ] || fail "stats_digest count for the select: '$digest'"
admin -e "SELECT sum(queries) FROM stats_servers" | grep -qE '^[1-9]' || fail "stats_servers has no queries"
admin -e "SELECT count(*) FROM stats_commands" | grep -qE '^[1-9]' || fail "stats_commands empty"
admin -e "SELECT count(*) FROM stats_pools" | grep -qE '^[1-9]' || fail "stats_pools empty"
wait_for "[ \"\$(admin -e 'SELECT count(DISTINCT server) FROM monitor_log')\" = 3 ]" 5 || fail "monitor_log"
via_weft -e "select sleep(2)" > /dev/null &
sleeper=$!
wait_for "admin -e 'SHOW PROCESSLIST' | grep -q 'sleep(2)'" 3 || fail "processlist does not show the statement"
wait "$sleeper"
[ "$(admin -e "SELECT count(*) FROM servers s JOIN stats_servers t ON t.address = s.address")" -ge 1 ] ||
  fail "a JOIN of a config table and a live view"

# --- Admin commands ------------------------------------------------------------------------
health="$(admin -e 'SHOW HEALTH')"
[ "$(wc -l <<< "$health")" = 3 ] || fail "SHOW HEALTH rows: $health"
grep -P "^127.0.0.1\t$PRIMARY_PORT\tmain\tprimary\tONLINE\tON\tOK" <<< "$health" > /dev/null ||
  fail "SHOW HEALTH primary row: $health"
grep -P "\t$REPLICA1_PORT\tmain\treplica\tONLINE\tON\tOK\t0\tYes\tYes" <<< "$health" > /dev/null ||
  fail "SHOW HEALTH replica row: $health"
[ -z "$(admin -e 'SHOW HEALTH FOR GROUP nope')" ] ||
  fail "SHOW HEALTH FOR GROUP of an unknown group has rows"
topo="$(admin -e 'SHOW TOPOLOGY')"
grep -P "^127.0.0.1\t$PRIMARY_PORT\tprimary\tNULL\t0" <<< "$topo" > /dev/null || fail "topology root: $topo"
grep -P "^127.0.0.1\t$REPLICA2_PORT\treplica\t127.0.0.1:$PRIMARY_PORT\t1\tYes\tYes" <<< "$topo" > /dev/null ||
  fail "topology replica: $topo"
admin -e 'SHOW TOPOLOGY DISCOVER' | grep -q "└─ 127.0.0.1:$REPLICA1_PORT (replica)" || fail "topology tree"
[ -z "$(admin -e 'SHOW CONFIG DIFF')" ] || fail "a difference before any change: $(admin -e 'SHOW CONFIG DIFF')"
admin -e 'SHOW DATABASES' | grep -qx weft || fail "SHOW DATABASES"
admin_error -e 'SHOW NONSENSE' | grep -q "ERROR 1064" || fail "an unknown SHOW is not 1064"

# --- Disk usage agrees with information_schema and with the files on disk -----------------------
via_weft -e "insert into weft_test.admin_t select seq, seq from weft_test.seq_2_to_3000 on duplicate key update v = v"
du="$(admin -e "SHOW DISK USAGE FOR SERVER '127.0.0.1:$PRIMARY_PORT' ALL")"
expected="$(as_root "$PRIMARY_PORT" -e "SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables
  WHERE table_schema = 'weft_test'")"
got="$(awk -F'\t' '$2 == "database" && $3 == "weft_test" { print $6 }' <<< "$du")"
[ "$got" = "$expected" ] || fail "disk usage of weft_test: $got, information_schema says $expected"
datadir="$(as_root "$PRIMARY_PORT" -e 'select @@datadir')"
binlogs=0
while IFS=$'\t' read -r _ kind name _ _ total _; do
  [ "$kind" = binary_log ] || continue
  on_disk="$(stat -c %s "$datadir/$name")"
  [ "$total" = "$on_disk" ] || fail "binary log $name: $total bytes reported, $on_disk on disk"
  binlogs=$((binlogs + 1))
done <<< "$du"
[ "$binlogs" -ge 1 ] || fail "no binary logs in SHOW DISK USAGE ALL: $du"
grep -qP "\tinnodb\tibdata1\t" <<< "$du" || fail "no InnoDB system tablespace: $du"
grep -qP "\terror_log\t" <<< "$du" || fail "no error log: $du"
total="$(awk -F'\t' '$2 == "total" { print $6 }' <<< "$du")"
sum="$(awk -F'\t' '$2 != "total" { s += $6 } END { print s }' <<< "$du")"
[ "$total" = "$sum" ] || fail "disk usage total $total is not the sum of its rows ($sum)"
admin_error -e "SHOW DISK USAGE FOR SERVER '10.9.9.9:1'" | grep -q "ERROR 9011" || fail "unknown server not 9011"

# --- Changes: validated as a whole, applied at runtime, sessions kept ----------------------------
exec 7< <(via_weft --unbuffered -e "select connection_id(); select sleep(3); select 'survived'" 2>&1)
admin_error -e "UPDATE servers SET role = 'replica' WHERE address = '127.0.0.1:$PRIMARY_PORT'" |
  grep -q "ERROR 9010 .*group 'main' has no primary" || fail "a group without primary was accepted"
admin_error -e "INSERT INTO servers (address, group_name, role) VALUES ('127.0.0.1:$REPLICA1_PORT', 'main', 'replica')" |
  grep -q "ERROR 1062" || fail "a duplicate server was accepted"
admin_error -e "INSERT INTO query_rules (id, match_digest, route) VALUES (50, 'select (', 'primary')" |
  grep -q "ERROR 9010 .*not a valid regular expression" || fail "a bad regex was accepted"
[ "$(admin -e 'SELECT count(*) FROM query_rules')" = 0 ] || fail "a rejected rule was kept"
admin_error -e "CREATE TABLE x (a int)" | grep -q "ERROR 1227" || fail "DDL on the admin port was allowed"
admin_error -e "DELETE FROM stats_digest" | grep -q "ERROR" || fail "a live view was writable"

admin -e "UPDATE servers SET status = 'OFFLINE_HARD' WHERE address = '127.0.0.1:$REPLICA1_PORT'"
for _ in $(seq 20); do
  [ "$(via_weft -e 'select @@port')" != "$REPLICA1_PORT" ] || fail "a read reached an OFFLINE_HARD replica"
done
admin -e 'SHOW CONFIG DIFF' | grep -q "127.0.0.1:$REPLICA1_PORT" || fail "SHOW CONFIG DIFF misses the change"
admin -e "BEGIN; UPDATE servers SET status = 'ONLINE' WHERE address = '127.0.0.1:$REPLICA1_PORT';
  INSERT INTO query_rules (id, match_digest, error) VALUES (7, '^select [?] as blocked', 'blocked by the DBA'); COMMIT"
{ via_weft -e "select 1 as blocked" 2>&1 || true; } | grep -q "ERROR 1148 (42000).*blocked by the DBA" ||
  fail "a rule added at runtime does not block"
seen=""
for _ in $(seq 30); do seen="$seen $(via_weft -e 'select @@port')"; done
grep -qw "$REPLICA1_PORT" <<< "$seen" || fail "the replica set online again takes no reads: $seen"
admin -e "DELETE FROM query_rules WHERE id = 7"
out="$(cat <&7)"
grep -q survived <<< "$out" || fail "a client session did not survive the changes: $out"

# --- /health, /ready, /metrics, /topology; /ready follows the primary ------------------------------
[ "$(http_code /health)" = 200 ] || fail "/health"
[ "$(http_code /ready)" = 200 ] || fail "/ready with a healthy primary: $(cat "$WORK/http.body")"
[ "$(http_code /metrics)" = 200 ] || fail "/metrics"
for m in weft_client_connections weft_queries_total weft_server_up weft_failovers_total; do
  grep -q "^$m" "$WORK/http.body" || fail "/metrics lacks $m"
done
[ "$(http_code /topology)" = 200 ] || fail "/topology"
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert sum(len(g['servers']) for g in d['groups']) == 3, d" \
  "$WORK/http.body" || fail "/topology is not the JSON topology: $(cat "$WORK/http.body")"
[ "$(http_code /nope)" = 404 ] || fail "an unknown path is not 404"

"$REPO/scripts/sandbox" kill "$PRIMARY_PORT" > /dev/null
restart_primary() { "$REPO/scripts/sandbox" start > /dev/null; }
trap 'restart_primary; cleanup_and_check' EXIT
wait_for "[ \"\$(http_code /ready)\" = 503 ]" 10 || fail "/ready stayed $(http_code /ready) with the primary down"
grep -q '"ready":false' "$WORK/http.body" || fail "/ready 503 without a JSON reason: $(cat "$WORK/http.body")"
grep -q "127.0.0.1:$PRIMARY_PORT" "$WORK/http.body" || fail "/ready's reason does not name the primary"
admin -e 'SHOW HEALTH' | grep -P "\t$PRIMARY_PORT\t" | grep -q unreachable || fail "SHOW HEALTH: primary not unreachable"
restart_primary
wait_for "[ \"\$(http_code /ready)\" = 200 ]" 15 || fail "/ready did not return to 200: $(cat "$WORK/http.body")"
trap cleanup EXIT

# --- kill -9 during a stream of admin updates never leaves a mix --------------------------------
ledger="$WORK/ledger"
: > "$ledger"
(
  for i in $(seq 1 100000); do
    admin -e "BEGIN; UPDATE servers SET weight = $i WHERE address = '127.0.0.1:$REPLICA1_PORT';
      UPDATE servers SET weight = $i WHERE address = '127.0.0.1:$REPLICA2_PORT'; COMMIT" 2>/dev/null || exit 0
    echo "$i" >> "$ledger"
  done
) &
writer=$!
wait_for "[ \"\$(wc -l < '$ledger')\" -ge 20 ]" 30 || fail "the admin update stream did not run"
kill -KILL "$WEFT_PID"
wait "$WEFT_PID" 2>/dev/null || true
wait "$writer" 2>/dev/null || true
WEFT_PID=""
acked="$(tail -n 1 "$ledger")"
read -r integrity w1 w2 < <(/usr/bin/python3 - "$STATE" "$REPLICA1_PORT" "$REPLICA2_PORT" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ok = db.execute("PRAGMA integrity_check").fetchone()[0]
w = [db.execute("SELECT weight FROM servers WHERE address = ?", ("127.0.0.1:" + p,)).fetchone()[0] for p in sys.argv[2:4]]
print(ok, w[0], w[1])
PY
)
[ "$integrity" = ok ] || fail "state file integrity after kill -9: $integrity"
[ "$w1" = "$w2" ] || fail "kill -9 left a mix: weights $w1 and $w2 from one transaction"
[ "$w1" -ge "$acked" ] && [ "$w1" -le $((acked + 1)) ] ||
  fail "state holds weight $w1 but the last acknowledged update was $acked"
start_weft "" "" "$ADMIN_TOML"
wait_admin
[ "$(admin -e "SELECT weight FROM servers WHERE address = '127.0.0.1:$REPLICA2_PORT'")" = "$w1" ] ||
  fail "after restart the admin shows another weight than the state file"
grep -q "event=config_loaded source=state" "$WORK/weft.log" || fail "restart did not load the state"
grep -q "event=config_difference table=servers" "$WORK/weft.log" || fail "the file/state differences were not logged"
grep -q "admin-secret\|$APP_PASSWORD\|$ROOT_PASSWORD" "$WORK/weft.log" && fail "a password in the log"
echo "admin: $acked acknowledged updates before kill -9; state weight $w1; integrity ok"
pass
