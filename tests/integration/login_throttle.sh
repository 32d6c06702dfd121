#!/usr/bin/env bash
# Failed logins are throttled per client host, on the proxy and the admin ports: after
# max_login_failures wrong passwords the host gets ERR 1129 before any authentication (even with
# the right password) until host_block_ms passes or FLUSH HOSTS on the admin port; another host
# (127.0.0.2: loopback answers all of 127/8) is never affected. Counted in /metrics, one log
# line per block.
source "$(dirname "$0")/lib.sh"
require_sandbox
start_weft "" "max_login_failures = 5
login_failure_window_ms = 10000
host_block_ms = 2000" "$(admin_toml)"
wait_admin

/usr/bin/python3 - "$WEFT_PORT" "$ADMIN_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' || fail "login throttling"
import sys, time
sys.path.insert(0, sys.argv[5])
from wire_client import Conn, frame, parse_err
port, admin_port, user, pw = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
failures = []
def check(name, cond, detail=''):
    print(('ok   ' if cond else 'FAIL ') + name + (' ' + detail if detail else ''))
    if not cond:
        failures.append(name)

def login(p, u, password, source='127.0.0.1'):
    """The first packet weft answers with after the login, or the ERR it sends instead of a greeting."""
    c = Conn(p, timeout=5, source=source)
    seq, first = c.read_packet()
    if first[:1] == b'\xff':
        return c, first
    c.buf = frame(first, seq) + c.buf  # a greeting: put it back for login()
    return c, c.login(u, password)

def blocked_message(p):
    return p[:3] == b'\xff\x69\x04' and b"Host '127.0.0.1' is blocked" in p and b'FLUSH HOSTS' in p

def block(p, u, name):
    for i in range(5):
        c, r = login(p, u, 'wrong-password')
        e = parse_err(r)
        if not e or e[0] != 1045:
            check('%s: wrong password %d -> 1045' % (name, i), False, r.hex())
    start = time.monotonic()
    c, r = login(p, u, pw if p == port else 'admin-secret')
    took = time.monotonic() - start
    check('%s: after 5 failures even the right password -> 1129 first' % name, blocked_message(r), r[:120].decode(errors='replace'))
    check('%s: 1129 answered at once' % name, took < 0.5, '%.3f s' % took)

def works(p, u, password, source='127.0.0.1'):
    c, r = login(p, u, password, source)
    return r[:1] == b'\x00', r.hex()

# Proxy port.
block(port, user, 'proxy')
ok, d = works(port, user, pw, '127.0.0.2'); check('proxy: another host logs in meanwhile', ok, d)
time.sleep(2.1)
ok, d = works(port, user, pw); check('proxy: after host_block_ms the host logs in again', ok, d)

# Admin port: counted apart; FLUSH HOSTS from another host unblocks at once.
block(admin_port, 'admin', 'admin')
ok, d = works(port, user, pw); check('admin failures do not block the proxy port', ok, d)
c, r = login(admin_port, 'admin', 'admin-secret', '127.0.0.2')
check('admin: another host logs in meanwhile', r[:1] == b'\x00', r.hex())
c.query('FLUSH HOSTS'); seq, r = c.read_packet()
check('FLUSH HOSTS -> OK, 1 host unblocked', r[:2] == b'\x00\x01', r.hex())
ok, d = works(admin_port, 'admin', 'admin-secret'); check('admin: unblocked by FLUSH HOSTS', ok, d)

# Proxy port again, unblocked by FLUSH HOSTS this time.
block(port, user, 'proxy again')
c.query('FLUSH HOSTS'); seq, r = c.read_packet()
check('FLUSH HOSTS -> OK', r[:1] == b'\x00', r.hex())
ok, d = works(port, user, pw); check('proxy: unblocked by FLUSH HOSTS', ok, d)
sys.exit(1 if failures else 0)
PY

weft_alive || fail "weft died"
http_code /metrics >/dev/null
metric() { awk -v m="$1" '$1 == m {print $2}' "$WORK/http.body"; }
[ "$(metric 'weft_login_failures_total{port="proxy"}')" = 10 ] || fail "proxy login failures: $(grep login_failures "$WORK/http.body")"
[ "$(metric 'weft_login_failures_total{port="admin"}')" = 5 ] || fail "admin login failures: $(grep login_failures "$WORK/http.body")"
[ "$(metric 'weft_connections_refused_total{port="proxy",reason="host_blocked"}')" = 2 ] ||
  fail "proxy blocked attempts: $(grep refused "$WORK/http.body")"
[ "$(metric 'weft_connections_refused_total{port="admin",reason="host_blocked"}')" = 1 ] ||
  fail "admin blocked attempts: $(grep refused "$WORK/http.body")"
[ "$(grep -c 'event=host_blocked port=proxy client=127.0.0.1' "$WORK/weft.log")" = 2 ] || fail "one host_blocked line per proxy block"
[ "$(grep -c 'event=host_blocked port=admin client=127.0.0.1' "$WORK/weft.log")" = 1 ] || fail "one host_blocked line per admin block"
grep -q 'event=hosts_flushed unblocked=1' "$WORK/weft.log" || fail "FLUSH HOSTS not logged"
pass
