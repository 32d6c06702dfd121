#!/usr/bin/env bash
# Defect 2 of issue 10: a COM_STMT_EXECUTE that opens a cursor must not pin the session to a
# replica (its later writes went there and failed with 1290); execute flags that open no cursor
# must not pin at all.
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_REPLICAS=1 start_weft
as_root "$PRIMARY_PORT" -e "CREATE TABLE IF NOT EXISTS weft_test.cursor_w (id INT AUTO_INCREMENT PRIMARY KEY, v INT)"
# Reads reach replicas once the monitor has seen them.
wait_for '[ "$(via_weft -e "select @@port")" != "$PRIMARY_PORT" ]' 10 || fail "no read ever reached a replica"

/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" "$PRIMARY_PORT" <<'PY' || fail "cursor routing"
import struct, sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, frame, parse_err, prepare, execute_body, ServerError
port, user, pw, primary = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[5]
failures = []
def check(name, cond, detail=''):
    print(('ok   ' if cond else 'FAIL ') + name + (' ' + detail if detail else ''))
    if not cond:
        failures.append(name)

def ok_or_err(c):
    _, p = c.read_packet()
    return 'OK' if p[0] == 0 else str(parse_err(p))

for flags in (0x01, 0x02, 0x04):  # read only, for update, scrollable
    c = Conn(port); assert c.login(user, pw)[:1] == b'\x00'
    sel, _, _ = prepare(c, 'SELECT @@port, ?')
    ins, _, _ = prepare(c, 'INSERT INTO weft_test.cursor_w (v) VALUES (?)')
    c.send(frame(execute_body(ins, [1]), 0)); check('insert before the cursor', ok_or_err(c) == 'OK')
    c.send(frame(execute_body(sel, ['x'], flags=flags), 0))
    _, first = c.read_packet()
    check('cursor execute answered (flags %d)' % flags, first[0] not in (0xFF,), str(parse_err(first)))
    for _ in range(first[0]):
        c.read_packet()  # column definitions
    _, eof = c.read_packet()
    cursor = struct.unpack('<H', eof[3:5])[0] & 0x40  # SERVER_STATUS_CURSOR_EXISTS
    check('flags %d: the server opened a cursor' % flags, cursor or flags != 0x01)
    if cursor:
        c.send(frame(struct.pack('<BII', 0x1c, sel, 100), 0))  # COM_STMT_FETCH: the rows come now
    rows = []
    while True:
        _, p = c.read_packet()
        if p[0] in (0xFE, 0xFF) and len(p) < 9 + 256:
            check('fetch ends with EOF', p[0] == 0xFE, str(parse_err(p)))
            break
        rows.append(p)
    check('fetch gave the row', len(rows) == 1)
    c.send(frame(execute_body(ins, [2]), 0))
    answer = ok_or_err(c)
    check('prepared INSERT after the cursor reaches the primary', answer == 'OK', answer)
    c.query('INSERT INTO weft_test.cursor_w (v) VALUES (3)')
    check('text INSERT after the cursor reaches the primary', ok_or_err(c) == 'OK')
    c.sock.close()

# Flags that open no cursor (0x08, MariaDB's PARAMETER_COUNT_AVAILABLE... or none at all) pin nothing.
c = Conn(port); assert c.login(user, pw)[:1] == b'\x00'
sel, _, _ = prepare(c, 'SELECT @@port, ?')
c.send(frame(execute_body(sel, ['y'], flags=0x08), 0))
rows = c.result_rows()
check('execute with flags 0x08 returns its row', len(rows) == 1)
ports = {c.scalar('SELECT @@port') for _ in range(20)}
check("reads after it still reach both replicas", len(ports - {primary}) == 2, str(ports))
c.query('INSERT INTO weft_test.cursor_w (v) VALUES (4)')
check('and writes the primary', ok_or_err(c) == 'OK')
sys.exit(1 if failures else 0)
PY
pass
