#!/usr/bin/env bash
# Prepared statements on shared backend connections: a statement prepared on one connection
# executes correctly on another (weft prepares it there and re-sends the parameter types the
# client sent only once); sysbench with server-side prepared statements runs over few
# connections with 0 errors.
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_WORKERS=1 start_weft "" "[backend]
max_connections = 2
pool_wait_timeout_ms = 5000"

/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' || fail "statement moved between connections"
import struct, sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, frame, parse_err
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]

def prepare(c, sql):
    c.send(frame(b'\x16' + sql.encode(), 0))
    _, ok = c.read_packet()
    assert ok[0] == 0, parse_err(ok)
    stmt, cols, params = struct.unpack('<IHH', ok[1:9])
    for _ in range(params + (1 if params else 0) + cols + (1 if cols else 0)):
        c.read_packet()
    return stmt, params

def execute(c, stmt, values, send_types):
    body = struct.pack('<BIBI', 0x17, stmt, 0, 1) + b'\x00'  # no cursor, 1 iteration, null bitmap (2 params)
    body += b'\x01' + b'\x08\x00' * len(values) if send_types else b'\x00'
    body += b''.join(struct.pack('<q', v) for v in values)
    c.send(frame(body, 0))
    rows = c.result_rows()
    return [struct.unpack('<q', r[2:10])[0] for r in rows]

a, b = Conn(port), Conn(port)
assert a.login(user, pw)[:1] == b'\x00' and b.login(user, pw)[:1] == b'\x00'
stmt, params = prepare(a, 'select ? * 1000 + ?')
assert params == 2
assert execute(a, stmt, [4, 2], True) == [4002], 'first execute'
assert execute(a, stmt, [5, 3], False) == [5003], 'execute without types, same connection'
# Session b takes a connection and keeps it (open transaction): with a limit of 2, a's next
# statement may land on either connection; hold both so that a must move.
b.query('begin'); b.read_packet()
b.query('select 1'); b.result_rows()
c = Conn(port); assert c.login(user, pw)[:1] == b'\x00'
c.query('begin'); c.read_packet()
c.query('select 2'); c.result_rows()
c.query('commit'); c.read_packet()   # c's connection is free again, b's is held
for i in range(5):                   # a runs where it can, with types sent only once before
    got = execute(a, stmt, [i, 7], False)
    assert got == [i * 1000 + 7], f'execute {i} moved: {got}'
b.query('rollback'); b.read_packet()
# Unknown statement ids get the server's error.
a.send(frame(struct.pack('<BIBI', 0x17, 999, 0, 1), 0))
_, e = a.read_packet()
assert parse_err(e)[0] == 1243, parse_err(e)
# After COM_STMT_CLOSE the id is gone.
a.send(frame(struct.pack('<BI', 0x19, stmt), 0))
a.send(frame(struct.pack('<BIBI', 0x17, stmt, 0, 1) + b'\x00\x00' + struct.pack('<qq', 1, 1), 0))
_, e = a.read_packet()
assert parse_err(e)[0] == 1243, parse_err(e)
print('prepared statement moved between connections correctly')
PY

grep -q "event=statement_prepared_again backend=127.0.0.1:23306 ok=true" "$WORK/weft.log" ||
  fail "the statement was never prepared on a second connection: the test did not test"
grep -q "event=statement_types_resent" "$WORK/weft.log" || fail "parameter types were never re-sent"

# sysbench with server-side prepared statements (ps-mode auto), 16 threads over 2 connections,
# on a table of its own prepared directly.
sb() { sysbench oltp_read_only --mysql-user="$APP_USER" --mysql-password="$APP_PASSWORD" --mysql-db=sbtest_ps \
  --tables=1 --table-size=1000 --mysql-ssl=off --mysql-host=127.0.0.1 "$@"; }
direct -e "drop database if exists sbtest_ps; create database sbtest_ps"
sb --mysql-port="$PRIMARY_PORT" prepare > "$WORK/prepare.log" 2>&1 || fail "sysbench prepare: $(tail -3 "$WORK/prepare.log")"
out="$(sb --mysql-port="$WEFT_PORT" --threads=16 --time=3 --db-ps-mode=auto --rand-type=uniform \
  --report-interval=0 run 2>&1)" || true
direct -e "drop database sbtest_ps"
echo "$out" | grep -qE 'FATAL|ALERT' && fail "sysbench errors: $(echo "$out" | grep -E 'FATAL|ALERT' | head -3)"
echo "$out" | grep -qE '^[[:space:]]+ignored errors:[[:space:]]+0 ' || fail "sysbench ignored errors: $out"
echo "$out" | grep -qE '^[[:space:]]+queries:[[:space:]]+[1-9]' || fail "sysbench ran no queries: $out"
weft_alive || fail "weft died"
pass
