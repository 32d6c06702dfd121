#!/usr/bin/env bash
# Idle pooled backend connections (issue 11, item 4): the admin's backend_connections table lists
# them with the server's own thread ids; a DBA's KILL of every idle one on the server never
# surfaces as an error to a client (the pool checks each borrow); FLUSH BACKEND CONNECTIONS closes
# them; with min_idle_connections = 0 none of weft's sessions stays on the server after
# idle_timeout_ms, and with 1 exactly one stays; backend logins carry weft's connection
# attributes (`_proxy`, `_proxy_version`) and the client's own.
# Only this weft's connections are touched (found by their local ports), so tests running beside
# this one keep theirs.
source "$(dirname "$0")/lib.sh"
require_sandbox

# Local ports of this weft's established connections to 127.0.0.1:$1.
weft_ports_to() {
  ss -Htnp state established "( dport = :$1 )" | grep "pid=$WEFT_PID," | awk '{print $3}' | sed 's/.*://' | sort -n
}
# Ports (one a line) as an SQL list of processlist hosts: '127.0.0.1:p1','127.0.0.1:p2'.
host_list() { awk -v q="'" '{printf "%s%s127.0.0.1:%s%s", (NR > 1 ? "," : ""), q, $1, q}'; }
# The primary's processlist ids of this weft's 'app' sessions (with $1: only in that command), sorted.
weft_thread_ids() {
  local hosts
  hosts="$(weft_ports_to "$PRIMARY_PORT" | host_list)"
  [ -n "$hosts" ] || return 0
  as_root "$PRIMARY_PORT" -e "SELECT id FROM information_schema.processlist
    WHERE user = '$APP_USER' AND host IN ($hosts) ${1:+AND command = '$1'} ORDER BY id"
}

WEFT_WORKERS=2 start_weft "" "" "[backend]
idle_timeout_ms = 2500
min_idle_connections = 0

$(admin_toml)"
wait_admin

# --- Warm the pool, then a DBA kills every idle one on the server ------------------------------
# Four client sessions log in first and stay; eight more at once leave several idle connections
# on each worker, all younger than the four logins (so nothing resets them before reuse: only the
# check on borrow stands between a killed connection and the next statement). Same client
# library throughout, so every session's pool key matches every connection's.
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" "$WORK" <<'PY' > "$WORK/clients.out" 2>&1 &
import os, sys, threading, time
sys.path.insert(0, sys.argv[4])
from wire_client import Conn
port, user, pw, work = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[5]
stay = []
for _ in range(4):
    c = Conn(port); c.login(user, pw); stay.append(c)
def warm():
    c = Conn(port); c.login(user, pw); c.scalar("SELECT sleep(0.3)"); c.sock.close()
threads = [threading.Thread(target=warm) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
open(work + '/warm', 'w').close()
while not os.path.exists(work + '/killed'): time.sleep(0.01)
errors = []
def run(c, n):
    for i in range(5):
        try:
            got = c.scalar("SELECT %d" % (n * 100 + i))
            if got != str(n * 100 + i): errors.append('session %d: %r' % (n, got))
        except Exception as e:
            errors.append('session %d: %r' % (n, e))
threads = [threading.Thread(target=run, args=(c, n)) for n, c in enumerate(stay)]
for t in threads: t.start()
for t in threads: t.join()
print('errors=%d %s' % (len(errors), errors[:5]))
PY
clients=$!
wait_for "[ -f '$WORK/warm' ]" 20 || fail "the warm-up did not end: $(cat "$WORK/clients.out")"
ids="$(weft_thread_ids)"
[ "$(wc -w <<< "$ids")" -ge 4 ] || fail "the warm-up left $(wc -w <<< "$ids") backend connections: '$ids'"
listed="$(admin -e "SELECT thread_id FROM backend_connections
  WHERE state = 'idle' AND user = '$APP_USER' AND server = '127.0.0.1:$PRIMARY_PORT' ORDER BY thread_id")"
[ "$(tr '\n' ' ' <<< "$listed")" = "$(tr '\n' ' ' <<< "$ids")" ] ||
  fail "backend_connections lists thread ids '$listed', the server shows weft's as '$ids'"
[ "$(admin -e "SELECT count(*) FROM backend_connections WHERE idle_ms IS NULL OR session IS NOT NULL")" = 0 ] ||
  fail "idle rows with a session or without idle_ms: $(admin -e 'SELECT * FROM backend_connections')"
ids="$(weft_thread_ids Sleep)"
killed="$(wc -w <<< "$ids")"
as_root "$PRIMARY_PORT" -e "$(for id in $ids; do printf 'KILL %s; ' "$id"; done)" || fail "KILL failed"
touch "$WORK/killed"
wait "$clients" || fail "the client sessions failed: $(cat "$WORK/clients.out")"
grep -q '^errors=0 ' "$WORK/clients.out" ||
  fail "statements of logged-in sessions failed after $killed idle connections were killed: $(cat "$WORK/clients.out")"

# --- And new clients: 20 at once right after another KILL of every idle one -------------------
ids="$(weft_thread_ids Sleep)"
[ -n "$ids" ] || fail "no idle connection to kill the second time"
as_root "$PRIMARY_PORT" -e "$(for id in $ids; do printf 'KILL %s; ' "$id"; done)" || fail "KILL failed"
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' > "$WORK/new.out" 2>&1 ||
import sys, threading
sys.path.insert(0, sys.argv[4])
from wire_client import Conn
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
errors = []
def client(n):
    try:
        c = Conn(port); c.login(user, pw)
        if c.scalar("SELECT %d" % n) != str(n): errors.append(n)
        c.sock.close()
    except Exception as e:
        errors.append('client %d: %r' % (n, e))
threads = [threading.Thread(target=client, args=(n,)) for n in range(20)]
for t in threads: t.start()
for t in threads: t.join()
print('errors=%d %s' % (len(errors), errors[:5]))
sys.exit(1 if errors else 0)
PY
  fail "new clients failed after idle backend connections were killed: $(cat "$WORK/new.out")"
echo "killed $killed, then $(wc -w <<< "$ids") idle connections: 20 statements of 4 sessions, 20 new clients, no error"
for id in $ids; do
  grep -qx "$id" <<< "$(weft_thread_ids)" && fail "killed thread $id is still weft's"
done

# --- An 'in use' row names the session -------------------------------------------------------
via_weft -e "select sleep(1.5)" > /dev/null &
sleeper=$!
wait_for "[ \"\$(admin -e \"SELECT count(*) FROM backend_connections b JOIN processlist p ON p.id = b.session
  WHERE b.state = 'in use' AND p.statement LIKE 'select sleep(1.5)%'\")\" = 1 ]" 3 ||
  fail "no 'in use' row naming the session: $(admin -e 'SELECT * FROM backend_connections')"
wait "$sleeper"

# --- FLUSH BACKEND CONNECTIONS closes the idle ones now ---------------------------------------
hosts_seen="$(weft_ports_to "$PRIMARY_PORT")"
[ -n "$hosts_seen" ] || fail "no idle connection before FLUSH BACKEND CONNECTIONS"
admin -e "FLUSH BACKEND CONNECTIONS" || fail "FLUSH BACKEND CONNECTIONS failed"
wait_for '[ -z "$(weft_ports_to "$PRIMARY_PORT")" ]' 3 || fail "idle connections open after the flush"
[ "$(admin -e 'SELECT count(*) FROM backend_connections')" = 0 ] || fail "backend_connections not empty after the flush"

# --- After idle_timeout_ms (floor 0), no session of weft stays on the server ------------------
via_weft -e "select 1" > /dev/null
hosts_seen="$(weft_ports_to "$PRIMARY_PORT")"
[ -n "$hosts_seen" ] || fail "no pooled connection after a statement"
sleep 2
[ -n "$(weft_ports_to "$PRIMARY_PORT")" ] || fail "the idle connection closed before idle_timeout_ms"
gone() {
  local hosts; hosts="$(host_list <<< "$hosts_seen")"
  [ -z "$(weft_ports_to "$PRIMARY_PORT")" ] &&
    [ "$(as_root "$PRIMARY_PORT" -e "SELECT count(*) FROM information_schema.processlist
      WHERE user = '$APP_USER' AND host IN ($hosts)")" = 0 ]
}
wait_for gone 4 || fail "weft's idle session still on the server after idle_timeout_ms"
weft_alive || fail "weft died"
kill -TERM "$WEFT_PID"; wait "$WEFT_PID" 2>/dev/null || true; WEFT_PID=""

# --- Attributes on the wire, and the floor: through a relay that records what weft sends -------
relay_port="$(free_port)"
/usr/bin/python3 - "$relay_port" "$PRIMARY_PORT" "$WORK/sent" <<'PY' &
import socket, sys, threading
port, target, record = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def pump(a, b, keep):
    try:
        while True:
            d = a.recv(65536)
            if not d: break
            if keep:
                with open(record, 'ab') as f: f.write(d)
            b.sendall(d)
    except OSError: pass
    for s in (a, b):
        try: s.shutdown(socket.SHUT_RDWR)
        except OSError: pass
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', port)); srv.listen(16)
while True:
    c, _ = srv.accept()
    u = socket.create_connection(('127.0.0.1', target))
    threading.Thread(target=pump, args=(c, u, True), daemon=True).start()
    threading.Thread(target=pump, args=(u, c, False), daemon=True).start()
PY
RELAY_PID=$!
trap 'kill $RELAY_PID 2>/dev/null; cleanup_and_check' EXIT
wait_for "(exec 3<>/dev/tcp/127.0.0.1/$relay_port) 2>/dev/null" 5 || fail "the relay did not listen"
WEFT_WORKERS=1 start_weft "127.0.0.1:$relay_port" "" "[backend]
idle_timeout_ms = 1000
min_idle_connections = 1"
pids=()
for i in 1 2 3; do via_weft -e "select sleep(0.3)" > /dev/null & pids+=($!); done
wait "${pids[@]}"
for attribute in _proxy weft _proxy_version program_name _weft_client_address; do
  grep -qa -- "$attribute" "$WORK/sent" || fail "the backend login lacks the attribute text '$attribute'"
done
[ "$(weft_ports_to "$relay_port" | wc -l)" -ge 2 ] || fail "the floor test needs 2+ pooled connections"
sleep 3  # idle_timeout_ms + the once-a-second sweep
[ "$(weft_ports_to "$relay_port" | wc -l)" = 1 ] ||
  fail "min_idle_connections = 1 kept $(weft_ports_to "$relay_port" | wc -l) connections"
[ "$(via_weft -e 'select 7')" = 7 ] || fail "a statement on the connection the floor kept"
weft_alive || fail "weft died"
pass
