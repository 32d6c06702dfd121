#!/usr/bin/env bash
# Defect 1 of issue 10: a client that resets its socket in the middle of a big result set must
# never leave the rest of that result on a pooled backend connection, where the next session of
# the same user would read it as its own answer. Many rounds, each checked byte for byte.
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_WORKERS=1 start_weft  # one worker: every session shares one pool

/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' || fail "a session read another session's bytes"
import socket, struct, sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, ServerError
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
BIG = "/* weft: route=primary */ SELECT repeat(X'0100000100', 400) FROM weft_test.seq_1_to_100000"
wrong = 0
for r in range(20):
    a = Conn(port); ok = a.login(user, pw)
    assert ok[:1] == b'\x00', 'login failed: %r' % ok; a.query(BIG)
    got = 0
    while got < (1 << 20):
        chunk = a.sock.recv(65536)
        if not chunk:
            sys.exit('round %d: the big result ended after %d bytes' % (r, got))
        got += len(chunk)
    # SO_LINGER 0: close() sends a reset, as a crashed client or a killed pod does.
    a.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    a.sock.close()
    for n in range(3):
        b = Conn(port); b.login(user, pw)
        want = 'v-%d-%d' % (r, n)
        try:
            b.query("SELECT '%s'" % want)
            rows = b.result_rows()
            answer = rows[0][1:].decode(errors='replace') if rows else '(no row)'
        except (ServerError, EOFError) as e:
            answer = 'error: %s' % (e,)
        if answer != want:
            wrong += 1
            print('round %d: wanted %s, got %r' % (r, want, answer[:60]))
        b.sock.close()
print('wrong answers: %d of 60' % wrong)
sys.exit(1 if wrong else 0)
PY
grep -q 'event=backend_extra_bytes' "$WORK/weft.log" && fail "weft met bytes past a response's end"
pass
