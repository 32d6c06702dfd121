#!/usr/bin/env bash
# The admin and HTTP ports bound what a stalled or flooding client can hold: a connection that
# does not finish logging in within handshake_timeout_ms is closed (200 at once here), a stalled
# HTTP request likewise, and over [admin] max_connections a client gets ERR 1040 as its first
# packet, byte for byte what MariaDB sends. A logged-in admin session is not timed out.
source "$(dirname "$0")/lib.sh"
require_sandbox
TIMEOUT_MS=2000
start_weft "" "handshake_timeout_ms = $TIMEOUT_MS" "$(admin_toml | sed '/^\[admin\]/a max_connections = 200')"
wait_admin

/usr/bin/python3 - "$ADMIN_PORT" "$HTTP_PORT" "$TIMEOUT_MS" "$REPO/tests/integration" <<'PY' || fail "admin port limits"
import socket, sys, time
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, parse_err
admin_port, http_port, timeout = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) / 1000
failures = []
def check(name, cond, detail=''):
    print(('ok   ' if cond else 'FAIL ') + name + (' ' + detail if detail else ''))
    if not cond:
        failures.append(name)

def closed_by(sock, deadline):
    """True when the peer closes `sock` before `deadline` (time.monotonic())."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            if not sock.recv(4096):
                return True
        except (socket.timeout, TimeoutError):
            return False
        except ConnectionResetError:
            return True

# A logged-in admin session, kept idle past the handshake timeout below.
admin = Conn(admin_port)
ok = admin.login('admin', 'admin-secret')
check('admin login', ok[:1] == b'\x00', ok.hex())

# 1. 199 more connections that read the greeting and send nothing (200 with the session above).
stalled = []
for i in range(199):
    c = Conn(admin_port)
    seq, g = c.read_packet()
    stalled.append((time.monotonic(), c))
    if g[:1] != b'\x0a':
        check('stalled connection %d gets a greeting' % i, False, g[:40].hex())
        break
check('199 stalled connections greeted', len(stalled) == 199)

# 2. One over max_connections: ERR 1040 as the first packet, as MariaDB sends it before the
#    handshake (sequence id 0, no SQLSTATE marker), then closed.
extra = Conn(admin_port)
seq, p = extra.read_packet()
check('over max_connections -> 1040 Too many connections', p == b'\xff\x10\x04Too many connections', p.hex())
check('1040 has sequence id 0', seq == 0, str(seq))
check('1040 then closed', extra.closed_by_peer(2))

# 3. Stalled HTTP requests: a connection with half a request, one with nothing.
half = socket.create_connection(('127.0.0.1', http_port)); half.sendall(b'GET /health HTTP/1.1\r\n')
idle = socket.create_connection(('127.0.0.1', http_port))
http_opened = time.monotonic()

# 4. Every stalled connection is closed by weft within the timeout + 2 s of its opening.
still_open = sum(1 for opened, c in stalled if not closed_by(c.sock, opened + timeout + 2))
check('stalled admin connections closed within timeout + 2 s', still_open == 0, '%d still open' % still_open)
check('stalled HTTP request closed', closed_by(half, http_opened + timeout + 2))
check('idle HTTP connection closed', closed_by(idle, http_opened + timeout + 2))

# 4b. An oversized packet before login gets 1043 Bad handshake, as on the proxy port (defect 13).
big = Conn(admin_port); big.greeting_scramble(); big.send(b'\xff\xff\xff\x01' + b'x' * 100)
try:
    seq, p = big.read_packet(); e = parse_err(p)
except Exception as ex:
    e = repr(ex)
check('oversized admin handshake -> 1043', isinstance(e, tuple) and e[0] == 1043, str(e))

# 5. The logged-in session outlived the handshake timeout and still answers.
admin.query('select 1')
seq, p = admin.read_packet()
check('logged-in admin session still works', p[:1] == b'\x01', p.hex())
sys.exit(1 if failures else 0)
PY

weft_alive || fail "weft died"
[ "$(admin -e 'select 1')" = 1 ] || fail "a new admin login after the flood did not work"
[ "$(http_code /health)" = 200 ] || fail "/health after the stalled requests"
http_code /metrics >/dev/null
grep -q '^weft_connections_refused_total{port="admin",reason="max_connections"} [1-9]' "$WORK/http.body" ||
  fail "1040 refusals not counted in /metrics: $(grep refused "$WORK/http.body")"
n=$(grep -c 'event=connection_refused port=admin reason=max_connections' "$WORK/weft.log" || true)
[ "$n" -ge 1 ] && [ "$n" -le 2 ] || fail "expected one connection_refused line per burst, got $n"
pass
