#!/usr/bin/env bash
# Fault drill (issue 10): a replica killed (kill -9) while it streams a big result to one session.
# That session sees its connection end (never a result passed off as complete, never another
# session's bytes); a session reading from elsewhere at the same time is not disturbed; new reads
# go to the surviving replica, and the killed one takes reads again once restarted.
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_REPLICAS=1 start_weft
restart_replica() {
  for port in "$REPLICA1_PORT" "$REPLICA2_PORT"; do
    "$REPO/scripts/sandbox" start-server "$port" > /dev/null  # (nothing to do for a running one)
    wait_for "slave_status $port | grep -q 'Slave_SQL_Running: Yes'" 20 || echo "replica $port did not replicate again" >&2
  done
}
trap 'restart_replica; cleanup_and_check' EXIT
wait_for '[ "$(via_weft -e "select @@port")" != "$PRIMARY_PORT" ]' 10 || fail "no read ever reached a replica"

/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" "$REPO" "$WORK/victim" "$REPLICA1_PORT" "$REPLICA2_PORT" <<'PY' || fail "the drill failed"
import subprocess, sys, threading
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, ServerError
port, user, pw, repo, victim_file = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[5], sys.argv[6]
replicas = sys.argv[7:]
BIG = "SELECT @@port, repeat('x', 200) FROM weft_test.seq_1_to_2000000"
def running_on(replica):
    out = subprocess.run(['mariadb', '--protocol=TCP', '-h127.0.0.1', '-P' + replica, '-uroot', '-psandbox-root',
                          '--skip-ssl', '-N', '-B', '-e',
                          "SELECT count(*) FROM information_schema.processlist WHERE info LIKE '%seq_1_to_2000000%'"
                          " AND info NOT LIKE '%processlist%'"], capture_output=True, text=True)
    return out.stdout.strip() == '1'
a = Conn(port, timeout=20); a.login(user, pw)
a.query(BIG)
_, first = a.read_packet()
victim = next((r for r in replicas if running_on(r)), None)
if not victim:
    sys.exit('the big read runs on no replica')
open(victim_file, 'w').write(victim)
got = eofs = 0
bystander_errors = []
def bystander():
    b = Conn(port, timeout=20); b.login(user, pw)
    for i in range(200):
        try:
            if b.scalar("SELECT %d" % i) != str(i):
                bystander_errors.append(i)
        except Exception as e:
            bystander_errors.append(repr(e)); return
t = threading.Thread(target=bystander); t.start()
subprocess.run([repo + '/scripts/sandbox', 'kill', victim], check=True, capture_output=True)
ended = 'complete'
try:
    while True:
        _, p = a.read_packet(); got += 1
        if p[:1] == b'\xfe' and len(p) < 9:
            eofs += 1  # the first ends the column definitions, the second the rows
            if eofs == 2:
                break
        if p[:1] == b'\xff':
            ended = 'ERR'; break
except (EOFError, ConnectionResetError, TimeoutError) as e:
    ended = type(e).__name__
t.join()
print('victim session: %d packets, then %s; bystander problems: %s' % (got, ended, bystander_errors[:3]))
if ended == 'complete':
    sys.exit('the result was passed off as complete although its server was killed')
if bystander_errors:
    sys.exit('the bystander was disturbed')
PY
VICTIM="$(cat "$WORK/victim")"
# New reads go on, on the survivor.
for _ in $(seq 10); do
  port="$(via_weft -e 'select @@port')" || fail "a read after the kill failed"
  [ "$port" != "$VICTIM" ] || fail "a read went to the killed replica"
done
restart_replica
wait_for '[ "$(for _ in 1 2 3 4 5 6; do via_weft -e "select @@port"; done | grep -c "$VICTIM")" -gt 0 ]' 15 ||
  fail "the restarted replica never took reads again"
pass
