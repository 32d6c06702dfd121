#!/usr/bin/env bash
# Read-your-writes: with it on, a session's read right after its own write never misses that
# write, even on a replica that is being slowed down (a lock taken and released over and over
# blocks its SQL thread). The same loop with it off (root's setting) does see stale reads, which
# shows the loop can catch them.
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_REPLICAS=1 start_weft "" "" '[[groups]]
name = "main"
read_your_writes = true
read_your_writes_timeout_ms = 2000

[[users]]
name = "root"
password = "sandbox-root"
read_your_writes = false'

via_weft -e "drop table if exists weft_test.ryw; create table weft_test.ryw (id int primary key, who varchar(8))"
wait_for '[ "$(as_root 23307 -e "select count(*) from information_schema.tables where table_schema = \"weft_test\" and table_name = \"ryw\"")" = 1 ]' 10 ||
  fail "the table did not reach 23307"

# The slowed replica: 23307's SQL thread waits on a table lock 30 ms out of every 40 ms.
/usr/bin/python3 - "$REPO/tests/integration" "$ROOT_PASSWORD" > "$WORK/slow.out" 2>&1 <<'PY' &
import sys, time
sys.path.insert(0, sys.argv[1])
from wire_client import Conn, parse_err
c = Conn(23307, timeout=30)
ok = c.login('root', sys.argv[2])
assert ok[:1] == b'\x00', parse_err(ok)
end = time.time() + 120
while time.time() < end:
    c.query('lock tables weft_test.ryw write'); c.result_rows()
    time.sleep(0.03)
    c.query('unlock tables'); c.result_rows()
    time.sleep(0.01)
PY
SLOWER=$!
trap 'kill $SLOWER 2>/dev/null || true; cleanup_and_check' EXIT

# rounds USER PASSWORD START N: N rounds of "insert id; read max(id)" in one session; prints
# "stale=S reads_on_replicas=R seconds=T".
rounds() {
  /usr/bin/python3 - "$WEFT_PORT" "$1" "$2" "$REPO/tests/integration" "$3" "$4" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, parse_err
def columns(row):
    out, pos = [], 0
    while pos < len(row):
        n = row[pos]; pos += 1
        out.append(row[pos:pos + n].decode()); pos += n
    return out
c = Conn(int(sys.argv[1]), timeout=30)
ok = c.login(sys.argv[2], sys.argv[3])
assert ok[:1] == b'\x00', parse_err(ok)
first, n = int(sys.argv[5]), int(sys.argv[6])
stale = on_replicas = 0
start = time.time()
for i in range(first, first + n):
    c.query(f"insert into weft_test.ryw values ({i}, '{sys.argv[2]}')"); c.result_rows()
    c.query('select max(id), @@port from weft_test.ryw')
    top, port = columns(c.result_rows()[0])
    stale += int(top) != i
    on_replicas += port != '23306'
print(f'stale={stale} reads_on_replicas={on_replicas} seconds={time.time() - start:.1f}')
PY
}

with="$(rounds "$APP_USER" "$APP_PASSWORD" 1 1000)" || fail "read-your-writes loop failed: $with"
echo "read_your_writes on, 1000 rounds: $with"
[[ "$with" == stale=0\ * ]] || fail "stale reads with read_your_writes on: $with"
replica_reads="$(sed 's/.*reads_on_replicas=\([0-9]*\).*/\1/' <<< "$with")"
[ "$replica_reads" -ge 500 ] || fail "most reads should still go to replicas: $with"

without="$(rounds root "$ROOT_PASSWORD" 100001 300)" || fail "control loop failed: $without"
echo "read_your_writes off (root), 300 rounds: $without"
[[ "$without" != stale=0\ * ]] || fail "the control loop saw no stale read: the test would not catch one"

kill "$SLOWER" 2>/dev/null || true
via_weft -e "drop table weft_test.ryw"
weft_alive || fail "weft died"
pass
