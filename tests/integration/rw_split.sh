#!/usr/bin/env bash
# Read/write split over the sandbox's primary and two replicas: reads land on replicas (by
# @@port), writes, transactions, locking reads and hints on the primary; a replica whose SQL
# thread stops, or whose lag passes the bound, takes no reads until it is back; a killed replica
# is shunned (reads carry on elsewhere, without errors) and returns once restarted.
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_REPLICAS=1 start_weft "" "" '[[groups]]
name = "main"
max_replication_lag = 1
read_only_transactions = "replica"'

# Ports that answered `select @@port` over N fresh statements (one session, multiplexed).
read_ports() {
  /usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" "$1" <<'PY'
import sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, parse_err
c = Conn(int(sys.argv[1]))
ok = c.login(sys.argv[2], sys.argv[3])
assert ok[:1] == b'\x00', parse_err(ok)
print(' '.join(sorted({c.scalar('select @@port') for _ in range(int(sys.argv[5]))})))
PY
}
replicas_both='[ "$(read_ports 30)" = "23307 23308" ]'

# 1. Reads spread over both replicas once the monitor has seen them.
wait_for "$replicas_both" 10 || fail "reads never reached both replicas: $(read_ports 30)"

# 2. Writes, transactions, locking reads, side effects and hints go to the primary.
via_weft -e "drop table if exists weft_test.rw; create table weft_test.rw (id int auto_increment primary key, port int)"
via_weft -e "insert into weft_test.rw (port) values (@@port)"
[ "$(direct -e 'select port from weft_test.rw')" = "$PRIMARY_PORT" ] || fail "an INSERT did not run on the primary"
check_primary() {
  local got
  got="$(via_weft --comments -e "$1" | tail -n 1)"  # (the CLI strips comments without --comments)
  [ "$got" = "$PRIMARY_PORT" ] || fail "expected the primary for: $1 (got $got)"
}
check_primary "begin; select @@port; commit"
check_primary "set autocommit = 0; select @@port; commit"
check_primary "select @@port from weft_test.rw for update"
check_primary "select @@port from weft_test.rw lock in share mode"
check_primary "select @@port + 0 * get_lock('weft_rw', 0)"
check_primary "/* weft: route=primary */ select @@port"
got="$(via_weft -e "start transaction read only; select @@port; commit")"
[ "$got" = "23307" ] || [ "$got" = "23308" ] || fail "START TRANSACTION READ ONLY did not run on a replica: $got"
got="$(via_weft -e "start transaction read only; insert into weft_test.rw (port) values (1)" 2>&1 || true)"
echo "$got" | grep -qE "ERROR (1792|1290)" || fail "a write in a READ ONLY transaction was not refused: $got"
# After a LAST_INSERT_ID-generating insert the session is not pinned: reads still spread.
out="$(via_weft -e "insert into weft_test.rw (port) values (0); select last_insert_id() = max(id) from weft_test.rw; select @@port; select @@port; select @@port; select @@port" | sort -u | tr '\n' ' ')"
[ "$out" = "1 23307 23308 " ] || fail "after an insert, LAST_INSERT_ID() and spread reads: $out"

# USE as a statement (not COM_INIT_DB) changes the session's schema without pinning it.
out="$(/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY'
import sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn
c = Conn(int(sys.argv[1]))
c.login(sys.argv[2], sys.argv[3])
c.query('use weft_test'); c.result_rows()
print(' '.join(sorted({c.scalar("select concat(database(), ':', @@port)") for _ in range(20)})))
PY
)"
[ "$out" = "weft_test:23307 weft_test:23308" ] || fail "after USE, reads (schema:port): $out"

# 3. A replica with its SQL thread stopped (lag unknown) takes no reads, and returns after.
as_root 23307 -e "stop slave sql_thread"
wait_for '[ "$(read_ports 20)" = "23308" ]' 5 || { as_root 23307 -e "start slave sql_thread"; fail "23307 still took reads with its SQL thread stopped"; }
as_root 23307 -e "start slave sql_thread"
wait_for "$replicas_both" 10 || fail "23307 did not take reads again after its SQL thread restarted"

# 4. Lag over the bound (1 s): a lock held on 23308 blocks its SQL thread while the primary writes.
via_weft -e "drop table if exists weft_test.lag; create table weft_test.lag (id int primary key)"
wait_for '[ "$(as_root 23308 -e "select count(*) from information_schema.tables where table_schema = \"weft_test\" and table_name = \"lag\"")" = 1 ]' 10
/usr/bin/python3 - "$REPO/tests/integration" "$ROOT_PASSWORD" > "$WORK/lock.out" 2>&1 <<'PY' &
import sys, time
sys.path.insert(0, sys.argv[1])
from wire_client import Conn, parse_err
c = Conn(23308, timeout=30)
ok = c.login('root', sys.argv[2])
assert ok[:1] == b'\x00', parse_err(ok)
c.query('lock tables weft_test.lag write'); c.result_rows()
time.sleep(6)
c.query('unlock tables'); c.result_rows()
PY
LOCKER=$!
sleep 0.5
via_weft -e "insert into weft_test.lag values (1)"
lag_of() { as_root "$1" --column-names -e "show slave status\G" | awk '/Seconds_Behind_Master/ {print $2}'; }
wait_for '[ "$(lag_of 23308)" -ge 2 ] 2>/dev/null' 5 ||
  fail "23308 did not fall behind while locked"
sleep 0.5  # one monitor interval
[ "$(read_ports 20)" = "23307" ] || fail "a replica 2+ s behind (bound 1 s) still took reads: $(read_ports 20)"
wait "$LOCKER" || fail "lock holder: $(cat "$WORK/lock.out")"
wait_for "$replicas_both" 10 || fail "23308 did not take reads again after catching up"

# 5. A killed replica is shunned; reads go on (no errors) and it returns after a restart.
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" > "$WORK/reads.out" 2>&1 <<'PY' &
import sys, time
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, parse_err, ServerError
c = Conn(int(sys.argv[1]))
ok = c.login(sys.argv[2], sys.argv[3])
assert ok[:1] == b'\x00', parse_err(ok)
errors, reads, end = [], 0, time.time() + 4
while time.time() < end:
    try:
        c.scalar('select @@port'); reads += 1
    except ServerError as e:
        errors.append(e.args[0])
    time.sleep(0.01)
print(f'reads={reads} errors={errors}')
sys.exit(1 if errors or reads < 50 else 0)
PY
READER=$!
sleep 0.5
"$REPO/scripts/sandbox" kill 23308 > /dev/null
wait_for 'grep -q "event=server_shunned server=127.0.0.1:23308" "$WORK/weft.log"' 5 || fail "23308 was not shunned"
[ "$(read_ports 20)" = "23307" ] || fail "a shunned replica took reads"
wait "$READER" || fail "reads while a replica died: $(cat "$WORK/reads.out")"
"$REPO/scripts/sandbox" start > /dev/null
wait_for 'grep -q "event=server_online server=127.0.0.1:23308" "$WORK/weft.log"' 10 || fail "23308 did not come back ONLINE"
wait_for "$replicas_both" 10 || fail "23308 took no reads after its restart"

via_weft -e "drop table weft_test.rw; drop table weft_test.lag"
weft_alive || fail "weft died"
pass
