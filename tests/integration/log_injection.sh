#!/usr/bin/env bash
# Defect 7 of issue 10: what a client sends before login (user names with new lines, forged
# key=value pairs, raw binary) never starts a log line, never forges another key, and never puts
# a control byte or invalid UTF-8 into weft's log.
source "$(dirname "$0")/lib.sh"
require_sandbox
start_weft "" "max_login_failures = 0  # 0: no blocking, every attempt reaches the log"

/usr/bin/python3 - "$WEFT_PORT" "$REPO/tests/integration" <<'PY' || fail "could not send the logins"
import os, random, sys
sys.path.insert(0, sys.argv[2])
from wire_client import Conn
port = int(sys.argv[1])
names = ['x\n2026-12-02T00:00:00.000 level=info event=session_open id=1 user=root client=10.9.9.9',
         'y" client=10.9.9.9 tls="on', 'z\r\x1b[2Jcleared', bytes(range(1, 32)).decode('latin-1')]
rnd = random.Random(7)
names += [bytes(rnd.randrange(1, 256) for _ in range(24)).decode('latin-1') for _ in range(30)]
for n in names:
    c = Conn(port)
    c.login(n.encode('latin-1'), 'wrong')  # the bytes as they are, not UTF-8 encoded
    c.sock.close()
PY
sleep 0.3
/usr/bin/python3 - "$WORK/weft.log" <<'PY' || fail "the log holds forged lines or raw bytes"
import re, sys
raw = open(sys.argv[1], 'rb').read()
bad = []
try:
    text = raw.decode('utf-8')
except UnicodeDecodeError as e:
    sys.exit('invalid UTF-8 in the log at byte %d: %r' % (e.start, raw[max(0, e.start - 40):e.start + 10]))
for n, line in enumerate(text.split('\n'), 1):
    if any(ord(ch) < 0x20 or ord(ch) == 0x7f for ch in line):
        bad.append('line %d has a control character: %r' % (n, line[:120]))
    if line and not re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} level=\w+ event=', line):
        bad.append('line %d does not start as weft writes lines: %r' % (n, line[:120]))
    if 'client=10.9.9.9' in line and not re.search(r'event=auth_failed user="', line):
        bad.append('line %d carries the forged client outside a quoted value: %r' % (n, line[:160]))
auth_failed = sum(1 for l in text.split('\n') if 'event=auth_failed' in l)
print('log lines checked: %d, auth_failed lines: %d, problems: %d' % (text.count('\n'), auth_failed, len(bad)))
print('\n'.join(bad[:10]))
sys.exit(1 if bad or auth_failed < 34 else 0)
PY
pass
