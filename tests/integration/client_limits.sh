#!/usr/bin/env bash
# [proxy] max_client_connections counts every worker's client connections: one more gets ERR 1040
# Too many connections as its first packet (what MariaDB sends, which the CLI shows as
# "ERROR 1040 (HY000)"); once some sessions close, logins work again.
source "$(dirname "$0")/lib.sh"
require_sandbox
MAX=20
start_weft "" "max_client_connections = $MAX"

/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$MAX" "$REPO/tests/integration" <<'PY' || fail "client connection limit"
import subprocess, sys, time
sys.path.insert(0, sys.argv[5])
from wire_client import Conn
port, user, pw, limit = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
failures = []
def check(name, cond, detail=''):
    print(('ok   ' if cond else 'FAIL ') + name + (' ' + detail if detail else ''))
    if not cond:
        failures.append(name)

def login():
    c = Conn(port, timeout=5)
    return c, c.login(user, pw)

def refused_with_1040():
    c = Conn(port, timeout=5)
    seq, p = c.read_packet()
    return seq == 0 and p == b'\xff\x10\x04Too many connections' and c.closed_by_peer(2), p.hex()

sessions = []
for i in range(limit):  # the two workers' sessions count together
    c, ok = login()
    if ok[:1] != b'\x00':
        check('login %d under the limit' % i, False, ok.hex())
        break
    sessions.append(c)
check('%d sessions logged in' % limit, len(sessions) == limit)
refused, detail = refused_with_1040()
check('one more -> 1040 as the first packet, then closed', refused, detail)
cli = subprocess.run(['mariadb', '--protocol=TCP', '-h127.0.0.1', '-P%d' % port, '-u' + user, '-p' + pw, '--skip-ssl',
                      '-e', 'select 1'], capture_output=True, text=True, timeout=10)
check('the CLI says it as for the server', 'ERROR 1040 (HY000): Too many connections' in cli.stderr, cli.stderr.strip())

for c in sessions[:5]:
    c.sock.close()
del sessions[:5]
time.sleep(0.3)  # weft sees the five sessions end
for i in range(5):
    c, ok = login()
    check('login %d after five sessions closed' % i, ok[:1] == b'\x00', ok.hex())
    c.query('select 1'); seq, p = c.read_packet()
    check('it runs a statement', p[:1] == b'\x01', p.hex())
    sessions.append(c)
refused, detail = refused_with_1040()
check('full again -> 1040', refused, detail)
sys.exit(1 if failures else 0)
PY

weft_alive || fail "weft died"
# The CLI's view of it, now that the Python sessions are gone.
[ "$(via_weft -e 'select @@port')" = 23306 ] || fail "login after the test's sessions ended"
n=$(grep -c 'event=connection_refused port=proxy reason=max_connections' "$WORK/weft.log" || true)
[ "$n" -ge 1 ] && [ "$n" -le 2 ] || fail "expected one connection_refused line per burst, got $n"
pass
