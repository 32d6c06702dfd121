#!/usr/bin/env bash
# Parked sessions (issue 17, item 6): a session waiting for its client's next command gives up its
# coroutine frames and read buffer (right after the login, and after a second without a command)
# and the client's next bytes start it again where it was: session variables, a prepared
# statement and an open transaction are still there, pipelined commands are all answered. Parked
# sessions end cleanly when their clients leave and when weft stops; the gauge
# weft_client_connections_parked counts them.
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_WORKERS=1 start_weft "" "" "$(admin_toml)"
wait_admin
via_weft -e "CREATE TABLE IF NOT EXISTS weft_test.parked_t (id INT PRIMARY KEY, v INT); DELETE FROM weft_test.parked_t"
gauge() { curl -s "127.0.0.1:$HTTP_PORT/metrics" | awk -v m="$1" '$1 == m {print $2}'; }

# 1. One session through two parks, with state on both sides of each.
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' || fail "a session across parks"
import struct, sys, time
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, frame, execute_body, prepare
c = Conn(int(sys.argv[1]), timeout=20)
assert c.login(sys.argv[2], sys.argv[3])[:1] == b'\x00'
time.sleep(0.3)  # parked at the login
assert c.scalar('SELECT 41 + 1') == '42', 'the first command after a park at the login'
c.query("SET SESSION sql_mode = 'ANSI_QUOTES'"); c.result_rows()
stmt, _, _ = prepare(c, 'SELECT ? + 1')
c.query('BEGIN'); c.result_rows()
c.query('INSERT INTO weft_test.parked_t VALUES (1, 1)'); c.result_rows()
time.sleep(2.5)  # idle past the quarter-second sweep's look: parked
assert c.scalar('SELECT @@session.sql_mode') == 'ANSI_QUOTES', 'a SET across a park'
c.send(frame(execute_body(stmt, [6]), 0))
rows = c.result_rows()
assert struct.unpack('<q', rows[0][2:10])[0] == 7, rows
assert c.scalar('SELECT COUNT(*) FROM weft_test.parked_t') == '1', 'the open transaction across a park'
c.query('ROLLBACK'); c.result_rows()
time.sleep(2.5)
c.send(frame(b'\x03SELECT 1', 0) + frame(b'\x03SELECT 2', 0))  # two commands wake it at once
r1, r2 = c.result_rows(), c.result_rows()
assert (r1[0][1:], r2[0][1:]) == (b'1', b'2'), (r1, r2)
assert c.scalar('SELECT COUNT(*) FROM weft_test.parked_t') == '0', 'the ROLLBACK before the park'
print('one session across parks: ok')
PY
grep -qE 'event=session_parked id=[0-9]+ after=login' "$WORK/weft.log" || fail "no park after a login in the log"
grep -qE 'event=session_parked id=[0-9]+ after=idle' "$WORK/weft.log" || fail "no park after idleness in the log"

# 2. 200 idle clients: all parked (the gauge says so), then they leave and every session ends.
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" "$HTTP_PORT" <<'PY' || fail "200 parked sessions"
import sys, time, urllib.request
sys.path.insert(0, sys.argv[4])
from wire_client import Conn
def gauge(name):
    text = urllib.request.urlopen('http://127.0.0.1:%s/metrics' % sys.argv[5]).read().decode()
    return int(next(l.split()[1] for l in text.splitlines() if l.startswith(name + ' ')))
conns = []
for i in range(200):
    c = Conn(int(sys.argv[1]), timeout=20)
    assert c.login(sys.argv[2], sys.argv[3])[:1] == b'\x00'
    if i % 2:
        assert c.scalar('SELECT %d' % i) == str(i)  # half of them ran a command first
    conns.append(c)
deadline = time.time() + 10
while gauge('weft_client_connections_parked') < 200 and time.time() < deadline:
    time.sleep(0.2)
assert gauge('weft_client_connections_parked') == 200, gauge('weft_client_connections_parked')
assert conns[7].scalar('SELECT 7') == '7'
for c in conns:
    c.sock.close()
deadline = time.time() + 10
while gauge('weft_client_connections') > 0 and time.time() < deadline:
    time.sleep(0.2)
assert gauge('weft_client_connections') == 0, 'sessions left after their clients closed'
assert gauge('weft_client_connections_parked') == 0, 'parked sessions counted after they ended'
print('200 parked sessions: ok')
PY

# 3. weft stops promptly with parked sessions.
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' &
import sys, time
sys.path.insert(0, sys.argv[4])
from wire_client import Conn
conns = [Conn(int(sys.argv[1]), timeout=30) for _ in range(50)]
for c in conns:
    assert c.login(sys.argv[2], sys.argv[3])[:1] == b'\x00'
time.sleep(20)
PY
holder=$!
wait_for '[ "$(gauge weft_client_connections_parked)" = 50 ]' 10 || fail "50 idle sessions not parked: $(gauge weft_client_connections_parked)"
started=$(date +%s%N)
kill -TERM "$WEFT_PID"
for _ in $(seq 100); do kill -0 "$WEFT_PID" 2>/dev/null || break; sleep 0.1; done
took=$(( ($(date +%s%N) - started) / 1000000 ))
kill "$holder" 2>/dev/null || true
kill -0 "$WEFT_PID" 2>/dev/null && fail "weft did not stop within 10 s with 50 parked sessions"
echo "weft stopped in $took ms with 50 parked sessions"
pass
