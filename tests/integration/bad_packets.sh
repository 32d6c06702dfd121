#!/usr/bin/env bash
# Malformed, oversized and out-of-order packets get a real ERR packet (code + SQLSTATE) and a
# clean disconnect; weft keeps running and a concurrent session is unaffected.
source "$(dirname "$0")/lib.sh"
require_sandbox
start_weft "" "max_allowed_packet = 1048576"

# A session that stays open through all the abuse below.
via_weft -e 'select sleep(3), @@port' > "$WORK/keep.out" 2>&1 &
KEEP_PID=$!

/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" "$PRIMARY_PORT" <<'PY' || fail "wire checks failed"
import sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, frame, parse_err
port, user, pw, primary_port = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[5])
failures = []
def check(name, cond, detail=''):
    print(('ok   ' if cond else 'FAIL ') + name + (' ' + detail if detail else ''))
    if not cond:
        failures.append(name)

# 1. Garbage instead of a handshake response: 1043 08S01 Bad handshake, then disconnect.
c = Conn(port); c.greeting_scramble(); c.send(frame(b'\x01\x02\x03', 1))
seq, p = c.read_packet(); e = parse_err(p)
check('garbage handshake -> 1043/08S01', e is not None and e[0] == 1043 and e[1] == '08S01', str(e))
check('garbage handshake -> disconnect', c.closed_by_peer())

# 2. A handshake packet announcing 16 MiB: refused without reading it all.
c = Conn(port); c.greeting_scramble(); c.send(b'\xff\xff\xff\x01' + b'x' * 100)
seq, p = c.read_packet(); e = parse_err(p)
check('oversized handshake -> 1043', e is not None and e[0] == 1043, str(e))
check('oversized handshake -> disconnect', c.closed_by_peer())

# 3. After login, a command bigger than max_allowed_packet (1 MiB here): 1153 08S01, disconnect.
c = Conn(port); ok = c.login(user, pw)
check('login ok', ok[:1] == b'\x00', ok.hex())
c.send(frame(b'\x03select "' + b'a' * (2 << 20) + b'"', 0)[:64 * 1024])
seq, p = c.read_packet(); e = parse_err(p)
check('oversized command -> 1153/08S01', e is not None and e[0] == 1153 and e[1] == '08S01', str(e))
check("oversized command -> message", e is not None and "max_allowed_packet" in e[2], str(e))
check('oversized command -> disconnect', c.closed_by_peer())

# 4. A command whose sequence id is not 0: 1156 08S01 Got packets out of order, disconnect.
c = Conn(port); c.login(user, pw); c.send(frame(b'\x03select 1', 5))
seq, p = c.read_packet(); e = parse_err(p)
check('out of order -> 1156/08S01', e is not None and e[0] == 1156 and e[1] == '08S01', str(e))
check('out of order -> disconnect', c.closed_by_peer())

# 5. An empty command packet: ERR then disconnect.
c = Conn(port); c.login(user, pw); c.send(frame(b'', 0))
seq, p = c.read_packet(); e = parse_err(p)
check('empty command -> ERR 1047', e is not None and e[0] == 1047, str(e))
check('empty command -> disconnect', c.closed_by_peer())

# 6. An unknown command byte goes to the server, which answers 1047; the session continues.
c = Conn(port); c.login(user, pw); c.send(frame(b'\x99', 0))
seq, p = c.read_packet(); e = parse_err(p)
check('unknown command -> server ERR 1047', e is not None and e[0] == 1047, str(e))
c.query('select 7'); seq, p = c.read_packet()
check('session continues after unknown command', p == b'\x01', p.hex())

# 7. A client that disconnects in the middle of a packet does no harm.
c = Conn(port); c.login(user, pw); c.send(b'\x10\x00\x00\x00\x03sel'); c.sock.close()

# 8. A command weft cannot proxy (a binlog dump) is refused clearly, and the session continues.
c = Conn(port); c.login(user, pw); c.send(frame(b'\x12\x04\x00\x00\x00\x00\x00\x02\x00\x00\x00', 0))
seq, p = c.read_packet(); e = parse_err(p)
check('binlog dump -> 1235 not supported', e is not None and e[0] == 1235 and 'COM_BINLOG_DUMP' in e[2], str(e))
c.query('select 8'); seq, p = c.read_packet()
check('session continues after refused command', p == b'\x01', p.hex())

# 9. A truncated COM_CHANGE_USER: 1043 Bad handshake, then disconnect.
c = Conn(port); c.login(user, pw); c.send(frame(b'\x11root', 0))
seq, p = c.read_packet(); e = parse_err(p)
check('malformed change user -> 1043', e is not None and e[0] == 1043, str(e))
check('malformed change user -> disconnect', c.closed_by_peer())

# 10. Statement commands that are short or name an unknown statement (defects 4 and 6 of issue
# 10): answered exactly as the server answers them directly — 1835 for a short execute, 1243 for
# unknown ids and short RESET/FETCH, nothing at all for SEND_LONG_DATA and CLOSE — and the next
# query gets its own answer.
def answers(port_, payload):
    c = Conn(port_, timeout=3); c.login(user, pw)
    c.send(frame(payload, 0)); c.query('select 7')
    out = []
    try:
        while True:
            seq, p = c.read_packet()
            out.append((seq, parse_err(p) or p.hex()))
            if p[:1] in (b'\xfe', b'\xff') and len(p) < 9 or len(out) > 6:
                break
    except Exception as e:
        out.append(type(e).__name__)
    return out
for hexed in ['1701', '17000000', '173930000000', '17393000000001000000', '1a', '1a0200', '1cd06f',
              '1c3930000001000000', '1a39300000', '18', '1801', '18393000000000646174', '19', '1901',
              '1939300000']:
    direct, via = answers(primary_port, bytes.fromhex(hexed)), answers(port, bytes.fromhex(hexed))
    check('statement command %s answered as the server does' % hexed, direct == via, 'direct %s, weft %s' % (direct, via))

sys.exit(1 if failures else 0)
PY

weft_alive || fail "weft died"
[ "$(via_weft -e 'select @@port')" = 23306 ] || fail "new session after abuse did not work"
wait "$KEEP_PID" || fail "the concurrent session failed: $(cat "$WORK/keep.out")"
grep -q "23306" "$WORK/keep.out" || fail "the concurrent session was disturbed: $(cat "$WORK/keep.out")"
pass
