#!/usr/bin/env bash
# Backend pooling and multiplexing: many clients share few backend connections; session state
# (transactions, variables, temporary tables, warnings) never leaks between clients and never
# gets lost inside one; an exhausted pool answers with a clear error instead of hanging.
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_WORKERS=1 start_weft "" "[backend]
max_connections = 3
pool_wait_timeout_ms = 3000"

# 1. 40 clients connected at the same time, each idle for a second between two statements,
#    over at most 3 backend connections: only possible if idle sessions hold no connection.
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" > "$WORK/mx.out" 2>&1 <<'PY' ||
import sys, threading, time
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, parse_err
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
results = {}
def client(i):
    try:
        c = Conn(port, timeout=20)
        ok = c.login(user, pw)
        assert ok[:1] == b'\x00', parse_err(ok)
        answers = []
        for sql in ('select %d' % i, 'select sleep(0.05)', None, 'select @@port'):
            if sql is None:
                time.sleep(1.0)  # idle, connected
                continue
            answers.append(c.scalar(sql))
        results[i] = answers
    except Exception as e:  # noqa: BLE001 - reported below
        results[i] = repr(e)
start = time.time()
threads = [threading.Thread(target=client, args=(i,)) for i in range(40)]
for t in threads: t.start()
for t in threads: t.join()
bad = {i: r for i, r in results.items() if r != [str(i), '0', '23306']}
print(f'40 sessions in {time.time() - start:.1f} s; failures: {bad}')
sys.exit(1 if bad else 0)
PY
  fail "40 concurrent sessions over 3 backend connections: $(cat "$WORK/mx.out")"
cat "$WORK/mx.out"
[ "$(app_connections)" -le 3 ] || fail "more than 3 backend connections open"

# 2. State inside a session survives multiplexing: transactions, variables, temporary tables,
#    warnings for SHOW WARNINGS.
via_weft -e "drop table if exists weft_test.mx; create table weft_test.mx (id int primary key)"
out="$(via_weft -D weft_test -e "
  begin; insert into mx values (1); select count(*) from mx; rollback; select count(*) from mx;
  set @v = 42; select sleep(0.01); select @v;
  create temporary table tmp (a int); insert into tmp values (7); select a from tmp;
  select 1/0; show warnings;" 2>&1)"
expected="1
0
0
42
7
NULL
Warning	1365	Division by 0"
[ "$out" = "$expected" ] || fail "session state through weft:"$'\n'"$out"

# 3. State never leaks to the next client: with few connections, a later client gets a
#    connection that a client with variables and a temporary table used before.
via_weft -e "set @leak = 'x'; create temporary table weft_test.leak (a int); select 1" > /dev/null
for _ in 1 2 3 4; do
  [ "$(via_weft -e 'select @leak')" = NULL ] || fail "a user variable leaked to another client"
  out="$(via_weft -e 'select * from weft_test.leak' 2>&1 || true)"
  echo "$out" | grep -q "1146" || fail "a temporary table leaked to another client: $out"
done

# 4. Schema: each client sees its own current database on shared connections.
[ "$(via_weft -D weft_test -e 'select database()')" = weft_test ] || fail "connect with database"
[ "$(via_weft -e 'select database()')" = NULL ] || fail "no database must stay no database"
[ "$(via_weft -D sbtest -e 'select database()')" = sbtest ] || fail "connect with another database"

# 5. Exhausted pool: 3 clients hold a connection each (open transactions); a fourth waits
#    pool_wait_timeout_ms and gets weft's 9006, while the three finish normally.
pids=()
for i in 1 2 3; do
  via_weft -e "begin; select sleep(5); commit; select 'held$i'" > "$WORK/h$i.out" 2>&1 &
  pids+=($!)
done
sleep 0.5
start=$(date +%s%N)
out="$(via_weft -e 'select 1' 2>&1 || true)"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$out" | grep -q "^ERROR 9006 (HY000).*no connection to backend 127.0.0.1:23306 became free within 3000 ms" ||
  fail "exhausted pool: got '$out'"
[ "$elapsed_ms" -ge 2900 ] && [ "$elapsed_ms" -lt 4500 ] || fail "exhausted pool answered after ${elapsed_ms} ms"
wait "${pids[@]}" || true
for i in 1 2 3; do grep -qx "held$i" "$WORK/h$i.out" || fail "holder $i: $(cat "$WORK/h$i.out")"; done
# ...and once they are done, the pool serves again.
[ "$(via_weft -e 'select 2')" = 2 ] || fail "pool did not recover"

# 6. Session variables set with SET follow the session to whichever connection it gets next
#    (replayed), and never leak to other clients. 3 clients with different settings, each idle
#    between statements while others run, over 3 connections shared by everyone.
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' || fail "session variables were not kept per session"
import sys, threading
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, parse_err
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def ok(c, sql):
    c.query(sql); _, p = c.read_packet(); assert p[:1] == b'\x00', parse_err(p)
errors = []
def client(i):
    try:
        c = Conn(port); c.login(user, pw)
        zone = f'+0{i}:00'
        ok(c, f"SET time_zone = '{zone}', sql_select_limit = {100 + i}")
        for _ in range(30):
            got = c.scalar('select concat(@@time_zone, "/", @@sql_select_limit)')
            assert got == f'{zone}/{100 + i}', f'client {i} saw {got}'
        plain = Conn(port); plain.login(user, pw)
        got = plain.scalar('select concat(@@time_zone, "/", @@sql_select_limit)')
        assert got.startswith('SYSTEM/'), f'a fresh client saw {got}'
    except Exception as e:  # noqa: BLE001
        errors.append(repr(e))
threads = [threading.Thread(target=client, args=(i,)) for i in range(1, 7)]
for t in threads: t.start()
for t in threads: t.join()
print('session variables:', errors or 'kept per session')
sys.exit(1 if errors else 0)
PY
[ "$(app_connections)" -le 3 ] || fail "more than 3 backend connections open"

# 7. Clients that got an error and then sit idle keep their connection only softly (for a
#    following SHOW WARNINGS): they must not starve the pool.
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' || fail "idle clients after errors starved the pool"
import sys, time
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, parse_err
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
idle = []
for _ in range(3):  # as many as the pool allows, each ending on an error, then idle
    c = Conn(port); c.login(user, pw)
    c.query('select * from weft_test.no_such_table'); _, e = c.read_packet()
    assert parse_err(e)[0] == 1146, e
    idle.append(c)
start = time.time()
c = Conn(port); c.login(user, pw); c.query('select 41 + 1')
_, first = c.read_packet()
assert first[:1] != b'\xff', parse_err(first)
print(f'a fourth client got a connection after {time.time() - start:.2f} s')
sys.exit(0 if time.time() - start < 1.0 else 1)
PY

via_weft -e "drop table weft_test.mx"
weft_alive || fail "weft died"
pass
