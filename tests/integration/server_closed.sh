#!/usr/bin/env bash
# Defect 11 of issue 10: a backend connection the server closed is never used again. Here the
# server answers 1156 (a continuation frame out of sequence) and closes its side; the session's
# next statement must run on a fresh connection (not fail with 9005), and so must other sessions'.
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_WORKERS=1 start_weft

/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' || fail "a closed connection was reused"
import sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, frame, parse_err
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
failures = []
def check(name, cond, detail=''):
    print(('ok   ' if cond else 'FAIL ') + name + (' ' + detail if detail else ''))
    if not cond:
        failures.append(name)
for round_ in range(3):
    c = Conn(port, timeout=30); c.login(user, pw)
    check('round %d: a statement first' % round_, c.scalar('SELECT 1') == '1')
    # A full 16 MiB - 1 frame, then a continuation numbered 5 instead of 1: the server's 1156.
    body = b'\x03SELECT "' + b'a' * (0xFFFFFF - 10) + b'"'
    assert len(body) == 0xFFFFFF
    c.send(frame(body, 0) + frame(b'', 5))
    seq, p = c.read_packet(); e = parse_err(p)
    check('round %d: the server answers 1156' % round_, e is not None and e[0] == 1156, str(e))
    try:
        got = c.scalar('SELECT 7')
    except Exception as ex:
        got = repr(ex)
    check('round %d: the next statement runs on a fresh connection' % round_, got == '7', got)
    other = Conn(port); other.login(user, pw)
    got = other.scalar('SELECT 8')
    check('round %d: another session too' % round_, got == '8', got)
sys.exit(1 if failures else 0)
PY
pass
